"""A figure as command staff read it: a chart with its numbers downloadable as CSV, or, when
there is nothing to count, a sentence saying so. The figures of a period are counted, and the
look recorded, once a day for each period in a session (or again when the person asks): drawing
the page again records nothing. The CSV is made by the governed call that records its export,
when the person asks for it: the file is never on the page before it is recorded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import altair as alt
import pandas as pd
import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.oversight.exports import ExportedFile
from alpr.governance.oversight.usage import (
    CommandStatistics,
    Figure,
    command_statistics,
    figure_table,
    statistics_csv,
)
from alpr.governance.principal import Principal
from alpr.ui.context import runtime
from alpr.ui.kept import kept
from alpr.ui.messages import show_refusal

PREPARED = "statistics_csv"
COUNTED = "statistics_counted"


def period_statistics(principal: Principal, days: int) -> CommandStatistics:
    """The figures of the last ``days`` days as counted at the person's first look today (the
    look recorded, R20), or anew when they ask to count again (recorded again); each rerun of
    the page in between shows them unrecorded."""
    rt = runtime()
    tz = rt.settings.tz
    again = st.button(
        "Count again",
        icon=":material/refresh:",
        help="The figures are counted once a day for each period you look at, and each count "
        "is recorded in the access log: count again for the latest.",
    )
    counted: tuple[datetime, CommandStatistics] = kept(
        COUNTED,
        (days, rt.now().astimezone(tz).date()),
        lambda: (rt.now(), command_statistics(rt, principal=principal, days=days)),
        again=again,
    )
    st.caption(f"Counted at {counted[0].astimezone(tz):%H:%M}; each count is in the access log.")
    return counted[1]


def figure_frame(stats: CommandStatistics, which: Figure) -> pd.DataFrame:
    table = figure_table(stats, which)
    return pd.DataFrame(table.rows, columns=list(table.columns))


@dataclass(frozen=True)
class Figures:
    """The figures of one period, for one person."""

    principal: Principal
    stats: CommandStatistics
    days: int

    def show(
        self,
        title: str,
        which: Figure,
        chart: Callable[[alt.Chart], alt.Chart | alt.HConcatChart],
        *,
        empty: str,
        caption: str | None = None,
    ) -> None:
        """``chart`` draws the figure's rows (given as a bare ``alt.Chart`` of them); the CSV
        holds the same columns, worked out again when it is prepared."""
        st.subheader(title)
        if caption:
            st.caption(caption)
        frame = figure_frame(self.stats, which)
        if frame.empty:
            st.info(empty, icon=":material/info:")
            return
        st.altair_chart(chart(alt.Chart(frame)), width="stretch")
        self._download(title[:1].lower() + title[1:], which)

    def _download(self, named: str, which: Figure) -> None:
        # What was prepared, for the period it was prepared for.
        prepared: dict[Figure, tuple[int, ExportedFile]] = st.session_state.setdefault(PREPARED, {})
        kept = prepared.get(which)
        if kept is not None and kept[0] == self.days:
            exported = kept[1]
            st.download_button(
                f"Download {named} (CSV)",
                exported.data,
                exported.file_name,
                exported.mime,
                key=f"csv_{which.value}",
                on_click="ignore",
                icon=":material/download:",
            )
            return
        if st.button(f"Prepare {named} (CSV)", key=f"prepare_csv_{which.value}"):
            try:
                prepared[which] = (
                    self.days,
                    statistics_csv(
                        runtime(), principal=self.principal, days=self.days, figure=which
                    ),
                )
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)
            else:
                st.rerun()


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
