"""The signed-in person of this browser session: a session kept on the server (revocable, with
the Policy's idle lock and absolute limit) whose token this tab holds, taken from the browser's
HttpOnly cookie when the tab opens, so a refresh, a new tab or a pasted link stays signed in.
Every full run of a page is the person's activity; a fragment that refreshes by itself
re-checks the session without restarting its idle time.

The cookie itself is written and cleared by the routes of ``alpr.ui.session_routes``: after a
sign-in this tab's page posts the one-time handoff there, after a sign-out (or a session found
ended) it asks for the cookie to be cleared."""

from __future__ import annotations

import json

import streamlit as st

from alpr.governance.auth.sessions import (
    SessionEnded,
    SessionKind,
    end_session,
    issue_handoff,
    open_session,
    resume_session,
)
from alpr.governance.principal import Principal
from alpr.ui.context import client_addr, cookies, runtime
from alpr.ui.session_routes import cookie_token, route_path

_SESSION = "alpr_session"
_NOTICE = "alpr_session_notice"
_COOKIE_READ = "alpr_cookie_read"  # the connection's cookie is taken once per tab
_COOKIE_STEP = "alpr_cookie_step"  # the script that writes or clears the cookie, run once


def _post(path: str, body: dict[str, str]) -> str:
    return (
        f"<script>fetch({json.dumps(path)}, {{method: 'POST', credentials: 'same-origin', "
        f"headers: {{'Content-Type': 'application/json'}}, body: {json.dumps(json.dumps(body))}}})"
        ";</script>"
    )


def sign_in_as(principal: Principal) -> None:
    """A new session (a new token: one planted before the sign-in is never promoted), held by
    this tab and handed to the cookie for the browser's other tabs and next visits."""
    rt = runtime()
    token = open_session(rt, principal=principal, kind=SessionKind.WEB, client_addr=client_addr())
    st.session_state[_SESSION] = token
    st.session_state[_COOKIE_STEP] = _post(
        route_path("session"), {"handoff": issue_handoff(rt, token=token)}
    )
    st.session_state.pop(_NOTICE, None)


def _forget(notice: str | None) -> None:
    for key in list(st.session_state.keys()):
        if key != _COOKIE_READ:
            del st.session_state[key]
    if notice:
        st.session_state[_NOTICE] = notice
    st.session_state[_COOKIE_STEP] = _post(route_path("session/end"), {})


def sign_out(notice: str | None = None) -> None:
    token = st.session_state.get(_SESSION)
    if isinstance(token, str):
        end_session(runtime(), token=token)
    _forget(notice)


def pop_notice() -> str | None:
    notice = st.session_state.pop(_NOTICE, None)
    return str(notice) if notice else None


def write_cookie_step() -> None:
    """Run the pending cookie step in the browser (once; the composition root calls this on
    every run)."""
    step = st.session_state.pop(_COOKIE_STEP, None)
    if isinstance(step, str):
        st.html(step, unsafe_allow_javascript=True)


def _token() -> str | None:
    token = st.session_state.get(_SESSION)
    if isinstance(token, str):
        return token
    if st.session_state.get(_COOKIE_READ):
        return None
    st.session_state[_COOKIE_READ] = True
    token = cookie_token(cookies())
    if token is not None:
        st.session_state[_SESSION] = token
    return token


def current_principal(*, touch: bool = True) -> Principal | None:
    """The signed-in person if the session is still open and within the Policy's limits
    (``touch``: this run is their activity). A session that ended leaves this tab signed out,
    with the reason to show on the sign-in page, and its cookie cleared."""
    token = _token()
    if token is None:
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
