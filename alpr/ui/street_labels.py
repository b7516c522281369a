"""Street names placed the way a street map places them: along a street's longest stretch (its
middle, or nearer an end when the middle is taken), never upside down, only where the stretch is
as long as the name, and never over another name — the longest streets first, for the zoom the
map opens at."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from typing import Any

import shapely
from shapely.affinity import rotate, translate
from shapely.geometry import Polygon, box

from alpr.governance.places import StreetLine

LABEL_SIZE_PX = 12
CHAR_WIDTH_PX = 7.0  # the label font's average advance at LABEL_SIZE_PX, outline included
LABEL_HEIGHT_PX = 16.0
LABEL_GAP_PX = 6.0  # clear space kept around each name


def screen_px(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixels at ``zoom`` (deck.gl's world is 512 pixels wide at zoom 0), y down."""
    size = 512 * 2**zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180) / 360 * size, (1 - y / math.pi) / 2 * size


def _stretch(street: StreetLine, zoom: float) -> tuple[list[float], list[float], float]:
    """The street's longest straight stretch, and its length in pixels at ``zoom``."""

    def length(ab: tuple[list[float], list[float]]) -> float:
        (x0, y0), (x1, y1) = (screen_px(p[0], p[1], zoom) for p in ab)
        return math.hypot(x1 - x0, y1 - y0)

    a, b = max(itertools.pairwise(street.path), key=length)
    return a, b, length((a, b))


# Where along its stretch a name is tried: the middle, then outwards in twentieths.
ALONG = (0.5, *(0.5 + sign * step / 20 for step in range(1, 10) for sign in (-1, 1)))


def _placings(street: StreetLine, zoom: float) -> Iterator[tuple[dict[str, Any], Polygon]]:
    """Where the name may go along the street's longest stretch, the middle first, each with
    the space it takes on screen; none when the stretch is shorter than the name."""
    a, b, stretch_px = _stretch(street, zoom)
    width = len(street.name) * CHAR_WIDTH_PX
    if stretch_px < width:
        return
    scale = math.cos(math.radians(a[1]))
    angle = math.degrees(math.atan2(b[1] - a[1], (b[0] - a[0]) * scale))
    if angle > 90:
        angle -= 180
    elif angle <= -90:
        angle += 180
    half_w, half_h = width / 2 + LABEL_GAP_PX, LABEL_HEIGHT_PX / 2 + LABEL_GAP_PX
    shape = rotate(box(-half_w, -half_h, half_w, half_h), -angle, origin=(0, 0))
    for along in ALONG:
        if min(along, 1 - along) * stretch_px < width / 2:
            continue  # the name would run past the end of its stretch
        at = [a[0] + (b[0] - a[0]) * along, a[1] + (b[1] - a[1]) * along]
        label = {"name": street.name, "position": at, "angle": angle}
        yield label, translate(shape, *screen_px(at[0], at[1], zoom))


CELL_PX = 128.0  # the grid that finds which placed names a new one might overlap


def _cells(shape: Polygon) -> list[tuple[int, int]]:
    x0, y0, x1, y1 = shape.bounds
    return [
        (cx, cy)
        for cx in range(int(x0 // CELL_PX), int(x1 // CELL_PX) + 1)
        for cy in range(int(y0 // CELL_PX), int(y1 // CELL_PX) + 1)
    ]


def placed_labels(streets: Sequence[StreetLine], *, zoom: float) -> list[dict[str, Any]]:
    """The names that fit at ``zoom``, longest streets first, none overlapping another."""
    stretched = sorted(
        ((_stretch(s, zoom)[2], s) for s in streets if len(s.path) > 1),
        key=lambda ls: -ls[0],
    )
    labels: list[dict[str, Any]] = []
    taken: dict[tuple[int, int], list[Polygon]] = {}
    for _, street in stretched:
        for label, footprint in _placings(street, zoom):
            cells = _cells(footprint)
            near = [shape for cell in cells for shape in taken.get(cell, ())]
            if not near or not shapely.intersects(near, footprint).any():
                labels.append(label)
                for cell in cells:
                    taken.setdefault(cell, []).append(footprint)
                break
    return labels
