"""The sergeant's review of the access log (R23): searches and other acts apart, filtered by the
database a page at a time; a summary per user for the period; the misuse flags kept on the
records they concern, each with the supervisor's finding; one record opened in full; records
marked reviewed; the breach report (R51); the rows shown exported as a file. Every look at
the log is itself an access record, and every file of its rows an export record (R20)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from alpr.data.dialect import insert_ignoring_duplicates, json_array_has
from alpr.data.models import (
    AccessRecord,
    AccessRecordReview,
    FlagDisposition,
    FlagFinding,
    MisuseFlag,
    User,
)
from alpr.governance.access_log import Event, Outcome
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import Act, Actor, Done, administered
from alpr.governance.oversight.describe import (
    EVENT_LABELS,
    FLAG_LABELS,
    OUTCOME_LABELS,
    FlagView,
    parameters,
    patterns_only,
    plates_only,
    purpose_label,
    reason,
    searched_for,
    what,
)
from alpr.governance.oversight.exports import ExportedFile, csv_bytes
from alpr.governance.oversight.misuse import misuse_flags
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime

T = TypeVar("T")

PAGE_SIZE = 50
DATA_EVENTS = (Event.SEARCH.value, Event.VIEW_READ.value, Event.EXPORT.value)

DISPOSITION_LABELS: dict[FlagDisposition, str] = {
    FlagDisposition.JUSTIFIED: "Justified",
    FlagDisposition.NEEDS_FOLLOW_UP: "Needs follow-up",
    FlagDisposition.MISUSE_REFERRED: "Misuse referred",
}


class LogView(StrEnum):
    SEARCHES = "searches"  # searches, reads opened, exports
    OTHER = "other"  # sign-ins, lockouts, administrative acts, views of the log


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
    view: LogView = LogView.SEARCHES

    def as_dict(self) -> dict[str, Any]:
        return {
            k: (v.isoformat() if isinstance(v, datetime) else v)
            for k, v in self.__dict__.items()
            if v not in (None, False, "")
        }

    def describe(self, tz: tzinfo) -> str:
        start, end = self.start.astimezone(tz), self.end.astimezone(tz)
        words = [
            "searches, reads opened and exports"
            if self.view is LogView.SEARCHES
            else "sign-ins and other acts",
            f"{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M}",
        ]
        words += [
            f"{label} {value}"
            for label, value in (
                ("user", self.username),
                ("purpose", purpose_label(self.purpose) if self.purpose else None),
                ("case", self.case_number),
                ("plate", self.plate),
                ("search", self.kind),
            )
            if value
        ]
        if self.exported_only:
            words.append("exports only")
        return "; ".join(words)


@dataclass(frozen=True)
class LogRow:
    """One access record as a reviewer reads it."""

    id: int
    at: datetime
    username: str
    full_name: str  # the account's holder, or the username when no account has it
    event: str
    what: str
    outcome: str
    purpose: str
    reason: str
    exigent: bool
    searched_for: str
    results: int | None
    detail: str
    client_addr: str
    flags: list[FlagView] = field(default_factory=list)
    reviewed_by: list[str] = field(default_factory=list)

    @property
    def open_flags(self) -> int:
        return sum(f.disposition is None for f in self.flags)


@dataclass(frozen=True)
class LogPage:
    rows: list[LogRow]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class UserSummary:
    """One person's accesses to ALPR data in the period, as the records view lists them."""

    username: str
    full_name: str
    searches: int  # allowed
    looks: int  # other looks allowed: alert monitoring, reads opened or corrected, watches
    exports: int  # allowed
    refused: int  # attempts of every kind: searches, other looks and exports
    purposes: str  # the purposes of the accesses allowed, each with how many gave it
    flags: int
    open_flags: int
    exigent: int  # exigent searches allowed


@dataclass(frozen=True)
class RecordDetail:
    row: LogRow
    agency: str
    description: str
    case_number: str
    approved_by: str
    parameters: list[tuple[str, str]]
    plates: list[str]
    patterns: list[str]
    read_count: int


@dataclass(frozen=True)
class Marked:
    marked: int
    already: int
    own: int


@dataclass(frozen=True)
class BreachReport:
    accesses: int
    plates: list[str]
    patterns: list[str]
    read_ids: list[int]
    record_ids: list[int]


def _review(
    rt: Runtime,
    principal: Principal,
    summary: str,
    run: Callable[[Session, Actor], Done[T]],
    event: Event = Event.ACCESS_LOG_VIEW,
) -> T:
    return administered(rt, Act(principal, Permission.REVIEW_ACCESS_LOG, event, summary), run)


