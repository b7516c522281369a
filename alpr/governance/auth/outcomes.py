"""How every sign-in door ends: the principal with its success record, or the failure record,
in the access log either way (R20, CJIS)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from alpr.data.models import User
from alpr.governance import access_log
from alpr.governance.access_log import Event, Outcome
from alpr.governance.identity import principal_for
from alpr.governance.principal import Principal


def signed_in(
    session: Session, user: User, *, at: datetime, client_addr: str | None, how: str
) -> Principal:
    principal = principal_for(session, user, authenticated_at=at, client_addr=client_addr)
    access_log.append(
        session,
        at=at,
        event=Event.SIGN_IN,
        outcome=Outcome.SUCCESS,
        principal=principal,
        detail=how,
    )
    return principal


def sign_in_failed(
    session: Session, *, at: datetime, username: str, client_addr: str | None, detail: str
) -> None:
    access_log.append(
        session,
        at=at,
        event=Event.SIGN_IN,
        outcome=Outcome.FAILURE,
        username=username,
        client_addr=client_addr,
        detail=detail,
    )
