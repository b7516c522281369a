"""ALPR dashboard: the composition root. It builds the navigation for the signed-in role
from the page registry; signed out, only the sign-in page and the public pages exist, and the
URL of any other page shows the sign-in page, so a deep link lands, once signed in, on the page
it asked for (a page is known by its URL path). Served by ``server.py``, which adds the routes
that keep the session cookie."""

from __future__ import annotations

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from alpr.governance.permissions import role_definition
from alpr.ui.account import password_change
from alpr.ui.incidents import show_incident
from alpr.ui.layout import SIDEBAR_PX, fit_the_screen
from alpr.ui.registry import PAGES, PUBLIC_PAGES, SECTIONS, SIGN_IN, PageSpec, pages_for
from alpr.ui.session import (
    current_principal,
    keep_work,
    restore_work,
    sign_out,
    write_cookie_step,
)
from alpr.ui.signin import render_sign_in


def _page(spec: PageSpec, *, default: bool = False) -> StreamlitPage:
    return st.Page(
        spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path, default=default
    )


def _asked_for(spec: PageSpec) -> StreamlitPage:
    return st.Page(render_sign_in, title=SIGN_IN.title, icon=SIGN_IN.icon, url_path=spec.url_path)


principal = current_principal()
st.set_page_config(
    page_title="ALPR",
    page_icon=":material/directions_car:",
    layout="wide",
    # Signed in, the sidebar shows (a number: its width, shown unless on a phone).
    initial_sidebar_state="collapsed" if principal is None else SIDEBAR_PX,
)
fit_the_screen()
if principal is None:
    navigation = st.navigation(
        [
            _page(SIGN_IN, default=True),
            *(_page(p) for p in PUBLIC_PAGES),
            *(_asked_for(p) for p in PAGES if p not in PUBLIC_PAGES),
        ],
        position="hidden",
    )
else:
    restore_work()
    sections: dict[str, list[StreamlitPage]] = {name: [] for name in SECTIONS}
    for index, spec in enumerate(pages_for(principal)):
        sections[spec.section].append(_page(spec, default=index == 0))
    with st.sidebar:
        st.caption(
            f"Signed in as **{principal.full_name}** ({role_definition(principal.role).name})"
        )
        st.button(
            "Sign out", icon=":material/logout:", on_click=sign_out, args=("You are signed out.",)
        )
        password_change(principal)
    navigation = st.navigation({k: v for k, v in sections.items() if v}, expanded=True)
write_cookie_step()
try:
    navigation.run()
except Exception as exc:  # Streamlit's reruns and stops are not Exceptions: they pass
    show_incident(exc, page=navigation.title)
finally:
    keep_work()
