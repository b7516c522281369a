"""Operator acts on the installation: schema upgrades (with the app role's grants and the
agency's keys) and partition upkeep, each an administered act recorded in the access log as a
system event."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import make_url

from alpr.data import schema
from alpr.data.grants import check_app_role, grant_app_role
from alpr.governance.access_log import Event
from alpr.governance.agency_keys import ensure_keys
from alpr.governance.bootstrap import bootstrap
from alpr.governance.errors import InvalidInput
from alpr.governance.gateway import Act, Actor, Done, administered_job
from alpr.governance.installation import mark_production
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime


@dataclass(frozen=True)
class UpgradeResult:
    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def upgrade_database(rt: Runtime, *, actor: Principal | None = None) -> UpgradeResult:
    """Migrate to the newest schema and sync reference data; changes nothing when up to date.
    Under production settings the database records that it is a production database."""

    def run(_who: Actor) -> Done[UpgradeResult]:
        role = app_role(rt)
        if role:  # refused before anything changes
            with rt.engine.connect() as conn:
                check_app_role(conn, role)
        ensure_keys(rt.settings)
        result = UpgradeResult(*schema.upgrade(rt.engine))
        bootstrap(rt)
        if role:
            with rt.engine.begin() as conn:
                grant_app_role(conn, role)
        marked = rt.settings.environment == "production" and mark_production(rt)
        return Done(
            result,
            detail=(
                f"database upgraded from {result.before or 'empty'} to {result.after}"
                if result.changed
                else f"database up to date at {result.after}"
            )
            + (f"; rows granted to {role}" if role else "")
            + ("; recorded as a production database" if marked else ""),
        )

    return administered_job(
        rt, Act(actor, Permission.MAINTAIN_SYSTEM, Event.SYSTEM, "database upgrade"), run
    )


def app_role(rt: Runtime) -> str | None:
    """Postgres with an owner URL: the role the app connects as (granted rows, not ownership)."""
    settings = rt.settings
    if not (rt.is_postgres and settings.owner_database_url):
        return None
    return make_url(settings.resolved_database_url).username


def downgrade_database(rt: Runtime, revision: str) -> None:
    """Migrate down to ``revision`` (``base``: no tables); a revision this release does not
    know, or one not before the database's, is refused before anything changes."""
    known = schema.revisions()
    current = schema.current_revision(rt.engine)
    if revision != "base" and revision not in known:
        raise InvalidInput(
            f"no schema revision {revision!r}: give base or one of {known[0]} to {known[-1]} "
            "(`alpr db status` shows the database's)"
        )
    if current not in known:
        raise InvalidInput(
            f"the database is at {current or 'no revision (empty)'}, which this release cannot "
            "downgrade"
        )
    if revision != "base" and known.index(revision) >= known.index(current):
        raise InvalidInput(f"the database is at {current}: a downgrade goes to an earlier revision")
    schema.downgrade(rt.engine, revision)


def schema_revision(rt: Runtime) -> tuple[str | None, str]:
    return schema.current_revision(rt.engine), schema.head_revision()


def maintain_partitions(
    rt: Runtime, *, back: int, ahead: int, actor: Principal | None = None
) -> list[str]:
    def run(_who: Actor) -> Done[list[str]]:
        created = schema.maintain_partitions(
            rt.engine, today=rt.now().date(), back=back, ahead=ahead
        )
        return Done(
            created,
            detail=f"created read partitions: {', '.join(created)}"
            if created
            else "read partitions present",
        )

    return administered_job(
        rt, Act(actor, Permission.MAINTAIN_SYSTEM, Event.SYSTEM, "partition upkeep"), run
    )
