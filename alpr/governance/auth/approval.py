"""A sergeant's approval of a search (or a legal hold) beyond the policy's bounds, given on the
spot where it is made, on the dashboard or the command line: the sergeant signs in with their
own password and authenticator code (a wrong one is their failed sign-in, counted towards their
lockout); the gateway then decides whether they may approve this one (never the person running
it, only a role that approves, never a breadth no approval allows) and records who did and why
(R04, R20, R21)."""

from __future__ import annotations

from dataclasses import dataclass

from alpr.governance.auth.local import sign_in
from alpr.governance.errors import Refusal, RefusalKind
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime

NOT_GIVEN = "The sergeant's approval was not given"


@dataclass(frozen=True)
class ApprovalInput:
    """The sergeant's username, password and code, and their note saying why."""

    username: str
    password: str
    code: str | None
    note: str | None


def approval_of(
    rt: Runtime, given: ApprovalInput | None, *, client_addr: str | None
) -> tuple[Principal | None, str | None]:
    """The approving sergeant, signed in, and their note; (None, None) when no approval was
    given. A sign-in that fails is refused saying it was the approval's."""
    if given is None:
        return None, None
    code = (given.code or "").strip() or None
    if code is None:
        with rt.transaction() as session:
            needs_code = rt.policy(session).require_mfa
        if needs_code:
            raise Refusal(RefusalKind.SIGN_IN, f"{NOT_GIVEN}: their authenticator code is needed.")
    try:
        approver = sign_in(
            rt,
            username=given.username,
            password=given.password,
            code=code,
            client_addr=client_addr,
        )
    except Refusal as refusal:
        raise Refusal(refusal.kind, f"{NOT_GIVEN}: {refusal.message}") from None
    return approver, given.note
