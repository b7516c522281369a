"""The signed-in person of this browser session: a session kept on the server (revocable, with
the Policy's idle lock and absolute limit) whose token this tab holds. Every full run of a page
is the person's activity; a fragment that refreshes by itself re-checks the session without
restarting its idle time."""

from __future__ import annotations

import streamlit as st

from alpr.governance.auth.sessions import (
    SessionEnded,
    SessionKind,
    end_session,
    open_session,
    resume_session,
)
from alpr.governance.principal import Principal
from alpr.ui.context import client_addr, runtime

_SESSION = "alpr_session"
_NOTICE = "alpr_session_notice"


def sign_in_as(principal: Principal) -> None:
    st.session_state[_SESSION] = open_session(
        runtime(), principal=principal, kind=SessionKind.WEB, client_addr=client_addr()
    )
    st.session_state.pop(_NOTICE, None)


def _forget(notice: str | None) -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if notice:
        st.session_state[_NOTICE] = notice


def sign_out(notice: str | None = None) -> None:
    token = st.session_state.get(_SESSION)
    if isinstance(token, str):
        end_session(runtime(), token=token)
    _forget(notice)


def pop_notice() -> str | None:
    notice = st.session_state.pop(_NOTICE, None)
    return str(notice) if notice else None


def current_principal(*, touch: bool = True) -> Principal | None:
    """The signed-in person if the session is still open and within the Policy's limits
    (``touch``: this run is their activity). A session that ended leaves this tab signed out,
    with the reason to show on the sign-in page."""
    token = st.session_state.get(_SESSION)
    if not isinstance(token, str):
        return None
    try:
        return resume_session(runtime(), token=token, touch=touch)
    except SessionEnded as ended:
        _forget(ended.message)
        return None


def require_open_session() -> None:
    """For a fragment that refreshes by itself: re-check the idle lock and the absolute limit
    without counting as activity; an ended session takes the whole page to the sign-in page
    instead of showing more data."""
    if current_principal(touch=False) is None:
        st.rerun(scope="app")
