"""The signed-in person's own account, under their name in the sidebar: changing their
password (the old one again, the new one twice). Every session of the account then ends, this
one too, and they sign in with the new one."""

from __future__ import annotations

import streamlit as st

from alpr.governance.auth.local import change_password
from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.principal import Principal
from alpr.ui.context import client_addr, runtime
from alpr.ui.messages import show_refusal
from alpr.ui.session import sign_out

CHANGED = "Your password was changed, and your other sessions were signed out. Sign in with it."


def password_change(principal: Principal) -> None:
    with (
        st.expander("Change my password", icon=":material/password:"),
        st.form("own_password_change", clear_on_submit=True, border=False),
    ):
        current = st.text_input(
            "Current password", type="password", autocomplete="current-password"
        )
        new = st.text_input("New password", type="password", autocomplete="new-password")
        again = st.text_input("New password again", type="password", autocomplete="new-password")
        if not st.form_submit_button("Change password"):
            return
        if new != again:
            st.error("The two new passwords differ; nothing was changed.")
            return
        try:
            change_password(
                runtime(),
                principal=principal,
                current=current,
                new=new,
                client_addr=client_addr(),
            )
        except (Refusal, InvalidInput) as refused:
            show_refusal(refused)
            return
    sign_out(CHANGED)
    st.rerun()
