"""R50: the spool after a crash: a segment a kill cut short while it was being written is
removed (its snapshots were never acknowledged, so they are read again), a whole one is kept
and replayed, and nothing of either stays behind as a stray temporary file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alpr.recognition.ingest import ReadRecord
from alpr.recognition.spool import Spool

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _lines(first: int, count: int) -> str:
    return "".join(
        json.dumps(
            ReadRecord(
                camera_id=1,
                captured_at=T0 + timedelta(seconds=i),
                plate=f"7ABC{i:03d}",
                confidence=0.9,
                lat=37.7,
                lon=-122.4,
            ).to_json()
        )
        + "\n"
        for i in range(first, first + count)
    )


def test_segments_left_by_a_crash_are_kept_when_whole_and_removed_when_cut(
    tmp_path: Path,
) -> None:
    spool = Spool(tmp_path)
    spool.append(
        [ReadRecord(camera_id=1, captured_at=T0, plate="7ABC000", confidence=0.9, lat=1, lon=1)]
    )
    (tmp_path / "segment-000000002.tmp").write_text(_lines(1, 3))
    (tmp_path / "segment-000000003.tmp").write_text(_lines(6, 2)[:-40])
    (tmp_path / "segment-000000004.tmp").write_text(_lines(4, 2))
    reopened = Spool(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "segment-000000001.jsonl",
        "segment-000000002.jsonl",
        "segment-000000004.jsonl",
    ]
    plates = [r.plate for _, records in reopened.pending() for r in records]
    assert plates == ["7ABC000", "7ABC001", "7ABC002", "7ABC003", "7ABC004", "7ABC005"]
    reopened.append(
        [ReadRecord(camera_id=1, captured_at=T0, plate="7ABC009", confidence=0.9, lat=1, lon=1)]
    )
    assert (tmp_path / "segment-000000005.jsonl").exists()
