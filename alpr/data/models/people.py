"""Agencies, roles and their permissions, users, training records and sign-in attempts."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from alpr.data.base import Base, utcnow
from alpr.data.models.enums import AgencyKind, RoleCode, text_enum


class Agency(Base):
    """The home agency and every agency it deals with (requests, agreements, users)."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[AgencyKind] = mapped_column(text_enum(AgencyKind, "agency_kind"))
    state: Mapped[str] = mapped_column(String(2), default="CA")
    is_home: Mapped[bool] = mapped_column(default=False)
    contact: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgencyHost(Base):
    """A host name where an agency receives ALPR data (its CAD's, for the department its own):
    a webhook sends alerts to an agency only at one of these (R40, R47). Kept by the records
    desk, never by whoever sets webhooks (R04)."""

    __tablename__ = "agency_hosts"
    __table_args__ = (UniqueConstraint("agency_id", "host", name="uq_agency_hosts_agency_host"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    host: Mapped[str] = mapped_column(String(253))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class Role(Base):
    """A role with the job titles it covers (R02)."""

    __tablename__ = "roles"

    code: Mapped[RoleCode] = mapped_column(text_enum(RoleCode, "role_code"), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    job_titles: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    permissions: Mapped[list[RolePermission]] = relationship(
        back_populates="role", cascade="all, delete-orphan"
    )


class RolePermission(Base):
    """Permissions are data: a role may do exactly what is listed here (deny by default)."""

    __tablename__ = "role_permissions"

    role_code: Mapped[RoleCode] = mapped_column(
        text_enum(RoleCode, "role_code"), ForeignKey("roles.code"), primary_key=True
    )
    permission: Mapped[str] = mapped_column(String(60), primary_key=True)
    role: Mapped[Role] = relationship(back_populates="permissions")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(100))
    unit: Mapped[str | None] = mapped_column(String(100))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    role_code: Mapped[RoleCode] = mapped_column(
        text_enum(RoleCode, "role_code"), ForeignKey("roles.code")
    )
    is_contractor: Mapped[bool] = mapped_column(default=False)
    is_trainer: Mapped[bool] = mapped_column(default=False)
    password_hash: Mapped[str | None] = mapped_column(String(100))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The time-step of the last TOTP code accepted: that code and earlier ones are spent.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    mfa_enrolled_at: Mapped[datetime | None]
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    disabled_at: Mapped[datetime | None]
    locked_at: Mapped[datetime | None]
    unlocked_at: Mapped[datetime | None]
    shift_start: Mapped[time | None] = mapped_column(Time)
    shift_end: Mapped[time | None] = mapped_column(Time)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # None until a second person activates the account: until then it cannot sign in.
    activated_at: Mapped[datetime | None]
    activated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Who last issued the account's credentials (its creator, or whoever last reset its
    # password or second factor; None: set-up or the system) and when: they know them, so
    # they may not be the one who activates it. ``credentials_reset``: what the last reset
    # gave anew ("password", "second factor" or both), None when issued at creation.
    credentials_issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    credentials_issued_at: Mapped[datetime | None]
    credentials_reset: Mapped[str | None] = mapped_column(String(40))
    # When it was first activated, kept through a reset (which clears ``activated_at``): an
    # installation where anyone besides the issuer was ever activated is past its first
    # accounts.
    first_activated_at: Mapped[datetime | None]
    # A password an administrator set (at creation or by a reset) is known to them: the
    # owner chooses their own at the next sign-in, before any session opens.
    password_temporary: Mapped[bool] = mapped_column(default=False)
    # The one-time code the second person who activated the account was given for its holder
    # (bcrypt hash): the first sign-in with a temporary password needs it too, so the person
    # who set that password cannot complete the sign-in alone.
    activation_code_hash: Mapped[str | None] = mapped_column(String(72))

    agency: Mapped[Agency] = relationship()
    role: Mapped[Role] = relationship()


class TrainingRecord(Base):
    """Department-approved ALPR training (R03); older than the validity period it lapses."""

    __tablename__ = "training_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    course: Mapped[str] = mapped_column(String(200))
    completed_on: Mapped[date] = mapped_column(Date)
    topics: Mapped[list[Any]] = mapped_column(default=list)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class SignInAttempt(Base):
    """Every sign-in attempt, for the time-windowed lockout (CJIS: 5 in 15 minutes)."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (Index("ix_sign_in_attempts_username_at", "username", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    success: Mapped[bool]
    stage: Mapped[str] = mapped_column(String(20))
    client_addr: Mapped[str | None] = mapped_column(String(64))


class ColleaguePlate(Base):
    """Plates registered to members of the department: searches on them are flagged."""

    __tablename__ = "colleague_plates"

    id: Mapped[int] = mapped_column(primary_key=True)
    plate: Mapped[str] = mapped_column(String(10), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
