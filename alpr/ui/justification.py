"""The justification form every query page uses (R10, R15, R21): place it inside the page's
``st.form`` so the reason is submitted with the query it justifies."""

from __future__ import annotations

import streamlit as st

from alpr.case_formats import described, examples
from alpr.governance.gateway import JustificationInput
from alpr.governance.justification import PURPOSE_LABELS
from alpr.governance.policy import policy_in_force
from alpr.ui.context import runtime


def justification_fields(*, key: str, case_number: str = "") -> JustificationInput:
    st.markdown("**Justification** — recorded with this search and reviewed by supervisors.")
    purposes = list(PURPOSE_LABELS)
    purpose = st.selectbox(
        "Purpose",
        options=purposes,
        index=None,
        format_func=lambda p: PURPOSE_LABELS[p],
        placeholder="Choose the authorized purpose",
        key=f"{key}_purpose",
    )
    formats = policy_in_force(runtime()).case_number_patterns
    left, right = st.columns([1, 2])
    number = left.text_input(
        "Case, call or warrant number",
        value=case_number,
        placeholder=next(iter(examples(formats)), ""),
        key=f"{key}_case",
        help=f"In one of the agency's formats, {described(formats)}.",
    )
    description = right.text_input(
        "Incident description (when there is no number yet)",
        placeholder="What happened, where and when",
        key=f"{key}_description",
    )
    exigent = st.checkbox(
        "Exigent: life-safety emergency (reviewed afterwards)", key=f"{key}_exigent"
    )
    return JustificationInput(
        purpose=purpose.value if purpose is not None else None,
        case_number=number or None,
        description=description or None,
        exigent=exigent,
    )
