"""Ingest (issue: recognition worker): idempotent writes, the plate dictionary, vendor files
refused whole with line numbers, and hot-list matching at ingest time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from alpr.data.models import Alert, HotList, HotListEntry, HotListKind, Plate, Priority, Read
from alpr.governance import hotlists
from alpr.governance.cameras import add_camera
from alpr.governance.runtime import Runtime
from alpr.recognition.ingest import Ingestor, ReadRecord, UnknownCameras
from alpr.recognition.vendor_files import FileRefused, parse_reads
from tests.conftest import Clock

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _records(camera_id: int, plates: list[str]) -> list[ReadRecord]:
    return [
        ReadRecord(
            camera_id=camera_id,
            captured_at=T0 + timedelta(seconds=i),
            plate=p,
            confidence=0.9,
            lat=37.7,
            lon=-122.4,
        )
        for i, p in enumerate(plates)
    ]


def _count(rt: Runtime, model: type) -> int:
    with rt.transaction() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def test_replayed_batch_is_not_stored_twice(rt: Runtime) -> None:
    camera = add_camera(rt, actor=None, name="cam", lat=37.7, lon=-122.4)
    ingestor = Ingestor(rt.engine, rt.images)
    first = ingestor.store(_records(camera, ["7ABC123", "8XYZ999", "7ABC123"]), now=T0)
    again = ingestor.store(_records(camera, ["7ABC123", "8XYZ999", "7ABC123"]), now=T0)
    assert (first.stored, again.stored, again.duplicates) == (3, 0, 3)
    assert _count(rt, Read) == 3 and _count(rt, Plate) == 2


def test_a_partly_replayed_batch_stores_only_its_new_reads(rt: Runtime) -> None:
    camera = add_camera(rt, actor=None, name="cam", lat=37.7, lon=-122.4)
    ingestor = Ingestor(rt.engine, rt.images)
    ingestor.store(_records(camera, ["7ABC123", "8XYZ999"]), now=T0)
    again = ingestor.store(_records(camera, ["7ABC123", "8XYZ999", "5NEW555"]), now=T0)
    assert (again.stored, again.duplicates) == (1, 2)
    assert _count(rt, Read) == 3


def test_a_read_retained_after_it_was_stored_is_not_stored_again(rt: Runtime, clock: Clock) -> None:
    """A later hot-list entry moves a stored read to the retained partitions (R13); replayed
    once the entry has expired, the read is no hit and must still be found stored."""
    camera = add_camera(rt, actor=None, name="cam", lat=37.7, lon=-122.4)
    read = ReadRecord(
        camera_id=camera,
        captured_at=clock.now,
        plate="7KQM482",
        confidence=0.9,
        lat=37.7,
        lon=-122.4,
    )
    Ingestor(rt.engine, rt.images).store([read], now=clock.now)
    hotlists.ensure_list(rt, actor=None, name="SVS", kind="stolen_vehicle")
    _, retro = hotlists.add_entry(
        rt,
        actor=None,
        list_name="SVS",
        pattern="7KQM482",
        reason="stolen",
        case_number=None,
        expires=clock.now.date() + timedelta(days=1),
    )
    assert retro == 1
    clock.advance(days=3)
    again = Ingestor(rt.engine, rt.images).store([read], now=clock.now)
    assert (again.stored, again.duplicates, again.alerts) == (0, 1, 0)
    assert _count(rt, Read) == 1


def test_reads_of_an_unregistered_camera_are_refused_whole(rt: Runtime) -> None:
    camera = add_camera(rt, actor=None, name="cam", lat=37.7, lon=-122.4)
    ingestor = Ingestor(rt.engine, rt.images)
    mixed = _records(camera, ["7ABC123"]) + _records(camera + 41, ["8XYZ999"])
    with pytest.raises(UnknownCameras, match=f"camera id\\(s\\) {camera + 41}"):
        ingestor.store(mixed, now=T0)
    assert _count(rt, Read) == 0
    registered = add_camera(rt, actor=None, name="late", lat=37.7, lon=-122.4)
    assert ingestor.store(_records(registered, ["8XYZ999"]), now=T0).stored == 1


def test_vendor_file_with_a_bad_row_is_refused_whole(rt: Runtime, tmp_path: Path) -> None:
    camera = add_camera(rt, actor=None, name="cam", lat=37.7, lon=-122.4)
    good = tmp_path / "good.csv"
    good.write_text(
        "plate,captured_at,lat,lon,confidence\n"
        "7ABC123,2026-11-20T08:00:00-08:00,37.7,-122.4,0.91\n"
        "8xyz-999,2026-11-20T08:00:05-08:00,37.7,-122.4,\n"
    )
    records = parse_reads(good, camera_id=camera, is_mobile=False, images=rt.images)
    assert [r.plate for r in records] == ["7ABC123", "8XYZ999"]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "plate,captured_at,lat,lon\n"
        "7ABC123,2026-11-20T08:00:00-08:00,37.7,-122.4\n"
        "7AB@#,2026-11-20T08:00:00-08:00,37.7,-122.4\n"
        "7ABC124,yesterday,37.7,-122.4\n"
        "7ABC125,2026-11-20T08:00:00,37.7,-122.4\n"
    )
    with pytest.raises(FileRefused) as exc:
        parse_reads(bad, camera_id=camera, is_mobile=False, images=rt.images)
    assert [p.split(":")[0] for p in exc.value.problems] == ["line 3", "line 4", "line 5"]
    assert _count(rt, Read) == 0


def test_hot_list_hits_are_retained_and_alerted(rt: Runtime) -> None:
    camera = add_camera(rt, actor=None, name="cam", lat=37.7, lon=-122.4)
    with rt.transaction() as session:
        hot = HotList(name="SVS", kind=HotListKind.STOLEN_VEHICLE, refreshed_at=T0)
        session.add(hot)
        session.flush()
        session.add_all(
            [
                HotListEntry(
                    hot_list_id=hot.id, pattern="7ABC123", reason="stolen", priority=Priority.HIGH
                ),
                HotListEntry(
                    hot_list_id=hot.id,
                    pattern="8XY?99?",
                    is_partial=True,
                    reason="shooting",
                    priority=Priority.HIGH,
                ),
                HotListEntry(
                    hot_list_id=hot.id,
                    pattern="5SAM0",
                    reason="amber",
                    priority=Priority.HIGH,
                    match_confusions=True,
                ),
                HotListEntry(
                    hot_list_id=hot.id,
                    pattern="6OLD111",
                    reason="expired",
                    priority=Priority.LOW,
                    expires_at=T0 - timedelta(days=1),
                ),
            ]
        )
    result = Ingestor(rt.engine, rt.images).store(
        _records(camera, ["7ABC123", "8XYZ999", "55AMO", "6OLD111", "1NONE11"]), now=T0
    )
    assert result.alerts == 3
    with rt.transaction() as session:
        alerts = {(a.plate, a.match_kind.value) for a in session.execute(select(Alert)).scalars()}
        retained = set(session.execute(select(Read.plate).where(Read.retained.is_(True))).scalars())
    assert alerts == {("7ABC123", "exact"), ("8XYZ999", "partial"), ("55AMO", "confusion")}
    assert retained == {"7ABC123", "8XYZ999", "55AMO"}
