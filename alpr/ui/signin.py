"""The sign-in page: the banner that must be acknowledged, password, then the TOTP code
(with enrolment by QR code the first time), then, for a password an administrator set, the
owner's own; or the agency's single sign-on."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import parse_qs, urlparse

import streamlit as st

from alpr.governance.auth import totp
from alpr.governance.auth.local import (
    ACTIVATION_CODE,
    CHOOSE_YOUR_OWN,
    MfaChallenge,
    PasswordChange,
    check_password,
    check_totp,
    choose_password,
)
from alpr.governance.auth.oidc import sign_in_sso
from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.policy import policy_in_force
from alpr.governance.principal import Principal
from alpr.ui.context import client_addr, runtime
from alpr.ui.messages import show_refusal
from alpr.ui.session import pop_notice, sign_in_as

BANNER = (
    "**RESTRICTED SYSTEM — AUTHORIZED LAW ENFORCEMENT USE ONLY.** This system holds automated "
    "license plate reader data protected by California Civil Code 1798.90.5–1798.90.55. Use is "
    "monitored and recorded: every search, with its justification, is kept in an access log "
    "that supervisors audit. Unauthorized access or use is punishable under state and federal "
    "law and may expose you to civil liability (Civil Code 1798.90.54)."
)
_CHALLENGE = "alpr_mfa_challenge"


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file: single sign-on is not set up
        return False


def _complete(principal: Principal) -> None:
    sign_in_as(principal)
    st.rerun()


def _sso_section() -> None:
    if not _sso_configured():
        return
    user: Any = st.user
    if user.get("is_logged_in"):
        try:
            _complete(sign_in_sso(runtime(), claims=user.to_dict(), client_addr=client_addr()))
        except Refusal as refusal:
            show_refusal(refusal)
            st.button("Sign out of single sign-on", on_click=st.logout)
        return
    st.button("Sign in with agency single sign-on", on_click=st.login, icon=":material/key:")
    st.divider()


def _password_step() -> None:
    with st.form("sign_in"):
        acknowledged = st.checkbox("I acknowledge this notice", key="banner_ack")
        username = st.text_input("Username", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if not submitted:
        return
    if not acknowledged:
        st.error("Acknowledge the notice above before signing in.")
        return
    try:
        step = check_password(
            runtime(), username=username, password=password, client_addr=client_addr()
        )
    except Refusal as refusal:
        show_refusal(refusal)
        return
    _next(step)


def _next(step: MfaChallenge | PasswordChange | Principal) -> None:
    if isinstance(step, Principal):
        st.session_state.pop(_CHALLENGE, None)
        _complete(step)
    st.session_state[_CHALLENGE] = step
    st.rerun()


def _totp_step(challenge: MfaChallenge) -> None:
    if challenge.needs_enrolment and challenge.provisioning_uri:
        st.info(
            "Second factor required for every account. Scan this code with your authenticator "
            "app (or type the key shown below), then enter the 6-digit code it shows.",
            icon=":material/qr_code_2:",
        )
        # In the page itself: files at /media are served to open sessions only, and the
        # person enrolling has none yet.
        qr = base64.b64encode(totp.qr_png(challenge.provisioning_uri)).decode()
        st.html(f'<img src="data:image/png;base64,{qr}" width="220" alt="Authenticator key">')
        key = parse_qs(urlparse(challenge.provisioning_uri).query).get("secret", [""])[0]
        st.markdown("Key: " + " ".join(f"`{key[i : i + 4]}`" for i in range(0, len(key), 4)))
    with st.form("totp"):
        code = st.text_input(
            f"Authenticator code for {challenge.username}",
            max_chars=6,
            autocomplete="one-time-code",
        )
        submitted = st.form_submit_button("Verify", type="primary")
    if st.button("Cancel"):
        st.session_state.pop(_CHALLENGE, None)
        st.rerun()
    if submitted:
        try:
            step = check_totp(runtime(), challenge=challenge, code=code, client_addr=client_addr())
        except Refusal as refusal:
            show_refusal(refusal)
            if "locked" in refusal.message:
                st.session_state.pop(_CHALLENGE, None)
            return
        _next(step)


def _password_change_step(change: PasswordChange) -> None:
    st.info(
        CHOOSE_YOUR_OWN + (f" {ACTIVATION_CODE}" if change.needs_code else ""),
        icon=":material/password:",
    )
    st.caption(
        f"At least {policy_in_force(runtime()).password_min_length} characters, not a common "
        "password, without your username, and not the one you were given."
    )
    with st.form("own_password"):
        password = st.text_input(
            f"New password for {change.username}", type="password", autocomplete="new-password"
        )
        again = st.text_input(
            "The new password again", type="password", autocomplete="new-password"
        )
        code = (
            st.text_input("Activation code", placeholder="XXXXX-XXXXX", autocomplete="off")
            if change.needs_code
            else None
        )
        submitted = st.form_submit_button("Set my password and sign in", type="primary")
    if st.button("Cancel"):
        st.session_state.pop(_CHALLENGE, None)
        st.rerun()
    if not submitted:
        return
    if password != again:
        st.error("The two passwords differ; type the same new password twice.")
        return
    try:
        principal = choose_password(
            runtime(),
            change=change,
            password=password,
            activation_code=code,
            client_addr=client_addr(),
        )
    except InvalidInput as invalid:
        show_refusal(invalid)
        return
    except Refusal as refusal:
        show_refusal(refusal)
        st.session_state.pop(_CHALLENGE, None)
        return
    _next(principal)


def render_sign_in() -> None:
    st.title("ALPR — sign in")
    notice = pop_notice()
    if notice:
        st.warning(notice, icon=":material/timer:")
    st.warning(BANNER, icon=":material/gpp_maybe:")
    st.page_link(
        "app_pages/transparency.py",
        label="Public ALPR usage and privacy policy",
        icon=":material/public:",
    )
    challenge = st.session_state.get(_CHALLENGE)
    if isinstance(challenge, MfaChallenge):
        _totp_step(challenge)
        return
    if isinstance(challenge, PasswordChange):
        _password_change_step(challenge)
        return
    _sso_section()
    _password_step()
