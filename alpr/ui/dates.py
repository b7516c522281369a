"""Dates as the dashboard writes them: in a table cell in ISO order, with non-breaking hyphens,
so that a narrow column never breaks a date over two lines ("2026-12-" above "06"); and the
span of a set of reads, from its first to its last."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

NB_HYPHEN = "\u2011"


def cell_day(at: datetime, tz: tzinfo) -> str:
    return at.astimezone(tz).strftime(f"%Y{NB_HYPHEN}%m{NB_HYPHEN}%d")


def cell_minute(at: datetime, tz: tzinfo) -> str:
    """The day and the minute in the agency's zone, as the tables write them: "2026-12-01 22:42"."""
    return f"{cell_day(at, tz)} {at.astimezone(tz):%H:%M}"


def cell_date(day: date) -> str:
    return day.strftime(f"%Y{NB_HYPHEN}%m{NB_HYPHEN}%d")


def time_span(first: datetime, last: datetime, tz: tzinfo) -> str:
    """From ``first`` to ``last`` in the agency's zone, to the minute: "2026-12-01 21:02–23:58",
    the second date too when they span midnight, and one time when both fall in one minute."""
    first, last = first.astimezone(tz), last.astimezone(tz)
    if f"{first:%Y-%m-%d %H:%M}" == f"{last:%Y-%m-%d %H:%M}":
        return f"{first:%Y-%m-%d %H:%M}"
    if first.date() == last.date():
        return f"{first:%Y-%m-%d %H:%M}–{last:%H:%M}"
    return f"{first:%Y-%m-%d %H:%M} – {last:%Y-%m-%d %H:%M}"
