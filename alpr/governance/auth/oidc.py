"""Agency single sign-on (OpenID Connect through Streamlit's ``st.login``): the identity
provider proves who the person is; their role and training come from this database."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import or_, select

from alpr.data.models import User
from alpr.governance import access_log
from alpr.governance.access_log import Event, Outcome
from alpr.governance.errors import Refusal, RefusalKind
from alpr.governance.identity import principal_for, require_active
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime


def sign_in_sso(
    rt: Runtime, *, claims: Mapping[str, Any], client_addr: str | None = None
) -> Principal:
    subject = str(claims.get("sub") or "")
    login = str(claims.get("preferred_username") or claims.get("email") or "").lower()
    now = rt.now()
    with rt.transaction() as session:
        user = (
            session.execute(
                select(User).where(
                    or_(User.oidc_subject == subject, User.username == login.split("@")[0])
                )
            )
            .scalars()
            .first()
        )
        if not subject or user is None or (user.oidc_subject not in (None, subject)):
            access_log.append(
                session,
                at=now,
                event=Event.SIGN_IN,
                outcome=Outcome.FAILURE,
                username=login or subject or "unknown",
                client_addr=client_addr,
                detail="single sign-on identity has no ALPR account",
            )
        else:
            require_active(user)
            user.oidc_subject = subject
            principal = principal_for(session, user, authenticated_at=now, client_addr=client_addr)
            access_log.append(
                session,
                at=now,
                event=Event.SIGN_IN,
                outcome=Outcome.SUCCESS,
                principal=principal,
                detail="agency single sign-on",
            )
            return principal
    raise Refusal(
        RefusalKind.SIGN_IN,
        "Your agency sign-on worked, but no ALPR account is linked to it. Ask the ALPR "
        "Administrator to create one.",
    )
