"""Hot lists (R12, R14, R20, R21): importing a list all-or-nothing with line-numbered errors,
entering a plate or a partial plate from a major crime with a case number and an expiry bounded
by policy, list freshness, and retro-hits: a new entry is checked against past reads too.
A refresh of a list checks only the plates new to it, and no read is alerted twice for the
same wanted plate of a list (its plate or pattern and its state).

An official feed (the state's stolen-vehicle, wanted, missing-person and AMBER lists) is taken
as the state sends it, and only so: a file for it has every column of the state's download and
each row the state's record number and the day it was entered, so that a hand-made list is not
taken for the state's. Any other plate a person puts on a list, by hand or in a file for a
list of the department's own, names the case, call or warrant it is wanted for, and one entered
by hand a reason of a few words: its retro-hits show where the plate was read, as a search
would. A file that leaves out most of a list's active entries (a partial download, a file made
by hand) replaces the list only when the import is confirmed as such. Retro-hits of any entry
look back as far as a plate search may without a sergeant's approval."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from sqlalchemy import ColumnElement, Integer, and_, func, or_, select, update
from sqlalchemy.orm import Session

from alpr import case_formats
from alpr.data.models import (
    Alert,
    HotList,
    HotListEntry,
    HotListKind,
    Priority,
    Read,
    ReadAlternative,
    WebhookDelivery,
)
from alpr.data.retained import mark_retained
from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import Act, Actor, Done, administered
from alpr.governance.investigations.queries import plates_like
from alpr.governance.justification import reason_problem
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from alpr.plates import PlateError, PlatePattern
from alpr.recognition.hotlist_match import (
    HotListMatcher,
    Match,
    ReadRef,
    create_alerts,
    stale_lists,
)
from alpr.recognition.webhooks import MAX_ATTEMPTS
from alpr.textinput import InputRefused, csv_rows

CSV_COLUMNS = (
    "plate",
    "state",
    "reason",
    "make",
    "model",
    "colour",
    "case_number",
    "entered_date",
    "expiry",
    "priority",
)

KINDS = {
    HotListKind.STOLEN_VEHICLE: "Stolen vehicles",
    HotListKind.WANTED_PERSON: "Wanted persons",
    HotListKind.MISSING_PERSON: "Missing persons",
    HotListKind.AMBER_ALERT: "AMBER alerts",
    HotListKind.CUSTOM: "The department's own",
}
# The lists the state and the nation send, imported as they come.
OFFICIAL_FEEDS = frozenset(HotListKind) - {HotListKind.CUSTOM}
# What each row of an official feed's file carries: the state's record number and the day
# the state entered it.
STATE_RECORD = ("case_number", "entered_date")
# Values or OR-ed terms per statement when looking up a whole list (the state's runs to
# hundreds of thousands of entries): within what SQLite (an expression at most 1000 deep) and
# Postgres (65,535 parameters) take.
CHUNK = 500

T = TypeVar("T")
# A wanted plate of a list, whatever its record says of it (reason, priority, case, expiry):
# its plate or pattern and its state.
Identity = tuple[str, str | None]


class ImportRefused(InvalidInput):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("hot list refused, nothing was imported: " + "; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ListStatus:
    id: int
    name: str
    kind: str
    source: str | None
    refreshed_at: datetime | None
    stale: bool
    active_entries: int
    partial_entries: int


@dataclass(frozen=True)
class ImportResult:
    imported: int
    retired: int  # the list's active entries, all replaced by the file's
    retro_alerts: int
    dropped: int = 0  # of those, the ones whose plate the file does not carry again

    @property
    def leaves_out_most(self) -> bool:
        """The file leaves out most of the list's active entries: a partial download or a
        file made by hand more often than the list's true state, imported only when confirmed
        as such."""
        return self.dropped * 2 > self.retired


def _expiry(value: str, *, today: date, max_days: int, default_days: int, tz: object) -> datetime:
    day = date.fromisoformat(value) if value else today + timedelta(days=default_days)
    if day <= today:
        raise ValueError(f"expiry {day} is not in the future")
    if (day - today).days > max_days:
        raise ValueError(f"expiry {day} is more than {max_days} days away (policy maximum)")
    return datetime.combine(day, time(23, 59), tzinfo=tz)  # type: ignore[arg-type]


def _pattern(raw: str, *, min_known: int) -> PlatePattern:
    try:
        pattern = PlatePattern.parse(raw)
    except PlateError as exc:
        raise ValueError(str(exc)) from None
    if pattern.is_partial and pattern.known_chars < min_known:
        raise ValueError(
            f"partial plate {pattern.text} needs at least {min_known} known characters"
        )
    return pattern


def _case_number(raw: str | None) -> str | None:
    return (raw or "").strip().upper() or None


def _named(raw: Iterable[str]) -> list[str]:
    """The plates and patterns a request names that read as such, for its access record."""
    named = []
    for text in raw:
        try:
            named.append(PlatePattern.parse(text).text)
        except PlateError:
            continue
    return named


def named_list(session: Session, name: str) -> HotList:
    hot_list = session.execute(select(HotList).where(HotList.name == name)).scalar_one_or_none()
    if hot_list is None:
        names = session.execute(select(HotList.name).order_by(HotList.name)).scalars().all()
        raise InvalidInput(
            f"no hot list named {name!r}: "
            + (
                "the lists are " + ", ".join(repr(n) for n in names)
                if names
                else "there is none yet (`alpr hotlist create NAME --kind KIND`)"
            )
        )
    return hot_list


def ensure_list(rt: Runtime, *, actor: Principal | None, name: str, kind: str) -> None:
    try:
        list_kind = HotListKind(kind)
    except ValueError:
        raise InvalidInput(f"unknown list kind {kind!r}") from None

    def run(session: Session, _who: Actor) -> Done[None]:
        if session.execute(select(HotList.id).where(HotList.name == name)).first():
            return Done(None, detail=f"hot list {name} exists already")
        session.add(HotList(name=name, kind=list_kind, created_at=rt.now()))
        return Done(None, detail=f"hot list {name} created")

    administered(
        rt,
        Act(actor, Permission.MANAGE_HOTLISTS, Event.HOTLIST_CHANGE, f"create hot list {name}"),
        run,
    )


@dataclass(frozen=True)
class _File:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]

    def plates(self) -> list[str]:
        return _named(row.get("plate") or "" for _, row in self.rows)


def _file_rows(data: str) -> _File:
    try:
        header, rows = csv_rows(data.lstrip("\ufeff"), what="the hot list")
    except InputRefused as exc:
        raise ImportRefused([str(exc)]) from None
    missing = [c for c in ("plate", "reason") if c not in header]
    if missing:
        raise ImportRefused(
            [f"line 1: header lacks {', '.join(missing)} (columns: {', '.join(CSV_COLUMNS)})"]
        )
    return _File(header, rows)


def _check_state_format(hot_list: HotList, header: list[str]) -> None:
    """A file for an official feed has every column of the state's download."""
    missing = [c for c in CSV_COLUMNS if c not in header]
    if hot_list.kind in OFFICIAL_FEEDS and missing:
        raise ImportRefused(
            [
                f"line 1: {hot_list.name} is the state's list and is refreshed only from the "
                f"state's download, whose columns are {', '.join(CSV_COLUMNS)}; this file "
                f"lacks {', '.join(missing)}"
            ]
        )


