"""A sergeant's approval for a search beyond the policy bounds, given on the spot by signing
in with their own password and code (``alpr.governance.auth.approval``, as on the command
line); the gateway records who approved and why."""

from __future__ import annotations

import streamlit as st

from alpr.governance.auth.approval import ApprovalInput, approval_of
from alpr.governance.principal import Principal
from alpr.ui.context import client_addr, runtime


def approval_fields(
    *, key: str, needed_for: str = "searches beyond the agency's bounds"
) -> ApprovalInput | None:
    """Inside a form: optional supervisor approval fields."""
    with st.expander(f"Supervisor approval (only for {needed_for})"):
        username = st.text_input("Sergeant's username", key=f"{key}_appr_user")
        password = st.text_input("Sergeant's password", type="password", key=f"{key}_appr_pw")
        code = st.text_input("Sergeant's authenticator code", key=f"{key}_appr_code")
        note = st.text_input("Why this broader search is needed", key=f"{key}_appr_note")
    if not username:
        return None
    return ApprovalInput(username, password, code, note)


def approver_from(given: ApprovalInput | None) -> tuple[Principal | None, str | None]:
    return approval_of(runtime(), given, client_addr=client_addr())
