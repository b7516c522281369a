"""Where a search's query runs: on a read replica close enough behind the primary, or on the
primary. The search and its access record are always written on the primary, in the governed
transaction, and the result is shown only once they are committed there."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from alpr.data.engine import transaction
from alpr.data.replicas import PRIMARY_POSITION, lag_seconds
from alpr.governance.runtime import Runtime

LOG = logging.getLogger("alpr.replicas")
T = TypeVar("T")


def run_query(
    rt: Runtime, primary: Session, run: Callable[[Session], T], *, reads_until: datetime | None
) -> T:
    """Run ``run`` on the first replica lagging no more than the policy allows, or on
    ``primary``. A query whose window ends within that lag of now needs reads a replica may not
    have yet, and one without a window (``reads_until`` None) needs them all: both run on the
    primary. A replica that is unreachable, or fails during the query, is skipped."""
    if not rt.replicas or reads_until is None:
        return run(primary)
    bound = rt.policy(primary).replica_max_lag_seconds
    if reads_until > rt.now() - timedelta(seconds=bound):
        return run(primary)
    position = primary.execute(PRIMARY_POSITION).scalar_one()
    for replica in rt.replicas:
        where = replica.url.render_as_string(hide_password=True)
        try:
            with transaction(replica) as session:
                lag = lag_seconds(session.connection(), primary_position=position)
                if lag is not None and lag <= bound:
                    return run(session)
            LOG.warning("replica %s skipped: %s", where, _behind(lag, bound))
        except OperationalError as exc:
            LOG.warning("replica %s skipped: %s", where, str(exc.orig or exc).splitlines()[0])
    return run(primary)


def _behind(lag: float | None, bound: int) -> str:
    if lag is None:
        return "it is not a standby of the primary"
    return f"{lag:.1f} s behind the primary (the policy allows {bound} s)"
