"""An unexpected failure on a page: the person sees one sentence and a reference, the details
go to the incident log (``alpr.incident_log``) where the ALPR Administrator reads them, as for
the ``alpr`` command. Streamlit's own error box would show nothing useful (its details are
switched off: a database error quotes rows)."""

from __future__ import annotations

import streamlit as st

from alpr.incident_log import INCIDENT_LOG, record_incident


def show_incident(exc: Exception, *, page: str) -> None:
    reference = record_incident(exc, f"the dashboard page {page!r}")
    st.error(
        f"Something went wrong on this page, and nothing more is shown here. It is written "
        f"down as incident **{reference}** for your ALPR Administrator (in {INCIDENT_LOG} "
        "under the data directory). Your work on other pages is kept; try again, or quote the "
        "incident when you report it.",
        icon=":material/error:",
    )
