"""The signed-in principal of this browser session and the CJIS session limits: idle lock
after 30 minutes, a fresh sign-in after 12 hours."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from alpr.governance.auth.sessions import SessionClock, SessionState
from alpr.governance.principal import Principal
from alpr.ui.context import runtime

_PRINCIPAL = "alpr_principal"
_CLOCK = "alpr_session_clock"
_NOTICE = "alpr_session_notice"


def _now() -> datetime:
    return runtime().now()


def sign_in_as(principal: Principal) -> None:
    st.session_state[_PRINCIPAL] = principal
    st.session_state[_CLOCK] = SessionClock(signed_in_at=_now(), last_activity_at=_now())
    st.session_state.pop(_NOTICE, None)


def sign_out(notice: str | None = None) -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if notice:
        st.session_state[_NOTICE] = notice


def pop_notice() -> str | None:
    notice = st.session_state.pop(_NOTICE, None)
    return str(notice) if notice else None


def current_principal() -> Principal | None:
    """The principal if the session is still valid; enforces the idle and maximum limits."""
    principal = st.session_state.get(_PRINCIPAL)
    clock = st.session_state.get(_CLOCK)
    if not isinstance(principal, Principal) or not isinstance(clock, SessionClock):
        return None
    settings = runtime().settings
    state = clock.state(
        now=_now(),
        idle_minutes=settings.idle_timeout_minutes,
        max_hours=settings.session_max_hours,
    )
    if state is SessionState.EXPIRED:
        sign_out(f"Your session reached {settings.session_max_hours} hours. Sign in again.")
        return None
    if state is SessionState.IDLE_LOCKED:
        sign_out(
            f"Your session was locked after {settings.idle_timeout_minutes} idle minutes. "
            "Sign in again."
        )
        return None
    st.session_state[_CLOCK] = clock.touched(_now())
    return principal
