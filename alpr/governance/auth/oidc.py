"""Agency single sign-on (OpenID Connect through Streamlit's ``st.login``): the identity
provider proves who the person is; their role and training come from this database."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from alpr.data.models import User
from alpr.governance.auth.outcomes import sign_in_failed, signed_in
from alpr.governance.errors import Refusal, RefusalKind
from alpr.governance.identity import inactive
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime


def _agency_username(claims: Mapping[str, Any], domains: tuple[str, ...]) -> str | None:
    """The username a first sign-on may link to: the local part of a verified e-mail address
    in one of the agency's domains; None for anything else."""
    email = str(claims.get("email") or "").strip().lower()
    local, _, domain = email.rpartition("@")
    if claims.get("email_verified") is not True or not local:
        return None
    return local if domain in {d.strip().lower() for d in domains} else None


def sign_in_sso(
    rt: Runtime, *, claims: Mapping[str, Any], client_addr: str | None = None
) -> Principal:
    """The ALPR account of the identity the provider vouched for: the account bound to its OIDC
    subject, or at the first sign-in the unbound account whose username is the part before
    ``@`` of the identity's e-mail address, which the subject is then bound to. Only an address
    the provider says it verified, in one of the agency's domains (``ALPR_SSO_EMAIL_DOMAINS``),
    links an account: a display name (``preferred_username``) or an address anyone could give
    their identity elsewhere would let a stranger claim a detective's account. Refused, and the
    attempt logged, when no account matches (an account bound to another subject never does)
    or the account is disabled or locked."""
    subject = str(claims.get("sub") or "")
    login = str(claims.get("email") or claims.get("preferred_username") or "").lower()
    now = rt.now()
    refusal = Refusal(
        RefusalKind.SIGN_IN,
        "Your agency sign-on worked, but no ALPR account is linked to it. Ask the ALPR "
        "Administrator to create one.",
    )
    with rt.transaction() as session:
        user = None
        if subject:
            bound = select(User).where(User.oidc_subject == subject)
            user = session.execute(bound).scalar_one_or_none()
            linkable = _agency_username(claims, rt.settings.sso_email_domains)
            if user is None and linkable is not None:
                unbound = select(User).where(User.username == linkable, User.oidc_subject.is_(None))
                user = session.execute(unbound).scalar_one_or_none()
        if user is not None:
            blocked = inactive(user)
            if blocked is None:
                user.oidc_subject = subject
                return signed_in(
                    session, user, at=now, client_addr=client_addr, how="agency single sign-on"
                )
            refusal = blocked
        sign_in_failed(
            session,
            at=now,
            username=login or subject or "unknown",
            client_addr=client_addr,
            detail=f"single sign-on refused: {refusal.message}",
        )
    raise refusal
