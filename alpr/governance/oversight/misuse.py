"""Misuse flags for the sergeant's review (field notes 3): each flag explains itself, and its
threshold is an agency setting. The flag list is where an audit starts."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from alpr.data.models import AccessRecord, ColleaguePlate, TrainingRecord, User
from alpr.governance.justification import assess_description, personal_use
from alpr.policy import Policy

SEARCH_EVENTS = ("search",)
BASELINE_DAYS = 30


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


def thin_justifications(records: list[AccessRecord], policy: Policy) -> list[Flag]:
    """Searches justified by a description that was accepted but is thin (only 'the area', only
    'recently'), or that the rules in force now would refuse; and, beside a case number, a
    description that reads as personal use (refused today, accepted by earlier releases)."""
    flags = []
    for r in records:
        if not r.description:
            continue
        if r.case_number:
            personal = personal_use(r.description)
            if personal:
                flags.append(
                    Flag(
                        r.id,
                        r.username,
                        "thin_justification",
                        f"'{r.description}' beside case {r.case_number}: {personal}",
                    )
                )
            continue
        found = assess_description(r.description, offenses=policy.justification_offenses)
        if found.refusal or found.concerns:
            why = "; ".join(found.concerns) if not found.refusal else "refused by today's rules"
            flags.append(Flag(r.id, r.username, "thin_justification", f"'{r.description}': {why}"))
    return flags


def repeated_plate(records: list[AccessRecord], policy: Policy) -> list[Flag]:
    """One user looking up the same plate repeatedly without a common case. The plates a
    canvass returned were not looked up: the place was."""
    by_key: dict[tuple[str, str], list[AccessRecord]] = defaultdict(list)
    for r in records:
        if (r.query or {}).get("kind") in ("canvass", "vehicle"):
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


def _per_day(records: Iterable[AccessRecord], tz: tzinfo) -> Counter[tuple[str, date]]:
    return Counter((r.username, r.at.astimezone(tz).date()) for r in records)


def volume_outliers(
    session: Session, records: list[AccessRecord], policy: Policy, tz: tzinfo, start: datetime
) -> list[Flag]:
    """A day on which a user searched far more than usual: that day's count against the
    user's own usual day and the usual day of their unit over the 30 days before the period
    (the median of the days with searches). Steady use, however frequent, is not flagged; a
    burst above both baselines is, with every search of that day."""
    history = _per_day(_searches(session, start - timedelta(days=BASELINE_DAYS), start), tz)
    unit_of: dict[str, str | None] = dict(session.execute(select(User.username, User.unit)).all())
    own: dict[str, list[int]] = defaultdict(list)
    unit: dict[str | None, list[int]] = defaultdict(list)
    for (username, _), count in history.items():
        own[username].append(count)
        unit[unit_of.get(username)].append(count)
    flags = []
    for (username, day), count in sorted(_per_day(records, tz).items()):
        usual = {
            "their own": own.get(username),
            "their unit's": unit.get(unit_of.get(username)),
        }
        baselines = {name: statistics.median(days) for name, days in usual.items() if days}
        if count < policy.flag_volume_min_searches or any(
            count <= policy.flag_volume_factor * b for b in baselines.values()
        ):
            continue
        against = (
            " and ".join(f"{name} usual {b:g}" for name, b in baselines.items())
            if baselines
            else "no searches in the 30 days before"
        )
        flags += [
            Flag(r.id, username, "volume_outlier", f"{count} searches on {day}, against {against}")
            for r in records
            if r.username == username and r.at.astimezone(tz).date() == day
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
        + thin_justifications(records, policy)
        + repeated_plate(records, policy)
        + off_shift(session, records, tz)
        + volume_outliers(session, records, policy, tz, start)
        + colleague_plates(session, records)
        + lapsed_training(session, records, policy, tz)
    )
