"""The dashboard's server: the Streamlit app of ``app.py`` served as an ASGI app, with the two
routes that keep the session cookie, and the files of its pages (images, downloads) served only
to a signed-in browser. Start it with ``streamlit run server.py``."""

from __future__ import annotations

import streamlit as st

from alpr.governance.runtime import default_runtime
from alpr.ui.session_routes import media_guard, session_routes

app = st.App(
    "app.py",
    routes=session_routes(default_runtime),
    middleware=[media_guard(default_runtime)],
)
