"""The runtime for the dashboard process, built once, and the viewer's address."""

from __future__ import annotations

import streamlit as st

from alpr.governance.runtime import Runtime, default_runtime


@st.cache_resource
def runtime() -> Runtime:
    return default_runtime()


def client_addr() -> str | None:
    try:
        return st.context.ip_address
    except Exception:  # not available outside a browser session
        return None
