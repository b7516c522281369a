"""One-time activation codes: the second person who activates an account whose password an
administrator set is given one for the account's holder, who types it with their own new
password at the first sign-in. The temporary password comes from one person and the code from
another, so neither can complete that sign-in alone. Only a bcrypt hash is kept."""

from __future__ import annotations

import secrets

from alpr.governance.auth.passwords import hash_password, verify_password

# Letters and digits that cannot be taken for one another when read aloud or copied by hand.
ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
LENGTH = 10


def new_code() -> tuple[str, str]:
    """A fresh code as it is shown (two groups of five, e.g. ``K7NPX-3WAFT``) and its hash."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:5]}-{raw[5:]}", hash_password(raw)


def matches(typed: str, code_hash: str) -> bool:
    """Whether ``typed`` is the code, however it was spaced, dashed or cased."""
    return verify_password("".join(c for c in typed.upper() if c.isalnum()), code_hash)