def _file_entries(
    session: Session,
    rt: Runtime,
    *,
    hot_list: HotList,
    file: _File,
    who: Actor,
) -> list[HotListEntry]:
    """The file's rows as entries of ``hot_list``; any bad row refuses the whole file. A file
    for an official feed is in the state's format, each row with the state's record; a
    person's file for a list of the department's own names a case on every row."""
    _check_state_format(hot_list, file.header)
    policy = rt.policy(session)
    formats = policy.case_number_patterns
    official = hot_list.kind in OFFICIAL_FEEDS
    vouched = who.principal is not None and not official
    today = rt.now().astimezone(rt.settings.tz).date()
    entries, problems, unjustified = [], [], False
    for number, row in file.rows:
        case = _case_number(row.get("case_number"))
        unrecorded = [c for c in STATE_RECORD if official and not (row.get(c) or "").strip()]
        if unrecorded:
            problems.append(
                f"line {number}: {' and '.join(unrecorded)} empty: a row of the state's list "
                "carries the state's record number and the day it was entered"
            )
            continue
        if vouched and (case is None or not case_formats.accepted(case, formats)):
            problems.append(
                f"line {number}: case_number "
                + ("is empty" if case is None else f"{case} is not in these formats")
            )
            unjustified = True
            continue
        try:
            pattern = _pattern(row.get("plate") or "", min_known=policy.wildcard_min_known_chars)
            reason = (row.get("reason") or "").strip()
            if not reason:
                raise ValueError("reason is empty")
            state = (row.get("state") or "").strip().upper() or None
            if state is not None and (len(state) != 2 or not state.isalpha()):
                raise ValueError(f"state {state!r} is not a two-letter code")
            priority = Priority((row.get("priority") or "medium").strip().lower())
            entered = date.fromisoformat(row["entered_date"]) if row.get("entered_date") else None
            expires = _expiry(
                (row.get("expiry") or "").strip(),
                today=today,
                max_days=policy.hotlist_entry_max_days,
                default_days=policy.hotlist_entry_default_days,
                tz=rt.settings.tz,
            )
        except ValueError as exc:
            problems.append(f"line {number}: {exc}")
            continue
        entries.append(
            HotListEntry(
                hot_list_id=hot_list.id,
                pattern=pattern.text,
                is_partial=pattern.is_partial,
                state=state,
                reason=reason,
                vehicle_make=row.get("make") or None,
                vehicle_model=row.get("model") or None,
                vehicle_color=row.get("colour") or None,
                case_number=case,
                entered_on=entered,
                expires_at=expires,
                priority=priority,
                added_by_id=who.user_id,
                created_at=rt.now(),
            )
        )
    if unjustified:
        raise Refusal(
            RefusalKind.JUSTIFICATION,
            _needs_case("Every plate imported into a list of the department's own", formats)
            + " Nothing was imported: "
            + "; ".join(problems),
        )
    if problems:
        raise ImportRefused(problems)
    if not entries:
        raise ImportRefused(["the file holds no entries"])
    return entries


