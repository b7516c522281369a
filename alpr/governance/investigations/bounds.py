"""Bounds against dragnet searches (field notes 6): radius, time window, cameras and wildcard
breadth are limited by agency policy; beyond them a sergeant approves (the gateway checks).
The radius and the wildcard breadth also bound what a legal hold or a release may cover
(``alpr.governance.scopes``)."""

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
    violations = radius_violations(policy, radius_m=radius_m)
    hours = (end - start).total_seconds() / 3600
    if hours > policy.canvass_max_window_hours:
        violations.append(f"time window {hours:.1f} h exceeds {policy.canvass_max_window_hours} h")
    if cameras > policy.search_max_cameras:
        violations.append(f"{cameras} cameras in range exceed {policy.search_max_cameras}")
    return violations


def radius_violations(policy: Policy, *, radius_m: float) -> list[str]:
    if radius_m > policy.canvass_max_radius_m:
        return [f"radius {radius_m:.0f} m exceeds {policy.canvass_max_radius_m} m"]
    return []


def wildcard_violations(
    policy: Policy, *, pattern: PlatePattern, substitution: bool = False
) -> list[str]:
    """A partial plate needs the policy's number of known characters. With one substituted
    character allowed, any one of them may differ, so one more is needed (and an exact plate
    becomes a partial one)."""
    needed = policy.wildcard_min_known_chars + int(substitution)
    if not (pattern.is_partial or substitution) or pattern.known_chars >= needed:
        return []
    allowing = " with one substituted character" if substitution else ""
    return [
        f"pattern {pattern.text} has {pattern.known_chars} known characters; at least "
        f"{needed} are required{allowing}"
    ]


def pattern_violations(
    policy: Policy,
    *,
    pattern: PlatePattern,
    start: datetime,
    end: datetime,
    substitution: bool = False,
) -> list[str]:
    violations = wildcard_violations(policy, pattern=pattern, substitution=substitution)
    days = (end - start).total_seconds() / 86400
    if days > policy.plate_search_max_window_days:
        violations.append(
            f"time window {days:.0f} days exceeds {policy.plate_search_max_window_days} days"
        )
    return violations
