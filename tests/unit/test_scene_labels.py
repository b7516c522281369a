"""The common-plates map (R11): each scene's number legible, however close the scenes are. A
serial offender's scenes are often next door to each other, or the same shop on another night;
numbers drawn over each other read as neither."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alpr.governance.investigations.results import Scene
from alpr.governance.investigations.snapshot import METRES_PER_DEGREE
from alpr.ui.maps import scene_labels

T0 = datetime(2026, 11, 20, 3, tzinfo=UTC)
SHOP = (37.7000, -122.4500)


def _scene(north_m: float, east_m: float, *, night: int = 0) -> Scene:
    lat = SHOP[0] + north_m / METRES_PER_DEGREE
    lon = SHOP[1] + east_m / (METRES_PER_DEGREE * 0.7912)  # cos(37.7°)
    start = T0 + timedelta(days=night)
    return Scene(lat, lon, 150.0, start, start + timedelta(hours=2), f"scene {north_m},{east_m}")


def test_scenes_at_one_place_or_next_door_share_a_label_and_others_keep_their_own() -> None:
    # At zoom 15 a pixel is about 1.9 m here: 20 m east is 11 px, 80 m north is 42 px.
    scenes = [
        _scene(0, 0),
        _scene(0, 0, night=7),  # the same shop a week later
        _scene(80, 0),  # across the street: its own number fits above
        _scene(0, 20),  # next door: its number would cover the shop's
        _scene(0, 1500),  # another neighbourhood
    ]
    labels = scene_labels(scenes, zoom=15)
    assert [label["label"] for label in labels] == ["1, 2, 4", "3", "5"]
    assert (labels[0]["lat"], labels[0]["lon"]) == (scenes[0].lat, scenes[0].lon)
    # Zoomed out (a pixel is 15 m), everything but the other neighbourhood is one place.
    assert [label["label"] for label in scene_labels(scenes, zoom=12)] == ["1, 2, 3, 4", "5"]