def raise_flags(session: Session, rt: Runtime, *, start: datetime, end: datetime) -> int:
    """Keep the misuse flags of the period's searches (those not kept already); how many new."""
    found = misuse_flags(session, rt.policy(session), tz=rt.settings.tz, start=start, end=end)
    now = rt.now()
    rows = list(
        {
            (f.record_id, f.code): {
                "access_record_id": f.record_id,
                "code": f.code,
                "explanation": f.explanation,
                "raised_at": now,
            }
            for f in found
        }.values()
    )
    return len(insert_ignoring_duplicates(session.connection(), MisuseFlag, rows))


def _flags_of(session: Session, record_ids: Sequence[int]) -> dict[int, list[FlagView]]:
    latest = (
        select(FlagFinding.flag_id, func.max(FlagFinding.id).label("finding_id"))
        .group_by(FlagFinding.flag_id)
        .subquery()
    )
    rows = session.execute(
        select(MisuseFlag, FlagFinding, User.full_name)
        .outerjoin(latest, latest.c.flag_id == MisuseFlag.id)
        .outerjoin(FlagFinding, FlagFinding.id == latest.c.finding_id)
        .outerjoin(User, User.id == FlagFinding.found_by_id)
        .where(MisuseFlag.access_record_id.in_(record_ids))
        .order_by(MisuseFlag.id)
    ).all()
    found: dict[int, list[FlagView]] = defaultdict(list)
    for flag, finding, name in rows:
        found[flag.access_record_id].append(
            FlagView(
                id=flag.id,
                code=flag.code,
                label=FLAG_LABELS.get(flag.code, flag.code),
                explanation=flag.explanation,
                disposition=finding.disposition if finding else None,
                disposition_label=DISPOSITION_LABELS[finding.disposition] if finding else "Open",
                note=finding.note if finding else "",
                found_by=name or "",
            )
        )
    return found


