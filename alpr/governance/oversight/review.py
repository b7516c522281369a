"""The sergeant's review of the access log (R23): filter, open, export, and the misuse flags.
Every view of the log is itself an access record."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from alpr.data.models import AccessRecord
from alpr.governance import access_log
from alpr.governance.access_log import Event, Outcome
from alpr.governance.gateway import authorize
from alpr.governance.oversight.misuse import Flag, misuse_flags
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime

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


def review_log(rt: Runtime, *, principal: Principal, filters: LogFilter) -> list[dict[str, Any]]:
    with rt.transaction() as session:
        authorize(session, rt, principal=principal, permission=Permission.REVIEW_ACCESS_LOG)
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
        access_log.append(
            session,
            at=rt.now(),
            event=Event.ACCESS_LOG_VIEW,
            outcome=Outcome.SUCCESS,
            principal=principal,
            query=filters.as_dict(),
            result_count=len(rows),
            detail="access log review",
        )
        return rows


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
    with rt.transaction() as session:
        authorize(session, rt, principal=principal, permission=Permission.REVIEW_ACCESS_LOG)
        flags = misuse_flags(session, rt.policy(session), start=start, end=end)
        access_log.append(
            session,
            at=rt.now(),
            event=Event.ACCESS_LOG_VIEW,
            outcome=Outcome.SUCCESS,
            principal=principal,
            query={"start": start.isoformat(), "end": end.isoformat()},
            result_count=len(flags),
            detail="misuse flags review",
        )
        return flags


def breach_report(
    rt: Runtime, *, principal: Principal, start: datetime, end: datetime, usernames: list[str]
) -> dict[str, Any]:
    """R51: every record the given accounts accessed in the window, and the plates involved."""
    with rt.transaction() as session:
        authorize(session, rt, principal=principal, permission=Permission.REVIEW_ACCESS_LOG)
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
        access_log.append(
            session,
            at=rt.now(),
            event=Event.ACCESS_LOG_VIEW,
            outcome=Outcome.SUCCESS,
            principal=principal,
            query={"start": start.isoformat(), "end": end.isoformat(), "accounts": usernames},
            result_count=len(records),
            detail="breach response report",
        )
        return {
            "accesses": len(records),
            "plates": plates,
            "read_ids": read_ids,
            "records": [_row(r) for r in records],
        }
