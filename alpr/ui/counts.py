"""Counts as people write them: "1 read", "2 reads", "2 entries", "under a minute"."""

from __future__ import annotations


def counted(count: int, noun: str, *, plural: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def minutes_spoken(minutes: float) -> str:
    """A span of time as a supervisor says it: "under a minute", "4 min", "2 h 5 min"."""
    if minutes < 1:
        return "under a minute"
    whole = round(minutes)
    if whole < 60:
        return f"{whole} min"
    hours, rest = divmod(whole, 60)
    return f"{hours:,} h {rest} min" if rest else f"{hours:,} h"
