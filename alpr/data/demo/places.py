"""The demo city's places as its county would publish them (``places.geojson``, written by
``scripts/make_demo_places.py``): street centre lines and address points. The seed loads them
like any agency's file, and puts its incidents at their addresses."""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

PLACES_FILE = Path(__file__).with_name("places.geojson")


def places_geojson() -> str:
    return PLACES_FILE.read_text(encoding="utf-8")


@cache
def _addresses() -> tuple[tuple[str, float, float], ...]:
    return tuple(
        (f["properties"]["name"], f["geometry"]["coordinates"][1], f["geometry"]["coordinates"][0])
        for f in json.loads(places_geojson())["features"]
        if f["geometry"]["type"] == "Point"
    )


def nearest_address(lat: float, lon: float, *, street: str) -> tuple[str, float, float]:
    """The address on ``street`` nearest to a point: (address, lat, lon)."""
    scale = math.cos(math.radians(lat))
    return min(
        (a for a in _addresses() if a[0].split(" ", 1)[1] == street),
        key=lambda a: (a[1] - lat) ** 2 + ((a[2] - lon) * scale) ** 2,
    )
