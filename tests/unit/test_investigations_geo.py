"""Distances for canvass areas (R11): the WGS84 geodesic PostGIS uses for geography (short
distances by the local radii of curvature, checked against Karney's method), and WKT polygons
checked on the way in."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

from alpr.governance.errors import InvalidInput
from alpr.governance.investigations.geo import (
    covered,
    destination,
    distance_m,
    distances_m,
    inside_m,
    parse_polygon,
)

SCENE = (37.6963, -122.4607)


def within_m(lat1: float, lon1: float, lat2: float, lon2: float, metres: float) -> bool:
    return bool(inside_m(lat1, lon1, np.array([lat2]), np.array([lon2]), metres)[0])


@pytest.mark.parametrize("lat", [0.0, 37.6963, 64.8, -33.9])
@pytest.mark.parametrize("bearing", [0, 45, 90, 180, 270, 333])
def test_within_agrees_with_the_geodesic_at_the_edge(lat: float, bearing: float) -> None:
    for metres in (499.0, 499.99, 500.01, 501.0):
        point = destination(lat, 10.0, bearing_deg=bearing, metres=metres)
        assert distance_m(lat, 10.0, *point) == pytest.approx(metres, abs=1e-4)
        assert within_m(lat, 10.0, *point, 500.0) is (metres <= 500.0)


@pytest.mark.parametrize("metres", [3.0, 800.0, 4_900.0, 12_000.0, 400_000.0])
def test_short_and_long_distances_match_karney_to_a_centimetre(metres: float) -> None:
    rng = random.Random(int(metres))
    for _ in range(200):
        lat, lon, bearing = rng.uniform(-75, 75), rng.uniform(-179, 179), rng.uniform(0, 360)
        point = destination(lat, lon, bearing_deg=bearing, metres=metres)
        assert distance_m(lat, lon, *point) == pytest.approx(metres, abs=0.01)


def test_a_great_circle_would_misplace_a_read_at_the_edge() -> None:
    east = destination(*SCENE, bearing_deg=90, metres=501)
    lat1, lon1, lat2, lon2 = map(math.radians, (*SCENE, *east))
    haversine = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    assert 2 * 6_371_008.8 * math.asin(math.sqrt(haversine)) < 500  # the mean-radius sphere
    assert not within_m(*SCENE, *east, 500)


def test_polygon_must_be_one_valid_wkt_polygon() -> None:
    square = "POLYGON((-122.47 37.69, -122.46 37.69, -122.46 37.70, -122.47 37.70, -122.47 37.69))"
    assert parse_polygon(square).area > 0
    for bad in ("POINT(-122.47 37.69)", "POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))", "not wkt"):
        with pytest.raises(InvalidInput):
            parse_polygon(bad)


@pytest.mark.parametrize("metres", [4_000.0, 7_500.0, 30_000.0, 50_000.0])
def test_within_far_edges_and_far_away(metres: float) -> None:
    for bearing in (0, 60, 135, 270):
        for delta in (-0.02, 0.02, -metres * 0.02, metres * 0.02):
            point = destination(*SCENE, bearing_deg=bearing, metres=metres + delta)
            assert within_m(*SCENE, *point, metres) is (delta < 0)
    assert not within_m(*SCENE, 37.7, 140.0, metres)  # Tokyo


def test_many_points_at_once_match_karney_and_the_edge() -> None:
    rng = random.Random(5)
    points = [
        destination(*SCENE, bearing_deg=rng.uniform(0, 360), metres=rng.uniform(0, 12_000))
        for _ in range(500)
    ]
    lats, lons = np.array([p[0] for p in points]), np.array([p[1] for p in points])
    karney = [Geodesic.WGS84.Inverse(*SCENE, *p)["s12"] for p in points]
    assert distances_m(*SCENE, lats, lons).tolist() == pytest.approx(karney, abs=0.01)
    clear = [abs(k - 5_000) > 0.01 for k in karney]
    inside = inside_m(*SCENE, lats, lons, 5_000.0).tolist()
    assert [i for i, c in zip(inside, clear, strict=True) if c] == [
        k <= 5_000 for k, c in zip(karney, clear, strict=True) if c
    ]


def test_a_point_on_the_polygon_edge_is_inside() -> None:
    square = parse_polygon(
        "POLYGON((-122.47 37.69, -122.46 37.69, -122.46 37.70, -122.47 37.70, -122.47 37.69))"
    )
    lats = np.array([37.695, 37.69, 37.695, 37.71])
    lons = np.array([-122.465, -122.465, -122.46, -122.465])
    assert covered(square, lats, lons).tolist() == [True, True, True, False]
