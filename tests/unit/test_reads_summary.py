"""R11: a result says in one line what a detective reports of it: how many reads, of how many
plates, at how many cameras, and when the first and the last were taken, in the agency's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from alpr.governance.investigations.queries import ReadRow
from alpr.ui.dates import time_span
from alpr.ui.results import reads_summary

PACIFIC = ZoneInfo("America/Los_Angeles")
NIGHT = datetime(2026, 12, 2, 6, 37, tzinfo=UTC)  # 2026-12-01 22:37 in California


def _read(n: int, plate: str, camera: int, at: datetime) -> ReadRow:
    return ReadRow(
        n, at, plate, camera, f"DC-00{camera}", None, 37.7, -122.46, 0.9, False,
        None, None, None, None, None,
    )  # fmt: skip


def test_a_canvass_says_reads_plates_cameras_and_its_span() -> None:
    reads = [
        _read(1, "7KQM482", 3, NIGHT),
        _read(2, "6TRV915", 3, NIGHT + timedelta(seconds=3)),
        _read(3, "6FPP015", 4, NIGHT + timedelta(minutes=4)),
        _read(4, "7KQM482", 3, NIGHT + timedelta(minutes=5)),
    ]
    assert reads_summary(reads, PACIFIC) == (
        "4 reads of 3 plates at 2 cameras, 2026-12-01 22:37–22:42"
    )


def test_one_plates_history_leaves_the_plates_out_and_dates_both_ends() -> None:
    reads = [_read(1, "7KQM482", 1, NIGHT - timedelta(days=13)), _read(2, "7KQM482", 3, NIGHT)]
    assert reads_summary(reads, PACIFIC, plates=False) == (
        "2 reads at 2 cameras, 2026-11-18 22:37 – 2026-12-01 22:37"
    )


def test_a_single_read_and_no_read() -> None:
    assert reads_summary([_read(1, "7KQM482", 1, NIGHT)], PACIFIC) == (
        "1 read of 1 plate at 1 camera, 2026-12-01 22:37"
    )
    assert reads_summary([], PACIFIC) == "no read"


def test_a_span_within_one_minute_is_one_time() -> None:
    assert time_span(NIGHT, NIGHT + timedelta(seconds=40), PACIFIC) == "2026-12-01 22:37"
