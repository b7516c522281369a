"""A time window typed in the agency's zone: one with a default (a search's recent hours), or
a period the person must choose (what a records request covers). A search form keeps its window
(``keep``, see ``kept_field``)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import streamlit as st

from alpr.ui.context import runtime
from alpr.ui.session import kept_field


def _inputs(
    key: str,
    start: datetime | None,
    end: datetime | None,
    *,
    required: str = "",
    keep: bool = False,
) -> tuple[date | None, time | None, date | None, time | None]:
    """The four fields, filled with ``start`` and ``end`` or empty; ``required`` marks the
    dates."""
    c1, c2, c3, c4 = st.columns([3, 2, 3, 2])  # a date is wider than a time
    return (
        c1.date_input(
            f"From (date){required}",
            value=start and start.date(),
            **kept_field(f"{key}_sd", keep=keep),
        ),
        c2.time_input(
            "From (time)",
            value=start and start.time(),
            help=None if start else "Left empty: from the start of the day.",
            **kept_field(f"{key}_st", keep=keep),
        ),
        c3.date_input(
            f"To (date){required}", value=end and end.date(), **kept_field(f"{key}_ed", keep=keep)
        ),
        c4.time_input(
            "To (time)",
            value=end and end.time(),
            help=None if end else "Left empty: to the end of the day.",
            **kept_field(f"{key}_et", keep=keep),
        ),
    )


def window_fields(
    *, key: str, default_end: datetime, default_hours: float, keep: bool = False
) -> tuple[datetime, datetime]:
    tz = runtime().settings.tz
    end_local = default_end.astimezone(tz).replace(second=0, microsecond=0)
    start_local = end_local - timedelta(hours=default_hours)
    start_day, start_time, end_day, end_time = _inputs(key, start_local, end_local, keep=keep)
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
