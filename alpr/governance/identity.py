"""Turning a user row into a principal, and re-checking that the user may still act."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Protocol, TypeVar

from sqlalchemy import String, bindparam, cast, func, select
from sqlalchemy.orm import Session

from alpr.data.models import (
    Agency,
    PolicySetting,
    RoleCode,
    RolePermission,
    TrainingRecord,
    User,
)
from alpr.governance.errors import Refusal, RefusalKind
from alpr.governance.permissions import TRAINER_PERMISSIONS
from alpr.governance.principal import Principal


def _personal(is_trainer: bool) -> frozenset[str]:
    """What an account holds beyond its role: a designated trainer records training (R05)."""
    return frozenset(p.value for p in TRAINER_PERMISSIONS) if is_trainer else frozenset()


def role_permissions(session: Session, user: User) -> frozenset[str]:
    """The permissions of the user's role, and those the account holds itself."""
    return _personal(user.is_trainer) | frozenset(
        session.execute(
            select(RolePermission.permission).where(RolePermission.role_code == user.role_code)
        ).scalars()
    )


class Account(Protocol):
    @property
    def activated_at(self) -> datetime | None: ...
    @property
    def disabled_at(self) -> datetime | None: ...
    @property
    def locked_at(self) -> datetime | None: ...
    @property
    def unlocked_at(self) -> datetime | None: ...


A = TypeVar("A", bound=Account)


def is_locked(user: Account) -> bool:
    return user.locked_at is not None and (
        user.unlocked_at is None or user.unlocked_at < user.locked_at
    )


def inactive(user: Account) -> Refusal | None:
    """Why this account may not act now (not activated yet, disabled or locked), or None."""
    if user.activated_at is None:
        return Refusal(
            RefusalKind.SIGN_IN,
            "This account awaits activation: a second person (another ALPR Administrator or "
            "a member of command staff) activates a new account, and one whose password or "
            "second factor was reset, before it is used.",
        )
    if user.disabled_at is not None:
        return Refusal(RefusalKind.SIGN_IN, "This account is disabled; ask the ALPR Administrator.")
    if is_locked(user):
        return Refusal(
            RefusalKind.SIGN_IN,
            "This account is locked after repeated failed sign-ins; only an ALPR Administrator "
            "can unlock it.",
        )
    return None


def require_active(user: A | None) -> A:
    if user is None:
        raise Refusal(RefusalKind.SIGN_IN, "This account does not exist.")
    refusal = inactive(user)
    if refusal is not None:
        raise refusal
    return user


def principal_for(
    session: Session, user: User, *, authenticated_at: datetime, client_addr: str | None
) -> Principal:
    agency = session.get(Agency, user.agency_id)
    return Principal(
        user_id=user.id,
        username=user.username,
        full_name=user.full_name,
        agency_name=agency.name if agency else "",
        role=user.role_code,
        permissions=role_permissions(session, user),
        is_contractor=user.is_contractor,
        authenticated_at=authenticated_at,
        client_addr=client_addr,
    )


@dataclass(frozen=True)
class Standing:
    """What every governed access re-checks about a user, read in one statement: the account
    state, the permissions (the role's and the account's own), the training dates and the
    agency policy overrides."""

    activated_at: datetime | None
    disabled_at: datetime | None
    locked_at: datetime | None
    unlocked_at: datetime | None
    role_code: RoleCode
    permissions: frozenset[str]
    training_dates: tuple[date, ...]
    policy_overrides: dict[str, Any]


def _policy_object(dialect: str) -> Any:
    """The recorded values as one JSON object of their JSON texts (``PolicySetting.decoded``
    reads them): a value written straight into the table that is no JSON to the database's
    own functions (NaN, Infinity on SQLite) or too large for a float never fails the
    statement, and with it every governed access."""
    aggregate = func.json_object_agg if dialect == "postgresql" else func.json_group_object
    return aggregate(PolicySetting.key, PolicySetting.value_text())


@lru_cache(maxsize=4)
def _standing_statement(dialect: str) -> Any:
    """Built once per dialect: every governed access runs it."""
    permissions = (
        select(func.aggregate_strings(RolePermission.permission, ","))
        .where(RolePermission.role_code == User.role_code)
        .scalar_subquery()
    )
    training = (
        select(func.aggregate_strings(cast(TrainingRecord.completed_on, String), ","))
        .where(TrainingRecord.user_id == User.id)
        .scalar_subquery()
    )
    policy = select(_policy_object(dialect)).scalar_subquery()
    return select(
        User.activated_at,
        User.disabled_at,
        User.locked_at,
        User.unlocked_at,
        User.role_code,
        User.is_trainer,
        permissions,
        training,
        policy,
    ).where(User.id == bindparam("user_id"))


def standing_of(session: Session, user_id: int) -> Standing | None:
    statement = _standing_statement(session.get_bind().dialect.name)
    row = session.execute(statement, {"user_id": user_id}).one_or_none()
    if row is None:
        return None
    (activated_at, disabled_at, locked_at, unlocked_at, role_code, is_trainer, granted, trained,
     overrides) = row  # fmt: skip
    if isinstance(overrides, str):
        overrides = json.loads(overrides)
    texts: dict[str, str | None] = overrides or {}
    return Standing(
        activated_at,
        disabled_at,
        locked_at,
        unlocked_at,
        role_code,
        _personal(is_trainer) | (frozenset(granted.split(",")) if granted else frozenset()),
        tuple(sorted(date.fromisoformat(d) for d in trained.split(","))) if trained else (),
        PolicySetting.decoded(texts),
    )
