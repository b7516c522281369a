"""Bounds against dragnet searches (field notes 6): radius, time window, cameras and wildcard
breadth are limited by agency policy; beyond them a sergeant approves (the gateway checks).
The radius and the wildcard breadth also bound what a legal hold or a release may cover
(``alpr.governance.scopes``), and the time windows what a legal hold may
(``alpr.governance.retention.holds``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
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
    violations += canvass_window_violations(policy, start=start, end=end)
    if cameras > policy.search_max_cameras:
        violations.append(f"{cameras} cameras in range exceed {policy.search_max_cameras}")
    return violations


def canvass_window_violations(policy: Policy, *, start: datetime, end: datetime) -> list[str]:
    """Reads around a place cover at most the policy's canvass window."""
    hours = (end - start).total_seconds() / 3600
    if hours > policy.canvass_max_window_hours:
        return [f"time window {hours:.1f} h exceeds {policy.canvass_max_window_hours} h"]
    return []


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
    return wildcard_violations(
        policy, pattern=pattern, substitution=substitution
    ) + plate_window_violations(policy, start=start, end=end)


def plate_window_violations(policy: Policy, *, start: datetime, end: datetime) -> list[str]:
    """A search of one plate's reads (a plate search, its history, its convoy) covers at most
    the policy's plate search window: a longer look back at where a vehicle went is a
    sergeant's call."""
    days = (end - start).total_seconds() / 86400
    if days > policy.plate_search_max_window_days:
        return [f"time window {days:.0f} days exceeds {policy.plate_search_max_window_days} days"]
    return []


def shared_camera_violations(
    policy: Policy, scenes: Sequence[tuple[datetime, datetime, Collection[int]]]
) -> list[str]:
    """Scenes (start, end, cameras in range) that share a camera canvass it together: their
    windows on it, joined, stay within the canvass window, so that one place is not watched
    for longer by cutting the time into scenes."""
    spans: dict[int, list[tuple[datetime, datetime, int]]] = defaultdict(list)
    for index, (start, end, cameras) in enumerate(scenes, start=1):
        for camera in cameras:
            spans[camera].append((start, end, index))
    worst: tuple[float, list[int]] | None = None
    for windows in spans.values():
        hours = _joined_hours([(start, end) for start, end, _ in windows])
        if hours > policy.canvass_max_window_hours and (worst is None or hours > worst[0]):
            worst = (hours, sorted({index for *_, index in windows}))
    if worst is None:
        return []
    hours, indexes = worst
    return [
        f"scenes {', '.join(map(str, indexes))} cover the same cameras for {hours:.1f} h "
        f"together, exceeding {policy.canvass_max_window_hours} h"
    ]


def _joined_hours(windows: list[tuple[datetime, datetime]]) -> float:
    """Hours covered by the windows, overlaps counted once."""
    total = 0.0
    current: tuple[datetime, datetime] | None = None
    for start, end in sorted(windows):
        if current is not None and start <= current[1]:
            current = (current[0], max(current[1], end))
            continue
        if current is not None:
            total += (current[1] - current[0]).total_seconds()
        current = (start, end)
    if current is not None:
        total += (current[1] - current[0]).total_seconds()
    return total / 3600