def _active(hot_list: HotList) -> ColumnElement[bool]:
    return (HotListEntry.hot_list_id == hot_list.id) & HotListEntry.removed_at.is_(None)


def preview_import(
    rt: Runtime, *, actor: Principal | None, list_name: str, data: str
) -> ImportResult:
    """What importing the file would do, changing nothing: the entries it would import and
    the active ones it would retire (the file is checked as the import checks it)."""
    file = _file_rows(data)

    def run(session: Session, who: Actor) -> Done[ImportResult]:
        hot_list = named_list(session, list_name)
        entries = _file_entries(session, rt, hot_list=hot_list, file=file, who=who)
        retired, dropped = _replaced(session, hot_list, entries)
        return Done(ImportResult(len(entries), retired, 0, dropped))

    return administered(
        rt,
        Act(
            actor,
            Permission.MANAGE_HOTLISTS,
            Event.HOTLIST_CHANGE,
            f"preview an import of hot list {list_name}",
            view=True,
            plates=file.plates(),
        ),
        run,
    )


def _in_force(session: Session, hot_list: HotList, *, now: datetime) -> set[Identity]:
    """The plates the list wants now: an entry that a refresh carries again was checked
    against past reads when it came on the list, and reads of it have been alerted since."""
    return set(
        session.execute(
            select(HotListEntry.pattern, HotListEntry.state).where(
                _active(hot_list),
                or_(HotListEntry.expires_at.is_(None), HotListEntry.expires_at > now),
            )
        )
    )


def _replaced(session: Session, hot_list: HotList, entries: list[HotListEntry]) -> tuple[int, int]:
    """How many active entries the file replaces, and how many of them it leaves out (their
    plate is in none of its rows)."""
    active = session.execute(select(HotListEntry.pattern).where(_active(hot_list))).scalars().all()
    carried = {e.pattern for e in entries}
    return len(active), sum(pattern not in carried for pattern in active)


