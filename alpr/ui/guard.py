"""Every page checks its own permission again (the navigation is the first line, this is
the second): a page opened without the permission shows nothing but why."""

from __future__ import annotations

import streamlit as st

from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.ui.session import current_principal


def require_signed_in() -> Principal:
    principal = current_principal()
    if principal is None:
        st.warning("Sign in to use the ALPR system.", icon=":material/lock:")
        st.page_link("app_pages/sign_in.py", label="Go to sign-in", icon=":material/login:")
        st.stop()
    return principal


def require_page(permission: Permission | tuple[Permission, ...]) -> Principal:
    """The signed-in person, if they hold the permission (or one of them)."""
    principal = require_signed_in()
    wanted = permission if isinstance(permission, tuple) else (permission,)
    if not any(principal.can(p) for p in wanted):
        st.error(
            "Your role does not include "
            + " or ".join(f"'{p.value}'" for p in wanted)
            + ". ALPR data is shown on a need-to-know basis.",
            icon=":material/block:",
        )
        st.stop()
    return principal
