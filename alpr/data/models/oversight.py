"""Audit plans, audits drawn for a period, and the auditor's verdict on each sampled record."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from alpr.data.base import Base, utcnow
from alpr.data.models.access import LOG_ID
from alpr.data.models.enums import AuditVerdict, text_enum


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
