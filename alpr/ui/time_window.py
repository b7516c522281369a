"""A time window typed in the agency's zone: one with a default (a search's recent hours), or
a period the person must choose (what a records request covers)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import streamlit as st

from alpr.ui.context import runtime


def _inputs(
    key: str, start: datetime | None, end: datetime | None, *, required: str = ""
) -> tuple[date | None, time | None, date | None, time | None]:
    """The four fields, filled with ``start`` and ``end`` or empty; ``required`` marks the
    dates."""
    c1, c2, c3, c4 = st.columns(4)
    return (
        c1.date_input(f"From (date){required}", value=start and start.date(), key=f"{key}_sd"),
        c2.time_input(
            "From (time)",
            value=start and start.time(),
            key=f"{key}_st",
            help=None if start else "Left empty: from the start of the day.",
        ),
        c3.date_input(f"To (date){required}", value=end and end.date(), key=f"{key}_ed"),
        c4.time_input(
            "To (time)",
            value=end and end.time(),
            key=f"{key}_et",
            help=None if end else "Left empty: to the end of the day.",
        ),
    )


def window_fields(
    *, key: str, default_end: datetime, default_hours: float
) -> tuple[datetime, datetime]:
    tz = runtime().settings.tz
    end_local = default_end.astimezone(tz).replace(second=0, microsecond=0)
    start_local = end_local - timedelta(hours=default_hours)
    start_day, start_time, end_day, end_time = _inputs(key, start_local, end_local)
    return (
        datetime.combine(start_day or start_local.date(), start_time or time.min, tzinfo=tz),
        datetime.combine(end_day or end_local.date(), end_time or time.max, tzinfo=tz),
    )


def period_fields(*, key: str) -> tuple[datetime, datetime] | None:
    """A period the person chooses, as the request states it: the fields start empty, so no
    period is ever assumed. Without times it runs from the start of its first day to the end
    of its last. None until both days are chosen."""
    tz = runtime().settings.tz
    start_day, start_time, end_day, end_time = _inputs(key, None, None, required=" *")
    if start_day is None or end_day is None:
        return None
    return (
        datetime.combine(start_day, start_time or time.min, tzinfo=tz),
        datetime.combine(end_day, end_time or time.max, tzinfo=tz),
    )