def import_csv(
    rt: Runtime,
    *,
    actor: Principal | None,
    list_name: str,
    data: str,
    source: str | None = None,
    confirm_retire: bool = False,
) -> ImportResult:
    """Replace a list's entries with a downloaded file; any bad row refuses the whole file, and
    a file that leaves out most of the list is imported only with ``confirm_retire``."""
    file = _file_rows(data)

    def run(session: Session, who: Actor) -> Done[ImportResult]:
        hot_list = named_list(session, list_name)
        entries = _file_entries(session, rt, hot_list=hot_list, file=file, who=who)
        retired, dropped = _replaced(session, hot_list, entries)
        if ImportResult(len(entries), retired, 0, dropped).leaves_out_most and not confirm_retire:
            raise Refusal(
                RefusalKind.RULE,
                f"This file leaves out {dropped} of the {retired} active entries of "
                f"{list_name}: importing it takes them off the list. Nothing was imported. If "
                "the list really is that much shorter now, confirm the import (the Hot lists "
                "page asks; on the command line, --confirm-retire).",
            )
        in_force = _in_force(session, hot_list, now=rt.now())
        session.execute(update(HotListEntry).where(_active(hot_list)).values(removed_at=rt.now()))
        session.add_all(entries)
        hot_list.refreshed_at = rt.now()
        hot_list.source = source or hot_list.source
        session.flush()
        new = [e.id for e in entries if (e.pattern, e.state) not in in_force]
        alerts = retro_hits(session, rt, entry_ids=new)
        return Done(
            ImportResult(len(entries), retired, alerts, dropped),
            detail=f"hot list {list_name} refreshed: {len(entries)} entries "
            f"({retired} retired, {dropped} of them not in the file), {alerts} retro-hits",
        )

    return administered(
        rt,
        Act(
            actor,
            Permission.MANAGE_HOTLISTS,
            Event.HOTLIST_CHANGE,
            f"import hot list {list_name}",
            plates=file.plates(),
        ),
        run,
    )


def add_entry(
    rt: Runtime,
    *,
    actor: Principal | None,
    list_name: str,
    pattern: str,
    reason: str,
    case_number: str | None,
    expires: date | None = None,
    priority: str = "high",
    state: str | None = None,
    vehicle: tuple[str | None, str | None, str | None] = (None, None, None),
    match_confusions: bool = False,
) -> tuple[int, int]:
    """Enter one plate or partial plate; returns (entry id, retro-hit alerts)."""

    def run(session: Session, who: Actor) -> Done[tuple[int, int]]:
        policy = rt.policy(session)
        try:
            parsed = _pattern(pattern, min_known=policy.wildcard_min_known_chars)
            level = Priority(priority)
            expires_at = _expiry(
                expires.isoformat() if expires else "",
                today=rt.now().astimezone(rt.settings.tz).date(),
                max_days=policy.hotlist_entry_max_days,
                default_days=policy.hotlist_entry_default_days,
                tz=rt.settings.tz,
            )
        except ValueError as exc:
            raise InvalidInput(str(exc)) from None
        if not reason.strip():
            raise InvalidInput("give the reason the plate is wanted")
        number = _case_number(case_number)
        if parsed.is_partial and number is None:
            raise InvalidInput("a partial plate from a major crime needs its case number")
        if who.principal is not None:
            _check_case(number, policy.case_number_patterns)
            _check_reason(reason.strip())
        hot_list = named_list(session, list_name)
        entry = HotListEntry(
            hot_list_id=hot_list.id,
            pattern=parsed.text,
            is_partial=parsed.is_partial,
            match_confusions=match_confusions,
            state=state,
            reason=reason.strip(),
            vehicle_make=vehicle[0],
            vehicle_model=vehicle[1],
            vehicle_color=vehicle[2],
            case_number=number,
            entered_on=rt.now().date(),
            expires_at=expires_at,
            priority=level,
            added_by_id=who.user_id,
            created_at=rt.now(),
        )
        session.add(entry)
        session.flush()
        alerts = retro_hits(session, rt, entry_ids=[entry.id])
        return Done(
            (entry.id, alerts),
            detail=f"entry {parsed.text} added to {list_name} "
            f"(case {number or '-'}), {alerts} retro-hits",
        )

    return administered(
        rt,
        Act(
            actor,
            (Permission.ADD_HOTLIST_ENTRY, Permission.MANAGE_HOTLISTS),
            Event.HOTLIST_CHANGE,
            f"add a hot-list entry to {list_name}",
            plates=_named([pattern]),
        ),
        run,
    )


