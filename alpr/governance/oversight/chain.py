"""Verifying the access log (R22): the chain's hashes and MACs, held against the latest signed
checkpoint; the result of each check is itself recorded."""

from __future__ import annotations

from alpr.governance.access_log import Event, Outcome
from alpr.governance.gateway import Act, Actor, Done, administered_job
from alpr.governance.oversight.checkpoints import Verified, verify_chain
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime


def verify_access_log(rt: Runtime, *, actor: Principal | None = None) -> Verified:
    def run(_who: Actor) -> Done[Verified]:
        with rt.transaction() as session:
            verified = verify_chain(rt, session)
        report = verified.report
        return Done(
            verified,
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
