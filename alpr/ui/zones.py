"""The agency's time zone as people in it say it: "Pacific time", not "America/Los_Angeles"."""

from __future__ import annotations

from typing import Any

_COMMON_NAMES = {
    "America/Los_Angeles": "Pacific time",
    "America/Denver": "Mountain time",
    "America/Boise": "Mountain time",
    "America/Phoenix": "Mountain time (Arizona)",
    "America/Chicago": "Central time",
    "America/New_York": "Eastern time",
    "America/Detroit": "Eastern time",
    "America/Indiana/Indianapolis": "Eastern time",
    "America/Anchorage": "Alaska time",
    "Pacific/Honolulu": "Hawaii time",
    "America/Puerto_Rico": "Atlantic time",
    "Pacific/Guam": "Chamorro time",
    "UTC": "UTC",
}


def zone_name(tz: Any) -> str:
    """The zone's common name, or its name in the time-zone database when it has none here."""
    return _COMMON_NAMES.get(str(tz), str(tz))
