import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.permissions import ROLE_CATALOGUE, Permission
from alpr.governance.users import (
    change_role,
    create_user,
    designate_trainer,
    disable_user,
    enable_user,
    list_users,
    reset_mfa,
    unlock_user,
)
from alpr.ui.context import runtime
from alpr.ui.forms import KeptForm
from alpr.ui.guard import require_page
from alpr.ui.messages import show_refusal

principal = require_page(Permission.MANAGE_USERS)
rt = runtime()
st.title("Users")

users = list_users(rt, actor=principal)
st.dataframe(
    [
        {
            "Username": u.username,
            "Name": u.full_name,
            "Role": u.role.value,
            "Contractor": u.is_contractor,
            "Trainer": u.is_trainer,
            "MFA enrolled": u.mfa_enrolled,
            "Locked": u.locked,
            "Disabled": u.disabled,
            "Training current": u.training_current,
        }
        for u in users
    ],
    hide_index=True,
    width="stretch",
)

roles = [r.code.value for r in ROLE_CATALOGUE]
left, right = st.columns(2)
new_user = KeptForm("new_user")
with left:
    new_user.notice()
with left, st.form(new_user.name):
    st.subheader("New user")
    username = st.text_input("Username", key=new_user.key("username"))
    full_name = st.text_input("Full name", key=new_user.key("full_name"))
    title = st.text_input("Job title", key=new_user.key("title"))
    role = st.selectbox("Role", roles, key=new_user.key("role"))
    contractor = st.checkbox("Independent contractor", key=new_user.key("contractor"))
    password = st.text_input(
        "Initial password (12+ characters)", type="password", key=new_user.key("password")
    )
    if st.form_submit_button("Create user", type="primary"):
        try:
            account = create_user(
                rt,
                actor=principal,
                username=username,
                full_name=full_name,
                role=role,
                agency_name=principal.agency_name,
                password=password,
                title=title or None,
                is_contractor=contractor,
            )
        except (Refusal, InvalidInput) as exc:
            show_refusal(exc)
        else:
            new_user.done(
                f"Created {account.username}. They enrol their authenticator at first sign-in."
            )

with right, st.form("user_action"):
    st.subheader("Account actions")
    target = st.selectbox("User", [u.username for u in users])
    action = st.radio(
        "Action",
        [
            "Unlock",
            "Disable",
            "Enable",
            "Reset MFA",
            "Change role",
            "Designate trainer",
            "End trainer designation",
        ],
        horizontal=True,
    )
    new_role = st.selectbox("New role (for Change role)", roles)
    if st.form_submit_button("Apply"):
        actions = {
            "Unlock": lambda: unlock_user(rt, actor=principal, username=target),
            "Disable": lambda: disable_user(rt, actor=principal, username=target),
            "Enable": lambda: enable_user(rt, actor=principal, username=target),
            "Reset MFA": lambda: reset_mfa(rt, actor=principal, username=target),
            "Change role": lambda: change_role(rt, actor=principal, username=target, role=new_role),
            "Designate trainer": lambda: designate_trainer(
                rt, actor=principal, username=target, trainer=True
            ),
            "End trainer designation": lambda: designate_trainer(
                rt, actor=principal, username=target, trainer=False
            ),
        }
        try:
            actions[action]()
            st.success(f"{action}: {target} — recorded in the access log.")
        except (Refusal, InvalidInput) as exc:
            show_refusal(exc)
