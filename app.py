"""ALPR dashboard: the composition root. It builds the navigation for the signed-in role
from the page registry; signed out, only the sign-in page and the public pages exist, so a
deep link to any other page lands on the sign-in page."""

from __future__ import annotations

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from alpr.ui.registry import PUBLIC_PAGES, SECTIONS, SIGN_IN, PageSpec, pages_for
from alpr.ui.session import current_principal, sign_out

st.set_page_config(page_title="ALPR", page_icon=":material/directions_car:", layout="wide")


def _page(spec: PageSpec, *, default: bool = False) -> StreamlitPage:
    return st.Page(
        spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path, default=default
    )


def _sign_out() -> None:
    sign_out("You are signed out.")
    st.rerun()


principal = current_principal()
if principal is None:
    navigation = st.navigation(
        [_page(SIGN_IN, default=True), *(_page(p) for p in PUBLIC_PAGES)], position="hidden"
    )
else:
    sections: dict[str, list[StreamlitPage]] = {name: [] for name in SECTIONS}
    for index, spec in enumerate(pages_for(principal)):
        sections[spec.section].append(_page(spec, default=index == 0))
    sections["Account"] = [
        st.Page(_sign_out, title="Sign out", icon=":material/logout:", url_path="sign_out")
    ]
    with st.sidebar:
        st.caption(f"Signed in as **{principal.full_name}** ({principal.role.value})")
    navigation = st.navigation({k: v for k, v in sections.items() if v}, expanded=True)
navigation.run()
