"""A time window typed in the agency's zone."""

from __future__ import annotations

from datetime import datetime, timedelta

import streamlit as st

from alpr.ui.context import runtime


def window_fields(
    *, key: str, default_end: datetime, default_hours: float
) -> tuple[datetime, datetime]:
    tz = runtime().settings.tz
    end_local = default_end.astimezone(tz).replace(second=0, microsecond=0)
    start_local = end_local - timedelta(hours=default_hours)
    c1, c2, c3, c4 = st.columns(4)
    start_day = c1.date_input("From (date)", value=start_local.date(), key=f"{key}_sd")
    start_time = c2.time_input("From (time)", value=start_local.time(), key=f"{key}_st")
    end_day = c3.date_input("To (date)", value=end_local.date(), key=f"{key}_ed")
    end_time = c4.time_input("To (time)", value=end_local.time(), key=f"{key}_et")
    return (
        datetime.combine(start_day, start_time, tzinfo=tz),
        datetime.combine(end_day, end_time, tzinfo=tz),
    )
