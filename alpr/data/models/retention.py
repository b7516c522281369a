"""Legal holds (R31), purge runs (R30) and evidence exports (R32)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from alpr.data.base import Base, utcnow
from alpr.data.models.reads import READ_ID


class LegalHold(Base):
    """Data that is or may become evidence: never purged while the hold is in force."""

    __tablename__ = "legal_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_number: Mapped[str] = mapped_column(String(40), index=True)
    reason: Mapped[str] = mapped_column(Text)
    criteria: Mapped[dict[str, Any]] = mapped_column(default=dict)
    scope_id: Mapped[int | None] = mapped_column(ForeignKey("scopes.id"))
    placed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    placed_at: Mapped[datetime] = mapped_column(default=utcnow)
    review_due_on: Mapped[date | None] = mapped_column(Date)
    released_at: Mapped[datetime | None]
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    release_note: Mapped[str | None] = mapped_column(Text)


class LegalHoldRead(Base):
    __tablename__ = "legal_hold_reads"

    hold_id: Mapped[int] = mapped_column(ForeignKey("legal_holds.id"), primary_key=True)
    read_id: Mapped[int] = mapped_column(READ_ID, primary_key=True, index=True)
    read_captured_at: Mapped[datetime]


class PurgeRun(Base):
    """One retention run: counts per category and the method used, never plate numbers."""

    __tablename__ = "purge_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    as_of: Mapped[datetime]
    dry_run: Mapped[bool]
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    methods: Mapped[dict[str, Any]] = mapped_column(default=dict)
    run_by: Mapped[str] = mapped_column(String(64))


class EvidenceExport(Base):
    """A package booked into evidence, with its chain-of-custody record and its manifest as
    made, against which ``alpr evidence verify`` checks the package (append-only)."""

    __tablename__ = "evidence_exports"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_number: Mapped[str] = mapped_column(String(40), index=True)
    exported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    exported_at: Mapped[datetime] = mapped_column(default=utcnow)
    medium: Mapped[str] = mapped_column(String(200))
    search_id: Mapped[int | None]
    read_ids: Mapped[list[Any]]
    path: Mapped[str] = mapped_column(Text)
    manifest: Mapped[dict[str, Any] | None]
    manifest_sha256: Mapped[str] = mapped_column(String(64))
