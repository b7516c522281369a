"""A plate's route on the history map: one marker per place, however often it was read there."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from alpr.governance.investigations.queries import ReadRow
from alpr.ui.maps import route_path, route_stops

T0 = datetime(2026, 11, 20, 8, tzinfo=UTC)
TZ = ZoneInfo("America/Los_Angeles")
PLACES = {"DC-001": (37.70, -122.40), "DC-002": (37.68, -122.42), "DC-003": (37.69, -122.38)}


def _read(n: int, camera: str) -> ReadRow:
    lat, lon = PLACES[camera]
    # a read's own position differs from its camera's by a few metres
    return ReadRow(
        n, T0 + timedelta(hours=n), "7ABC123", 1, camera, None, lat + n * 1e-5, lon, 0.9, False,
        None, None, None, None, None,
    )  # fmt: skip


def test_a_plate_read_often_at_two_cameras_is_two_markers_and_a_line() -> None:
    reads = [_read(n, "DC-001" if n % 2 else "DC-002") for n in range(1, 7)]
    reads.append(_read(7, "DC-003"))
    stops = route_stops(reads, TZ)
    assert [(s["camera"], s["stop"], s["reads"]) for s in stops] == [
        ("DC-001", "1, 3, 5", 3),
        ("DC-002", "2, 4, 6", 3),
        ("DC-003", "7", 1),
    ]
    more = reads + [_read(n, "DC-001") for n in (9, 11)]
    assert route_stops(more, TZ)[0]["stop"] == "5 reads"
    path = route_path(more)
    assert len({tuple(p) for p in path}) == 3
    assert all(a != b for a, b in pairwise(path))
