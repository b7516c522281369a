"""R11: the results map draws a fixed camera's reads as one marker carrying their number, so
that 140 reads at one camera are not one dot that looks like one read; a place read once keeps
its dot, and a patrol car's reads stay where each was taken."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from alpr.governance.investigations.queries import ReadRow
from alpr.governance.investigations.snapshot import time_colour
from alpr.ui.maps import GROUP_MAX_PX, GROUP_MIN_PX, read_places, read_points

TZ = ZoneInfo("America/Los_Angeles")
T0 = datetime(2026, 12, 2, 5, 2, tzinfo=UTC)  # 21:02 on 1 December in the agency's zone
CAMERAS = {
    "DC-003": ("Mission St & Crocker Ave", 37.6959, -122.4604),
    "DC-002": ("Mission St & San Pedro Rd", 37.70105, -122.45625),
}


def _fixed(n: int, camera: str, at: datetime) -> ReadRow:
    place, lat, lon = CAMERAS[camera]
    # a read's own position differs from its camera's by a few metres
    return ReadRow(
        n, at, f"7ABC{n:03}", 1, camera, place, lat + (n % 5) * 1e-5, lon, 0.9, False,
        None, None, None, None, None,
    )  # fmt: skip


def _patrol(n: int, at: datetime, lat: float, lon: float) -> ReadRow:
    return ReadRow(
        n, at, f"8XYZ{n:03}", 9, "P-12", "Patrol car 12", lat, lon, 0.9, True,
        None, None, None, None, None,
    )  # fmt: skip


def test_a_cameras_reads_are_one_marker_with_their_number_and_first_and_last_times() -> None:
    busy = [_fixed(n, "DC-003", T0 + timedelta(minutes=n * 176 / 141)) for n in range(142)]
    quiet = [_fixed(200 + n, "DC-002", T0 + timedelta(minutes=30 + n)) for n in range(2)]
    places = read_places([*quiet, *reversed(busy)], TZ)
    assert [(p["camera"], p["reads"], p["label"]) for p in places] == [
        ("DC-003", 142, "142"),
        ("DC-002", 2, "2"),
    ]
    crocker, san_pedro = places
    assert crocker["tip"] == "Mission St & Crocker Ave (DC-003): 142 reads, 2026-12-01 21:02–23:58"
    assert san_pedro["time"] == "2026-12-01 21:32–21:33"
    assert "plate" not in crocker  # no one plate stands for the camera's reads
    # Coloured by the latest read: the last of the whole result is red.
    assert crocker["colour"] == [*time_colour(busy[-1].captured_at, T0, busy[-1].captured_at), 200]
    assert crocker["colour"][:3] == [255, 90, 0]
    # The marker grows with the count, between its bounds.
    assert san_pedro["size"] == GROUP_MIN_PX < crocker["size"] < GROUP_MAX_PX


def test_a_place_read_once_keeps_its_dot_named_by_plate_and_time() -> None:
    reads = [_fixed(1, "DC-003", T0), _fixed(2, "DC-002", T0 + timedelta(minutes=5))]
    places = read_places(reads, TZ)
    assert places == [
        {**point, "reads": 1, "tip": f"{point['plate']} {point['time']}\n{read.where}"}
        for read, point in zip(reads, read_points(reads, TZ), strict=True)
    ]
    assert places[1]["tip"] == "7ABC002 2026-12-01 21:07:00\nMission St & San Pedro Rd (DC-002)"
    assert "label" not in places[0]


def test_a_patrol_cars_reads_stay_where_each_was_taken() -> None:
    """Reads taken as the car drove by are a dot each; reads where it stood (within about ten
    metres) are one marker."""
    driving = [
        _patrol(n, T0 + timedelta(seconds=20 * n), 37.69 + n * 6e-4, -122.46) for n in range(6)
    ]
    parked = [
        _patrol(10 + n, T0 + timedelta(minutes=9 + n), 37.70, -122.47 + n * 1e-5) for n in range(3)
    ]
    places = read_places([*driving, *parked], TZ)
    assert [p["reads"] for p in places] == [1, 1, 1, 1, 1, 1, 3]
    assert len({(p["lat"], p["lon"]) for p in places}) == 7
    assert places[-1]["tip"] == "Patrol car 12 (P-12): 3 reads, 2026-12-01 21:11–21:13"


def test_reads_over_midnight_name_both_days() -> None:
    reads = [_fixed(n, "DC-003", T0 + timedelta(hours=3 * n)) for n in range(2)]
    assert read_places(reads, TZ)[0]["time"] == "2026-12-01 21:02 – 2026-12-02 00:02"


def test_the_busiest_places_reach_the_largest_marker_and_no_further() -> None:
    def size(count: int) -> float:
        reads = [_fixed(n, "DC-003", T0 + timedelta(seconds=n)) for n in range(count)]
        return float(read_places(reads, TZ)[0]["size"])

    sizes = [size(count) for count in (2, 10, 100, 250, 5000)]
    assert sizes == sorted(sizes) and len(set(sizes)) == 4
    assert sizes[0] == GROUP_MIN_PX and sizes[-1] == sizes[-2] == GROUP_MAX_PX
