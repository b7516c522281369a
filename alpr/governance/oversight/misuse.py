"""Misuse flags for the sergeant's review (field notes 3): each flag explains itself, and its
threshold is an agency setting. The flag list is where an audit starts."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from alpr.data.models import AccessRecord, ColleaguePlate, TrainingRecord, User
from alpr.policy import Policy

SEARCH_EVENTS = ("search",)


@dataclass(frozen=True)
class Flag:
    record_id: int
    username: str
    code: str
    explanation: str


def _searches(session: Session, start: datetime, end: datetime) -> list[AccessRecord]:
    return list(
        session.execute(
            select(AccessRecord)
            .where(
                AccessRecord.event.in_(SEARCH_EVENTS),
                AccessRecord.outcome == "allowed",
                AccessRecord.at >= start,
                AccessRecord.at < end,
            )
            .order_by(AccessRecord.id)
        ).scalars()
    )


def reused_justifications(records: list[AccessRecord], policy: Policy) -> list[Flag]:
    """The same free-text reason used again and again without a case number."""
    counts = Counter(
        (r.username, (r.description or "").strip().lower())
        for r in records
        if r.description and not r.case_number
    )
    return [
        Flag(
            r.id,
            r.username,
            "reused_justification",
            f"'{r.description}' used {counts[(r.username, (r.description or '').strip().lower())]}"
            " times without a case number",
        )
        for r in records
        if r.description
        and not r.case_number
        and counts[(r.username, r.description.strip().lower())] >= policy.flag_reused_justification
    ]


def repeated_plate(records: list[AccessRecord], policy: Policy) -> list[Flag]:
    """One user looking up the same plate repeatedly without a common case. The plates a
    canvass returned were not looked up: the place was."""
    by_key: dict[tuple[str, str], list[AccessRecord]] = defaultdict(list)
    for r in records:
        if (r.query or {}).get("kind") == "canvass":
            continue
        for plate in r.plates or []:
            if "?" not in plate and "*" not in plate:
                by_key[(r.username, plate)].append(r)
    flags = []
    for (username, plate), hits in by_key.items():
        cases = {h.case_number for h in hits}
        if len(hits) >= policy.flag_repeat_plate_lookups and (len(cases) > 1 or None in cases):
            flags += [
                Flag(
                    h.id,
                    username,
                    "repeated_plate",
                    f"{plate} looked up {len(hits)} times by {username} without one common case",
                )
                for h in hits
            ]
    return flags


def off_shift(session: Session, records: list[AccessRecord], tz: tzinfo) -> list[Flag]:
    shifts = {u.id: (u.shift_start, u.shift_end) for u in session.execute(select(User)).scalars()}
    flags = []
    for r in records:
        start, end = shifts.get(r.user_id or -1, (None, None))
        if start is None or end is None:
            continue
        local = r.at.astimezone(tz).time()
        inside = start <= local < end if start < end else (local >= start or local < end)
        if not inside:
            flags.append(
                Flag(
                    r.id,
                    r.username,
                    "off_shift",
                    f"search at {local:%H:%M}, outside the shift {start:%H:%M}-{end:%H:%M}",
                )
            )
    return flags


def volume_outliers(
    session: Session, records: list[AccessRecord], policy: Policy, start: datetime
) -> list[Flag]:
    """A user's searches in the period against their own usual rate over the 30 days before."""
    history = _searches(session, start - timedelta(days=30), start)
    usual: dict[str, list[int]] = defaultdict(list)
    per_day = Counter((r.username, r.at.date()) for r in history)
    for (username, _), count in per_day.items():
        usual[username].append(count)
    today = Counter(r.username for r in records)
    unit_median = statistics.median([c for v in usual.values() for c in v] or [0])
    flags = []
    for username, count in today.items():
        baseline = statistics.median(usual.get(username) or [unit_median or 0])
        if count >= policy.flag_volume_min_searches and count > policy.flag_volume_factor * max(
            baseline, 1
        ):
            flags += [
                Flag(
                    r.id,
                    username,
                    "volume_outlier",
                    f"{count} searches against a usual {baseline:g} a day",
                )
                for r in records
                if r.username == username
            ]
    return flags


def colleague_plates(session: Session, records: list[AccessRecord]) -> list[Flag]:
    watched = {
        c.plate: c.note or "a member of the department"
        for c in session.execute(select(ColleaguePlate)).scalars()
    }
    return [
        Flag(r.id, r.username, "colleague_plate", f"search on {p}, registered to {watched[p]}")
        for r in records
        for p in (r.plates or [])
        if p in watched
    ]


def lapsed_training(
    session: Session, records: list[AccessRecord], policy: Policy, tz: tzinfo
) -> list[Flag]:
    """Searches by an account whose training had lapsed at the time (should be impossible;
    flagged in case records were changed)."""
    latest: dict[int, list[datetime]] = defaultdict(list)
    for user_id, completed in session.execute(
        select(TrainingRecord.user_id, TrainingRecord.completed_on)
    ):
        latest[user_id].append(datetime.combine(completed, time(0), tzinfo=tz))
    flags = []
    for r in records:
        done = [d for d in latest.get(r.user_id or -1, []) if d <= r.at]
        if r.user_id and (
            not done or r.at - max(done) > timedelta(days=policy.training_validity_days)
        ):
            flags.append(
                Flag(
                    r.id,
                    r.username,
                    "lapsed_training",
                    "search while the account's training had lapsed",
                )
            )
    return flags


def misuse_flags(
    session: Session, policy: Policy, *, tz: tzinfo, start: datetime, end: datetime
) -> list[Flag]:
    records = _searches(session, start, end)
    return (
        reused_justifications(records, policy)
        + repeated_plate(records, policy)
        + off_shift(session, records, tz)
        + volume_outliers(session, records, policy, start)
        + colleague_plates(session, records)
        + lapsed_training(session, records, policy, tz)
    )
