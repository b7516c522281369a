"""Forms that keep what was typed when the act is refused or the input is wrong, and clear it
only once the act has succeeded (Streamlit's ``clear_on_submit`` clears it either way)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

import streamlit as st

from alpr.ui.messages import keep_notice, notice_slot


@dataclass(frozen=True)
class KeptForm:
    """``key(field)`` names each widget of the form; ``notice()`` is where the last success is
    said; ``done(text)`` clears the fields, says ``text`` and runs the page again."""

    name: str
    notice_key: str = ""

    @property
    def _notice(self) -> str:
        return self.notice_key or f"{self.name}:done"

    def key(self, field: str) -> str:
        return f"{self.name}.{field}"

    def notice(self) -> None:
        notice_slot(self._notice)

    def done(self, text: str) -> NoReturn:
        prefix = f"{self.name}."
        for key in [k for k in st.session_state if str(k).startswith(prefix)]:
            del st.session_state[key]
        keep_notice(self._notice, text)
        st.rerun()
