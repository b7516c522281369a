"""Counts as people write them: "1 read", "2 reads"."""

from __future__ import annotations


def counted(count: int, noun: str) -> str:
    return f"{count:,} {noun if count == 1 else noun + 's'}"
