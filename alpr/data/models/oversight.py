"""Audit plans, audits drawn for a period, and the auditor's verdict on each sampled record;
the misuse flags raised on access records, what the reviewing supervisor found each to be, and
the records a supervisor has reviewed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from alpr.data.base import Base, utcnow
from alpr.data.models.access import LOG_ID
from alpr.data.models.enums import AuditVerdict, FlagDisposition, text_enum


class AuditPlan(Base):
    """The written audit plan (R23): frequency, sampling rule, auditor and approver."""

    __tablename__ = "audit_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    frequency_days: Mapped[int]
    sample_size: Mapped[int]
    include_flagged: Mapped[bool] = mapped_column(default=True)
    auditor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approver_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(default=True)


class Audit(Base):
    __tablename__ = "audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("audit_plans.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    drawn_at: Mapped[datetime] = mapped_column(default=utcnow)
    signed_off_at: Mapped[datetime | None]
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    summary: Mapped[str | None] = mapped_column(Text)


class AuditSample(Base):
    __tablename__ = "audit_samples"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id"), index=True)
    access_record_id: Mapped[int] = mapped_column(LOG_ID)
    drawn_because: Mapped[str] = mapped_column(String(20))
    flags: Mapped[list[Any]] = mapped_column(default=list)
    verdict: Mapped[AuditVerdict | None] = mapped_column(text_enum(AuditVerdict, "audit_verdict"))
    note: Mapped[str | None] = mapped_column(Text)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    marked_at: Mapped[datetime | None]


class MisuseFlag(Base):
    """A misuse flag raised on an access record (R23), kept from the first review that raised
    it, with its explanation as given then. Append-only; one per record and kind of flag."""

    __tablename__ = "misuse_flags"
    __table_args__ = (UniqueConstraint("access_record_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    access_record_id: Mapped[int] = mapped_column(LOG_ID, index=True)
    code: Mapped[str] = mapped_column(String(40))
    explanation: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)


class FlagFinding(Base):
    """A supervisor's disposition of a misuse flag, with a note. Append-only: a later finding
    on the same flag supersedes the earlier one, which stays."""

    __tablename__ = "flag_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    flag_id: Mapped[int] = mapped_column(ForeignKey("misuse_flags.id"), index=True)
    disposition: Mapped[FlagDisposition] = mapped_column(
        text_enum(FlagDisposition, "flag_disposition")
    )
    note: Mapped[str] = mapped_column(Text)
    found_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    found_at: Mapped[datetime] = mapped_column(default=utcnow)


class AccessRecordReview(Base):
    """A supervisor marked an access record reviewed. Append-only; once per record and
    reviewer."""

    __tablename__ = "access_record_reviews"
    __table_args__ = (UniqueConstraint("access_record_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    access_record_id: Mapped[int] = mapped_column(LOG_ID, index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)
