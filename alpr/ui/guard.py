"""Every page checks its own permission again (the navigation is the first line, this is
the second), with the gateway's own check: a page opened without the permission, or with
training that has lapsed, shows nothing but why."""

from __future__ import annotations

import streamlit as st

from alpr.governance.errors import Refusal
from alpr.governance.gateway import check_standing
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.ui.context import runtime
from alpr.ui.messages import show_refusal
from alpr.ui.session import current_principal


def require_signed_in() -> Principal:
    principal = current_principal()
    if principal is None:
        st.warning("Sign in to use the ALPR system.", icon=":material/lock:")
        st.page_link("app_pages/sign_in.py", label="Go to sign-in", icon=":material/login:")
        st.stop()
    return principal


def require_page(permission: Permission | tuple[Permission, ...]) -> Principal:
    """The signed-in person, if they may use the permission (or one of them) now: their role
    grants it and, for ALPR data, their training is current (a refusal is recorded)."""
    principal = require_signed_in()
    try:
        check_standing(runtime(), principal=principal, permission=permission)
    except Refusal as refused:
        show_refusal(refused)
        st.stop()
    return principal
