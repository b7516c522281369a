"""Turning a user row into a principal, and re-checking that the user may still act."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from alpr.data.models import Agency, RolePermission, User
from alpr.governance.errors import Refusal, RefusalKind
from alpr.governance.principal import Principal


def role_permissions(session: Session, user: User) -> frozenset[str]:
    return frozenset(
        session.execute(
            select(RolePermission.permission).where(RolePermission.role_code == user.role_code)
        ).scalars()
    )


def is_locked(user: User) -> bool:
    return user.locked_at is not None and (
        user.unlocked_at is None or user.unlocked_at < user.locked_at
    )


def require_active(user: User | None) -> User:
    if user is None:
        raise Refusal(RefusalKind.SIGN_IN, "This account does not exist.")
    if user.disabled_at is not None:
        raise Refusal(RefusalKind.SIGN_IN, "This account is disabled; ask the ALPR Administrator.")
    if is_locked(user):
        raise Refusal(
            RefusalKind.SIGN_IN,
            "This account is locked after repeated failed sign-ins; only an ALPR Administrator "
            "can unlock it.",
        )
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
