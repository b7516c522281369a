"""Outcomes shown in the colour of their meaning, and kept across the rerun that refreshes a
page's tables after an action."""

from __future__ import annotations

from typing import Literal

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
    """Show ``text`` on the page's next run (call ``st.rerun()`` after it)."""
    st.session_state.setdefault(_PENDING, []).append((tone, text))


def show_pending() -> None:
    for tone, text in st.session_state.pop(_PENDING, []):
        boxed(tone, text)
