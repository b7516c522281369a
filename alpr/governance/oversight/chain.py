"""Verifying the access log (R22): the result of the last check is itself recorded."""

from __future__ import annotations

from alpr.governance import access_log
from alpr.governance.access_log import ChainReport, Event, Outcome
from alpr.governance.actors import operator_name
from alpr.governance.runtime import Runtime


def verify_access_log(rt: Runtime, *, verified_by: str | None = None) -> ChainReport:
    with rt.transaction() as session:
        report = access_log.verify(session)
    with rt.transaction() as session:
        access_log.append(
            session,
            at=rt.now(),
            event=Event.ACCESS_LOG_VIEW,
            outcome=Outcome.SUCCESS if report.ok else Outcome.FAILURE,
            username=verified_by or operator_name(),
            detail=f"chain verification: {report.checked} records ok"
            if report.ok
            else f"chain verification failed: {report.problem}",
        )
    return report
