from collections.abc import Callable

import streamlit as st

from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.permissions import ROLE_CATALOGUE, Permission, role_definition
from alpr.governance.users import (
    activate_user,
    awaiting_activation,
    change_role,
    create_user,
    designate_trainer,
    disable_user,
    enable_user,
    list_users,
    reset_mfa,
    reset_password,
    reset_words,
    unlock_user,
)
from alpr.ui.context import runtime
from alpr.ui.guard import require_page
from alpr.ui.messages import show_refusal
from alpr.ui.notices import finish, form_version, show_pending

principal = require_page((Permission.MANAGE_USERS, Permission.ACTIVATE_ACCOUNTS))
rt = runtime()
st.title("Users")
show_pending()
forms = form_version("user_forms")
roles = [r.code.value for r in ROLE_CATALOGUE]
role_names = {r.code.value: r.name for r in ROLE_CATALOGUE}


AWAITS = " It awaits activation by a second person (another ALPR Administrator or command staff), "
RESET_FOLLOWS = {
    "Reset password": AWAITS + "who confirms the temporary password reaches its holder alone; "
    "they then replace it with their own at sign-in.",
    "Reset second factor": AWAITS + "who confirms the new second factor reaches its holder "
    "alone; they then enrol their authenticator at sign-in.",
}
ACTIONS = (
    "Unlock",
    "Disable",
    "Enable",
    "Reset password",
    "Reset second factor",
    "Change role",
    "Designate trainer",
    "End trainer designation",
)


def sentence(words: str) -> str:
    return words[:1].upper() + words[1:]


def activation_section() -> None:
    """Accounts waiting for a second person, who vouches for each holder: new ones, and those
    whose password or second factor was reset."""
    waiting = awaiting_activation(rt, actor=principal)
    st.subheader("Awaiting activation")
    if not waiting:
        st.caption(
            "No account is waiting to be activated. An account an ALPR Administrator creates, "
            "or whose password or second factor they reset, waits here for a second person."
        )
        return
    st.caption(
        "A new account signs in only once a second person has activated it: whoever created "
        "it knows its first password. So does an account whose password or second factor was "
        "reset: whoever reset it knows the new password, or could enrol an authenticator of "
        "their own. Activate an account only for a member of the department you know to hold "
        "that job, and after a reset only once they confirm the new credentials reached them "
        "alone."
    )
    st.table(
        [
            {
                "Username": w.username,
                "Name": w.full_name + (f" · {w.title}" if w.title else ""),
                "Role": role_names[w.role.value]
                + (" · independent contractor" if w.is_contractor else ""),
                "Created by": w.created_by or "",
                "Created": f"{w.created_at.astimezone(rt.settings.tz):%Y-%m-%d %H:%M}",
                "Credentials reset": sentence(reset_words(w, rt.settings.tz)),
            }
            for w in waiting
        ],
        hide_index=True,
    )
    with st.form("activate_account"):
        names = {w.username: f"{w.full_name} ({w.username})" for w in waiting}
        chosen = st.selectbox(
            "Account to activate",
            list(names),
            index=None,
            format_func=names.__getitem__,
            placeholder="Choose an account",
        )
        if st.form_submit_button("Activate", type="primary"):
            try:
                if chosen is None:
                    raise InvalidInput("choose the account to activate")
                code = activate_user(rt, actor=principal, username=chosen)
            except (Refusal, InvalidInput) as exc:
                show_refusal(exc)
            else:
                finish(
                    "success",
                    f"Activated {names[chosen]}: recorded in the access log."
                    + (
                        f" Activation code for its first sign-in: **{code}**. Give it to its "
                        "holder in person (not through whoever set its password): they type it "
                        "with their own new password. It is shown only this once."
                        if code
                        else ""
                    ),
                )


if not principal.can(Permission.MANAGE_USERS):
    activation_section()
    st.stop()

users = list_users(rt, actor=principal)


