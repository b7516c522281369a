"""Who performs an administrative action: a signed-in administrator, or the operator of the
server's command line (shell access to the server is itself the privilege)."""

from __future__ import annotations

import getpass

from sqlalchemy.orm import Session

from alpr.governance.gateway import authorize
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime


def operator_name() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def check_actor(
    session: Session, rt: Runtime, actor: Principal | None, permission: Permission
) -> tuple[Principal | None, str]:
    """Authorize a signed-in actor (or accept the server operator); returns who to log."""
    if actor is None:
        return None, operator_name()
    authorize(session, rt, principal=actor, permission=permission)
    return actor, actor.username