def _check_case(number: str | None, formats: Sequence[str]) -> None:
    """A plate entered by hand names the case, call or warrant it is wanted for, in one of the
    agency's formats: the entry's retro-hits show where the plate was read, as a search would,
    so an entry is no way around a search's justification."""
    if number is None or not case_formats.accepted(number, formats):
        raise Refusal(RefusalKind.JUSTIFICATION, _needs_case("A plate entered by hand", formats))


def _check_reason(reason: str) -> None:
    """A plate entered by hand says why it is wanted in a few words a reviewer can weigh (the
    patrol officer who gets its alert reads it too)."""
    problem = reason_problem(reason)
    if problem:
        raise Refusal(
            RefusalKind.JUSTIFICATION,
            f"The reason {reason[:80]!r} does not say why the plate is wanted: {problem}; "
            "e.g. 'stolen grey Honda Civic' or 'partial plate from the Crocker Ave robbery'.",
        )


def _needs_case(what: str, formats: Sequence[str]) -> str:
    return (
        f"{what} needs the case, call or warrant number it is wanted for, in one of this "
        f"agency's formats ({case_formats.described(formats)}): its alerts show where the plate "
        "was read, as a search would."
    )


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    return (items[i : i + CHUNK] for i in range(0, len(items), CHUNK))


def _candidate_plates(session: Session, patterns: set[str]) -> set[str]:
    """The plates whose reads the patterns may match: a full plate is its own (its reads are
    looked up by their plate's index), a partial one's are the dictionary's plates it
    matches."""
    partial = sorted(p for p in patterns if PlatePattern(p).is_partial)
    found = patterns.difference(partial)
    for chunk in _chunks(partial):
        found.update(plates_like(session, [PlatePattern(p) for p in chunk]))
    return found


Hit = tuple[ReadRef, list[Match]]


def _not_alerted(
    session: Session, hits: list[Hit], wanted: dict[int, tuple[int, Identity]]
) -> list[Hit]:
    """The hits less each match whose read has an alert already for the same wanted plate of
    the same list (``wanted``: each entry's list and identity), under an entry a refresh has
    replaced or taken off since: patrol sees a read once for it, its review stands, and it is
    not sent out again."""
    alerted: set[tuple[int, int, Identity]] = set()
    for chunk in _chunks(sorted({ref.read_id for ref, _ in hits})):
        alerted.update(
            (read_id, list_id, (pattern, state))
            for read_id, list_id, pattern, state in session.execute(
                select(
                    Alert.read_id,
                    HotListEntry.hot_list_id,
                    HotListEntry.pattern,
                    HotListEntry.state,
                )
                .join(HotListEntry, HotListEntry.id == Alert.entry_id)
                .where(Alert.read_id.in_(chunk))
            )
        )
    kept = []
    for ref, matches in hits:
        fresh = [m for m in matches if (ref.read_id, *wanted[m.entry_id]) not in alerted]
        if fresh:
            kept.append((ref, fresh))
    return kept


