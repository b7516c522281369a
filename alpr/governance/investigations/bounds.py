"""Bounds against dragnet searches (field notes 6): radius, time window, cameras and wildcard
breadth are limited by agency policy; beyond them a sergeant approves (the gateway checks)."""

from __future__ import annotations

from datetime import datetime

from alpr.governance.errors import InvalidInput
from alpr.plates import PlatePattern
from alpr.policy import Policy


def check_window(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("times must carry a time zone")
    if end <= start:
        raise InvalidInput("the end of the time window must be after its start")


def canvass_violations(
    policy: Policy, *, radius_m: float, start: datetime, end: datetime, cameras: int
) -> list[str]:
    violations = []
    if radius_m > policy.canvass_max_radius_m:
        violations.append(f"radius {radius_m:.0f} m exceeds {policy.canvass_max_radius_m} m")
    hours = (end - start).total_seconds() / 3600
    if hours > policy.canvass_max_window_hours:
        violations.append(f"time window {hours:.1f} h exceeds {policy.canvass_max_window_hours} h")
    if cameras > policy.search_max_cameras:
        violations.append(f"{cameras} cameras in range exceed {policy.search_max_cameras}")
    return violations


def pattern_violations(
    policy: Policy, *, pattern: PlatePattern, start: datetime, end: datetime
) -> list[str]:
    violations = []
    if pattern.is_partial and pattern.known_chars < policy.wildcard_min_known_chars:
        violations.append(
            f"pattern {pattern.text} has {pattern.known_chars} known characters; at least "
            f"{policy.wildcard_min_known_chars} are required"
        )
    days = (end - start).total_seconds() / 86400
    if days > policy.plate_search_max_window_days:
        violations.append(
            f"time window {days:.0f} days exceeds {policy.plate_search_max_window_days} days"
        )
    return violations
