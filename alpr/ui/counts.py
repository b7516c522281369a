"""Counts as people write them: "1 read", "2 reads", "2 entries", "< 1 min", "4.8 KB",
"5 years (1,825 days)"."""

from __future__ import annotations


def counted(count: int, noun: str, *, plural: str | None = None) -> str:
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def minutes_spoken(minutes: float) -> str:
    """A span of time as a supervisor writes it, short enough for a metric: "< 1 min", "4 min",
    "2 h 5 min"."""
    if minutes < 1:
        return "< 1 min"
    whole = round(minutes)
    if whole < 60:
        return f"{whole} min"
    hours, rest = divmod(whole, 60)
    return f"{hours:,} h {rest} min" if rest else f"{hours:,} h"


def days_spoken(days: int) -> str:
    """A retention period as people say it: whole years named as such, their days beside them
    for whoever checks the policy ("1 year (365 days)", "5 years (1,825 days)"); other spans in
    days ("90 days")."""
    years, rest = divmod(days, 365)
    if years and not rest:
        return f"{counted(years, 'year')} ({counted(days, 'day')})"
    return counted(days, "day")


def size_spoken(size_bytes: int) -> str:
    """A file's size as people say it: "23 bytes", "4.8 KB", "240 KB", "2.4 MB"."""
    if size_bytes < 1000:
        return counted(size_bytes, "byte")
    units = ("KB", "MB", "GB")
    size, step = size_bytes / 1000, 0
    while size >= 1000 and step < len(units) - 1:
        size, step = size / 1000, step + 1
    return f"{size:.1f} {units[step]}" if size < 10 else f"{size:,.0f} {units[step]}"
