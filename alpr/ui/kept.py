"""What a governed call answered, kept for the session under what was asked: a page drawn
again (a widget moved, a tab opened, a button pressed) shows the answer again without asking
again, so the access log holds a record per look, not one per rerun. Signing out forgets it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

T = TypeVar("T")


def kept(store: str, key: tuple[Any, ...], load: Callable[[], T], *, again: bool = False) -> T:
    """``load()``'s answer for ``key``, asked the first time (or ``again``) and kept in the
    session's ``store``."""
    answers: dict[tuple[Any, ...], Any] = st.session_state.setdefault(store, {})
    if again or key not in answers:
        answers[key] = load()
    return answers[key]
