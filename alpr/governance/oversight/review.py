"""The sergeant's review of the access log (R23): filter, open, export, and the misuse flags.
Every view of the log is itself an access record."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from alpr.data.models import AccessRecord
from alpr.governance.access_log import Event
from alpr.governance.gateway import Act, Actor, Done, administered
from alpr.governance.oversight.misuse import Flag, misuse_flags
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime

T = TypeVar("T")

FIELDS = (
    "id",
    "at",
    "event",
    "outcome",
    "username",
    "agency_name",
    "purpose",
    "case_number",
    "description",
    "exigent",
    "plates",
    "query",
    "result_count",
    "client_addr",
    "detail",
)


@dataclass(frozen=True)
class LogFilter:
    start: datetime
    end: datetime
    username: str | None = None
    purpose: str | None = None
    case_number: str | None = None
    plate: str | None = None
    kind: str | None = None
    exported_only: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in self.__dict__.items()
        }


def _row(record: AccessRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in FIELDS}


def _review(
    rt: Runtime, principal: Principal, summary: str, run: Callable[[Session, Actor], Done[T]]
) -> T:
    return administered(
        rt, Act(principal, Permission.REVIEW_ACCESS_LOG, Event.ACCESS_LOG_VIEW, summary), run
    )


def review_log(rt: Runtime, *, principal: Principal, filters: LogFilter) -> list[dict[str, Any]]:
    def run(session: Session, _who: Actor) -> Done[list[dict[str, Any]]]:
        query = select(AccessRecord).where(
            AccessRecord.at >= filters.start, AccessRecord.at <= filters.end
        )
        if filters.username:
            query = query.where(AccessRecord.username == filters.username.lower())
        if filters.purpose:
            query = query.where(AccessRecord.purpose == filters.purpose)
        if filters.case_number:
            query = query.where(AccessRecord.case_number == filters.case_number.upper())
        if filters.exported_only:
            query = query.where(AccessRecord.event == "export")
        records = list(
            session.execute(query.order_by(AccessRecord.id.desc()).limit(5000)).scalars()
        )
        if filters.kind:
            records = [r for r in records if (r.query or {}).get("kind") == filters.kind]
        if filters.plate:
            wanted = filters.plate.upper()
            records = [r for r in records if wanted in (r.plates or [])]
        rows = [_row(r) for r in records]
        return Done(rows, query=filters.as_dict(), result_count=len(rows))

    return _review(rt, principal, "access log review", run)


def log_csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS)
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in row.items()}
        )
    return buffer.getvalue().encode()


def flags_for(rt: Runtime, *, principal: Principal, start: datetime, end: datetime) -> list[Flag]:
    def run(session: Session, _who: Actor) -> Done[list[Flag]]:
        flags = misuse_flags(session, rt.policy(session), tz=rt.settings.tz, start=start, end=end)
        return Done(
            flags,
            query={"start": start.isoformat(), "end": end.isoformat()},
            result_count=len(flags),
        )

    return _review(rt, principal, "misuse flags review", run)


def breach_report(
    rt: Runtime, *, principal: Principal, start: datetime, end: datetime, usernames: list[str]
) -> dict[str, Any]:
    """R51: every record the given accounts accessed in the window, and the plates involved."""

    def run(session: Session, _who: Actor) -> Done[dict[str, Any]]:
        records = list(
            session.execute(
                select(AccessRecord).where(
                    AccessRecord.at >= start,
                    AccessRecord.at <= end,
                    AccessRecord.username.in_([u.lower() for u in usernames]),
                    AccessRecord.outcome == "allowed",
                )
            ).scalars()
        )
        plates = sorted({p for r in records for p in (r.plates or [])})
        read_ids = sorted({i for r in records for i in (r.result_ids or [])})
        return Done(
            {
                "accesses": len(records),
                "plates": plates,
                "read_ids": read_ids,
                "records": [_row(r) for r in records],
            },
            query={"start": start.isoformat(), "end": end.isoformat(), "accounts": usernames},
            result_count=len(records),
        )

    return _review(rt, principal, "breach response report", run)
