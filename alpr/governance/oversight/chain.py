"""Verifying the access log (R22): the result of each check is itself recorded."""

from __future__ import annotations

from alpr.governance import access_log
from alpr.governance.access_log import ChainReport, Event, Outcome
from alpr.governance.gateway import Act, Actor, Done, administered_job
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime


def verify_access_log(rt: Runtime, *, actor: Principal | None = None) -> ChainReport:
    def run(_who: Actor) -> Done[ChainReport]:
        with rt.transaction() as session:
            report = access_log.verify(session)
        return Done(
            report,
            outcome=Outcome.SUCCESS if report.ok else Outcome.FAILURE,
            detail=f"chain verification: {report.checked} records ok"
            if report.ok
            else f"chain verification failed: {report.problem}",
        )

    return administered_job(
        rt,
        Act(actor, Permission.REVIEW_ACCESS_LOG, Event.ACCESS_LOG_VIEW, "access log verification"),
        run,
    )
