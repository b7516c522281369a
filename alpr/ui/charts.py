"""A figure as command staff read it: a chart with its numbers downloadable as CSV, or, when
there is nothing to count, a sentence saying so."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import altair as alt
import pandas as pd
import streamlit as st


def figure(
    title: str,
    frame: pd.DataFrame,
    chart: Callable[[alt.Chart], alt.Chart | alt.HConcatChart],
    *,
    empty: str,
    file_name: str,
    caption: str | None = None,
) -> None:
    """``chart`` draws ``frame`` (given as a bare ``alt.Chart`` of it); the download holds the
    same rows."""
    st.subheader(title)
    if caption:
        st.caption(caption)
    if frame.empty:
        st.info(empty, icon=":material/info:")
        return
    st.altair_chart(chart(alt.Chart(frame)), width="stretch")
    st.download_button(
        f"Download {title[:1].lower() + title[1:]} (CSV)",
        frame.to_csv(index=False),
        file_name,
        "text/csv",
        key=f"csv_{file_name}",
        on_click="ignore",
        icon=":material/download:",
    )


def _utc_date(day: date) -> alt.DateTime:
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def day_axis(first: date, last: date) -> alt.X:
    """The x axis of a count per day, for a frame whose ``Day`` column holds the agency's
    calendar dates: each drawn as that date whatever the browser's zone (a date alone reads as
    UTC midnight, which a local axis would move a day back), and spanning ``first`` to ``last``
    whole, so a quiet day shows as a gap, not as no day at all."""
    return alt.X(
        "utcyearmonthdate(Day):T",
        title=None,
        scale=alt.Scale(domain=[_utc_date(first), _utc_date(last + timedelta(days=1))]),
    )
