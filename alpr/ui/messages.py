"""How refusals and bad input are shown: plainly, with what to do next."""

from __future__ import annotations

import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal, RefusalKind

_TITLES = {
    RefusalKind.SIGN_IN: "Sign-in refused",
    RefusalKind.PERMISSION: "Not allowed for your role",
    RefusalKind.TRAINING: "Training required",
    RefusalKind.JUSTIFICATION: "Justification needed",
    RefusalKind.BOUNDS: "Beyond the agency's search bounds",
    RefusalKind.RULE: "Refused by policy",
}


def show_refusal(error: Refusal | InvalidInput | ValueError) -> None:
    if isinstance(error, Refusal):
        st.error(f"**{_TITLES[error.kind]}.** {error.message}", icon=":material/block:")
    else:
        st.error(f"**Please correct this:** {error}", icon=":material/edit:")


def keep_notice(key: str, text: str) -> None:
    """Say ``text`` on the next run of the page (after an act and its rerun)."""
    st.session_state[key] = text


def notice_slot(key: str) -> None:
    """Where the page says what its last act did. The slot is there on every run, so that the
    elements after it (tabs, forms) keep their place and state."""
    slot = st.empty()
    text = st.session_state.pop(key, None)
    if text:
        slot.success(text, icon=":material/check_circle:")
