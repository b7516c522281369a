"""Whether this database is a production database: recorded in it at set-up (``alpr db
upgrade`` with ``ALPR_ENVIRONMENT=production``), so that the production rules of the policy
(MFA for every account) hold whatever the environment of a later command says, and a command or
page that calls itself a local demo is refused against it."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from alpr.data.models import Installation
from alpr.governance.errors import InvalidInput
from alpr.governance.runtime import Runtime

PRODUCTION = "production"


def _marked(session: Session) -> bool:
    return session.execute(select(Installation.id)).first() is not None


def environment(session: Session, rt: Runtime) -> Literal["local", "production"]:
    """The environment whose rules hold: production if the database says so, whatever the
    deployment settings say."""
    return "production" if _marked(session) else rt.settings.environment


def refuse_local_settings(rt: Runtime) -> None:
    """Refuse to run with local-only settings against a production database."""
    if rt.settings.environment == PRODUCTION or not inspect(rt.engine).has_table("installation"):
        return
    with rt.transaction() as session:
        if _marked(session):
            raise InvalidInput(
                "this is a production database: ALPR_ENVIRONMENT="
                f"{rt.settings.environment} is refused against it (local-only settings do not "
                "apply to production data)"
            )


def mark_production(rt: Runtime) -> bool:
    """Record that this database is a production database (once); True when it was marked now.
    A stored policy that production refuses (MFA off) must be corrected first."""
    with rt.transaction() as session:
        if _marked(session):
            return False
        if not rt.policy(session).require_mfa:
            raise InvalidInput(
                "the stored policy turns MFA off, which production refuses: run `alpr policy "
                "set require_mfa true` before setting this database up for production"
            )
        session.add(Installation(id=1, environment=PRODUCTION, recorded_at=rt.now()))
        return True
