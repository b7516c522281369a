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
