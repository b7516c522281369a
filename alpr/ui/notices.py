"""Outcomes shown in the colour of their meaning, and kept across the rerun that refreshes a
page's tables after an action."""

from __future__ import annotations

from typing import Literal, NoReturn

import streamlit as st

Tone = Literal["success", "warning", "error", "info"]
_PENDING = "alpr_notices"
_ICONS: dict[Tone, str] = {
    "success": ":material/check_circle:",
    "warning": ":material/rule:",
    "error": ":material/block:",
    "info": ":material/info:",
}


def boxed(tone: Tone, text: str) -> None:
    """A message box: green for what is allowed or done, amber for what needs a person's
    review, red for what is refused, blue for information."""
    {"success": st.success, "warning": st.warning, "error": st.error, "info": st.info}[tone](
        text, icon=_ICONS[tone]
    )


def after_rerun(tone: Tone, text: str) -> None:
    """Show ``text`` on the page's next run."""
    st.session_state.setdefault(_PENDING, []).append((tone, text))


def form_version(key: str) -> int:
    """A number for the keys of a page's forms: ``finish`` changes it, which empties them."""
    return int(st.session_state.get(key, 0))


def finish(tone: Tone, text: str, *, forms: str | None = None) -> NoReturn:
    """After an act that succeeded: say so, empty the page's forms (``forms``: the key of their
    version) and run the page again, so that its tables show the change."""
    if forms is not None:
        st.session_state[forms] = form_version(forms) + 1
    after_rerun(tone, text)
    st.rerun()


def show_pending() -> None:
    """Where the page says what its last act did. The slot is there on every run, so that the
    elements after it (tabs, forms) keep their place and state."""
    with st.container():
        for tone, text in st.session_state.pop(_PENDING, []):
            boxed(tone, text)
