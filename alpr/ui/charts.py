"""A figure as command staff read it: a chart with its numbers downloadable as CSV, or, when
there is nothing to count, a sentence saying so."""

from __future__ import annotations

from collections.abc import Callable

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
