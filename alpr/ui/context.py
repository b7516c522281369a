"""The runtime for the dashboard process, built once, and the viewer's address and cookies."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from alpr.governance.errors import InvalidInput
from alpr.governance.installation import refuse_local_settings
from alpr.governance.runtime import Runtime, default_runtime


@st.cache_resource
def runtime() -> Runtime:
    """The runtime; a dashboard that cannot start (local-only settings against a production
    database, a data folder open to other accounts) shows why and stops."""
    try:
        rt = default_runtime()
        refuse_local_settings(rt)
    except InvalidInput as refused:
        st.error(str(refused))
        st.stop()
    return rt


def client_addr() -> str | None:
    try:
        address = st.context.ip_address
    except Exception:  # not available outside a browser session
        return None
    return address if isinstance(address, str) else None


def cookies() -> Mapping[str, str]:
    """The cookies the browser sent when this tab connected."""
    try:
        return dict(st.context.cookies)
    except Exception:  # not available outside a browser session
        return {}
