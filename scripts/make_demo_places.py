"""Write the demo city's places (alpr/data/demo/places.geojson): a street centre line through
the corners of every street the demo's cameras stand at, and address points along both sides
of each street. Deterministic: running it again writes the same file.

    .venv/bin/python scripts/make_demo_places.py [OUTPUT]
"""

from __future__ import annotations

import itertools
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

from alpr.data.demo.city import INTERSECTIONS

OUT = Path(__file__).resolve().parents[1] / "alpr" / "data" / "demo" / "places.geojson"
M_PER_DEG = 111_320.0
LAT0 = 37.69
COS0 = math.cos(math.radians(LAT0))
BEYOND_M = 220.0  # a street goes on past its last camera corner
STUB_M = 380.0  # each way, for a street known by one corner only
ADDRESS_EVERY_M = 45.0
ADDRESS_SETBACK_M = 11.0

Point = tuple[float, float]  # metres east, north of the origin


def to_metres(lat: float, lon: float) -> Point:
    return lon * COS0 * M_PER_DEG, (lat - LAT0) * M_PER_DEG


def to_degrees(p: Point) -> list[float]:
    return [round(p[0] / (COS0 * M_PER_DEG), 6), round(LAT0 + p[1] / M_PER_DEG, 6)]


def unit(dx: float, dy: float) -> Point:
    length = math.hypot(dx, dy) or 1.0
    return dx / length, dy / length


def corners() -> dict[str, list[Point]]:
    streets: dict[str, list[Point]] = defaultdict(list)
    for name, lat, lon, _ in INTERSECTIONS:
        for street in name.split(" & "):
            streets[street].append(to_metres(lat, lon))
    return streets


def axis(points: list[Point]) -> Point:
    """The direction the corners spread along most (principal axis)."""
    mx = sum(p[0] for p in points) / len(points)
    my = sum(p[1] for p in points) / len(points)
    sxx = sum((p[0] - mx) ** 2 for p in points)
    syy = sum((p[1] - my) ** 2 for p in points)
    sxy = sum((p[0] - mx) * (p[1] - my) for p in points)
    angle = 0.5 * math.atan2(2 * sxy, sxx - syy)
    return math.cos(angle), math.sin(angle)


def long_line(points: list[Point]) -> list[Point]:
    d = axis(points)
    ordered = sorted(points, key=lambda p: p[0] * d[0] + p[1] * d[1])
    head = unit(ordered[0][0] - ordered[1][0], ordered[0][1] - ordered[1][1])
    tail = unit(ordered[-1][0] - ordered[-2][0], ordered[-1][1] - ordered[-2][1])
    return [
        (ordered[0][0] + head[0] * BEYOND_M, ordered[0][1] + head[1] * BEYOND_M),
        *ordered,
        (ordered[-1][0] + tail[0] * BEYOND_M, ordered[-1][1] + tail[1] * BEYOND_M),
    ]


def direction_at(line: list[Point], at: Point) -> Point:
    """The direction of ``line`` at its vertex ``at``."""
    i = min(range(len(line)), key=lambda k: math.dist(line[k], at))
    a, b = line[max(0, i - 1)], line[min(len(line) - 1, i + 1)]
    return unit(b[0] - a[0], b[1] - a[1])


def streets() -> dict[str, list[Point]]:
    found = corners()
    lines = {name: long_line(points) for name, points in found.items() if len(points) > 1}
    for name, lat, lon, _ in INTERSECTIONS:
        first, second = name.split(" & ")
        at = to_metres(lat, lon)
        for street, other in ((first, second), (second, first)):
            if street in lines:
                continue
            if other in lines:
                along = direction_at(lines[other], at)
                d = (-along[1], along[0])
            else:  # two streets known by this corner only: a crossing a little off the grid
                angle = math.radians(80 if street == first else 170)
                d = (math.cos(angle), math.sin(angle))
            lines[street] = [
                (at[0] - d[0] * STUB_M, at[1] - d[1] * STUB_M),
                at,
                (at[0] + d[0] * STUB_M, at[1] + d[1] * STUB_M),
            ]
    return dict(sorted(lines.items()))


def addresses(name: str, line: list[Point]) -> list[tuple[str, Point]]:
    """Address points every ADDRESS_EVERY_M along the line, even numbers on the left."""
    found = []
    walked = 0.0
    next_at = ADDRESS_EVERY_M / 2
    for a, b in itertools.pairwise(line):
        length = math.dist(a, b)
        d = unit(b[0] - a[0], b[1] - a[1])
        left = (-d[1], d[0])
        while next_at <= walked + length:
            t = next_at - walked
            base = (a[0] + d[0] * t, a[1] + d[1] * t)
            number = 100 + 2 * int(next_at / 10)
            for side, house in ((1, number), (-1, number + 1)):
                spot = (
                    base[0] + side * left[0] * ADDRESS_SETBACK_M,
                    base[1] + side * left[1] * ADDRESS_SETBACK_M,
                )
                found.append((f"{house} {name}", spot))
            next_at += ADDRESS_EVERY_M
        walked += length
    return found


def feature(name: str, geometry: dict[str, object]) -> dict[str, object]:
    return {"type": "Feature", "properties": {"name": name}, "geometry": geometry}


def main(out: Path) -> None:
    lines = streets()
    features = [
        feature(name, {"type": "LineString", "coordinates": [to_degrees(p) for p in line]})
        for name, line in lines.items()
    ]
    features += [
        feature(label, {"type": "Point", "coordinates": to_degrees(spot)})
        for name, line in lines.items()
        for label, spot in addresses(name, line)
    ]
    rows = ",\n".join(json.dumps(f, separators=(",", ":")) for f in features)
    out.write_text(f'{{"type":"FeatureCollection","features":[\n{rows}\n]}}\n', encoding="utf-8")
    print(f"{out}: {len(lines)} streets, {len(features) - len(lines)} addresses")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
