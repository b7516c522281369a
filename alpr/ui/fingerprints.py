"""A SHA-256 fingerprint as a person compares it: in groups of eight characters, which a
narrow table cell wraps between groups (64 characters in one word ran past the page)."""

from __future__ import annotations

GROUP = 8


def fingerprint(sha256: str) -> str:
    return " ".join(sha256[i : i + GROUP] for i in range(0, len(sha256), GROUP))
