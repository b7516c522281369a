"""Requests for ALPR data from other agencies and the public, their decisions and packages,
and standing sharing agreements (R40-R48)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from alpr.data.base import Base, utcnow
from alpr.data.models.enums import (
    AgencyKind,
    AgreementKind,
    LegalBasis,
    ReleaseDecisionKind,
    ReleaseStatus,
    RequestedData,
    text_enum,
)


class SharingAgreement(Base):
    """An MOU or other standing agreement to receive, provide or share ALPR data (R47), with
    the signed document kept by its SHA-256. Never changed once recorded (database triggers);
    an agreement that ends early gets an ``AgreementEnding``."""

    __tablename__ = "sharing_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    kind: Mapped[AgreementKind] = mapped_column(
        text_enum(AgreementKind, "agreement_kind"), default=AgreementKind.MOU
    )
    title: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    document_filename: Mapped[str | None] = mapped_column(String(255))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgreementEnding(Base):
    """An agreement ended before its expiry date, by whom and why (append-only)."""

    __tablename__ = "agreement_endings"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("sharing_agreements.id"), unique=True)
    ended_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ended_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReleaseRequest(Base):
    """A request for data (R41) with the rules engine's decision at filing time and the scope
    it covers. ``status`` is the status as filed (filed, or routed to the Records Manager); the
    decision and the package, in their own tables, make it approved, denied or fulfilled. Once
    decided the row is never changed (database triggers)."""

    __tablename__ = "release_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    requester_kind: Mapped[AgencyKind] = mapped_column(text_enum(AgencyKind, "agency_kind"))
    requester_state: Mapped[str | None] = mapped_column(String(2))
    requester_name: Mapped[str] = mapped_column(String(200))
    requester_contact: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(Text)
    purpose_code: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    requested: Mapped[RequestedData] = mapped_column(text_enum(RequestedData, "requested_data"))
    legal_basis: Mapped[LegalBasis] = mapped_column(text_enum(LegalBasis, "legal_basis"))
    immigration_related: Mapped[bool]
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("sharing_agreements.id"))
    scope_id: Mapped[int | None] = mapped_column(ForeignKey("scopes.id"))
    rules_decision: Mapped[ReleaseDecisionKind] = mapped_column(
        text_enum(ReleaseDecisionKind, "release_decision_kind")
    )
    rules_reasons: Mapped[list[Any]]
    rules_requirements: Mapped[list[Any]]
    status: Mapped[ReleaseStatus] = mapped_column(
        text_enum(ReleaseStatus, "release_status"), default=ReleaseStatus.FILED
    )


class ReleaseAttachment(Base):
    """The written request, a court order or a warrant, stored and hashed (append-only)."""

    __tablename__ = "release_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("release_requests.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReleaseDecision(Base):
    """The commander's approval or denial (R42); append-only like the access log."""

    __tablename__ = "release_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("release_requests.id"), unique=True)
    approver_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved: Mapped[bool]
    note: Mapped[str] = mapped_column(Text)
    scope_reads: Mapped[int | None]  # what the scope selected when the commander decided
    override_reason: Mapped[str | None] = mapped_column(Text)  # a scope beyond the bounds
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReleasePackage(Base):
    """What was produced for an approved request, with the manifest of file hashes and the
    manifest's own SHA-256, against which ``alpr releases verify`` checks the files
    (append-only)."""

    __tablename__ = "release_packages"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("release_requests.id"), index=True)
    produced_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    produced_at: Mapped[datetime] = mapped_column(default=utcnow)
    path: Mapped[str] = mapped_column(Text)
    reads: Mapped[int | None]
    manifest: Mapped[dict[str, Any]]
    manifest_sha256: Mapped[str] = mapped_column(String(64))
