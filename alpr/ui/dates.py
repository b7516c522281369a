"""Dates as a table cell shows them: ISO order, with non-breaking hyphens, so that a narrow
column never breaks a date over two lines ("2026-12-" above "06")."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

NB_HYPHEN = "\u2011"


def cell_day(at: datetime, tz: tzinfo) -> str:
    return at.astimezone(tz).strftime(f"%Y{NB_HYPHEN}%m{NB_HYPHEN}%d")


def cell_date(day: date) -> str:
    return day.strftime(f"%Y{NB_HYPHEN}%m{NB_HYPHEN}%d")
