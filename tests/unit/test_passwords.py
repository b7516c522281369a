"""Password rules and hashing, and TOTP."""

from __future__ import annotations

import pyotp
import pytest

from alpr.governance.auth import totp
from alpr.governance.auth.passwords import (
    PasswordRejected,
    check_password_rules,
    hash_password,
    verify_password,
)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-pass1", "at least 12"),
        ("password1234", "banned"),
        ("thinblueline1", "banned"),
        ("Police2026!", "at least 12"),
        ("Password2026!", "banned"),
        ("jdoe-is-my-password-9", "username"),
        ("aaaaaaaaaaaa", "banned"),
        ("abababababababab", "repeated"),
    ],
)
def test_weak_passwords_are_refused(password: str, reason: str) -> None:
    with pytest.raises(PasswordRejected, match=reason):
        check_password_rules(password, username="jdoe", min_length=12)


def test_strong_password_is_hashed_with_salt_and_verified() -> None:
    check_password_rules("Correct-Horse-Battery-42", username="jdoe", min_length=12)
    first, second = (
        hash_password("Correct-Horse-Battery-42"),
        hash_password("Correct-Horse-Battery-42"),
    )
    assert first != second and first.startswith("$2b$12$")
    assert verify_password("Correct-Horse-Battery-42", first)
    assert not verify_password("Correct-Horse-Battery-43", first)


def test_unknown_user_check_fails_without_a_hash() -> None:
    assert verify_password("anything-at-all-123", None) is False


def test_totp_codes_verify_once_and_wrong_codes_do_not() -> None:
    """R01: a code is good once; a code of a step already used, or an earlier one, is spent."""
    secret = totp.new_secret()
    otp = pyotp.TOTP(secret)
    step = totp.accepted_step(secret, otp.now(), after=None)
    assert step is not None
    assert totp.accepted_step(secret, otp.now(), after=step) is None
    assert totp.accepted_step(secret, otp.generate_otp(step - 1), after=step) is None
    assert totp.accepted_step(secret, otp.generate_otp(step + 1), after=step) == step + 1
    wrong = "000000" if otp.now() != "000000" else "111111"
    assert totp.accepted_step(secret, wrong, after=None) is None
    assert totp.qr_png(totp.provisioning_uri(secret, username="jdoe")).startswith(b"\x89PNG")
