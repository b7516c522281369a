"""Searches with their justification, and the append-only, hash-chained access log (R20-R22)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from alpr.data.base import Base, utcnow
from alpr.data.models.enums import Purpose, text_enum

LOG_ID = BigInteger().with_variant(Integer(), "sqlite")


class Search(Base):
    """One query for ALPR data: what was asked, why, and by whom (R10, R15, R21)."""

    __tablename__ = "searches"
    __table_args__ = (Index("ix_searches_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(LOG_ID, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]]
    purpose: Mapped[Purpose | None] = mapped_column(text_enum(Purpose, "purpose"))
    case_number: Mapped[str | None] = mapped_column(String(40), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    exigent: Mapped[bool] = mapped_column(default=False)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approval_note: Mapped[str | None] = mapped_column(Text)
    result_count: Mapped[int | None]
    refused_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AccessRecord(Base):
    """An entry of the access log. Never updated, never deleted (database triggers refuse
    both); ``hash`` chains each record to the one before so any change is detectable."""

    __tablename__ = "access_records"
    __table_args__ = (
        Index("ix_access_records_at", "at"),
        Index("ix_access_records_user_at", "user_id", "at"),
    )

    id: Mapped[int] = mapped_column(LOG_ID, primary_key=True)
    at: Mapped[datetime]
    event: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(64))
    agency_name: Mapped[str | None] = mapped_column(String(200))
    purpose: Mapped[str | None] = mapped_column(String(40))
    case_number: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(Text)
    exigent: Mapped[bool] = mapped_column(default=False)
    search_id: Mapped[int | None] = mapped_column(LOG_ID)
    query: Mapped[dict[str, Any] | None]
    plates: Mapped[list[Any] | None]
    result_count: Mapped[int | None]
    result_ids: Mapped[list[Any] | None]
    result_digest: Mapped[str | None] = mapped_column(String(64))
    client_addr: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # HMAC-SHA256 of the hashed content under a key kept outside the database.
    mac: Mapped[str | None] = mapped_column(String(64))


class AccessLogMacStart(Base):
    """The first access record that must carry a MAC: those written before the log was keyed
    are verified by their hash alone. One row, append-only."""

    __tablename__ = "access_log_mac_start"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_record_id: Mapped[int] = mapped_column(LOG_ID)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class ExigentReview(Base):
    """A supervisor's review, after the fact, of a search run as exigent (R15): whether the
    life-safety emergency justified it. Append-only; one per search."""

    __tablename__ = "exigent_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    search_id: Mapped[int] = mapped_column(LOG_ID, ForeignKey("searches.id"), unique=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    justified: Mapped[bool]
    note: Mapped[str] = mapped_column(Text)
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)


class AccessLogCheckpoint(Base):
    """The database's copy of a signed checkpoint of the access log (the JSON line as signed);
    the other copy is a file outside the database. Append-only."""

    __tablename__ = "access_log_checkpoints"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    signed: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