# A table that wraps rather than scrolls: at 1024 and 1280 pixels the account's state and its
# credentials ran off the page's edge.
st.table(
    [
        {
            "Username": u.username,
            "Name": u.full_name + (f" · {u.title}" if u.title else ""),
            "Role": role_definition(u.role).name
            + (" · designated trainer" if u.is_trainer else "")
            + (" · independent contractor" if u.is_contractor else ""),
            # Training is the condition of any access (R05): on a laptop's screen it shows
            # beside the role, before the account's longer story.
            "Training": u.training_words(),
            "Account": u.account_words(rt.settings.tz),
            "Credentials": sentence(u.credentials_words()),
        }
        for u in users
    ],
    hide_index=True,
)

left, right = st.columns(2)
with left, st.form(f"new_user_{forms}"):
    st.subheader("New user")
    username = st.text_input("Username")
    full_name = st.text_input("Full name")
    title = st.text_input("Job title")
    role = st.selectbox("Role", roles, format_func=role_names.__getitem__)
    contractor = st.checkbox("Independent contractor")
    password = st.text_input(
        "Initial password (12+ characters)",
        type="password",
        help="Temporary: give it to its holder in person; they replace it with their own at "
        "their first sign-in, with the activation code the person who activates the account "
        "gives them.",
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
            finish(
                "success",
                f"Created the account of {full_name.strip()} ({account.username}). A second "
                "person (another ALPR Administrator or command staff) activates it under "
                "Awaiting activation; at their first sign-in its holder enrols their "
                "authenticator and replaces the password you gave with their own, typing the "
                "activation code that person is given for them.",
                forms="user_forms",
            )

with right, st.container(border=True):
    # The account by its holder's name, then the action; the form below asks only what that
    # action needs (a role, a temporary password), rather than every field for every action.
    st.subheader("Account actions")
    names = {u.username: f"{u.full_name} ({u.username})" for u in users}
    target = st.selectbox(
        "User",
        list(names),
        index=None,
        format_func=names.__getitem__,
        placeholder="Choose an account",
        key=f"action_user_{forms}",
    )
    action = st.radio("Action", ACTIONS, horizontal=True, index=None, key=f"action_kind_{forms}")
    with st.form(f"user_action_{forms}", border=False):
        new_role = (
            st.selectbox("New role", roles, format_func=role_names.__getitem__)
            if action == "Change role"
            else None
        )
        given = (
            st.text_input(
                "Temporary password",
                type="password",
                autocomplete="new-password",
                help="Give it to its holder in person; they replace it with their own at sign-in.",
            )
            if action == "Reset password"
            else ""
        )
        applied = st.form_submit_button("Apply")
    if applied:
        actions: dict[str, Callable[[str], object]] = {
            "Unlock": lambda who: unlock_user(rt, actor=principal, username=who),
            "Disable": lambda who: disable_user(rt, actor=principal, username=who),
            "Enable": lambda who: enable_user(rt, actor=principal, username=who),
            "Reset password": lambda who: reset_password(
                rt, actor=principal, username=who, password=given
            ),
            "Reset second factor": lambda who: reset_mfa(rt, actor=principal, username=who),
            "Change role": lambda who: change_role(
                rt, actor=principal, username=who, role=new_role or ""
            ),
            "Designate trainer": lambda who: designate_trainer(
                rt, actor=principal, username=who, trainer=True
            ),
            "End trainer designation": lambda who: designate_trainer(
                rt, actor=principal, username=who, trainer=False
            ),
        }
        try:
            if target is None or action is None:
                raise InvalidInput("choose the account and what to do with it")
            actions[action](target)
        except (Refusal, InvalidInput) as exc:
            show_refusal(exc)
        else:
            finish(
                "success",
                f"{action}: {names[target]} — recorded in the access log."
                + RESET_FOLLOWS.get(action, ""),
                forms="user_forms",
            )

activation_section()
