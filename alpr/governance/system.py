"""Operator actions on the installation: schema upgrades and partition upkeep. Each is
recorded in the access log as a system event."""

from __future__ import annotations

from dataclasses import dataclass

from alpr.data import schema
from alpr.governance import access_log
from alpr.governance.access_log import Event, Outcome
from alpr.governance.actors import operator_name
from alpr.governance.bootstrap import bootstrap
from alpr.governance.runtime import Runtime


@dataclass(frozen=True)
class UpgradeResult:
    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _log_system(rt: Runtime, detail: str) -> None:
    with rt.transaction() as session:
        access_log.append(
            session,
            at=rt.now(),
            event=Event.SYSTEM,
            outcome=Outcome.SUCCESS,
            username=operator_name(),
            detail=detail,
        )


def upgrade_database(rt: Runtime) -> UpgradeResult:
    """Migrate to the newest schema and sync reference data; a no-op when up to date."""
    before, after = schema.upgrade(rt.engine)
    result = UpgradeResult(before, after)
    bootstrap(rt)
    if result.changed:
        _log_system(rt, f"database upgraded from {before or 'empty'} to {after}")
    return result


def downgrade_database(rt: Runtime, revision: str) -> None:
    schema.downgrade(rt.engine, revision)


def schema_revision(rt: Runtime) -> tuple[str | None, str]:
    return schema.current_revision(rt.engine), schema.head_revision()


def maintain_partitions(rt: Runtime, *, back: int, ahead: int) -> list[str]:
    today = rt.now().date()
    created = schema.maintain_partitions(rt.engine, today=today, back=back, ahead=ahead)
    if created:
        _log_system(rt, f"created read partitions: {', '.join(created)}")
    return created
