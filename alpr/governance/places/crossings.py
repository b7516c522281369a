"""Intersections: where two differently named street lines cross or meet, named after both
streets (the longer first, as people say "Mission St & Crocker Ave")."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from shapely import STRtree
from shapely.geometry import MultiPoint, Point
from shapely.geometry.base import BaseGeometry

from alpr.governance.places.names import fold

SAME_PLACE_DEG = 0.0002  # about 20 m: crossings of the same two streets closer are one


@dataclass(frozen=True)
class Crossing:
    name: str
    point: Point


def _points(geometry: BaseGeometry) -> list[Point]:
    if isinstance(geometry, Point):
        return [geometry]
    if isinstance(geometry, MultiPoint):
        return list(geometry.geoms)
    return []  # streets that share a stretch cross nowhere in particular


def crossings(streets: list[tuple[str, BaseGeometry]]) -> list[Crossing]:
    """The crossings of ``streets`` (name, line), in a stable order."""
    length: dict[str, float] = defaultdict(float)
    for name, line in streets:
        length[fold(name)] += line.length
    tree = STRtree([line for _, line in streets])
    found: dict[tuple[str, str], list[Point]] = defaultdict(list)
    for i, (name, line) in enumerate(streets):
        for j in tree.query(line, predicate="intersects"):
            other, other_line = streets[int(j)]
            if int(j) <= i or fold(other) == fold(name):
                continue
            pair = tuple(sorted((name, other), key=lambda n: (-round(length[fold(n)], 9), fold(n))))
            kept = found[(pair[0], pair[1])]
            for point in _points(line.intersection(other_line)):
                if all(point.distance(p) > SAME_PLACE_DEG for p in kept):
                    kept.append(point)
    return [
        Crossing(f"{first} & {second}", point)
        for (first, second), points in sorted(found.items())
        for point in sorted(points, key=lambda p: (p.y, p.x))
    ]