def retro_hits(session: Session, rt: Runtime, *, entry_ids: list[int]) -> int:
    """Check new entries against past reads (Vigilant, Genetec do too), by their plates and by
    their other readings scored above the policy's threshold, as far back as a plate search may
    look without a sergeant's approval: the alerts show where the plate was read, as that
    search would, and keep those reads. Whoever enters the plate, by hand or in a file (the
    state's feed too), reaches no further: a list is no way around a search's bounds. A read
    alerted already for the same wanted plate of the list is not alerted again."""
    if not entry_ids:
        return 0
    now = rt.now()
    policy = rt.policy(session)
    since = now - timedelta(days=policy.plate_search_max_window_days)
    wanted: dict[int, tuple[int, Identity]] = {}
    for ids in _chunks(entry_ids):
        for entry_id, list_id, pattern, state in session.execute(
            select(
                HotListEntry.id, HotListEntry.hot_list_id, HotListEntry.pattern, HotListEntry.state
            ).where(HotListEntry.id.in_(ids))
        ):
            wanted[entry_id] = (list_id, (pattern, state))
    matcher = HotListMatcher.load(session, now=now)
    plates = _candidate_plates(session, {pattern for _, (pattern, _) in wanted.values()})
    matched = {
        plate: matches
        for plate in plates
        if (matches := [m for m in matcher.match(plate) if m.entry_id in wanted])
    }
    hits: list[Hit] = []
    by_other_reading: list[Hit] = []
    other = ReadAlternative
    for chunk in _chunks(sorted(matched)):
        for read_id, at, camera_id, plate in session.execute(
            select(Read.id, Read.captured_at, Read.camera_id, Read.plate).where(
                Read.plate.in_(chunk), Read.captured_at >= since
            )
        ):
            hits.append((ReadRef(read_id, at, plate, camera_id), matched[plate]))
        for read_id, at, camera_id, read_plate, plate, score in session.execute(
            select(Read.id, Read.captured_at, Read.camera_id, Read.plate, other.plate, other.score)
            .join(
                other,
                and_(
                    other.camera_id == Read.camera_id,
                    other.captured_at == Read.captured_at,
                    other.read_plate == Read.plate,
                ),
            )
            .where(
                other.plate.in_(chunk),
                other.captured_at >= since,
                other.score >= policy.alert_alternative_min_score,
            )
        ):
            marked = [
                replace(m, alternative=plate, alternative_score=score) for m in matched[plate]
            ]
            by_other_reading.append((ReadRef(read_id, at, read_plate, camera_id), marked))
    # A read that the plate as read matches is alerted as such, not by another reading.
    hits = _not_alerted(session, hits + by_other_reading, wanted)
    if not hits:
        return 0
    created = create_alerts(session, hits=hits, now=now, retro=True)
    mark_retained(session, reads=[(ref.read_id, ref.captured_at) for ref, _ in hits], retained=True)
    return created


def list_status(rt: Runtime, *, principal: Principal) -> list[ListStatus]:
    def run(session: Session, _who: Actor) -> Done[list[ListStatus]]:
        now = rt.now()
        stale = {list_id for list_id, _ in stale_lists(session, now=now)}
        counts = {
            list_id: (total, partial)
            for list_id, total, partial in session.execute(
                select(
                    HotListEntry.hot_list_id,
                    func.count(),
                    func.sum(func.cast(HotListEntry.is_partial, Integer())),
                )
                .where(
                    HotListEntry.removed_at.is_(None),
                    (HotListEntry.expires_at.is_(None)) | (HotListEntry.expires_at > now),
                )
                .group_by(HotListEntry.hot_list_id)
            ).all()
        }
        return Done(
            [
                ListStatus(
                    h.id,
                    h.name,
                    KINDS[h.kind],
                    h.source,
                    h.refreshed_at,
                    h.id in stale,
                    counts.get(h.id, (0, 0))[0],
                    int(counts.get(h.id, (0, 0))[1] or 0),
                )
                for h in session.execute(select(HotList).order_by(HotList.name)).scalars()
            ]
        )

    return administered(
        rt,
        Act(
            principal, Permission.VIEW_HOTLISTS, Event.HOTLIST_CHANGE, "hot-list status", view=True
        ),
        run,
    )


@dataclass(frozen=True)
class DeliveryProblem:
    alert_id: int
    attempts: int
    last_error: str
    next_attempt_at: datetime | None  # None: not tried again (refused, or every attempt failed)
    refused: bool = False  # never sent: it may not go out, or its agency not receive it


def webhook_problems(rt: Runtime, *, principal: Principal) -> list[DeliveryProblem]:
    """Notifications to CAD or in-car systems that have not got through, or were refused."""

    def run(session: Session, _who: Actor) -> Done[list[DeliveryProblem]]:
        return Done(
            [
                DeliveryProblem(
                    d.alert_id,
                    d.attempts,
                    d.last_error or "",
                    None if d.refused_at or d.attempts >= MAX_ATTEMPTS else d.next_attempt_at,
                    d.refused_at is not None,
                )
                for d in session.execute(
                    select(WebhookDelivery)
                    .where(
                        WebhookDelivery.delivered_at.is_(None),
                        WebhookDelivery.last_error.is_not(None),
                    )
                    .order_by(WebhookDelivery.id.desc())
                    .limit(100)
                ).scalars()
            ]
        )

    return administered(
        rt,
        Act(
            principal,
            Permission.VIEW_HOTLISTS,
            Event.HOTLIST_CHANGE,
            "undelivered notifications",
            view=True,
        ),
        run,
    )
