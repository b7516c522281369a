"""Counts as people write them: "1 read", "2 reads", "2 entries"."""

from __future__ import annotations


def counted(count: int, noun: str, *, plural: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