def _reviewers_of(session: Session, record_ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for record_id, name in session.execute(
        select(AccessRecordReview.access_record_id, User.full_name)
        .join(User, User.id == AccessRecordReview.reviewer_id)
        .where(AccessRecordReview.access_record_id.in_(record_ids))
        .order_by(AccessRecordReview.id)
    ):
        found[record_id].append(name)
    return found


def _rows(session: Session, records: Iterable[AccessRecord], tz: tzinfo) -> list[LogRow]:
    records = list(records)
    ids = [r.id for r in records]
    flags = _flags_of(session, ids)
    reviewers = _reviewers_of(session, ids)
    names = dict(
        session.execute(
            select(User.username, User.full_name).where(
                User.username.in_({r.username for r in records})
            )
        )
        .tuples()
        .all()
    )
    return [
        LogRow(
            id=r.id,
            at=r.at,
            username=r.username,
            full_name=names.get(r.username, r.username),
            event=EVENT_LABELS.get(r.event, r.event),
            what=what(r),
            outcome=OUTCOME_LABELS.get(r.outcome, r.outcome),
            purpose=purpose_label(r.purpose),
            reason=reason(r),
            exigent=r.exigent,
            searched_for=searched_for(r, tz),
            results=r.result_count,
            detail=r.detail or "",
            client_addr=r.client_addr or "",
            flags=flags.get(r.id, []),
            reviewed_by=reviewers.get(r.id, []),
        )
        for r in records
    ]


def _conditions(filters: LogFilter, *, postgres: bool) -> list[ColumnElement[bool]]:
    """The filter as a WHERE clause: every condition is worked out by the database, before any
    paging, so a filter finds its records however old they are within the window."""
    wanted = [AccessRecord.at >= filters.start, AccessRecord.at <= filters.end]
    data = AccessRecord.event.in_(DATA_EVENTS)
    wanted.append(data if filters.view is LogView.SEARCHES else ~data)
    if filters.username:
        wanted.append(AccessRecord.username == filters.username.strip().lower())
    if filters.purpose:
        wanted.append(AccessRecord.purpose == filters.purpose)
    if filters.case_number:
        wanted.append(AccessRecord.case_number == filters.case_number.strip().upper())
    if filters.exported_only:
        wanted.append(AccessRecord.event == Event.EXPORT.value)
    if filters.kind:
        wanted.append(AccessRecord.query["kind"].as_string() == filters.kind)
    if filters.plate:
        plate = filters.plate.strip().upper()
        wanted.append(json_array_has(AccessRecord.plates, plate, postgres=postgres))
    return wanted


def review_log(rt: Runtime, *, principal: Principal, filters: LogFilter, page: int = 1) -> LogPage:
    """One page of the records the filter finds, newest first, with their flags (those of the
    period's searches are raised and kept first) and who reviewed them."""
    if filters.end < filters.start:
        raise InvalidInput("the period ends before it starts")

    def run(session: Session, _who: Actor) -> Done[LogPage]:
        raised = (
            raise_flags(session, rt, start=filters.start, end=filters.end)
            if filters.view is LogView.SEARCHES
            else 0
        )
        where = _conditions(filters, postgres=rt.is_postgres)
        total = int(session.execute(select(func.count(AccessRecord.id)).where(*where)).scalar_one())
        pages = max(1, -(-total // PAGE_SIZE))
        number = min(max(1, page), pages)
        records = session.execute(
            select(AccessRecord)
            .where(*where)
            .order_by(AccessRecord.id.desc())
            .offset((number - 1) * PAGE_SIZE)
            .limit(PAGE_SIZE)
        ).scalars()
        rows = _rows(session, records, rt.settings.tz)
        return Done(
            LogPage(rows, total, number, pages),
            query={**filters.as_dict(), "page": number},
            result_count=len(rows),
            detail=f"access log review: page {number} of {pages}, {total} records"
            + (f"; {raised} new misuse flags kept" if raised else ""),
        )

    return _review(rt, principal, "access log review", run)


def records_by_id(rt: Runtime, *, principal: Principal, record_ids: Sequence[int]) -> list[LogRow]:
    """The records named, in the order given (the rows a reviewer was shown)."""

    def run(session: Session, _who: Actor) -> Done[list[LogRow]]:
        records = {
            r.id: r
            for r in session.execute(
                select(AccessRecord).where(AccessRecord.id.in_(record_ids))
            ).scalars()
        }
        rows = _rows(session, [records[i] for i in record_ids if i in records], rt.settings.tz)
        return Done(rows, query={"record_ids": list(record_ids)}, result_count=len(rows))

    return _review(rt, principal, "access log records for a report", run)


def user_summary(
    rt: Runtime,
    *,
    principal: Principal,
    start: datetime,
    end: datetime,
    username: str | None = None,
) -> list[UserSummary]:
    """Per person who accessed ALPR data in the period (or only the one named), counting the
    records the searches view lists: searches, other looks at data (alert monitoring, reads
    opened) and exports allowed, attempts of any of them refused, the purposes of those
    allowed, misuse flags (and those without a finding) and exigent searches; those with the
    most flags without a finding first, then the most refusals."""

    person = username.strip().lower() if username else None

    def run(session: Session, _who: Actor) -> Done[list[UserSummary]]:
        raise_flags(session, rt, start=start, end=end)
        window = and_(AccessRecord.at >= start, AccessRecord.at <= end)
        if person:
            window = and_(window, AccessRecord.username == person)
        data = AccessRecord.event.in_(DATA_EVENTS)
        allowed = AccessRecord.outcome == Outcome.ALLOWED.value
        refused = AccessRecord.outcome == Outcome.REFUSED.value

        def counting(condition: ColumnElement[bool]) -> ColumnElement[int]:
            return func.sum(case((condition, 1), else_=0))

        def allowed_as(event: Event) -> ColumnElement[int]:
            return counting(and_(allowed, AccessRecord.event == event.value))

        totals = session.execute(
            select(
                AccessRecord.username,
                allowed_as(Event.SEARCH),
                allowed_as(Event.VIEW_READ),
                allowed_as(Event.EXPORT),
                counting(refused),
                counting(
                    and_(
                        allowed,
                        AccessRecord.event == Event.SEARCH.value,
                        AccessRecord.exigent.is_(True),
                    )
                ),
            )
            .where(window, data)
            .group_by(AccessRecord.username)
        ).all()
        purposes: dict[str, list[str]] = defaultdict(list)
        for name, purpose, count in session.execute(
            select(AccessRecord.username, AccessRecord.purpose, func.count())
            .where(window, data, allowed, AccessRecord.purpose.is_not(None))
            .group_by(AccessRecord.username, AccessRecord.purpose)
            .order_by(func.count().desc(), AccessRecord.purpose)
        ):
            purposes[name].append(f"{purpose_label(purpose)} ({count})")
        has_finding = select(FlagFinding.id).where(FlagFinding.flag_id == MisuseFlag.id).exists()
        flags = {
            name: (int(n), int(open_))
            for name, n, open_ in session.execute(
                select(AccessRecord.username, func.count(MisuseFlag.id), counting(~has_finding))
                .join(AccessRecord, AccessRecord.id == MisuseFlag.access_record_id)
                .where(window)
                .group_by(AccessRecord.username)
            )
        }
        names = {u: n for u, n in session.execute(select(User.username, User.full_name))}
        summaries = [
            UserSummary(
                username=name,
                full_name=names.get(name, name),
                searches=int(searches or 0),
                looks=int(looks or 0),
                exports=int(exports or 0),
                refused=int(attempts or 0),
                purposes=", ".join(purposes.get(name, [])),
                flags=flags.get(name, (0, 0))[0],
                open_flags=flags.get(name, (0, 0))[1],
                exigent=int(exigent or 0),
            )
            for name, searches, looks, exports, attempts, exigent in totals
        ]
        summaries.sort(
            key=lambda s: (
                -s.open_flags,
                -s.flags,
                -s.refused,
                -(s.searches + s.looks + s.exports),
                s.username,
            )
        )
        return Done(
            summaries,
            query={
                "start": start.isoformat(),
                "end": end.isoformat(),
                "summary": "per user",
                "username": person,
            },
            result_count=len(summaries),
        )

    return _review(rt, principal, "access log summary per user", run)


def open_record(rt: Runtime, *, principal: Principal, record_id: int) -> RecordDetail:
    """One access record in full: the justification, the parameters in words, what it
    returned, its flags and who reviewed it."""

    def run(session: Session, _who: Actor) -> Done[RecordDetail]:
        record = session.get(AccessRecord, record_id)
        if record is None:
            raise InvalidInput(f"no access record {record_id}")
        (row,) = _rows(session, [record], rt.settings.tz)
        query = dict(record.query or {})
        return Done(
            RecordDetail(
                row=row,
                agency=record.agency_name or "",
                description=record.description or "",
                case_number=record.case_number or "",
                approved_by=str(query.get("approved_by") or ""),
                parameters=parameters(query, rt.settings.tz),
                plates=plates_only(record.plates),
                patterns=patterns_only(record.plates),
                read_count=record.result_count or 0,
            ),
            query={"record_id": record_id},
            result_count=1,
        )

    return _review(rt, principal, f"access record {record_id} opened", run)


def _own(session: Session, principal: Principal, record_ids: Sequence[int]) -> set[int]:
    return set(
        session.execute(
            select(AccessRecord.id).where(
                AccessRecord.id.in_(record_ids), AccessRecord.user_id == principal.user_id
            )
        ).scalars()
    )


def record_finding(
    rt: Runtime,
    *,
    principal: Principal,
    flag_id: int,
    disposition: FlagDisposition,
    note: str,
) -> None:
    """The supervisor's finding on a misuse flag, with a note; never on one's own record."""
    if not note.strip():
        raise InvalidInput("say what the review of the flag found")

    def run(session: Session, _who: Actor) -> Done[None]:
        flag = session.get(MisuseFlag, flag_id)
        if flag is None:
            raise InvalidInput(f"no misuse flag {flag_id}")
        if _own(session, principal, [flag.access_record_id]):
            raise Refusal(
                RefusalKind.RULE,
                "A flag on your own record is reviewed by another supervisor.",
            )
        session.add(
            FlagFinding(
                flag_id=flag_id,
                disposition=disposition,
                note=note.strip(),
                found_by_id=principal.user_id,
                found_at=rt.now(),
            )
        )
        return Done(
            None,
            detail=f"flag {flag_id} ({FLAG_LABELS.get(flag.code, flag.code)}) on record "
            f"{flag.access_record_id}: {DISPOSITION_LABELS[disposition]}: {note.strip()}",
        )

    _review(rt, principal, f"finding on misuse flag {flag_id}", run, Event.AUDIT)


def mark_reviewed(rt: Runtime, *, principal: Principal, record_ids: Sequence[int]) -> Marked:
    """Record that this supervisor reviewed these records; one's own records are left for
    another supervisor, and a record marked before by the same person stays as it was."""
    if not record_ids:
        raise InvalidInput("no records to mark reviewed")

    def run(session: Session, _who: Actor) -> Done[Marked]:
        known = set(
            session.execute(
                select(AccessRecord.id).where(AccessRecord.id.in_(record_ids))
            ).scalars()
        )
        if missing := sorted(set(record_ids) - known):
            raise InvalidInput(f"no access record {missing[0]}")
        own = _own(session, principal, record_ids)
        wanted = sorted(known - own)
        inserted = insert_ignoring_duplicates(
            session.connection(),
            AccessRecordReview,
            [
                {"access_record_id": i, "reviewer_id": principal.user_id, "reviewed_at": rt.now()}
                for i in wanted
            ],
        )
        marked = Marked(len(inserted), len(wanted) - len(inserted), len(own))
        return Done(
            marked,
            query={"record_ids": sorted(known)},
            detail=f"{marked.marked} access records marked reviewed"
            + (f" ({marked.own} of the reviewer's own left)" if marked.own else ""),
        )

    return _review(rt, principal, "access records marked reviewed", run, Event.AUDIT)


_CSV_HEADER = (
    "Record",
    "When",
    "User",
    "What",
    "Outcome",
    "Purpose",
    "Case or reason",
    "Exigent",
    "Searched for",
    "Results",
    "Flags",
    "Reviewed by",
    "Detail",
)


def _csv_row(r: LogRow, tz: tzinfo) -> tuple[Any, ...]:
    return (
        r.id,
        r.at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
        r.username,
        r.what,
        r.outcome,
        r.purpose,
        r.reason,
        "yes" if r.exigent else "",
        r.searched_for,
        r.results,
        "; ".join(f"{f.label} ({f.disposition_label})" for f in r.flags),
        ", ".join(r.reviewed_by),
        r.detail,
    )


def export_records(
    rt: Runtime,
    *,
    principal: Principal,
    filters: LogFilter,
    record_ids: Sequence[int],
    fmt: str,
    render: Callable[[list[LogRow], datetime], ExportedFile],
) -> ExportedFile:
    """The file ``render`` makes of exactly the records named (the rows a reviewer was shown,
    in that order), made and recorded as an export in one transaction: the record names the
    records, the filter that found them, the file and its SHA-256, and the plates the rows
    name. A person who may not review the log gets no file, and the refusal is recorded."""
    wanted = list(dict.fromkeys(record_ids))
    if not wanted:
        raise InvalidInput("no records to export")
    tz = rt.settings.tz

    def run(session: Session, _who: Actor) -> Done[ExportedFile]:
        found = {
            r.id: r
            for r in session.execute(
                select(AccessRecord).where(AccessRecord.id.in_(wanted))
            ).scalars()
        }
        if missing := [i for i in wanted if i not in found]:
            raise InvalidInput(f"no access record {missing[0]}")
        records = [found[i] for i in wanted]
        rows = _rows(session, records, tz)
        exported = render(rows, rt.now())
        return Done(
            exported,
            query={
                "kind": "access_log_export",
                **exported.described(fmt),
                "record_ids": wanted,
                "filter": filters.describe(tz),
            },
            plates=[p for r in records for p in r.plates or []],
            result_count=len(rows),
            detail=f"{len(rows)} access records exported as {fmt.upper()} to {exported.file_name}",
        )

    return _review(rt, principal, f"export of access log records ({fmt})", run, Event.EXPORT)


def export_log_csv(
    rt: Runtime, *, principal: Principal, filters: LogFilter, record_ids: Sequence[int]
) -> ExportedFile:
    """The CSV of exactly the records shown, recorded as an export before it is handed back."""
    tz = rt.settings.tz

    def render(rows: list[LogRow], at: datetime) -> ExportedFile:
        return ExportedFile(
            f"access-log-{at.astimezone(tz):%Y-%m-%d-%H%M%S}.csv",
            csv_bytes(_CSV_HEADER, (_csv_row(r, tz) for r in rows)),
            "text/csv",
        )

    return export_records(
        rt, principal=principal, filters=filters, record_ids=record_ids, fmt="csv", render=render
    )


def breach_report(
    rt: Runtime, *, principal: Principal, start: datetime, end: datetime, usernames: list[str]
) -> BreachReport:
    """R51: every record the given accounts accessed in the window, and the plates involved
    (the patterns they typed are listed apart: a pattern is not a plate)."""
    accounts = [u.strip().lower() for u in usernames if u.strip()]
    if not accounts:
        raise InvalidInput("name at least one account")

    def run(session: Session, _who: Actor) -> Done[BreachReport]:
        records = list(
            session.execute(
                select(AccessRecord)
                .where(
                    AccessRecord.at >= start,
                    AccessRecord.at <= end,
                    AccessRecord.username.in_(accounts),
                    AccessRecord.outcome == Outcome.ALLOWED.value,
                )
                .order_by(AccessRecord.id)
            ).scalars()
        )
        recorded = [p for r in records for p in (r.plates or [])]
        report = BreachReport(
            accesses=len(records),
            plates=plates_only(recorded),
            patterns=patterns_only(recorded),
            read_ids=sorted({i for r in records for i in (r.result_ids or [])}),
            record_ids=[r.id for r in records],
        )
        return Done(
            report,
            query={"start": start.isoformat(), "end": end.isoformat(), "accounts": accounts},
            result_count=len(records),
        )

    return _review(rt, principal, "breach response report", run)
