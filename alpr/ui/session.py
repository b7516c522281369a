"""The signed-in person of this browser session: a session kept on the server (revocable, with
the Policy's idle lock and absolute limit) whose token this tab holds, taken from the browser's
HttpOnly cookie when the tab opens, so a refresh, a new tab or a pasted link stays signed in.
Every full run of a page is the person's activity; a fragment that refreshes by itself
re-checks the session without restarting its idle time.

The cookie itself is written and cleared by the routes of ``alpr.ui.session_routes``: after a
sign-in this tab's page posts the one-time handoff there, after a sign-out (or a session found
ended) it asks for the cookie to be cleared.

The person's work on the pages (the reason alerts are watched under, each search's last result
and the form that asked for it) outlives a refresh too: it is kept on the server under the
session (``keep_work``), put back into a tab that opens on it (``restore_work``), and forgotten
when the session ends. A result is kept as it was shown, so nothing is searched again: what was
shown to this person is shown to them again (its images are fetched, and recorded, as every
view of them is). A search form's fields are named with ``kept_field``, so that the form beside
a result always says what it asked, after a refresh or a visit to another page alike."""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any, Literal, Required, TypedDict

import streamlit as st

from alpr.governance.auth.sessions import (
    BROWSER,
    SessionEnded,
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
# The pages' state that is the person's work, kept across a refresh: results, and the scene a
# canvass is drawn around (held outside any widget, since a click on the map moves it).
WORK_KEYS = (
    "alerts_monitoring",
    "alerts_picked",
    "alerts_shown",
    "canvass_address",
    "canvass_corners",
    "canvass_for",
    "canvass_home",
    "canvass_picked",
    "canvass_place_at",
    "canvass_radius_m",
    "canvass_result",
    "canvass_scene",
    "canvass_version",
    "common_asked",
    "common_scenes",
    "common_result",
    "convoy_result",
    "history_asked",
    "history_result",
    "plate_result",
)
_FIELDS = "alpr_work_fields"  # the keys of the search forms' fields named by ``kept_field``
_WORK_SESSIONS = 500  # the most sessions whose work is kept at once (the oldest go first)


_DESKS_LOCK = threading.Lock()  # sessions run in threads of one server


@st.cache_resource
def _desks() -> OrderedDict[str, dict[str, Any]]:
    """Each open session's work, by a digest of its token (the token itself is not kept)."""
    return OrderedDict()


def _desk_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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
    token = open_session(rt, principal=principal, holder=BROWSER, client_addr=client_addr())
    st.session_state[_SESSION] = token
    st.session_state[_COOKIE_STEP] = _post(
        route_path("session"), {"handoff": issue_handoff(rt, token=token)}
    )
    st.session_state.pop(_NOTICE, None)


def _forget(notice: str | None) -> None:
    token = st.session_state.get(_SESSION)
    if isinstance(token, str):
        with _DESKS_LOCK:
            _desks().pop(_desk_key(token), None)
    for key in list(st.session_state.keys()):
        if key != _COOKIE_READ:
            del st.session_state[key]
    if notice:
        st.session_state[_NOTICE] = notice
    st.session_state[_COOKIE_STEP] = _post(route_path("session/end"), {})


def sign_out(notice: str | None = None) -> None:
    token = st.session_state.get(_SESSION)
    if isinstance(token, str):
        end_session(runtime(), token=token, holder=BROWSER)
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
        return resume_session(runtime(), token=token, holder=BROWSER, touch=touch)
    except SessionEnded as ended:
        _forget(ended.message)
        return None


def require_open_session() -> None:
    """For a fragment that refreshes by itself: re-check the idle lock and the absolute limit
    without counting as activity; an ended session takes the whole page to the sign-in page
    instead of showing more data."""
    if current_principal(touch=False) is None:
        st.rerun(scope="app")


class FieldKey(TypedDict, total=False):
    """A widget's ``key`` and, for a kept field, its ``persist_state``."""

    key: Required[str]
    persist_state: Literal["session"]


def kept_field(key: str, *, keep: bool = True) -> FieldKey:
    """The keyword arguments naming a search form's field (``st.text_input(...,
    **kept_field("plate_pattern"))``): its value is the person's work, kept by Streamlit while
    they visit other pages and by ``keep_work`` through a refresh or a new tab. A form whose
    fields must start empty again (one that files a request) or hold a secret passes
    ``keep=False`` and gets its bare key."""
    if not keep:
        return {"key": key}
    fields: set[str] = st.session_state.setdefault(_FIELDS, set())
    fields.add(key)
    return {"key": key, "persist_state": "session"}


def restore_work() -> None:
    """Put the session's kept work back into a tab that has none of it (a refresh, a new tab).
    Each tab gets its own copy: a scene added in one tab is not added in another."""
    token = st.session_state.get(_SESSION)
    with _DESKS_LOCK:
        desk = dict(_desks().get(_desk_key(token), {})) if isinstance(token, str) else {}
    for key, value in desk.items():
        if key not in st.session_state:
            st.session_state[key] = copy.deepcopy(value)


def keep_work() -> None:
    """Keep this tab's work under its session (called at the end of every run)."""
    token = st.session_state.get(_SESSION)
    if not isinstance(token, str):
        return
    desks = _desks()
    key = _desk_key(token)
    fields = st.session_state.get(_FIELDS, set())
    work = {k: st.session_state[k] for k in (*WORK_KEYS, _FIELDS, *fields) if k in st.session_state}
    with _DESKS_LOCK:
        desks[key] = work
        desks.move_to_end(key)
        while len(desks) > _WORK_SESSIONS:
            desks.popitem(last=False)
