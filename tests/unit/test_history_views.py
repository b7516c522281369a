"""A plate's history as a detective reads it on a laptop: the alerts' table names cameras by
their place and says priorities and reviews in words, with the hot list only when there are
several; the timeline numbers its dots as the map numbers its stops, never two numbers drawn
over each other."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alpr.governance.investigations.follow_up import PlateAlert, PlateWatch
from alpr.ui.timeline import stop_labels
from alpr.ui.watch import alert_rows

T0 = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


def _alert(n: int, **changes: object) -> PlateAlert:
    fields: dict[str, object] = {
        "id": n,
        "captured_at": T0 - timedelta(hours=n),
        "camera": "DC-003",
        "list_name": "Department custom",
        "priority": "high",
        "is_retro": False,
        "disposition": None,
        "place": "Mission St & Crocker Ave",
    }
    return PlateAlert(**{**fields, **changes})  # type: ignore[arg-type]


def test_alerts_name_the_camera_by_its_place_and_say_the_rest_in_words() -> None:
    watch = PlateWatch(
        "7KQM482",
        [],
        [
            _alert(1, is_retro=True),
            _alert(2, camera="Patrol car 21", place="In-car, Patrol car 21", priority="medium"),
            _alert(3, camera="DC-099", place=None, disposition="vehicle_mismatch"),
        ],
    )
    rows = alert_rows(watch, UTC)
    assert [r["Camera"] for r in rows] == [
        "Mission St & Crocker Ave (DC-003)",
        "In-car, Patrol car 21",
        "DC-099",
    ]
    assert [r["Priority"] for r in rows] == ["High, read before listing", "Medium", "High"]
    assert [r["Review"] for r in rows] == [
        "not reviewed",
        "not reviewed",
        "Vehicle does not match the record",
    ]
    assert rows[0]["Read at"] == "2026-11-20 17:00"
    assert "Hot list" not in rows[0]  # one list: the heading names it


def test_alerts_from_several_lists_say_which() -> None:
    watch = PlateWatch("7KQM482", [], [_alert(1), _alert(2, list_name="SVS")])
    assert [r["Hot list"] for r in alert_rows(watch, UTC)] == ["Department custom", "SVS"]


def _dot(stop: int, camera: str, hours: float) -> dict[str, object]:
    return {"stop": stop, "camera": camera, "at": hours * 3_600_000}


def test_reads_close_together_at_one_camera_share_one_number_label() -> None:
    """Over a 10-day span, two reads five minutes apart at one camera are one dot's width
    apart: "4, 5" at the first, not a 4 and a 5 drawn over each other."""
    dots = [
        _dot(1, "Geneva", 0),
        _dot(2, "Santos", 120),
        _dot(3, "San Pedro", 200),
        _dot(4, "Crocker", 240),
        _dot(5, "Crocker", 240 + 5 / 60),
    ]
    assert [(lb["camera"], lb["text"]) for lb in stop_labels(dots)] == [
        ("Geneva", "1"),
        ("Santos", "2"),
        ("San Pedro", "3"),
        ("Crocker", "4, 5"),
    ]


def test_reads_at_one_camera_days_apart_keep_their_own_numbers() -> None:
    dots = [_dot(1, "Crocker", 0), _dot(2, "Geneva", 50), _dot(3, "Crocker", 100)]
    assert [lb["text"] for lb in stop_labels(dots)] == ["1", "2", "3"]
    assert stop_labels([]) == []
