"""Distances for canvass areas (R11): the WGS84 geodesic PostGIS uses for geography, with a
fast sphere shortcut that never changes the answer, and WKT polygons checked on the way in."""

from __future__ import annotations

import pytest

from alpr.governance.errors import InvalidInput
from alpr.governance.investigations.geo import (
    destination,
    distance_m,
    parse_polygon,
    sphere_distance_m,
    within_m,
)

SCENE = (37.6963, -122.4607)


@pytest.mark.parametrize("lat", [0.0, 37.6963, 64.8, -33.9])
@pytest.mark.parametrize("bearing", [0, 45, 90, 180, 270, 333])
def test_within_agrees_with_the_geodesic_at_the_edge(lat: float, bearing: float) -> None:
    for metres in (499.0, 499.99, 500.01, 501.0):
        point = destination(lat, 10.0, bearing_deg=bearing, metres=metres)
        assert distance_m(lat, 10.0, *point) == pytest.approx(metres, abs=1e-6)
        assert within_m(lat, 10.0, *point, 500.0) is (metres <= 500.0)


def test_the_sphere_alone_would_misplace_a_read_at_the_edge() -> None:
    east = destination(*SCENE, bearing_deg=90, metres=501)
    assert sphere_distance_m(*SCENE, *east) < 500 < distance_m(*SCENE, *east)
    assert not within_m(*SCENE, *east, 500)


def test_polygon_must_be_one_valid_wkt_polygon() -> None:
    square = "POLYGON((-122.47 37.69, -122.46 37.69, -122.46 37.70, -122.47 37.70, -122.47 37.69))"
    assert parse_polygon(square).area > 0
    for bad in ("POINT(-122.47 37.69)", "POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))", "not wkt"):
        with pytest.raises(InvalidInput):
            parse_polygon(bad)
