"""Password rules and hashing: bcrypt (salted, slow), at least 12 characters, not on the
banned list shipped with the product, and a constant-time check for unknown usernames."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import bcrypt
from sqlalchemy.orm import Session

from alpr.governance.errors import InvalidInput
from alpr.governance.runtime import Runtime

BANNED_LIST = Path(__file__).with_name("banned_passwords.txt")
BCRYPT_ROUNDS = 12


class PasswordRejected(InvalidInput):
    """A password the rules refuse: bad input, said as the rule it breaks."""


@lru_cache(maxsize=1)
def banned_passwords() -> frozenset[str]:
    lines = BANNED_LIST.read_text().splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def check_password_rules(password: str, *, username: str, min_length: int) -> None:
    if len(password) < min_length:
        raise PasswordRejected(f"A password needs at least {min_length} characters.")
    lowered = password.lower()
    if lowered in banned_passwords() or re.sub(r"[\d!@#$%^&*.]+$", "", lowered) in (
        banned_passwords()
    ):
        raise PasswordRejected("This password is on the list of banned passwords; choose another.")
    if username.lower() in lowered:
        raise PasswordRejected("A password must not contain the username.")
    if len(set(password)) < 5:
        raise PasswordRejected("A password must not be made of a few repeated characters.")


def check_new_password(session: Session, rt: Runtime, password: str, *, username: str) -> None:
    """The rules, with the policy's minimum length, for any password about to be set."""
    check_password_rules(
        password, username=username, min_length=rt.policy(session).password_min_length
    )


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(BCRYPT_ROUNDS)).decode()


@lru_cache(maxsize=1)
def _dummy_hash() -> bytes:
    return bcrypt.hashpw(b"unknown-user-placeholder", bcrypt.gensalt(BCRYPT_ROUNDS))


def verify_password(password: str, stored_hash: str | None) -> bool:
    """Check a password; without a stored hash the same bcrypt work is done and fails, so an
    unknown username takes as long as a known one."""
    if stored_hash is None:
        bcrypt.checkpw(password.encode(), _dummy_hash())
        return False
    return bcrypt.checkpw(password.encode(), stored_hash.encode())
