"""The offline basemap names streets as a street map does: names never overlap at the zoom the
map opens at (the longest street keeps its name), a name is not written beyond its street, and
no name is upside down."""

from __future__ import annotations

from alpr.governance.places import StreetLine
from alpr.ui.street_labels import placed_labels

LAT, LON = 37.7, -122.46
DEG_LAT_PER_M = 1 / 111_320
DEG_LON_PER_M = DEG_LAT_PER_M / 0.7912  # cos(37.7°)


def _street(name: str, *, north_m: float, east_m: float, length_m: float) -> StreetLine:
    lat = LAT + north_m * DEG_LAT_PER_M
    start = LON + east_m * DEG_LON_PER_M
    return StreetLine(name, [[start, lat], [start + length_m * DEG_LON_PER_M, lat]])


def test_close_parallel_streets_share_the_space_the_longest_first() -> None:
    streets = [
        _street("Geneva Avenue", north_m=15, east_m=100, length_m=400),
        _street("Mission Street", north_m=0, east_m=0, length_m=600),
    ]
    assert [label["name"] for label in placed_labels(streets, zoom=15)] == ["Mission Street"]
    assert {label["name"] for label in placed_labels(streets, zoom=18)} == {
        "Mission Street",
        "Geneva Avenue",
    }


def test_a_name_longer_than_its_street_is_left_off() -> None:
    court = _street("Crocker Court", north_m=300, east_m=0, length_m=60)
    assert placed_labels([court], zoom=15) == []
    assert [label["name"] for label in placed_labels([court], zoom=19)] == ["Crocker Court"]


def test_names_read_left_to_right_whichever_way_the_street_was_drawn() -> None:
    west = _street("Skyline Blvd", north_m=0, east_m=0, length_m=800)
    east = StreetLine("Skyline Blvd", list(reversed(west.path)))
    for street in (west, east):
        (label,) = placed_labels([street], zoom=15)
        assert -90 < label["angle"] <= 90 and abs(label["angle"]) < 1
