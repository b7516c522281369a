"""The justification form every query page uses (R10, R15, R21): place it inside the page's
``st.form`` so the reason is submitted with the query it justifies. A search page keeps it
(``keep``) with its result, so the reason shown is the one the result was asked with."""

from __future__ import annotations

import streamlit as st

from alpr.case_formats import described, examples
from alpr.governance.gateway import JustificationInput
from alpr.governance.justification import PURPOSE_LABELS
from alpr.governance.policy import policy_in_force
from alpr.ui.context import runtime
from alpr.ui.session import kept_field


def justification_fields(
    *, key: str, case_number: str = "", keep: bool = False
) -> JustificationInput:
    st.markdown("**Justification** — recorded with this search and reviewed by supervisors.")
    purposes = list(PURPOSE_LABELS)
    purpose = st.selectbox(
        "Purpose",
        options=purposes,
        index=None,
        format_func=lambda p: PURPOSE_LABELS[p],
        placeholder="Choose the authorized purpose",
        **kept_field(f"{key}_purpose", keep=keep),
    )
    formats = policy_in_force(runtime()).case_number_patterns
    left, right = st.columns([1, 2])
    number = left.text_input(
        "Case, call or warrant number",
        value=case_number,
        placeholder=next(iter(examples(formats)), ""),
        **kept_field(f"{key}_case", keep=keep),
        help=f"In one of the agency's formats, {described(formats)}.",
    )
    description = right.text_input(
        "Incident description (when there is no number yet)",
        placeholder="What happened, where and when",
        **kept_field(f"{key}_description", keep=keep),
    )
    exigent = st.checkbox(
        "Exigent: life-safety emergency (reviewed afterwards)",
        help="Describe the emergency in the incident description, even with a case number: "
        "what happened, where and when.",
        **kept_field(f"{key}_exigent", keep=keep),
    )
    return JustificationInput(
        purpose=purpose.value if purpose is not None else None,
        case_number=number or None,
        description=description or None,
        exigent=exigent,
    )
