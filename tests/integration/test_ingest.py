"""Ingest (issue: recognition worker): idempotent writes, the plate dictionary, vendor files
refused whole with line numbers, and hot-list matching at ingest time."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from alpr.data.engine import make_engine
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


def _hot_list(rt: Runtime, entries: list[HotListEntry]) -> None:
    """A hot list written directly: no retro-hit runs against the reads already stored."""
    with rt.transaction() as session:
        hot = HotList(name="SVS", kind=HotListKind.STOLEN_VEHICLE, refreshed_at=T0)
        session.add(hot)
        session.flush()
        for entry in entries:
            entry.hot_list_id = hot.id
        session.add_all(entries)


def _stolen(pattern: str) -> HotListEntry:
    return HotListEntry(pattern=pattern, reason="stolen", priority=Priority.HIGH)


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


def test_a_replayed_hit_is_neither_stored_nor_alerted_twice(rt: Runtime) -> None:
    """A hit is stored in the retained partitions, where the pass index of the standard ones
    cannot see it: the replay must find it by looking it up."""
    camera = add_camera(rt, actor=None, name="cam", lat=37.7, lon=-122.4)
    _hot_list(rt, [_stolen("7ABC123")])
    ingestor = Ingestor(rt.engine, rt.images)
    first = ingestor.store(_records(camera, ["7ABC123", "8XYZ999"]), now=T0)
    again = ingestor.store(_records(camera, ["7ABC123", "8XYZ999"]), now=T0)
    assert (first.stored, first.alerts) == (2, 1)
    assert (again.stored, again.duplicates, again.alerts) == (0, 2, 0)
    assert (_count(rt, Read), _count(rt, Alert)) == (2, 1)


def test_a_read_that_becomes_a_hit_before_its_replay_is_not_stored_again(rt: Runtime) -> None:
    """The entry arrived while the read's batch was still being stored, so the retro-hit did
    not see it: the read stays in the standard partitions, and its replay, now a hit, would go
    to the retained ones, past the standard pass index."""
    camera = add_camera(rt, actor=None, name="cam", lat=37.7, lon=-122.4)
    ingestor = Ingestor(rt.engine, rt.images)
    ingestor.store(_records(camera, ["7ABC123", "8XYZ999"]), now=T0)
    _hot_list(rt, [_stolen("7ABC123")])
    again = Ingestor(rt.engine, rt.images).store(_records(camera, ["7ABC123"]), now=T0)
    assert (again.stored, again.duplicates) == (0, 1)
    assert _count(rt, Read) == 2


def test_every_field_of_a_read_is_stored_as_given(rt: Runtime) -> None:
    camera = add_camera(rt, actor=None, name="cam", lat=37.7, lon=-122.4)
    given = ReadRecord(
        camera_id=camera,
        captured_at=datetime(2026, 11, 20, 8, 0, 0, 123456, tzinfo=UTC),
        plate="7ABC123",
        confidence=0.875,
        lat=37.712345678,
        lon=-122.412345678,
        is_mobile=True,
        heading=275,
        plate_raw="7ABC-123",
        region="us-ca",
        char_confidences=[0.99, 0.5, 0.875],
        alternatives=[{"plate": "7A8C123", "confidence": 0.25}],
        image_sha256="a" * 64,
        crop_sha256="b" * 64,
    )
    Ingestor(rt.engine, rt.images).store([given], now=T0)
    with rt.transaction() as session:
        read = session.execute(select(Read)).scalar_one()
        stored = ReadRecord(
            camera_id=read.camera_id,
            captured_at=read.captured_at,
            plate=read.plate,
            confidence=read.confidence,
            lat=read.lat,
            lon=read.lon,
            is_mobile=read.is_mobile,
            heading=read.heading,
            plate_raw=read.plate_raw,
            region=read.region,
            char_confidences=read.char_confidences,
            alternatives=read.alternatives,
            image_sha256=read.image_sha256,
            crop_sha256=read.crop_sha256,
        )
    assert stored == given and read.retained is False


def test_reads_of_an_unregistered_camera_are_refused_whole(rt: Runtime) -> None:
    """R50: a refused batch stores nothing, its plates included."""
    camera = add_camera(rt, actor=None, name="cam", lat=37.7, lon=-122.4)
    ingestor = Ingestor(rt.engine, rt.images)
    mixed = _records(camera, ["7ABC123"]) + _records(camera + 41, ["8XYZ999"])
    with pytest.raises(UnknownCameras, match=f"camera id\\(s\\) {camera + 41}"):
        ingestor.store(mixed, now=T0)
    assert _count(rt, Read) == _count(rt, Plate) == 0  # nor a plate in the dictionary
    registered = add_camera(rt, actor=None, name="late", lat=37.7, lon=-122.4)
    assert ingestor.store(_records(registered, ["8XYZ999"]), now=T0).stored == 1


def test_batches_stored_back_to_back_are_given_back_in_order_once_committed(
    rt: Runtime,
) -> None:
    """A backlog is stored with the next batch prepared while the one before is stored: each
    batch's result comes once it is committed, in order, hits included; a refused batch stops
    the run, and the batches after it are not stored (they stay with whoever holds them)."""
    camera = add_camera(rt, actor=None, name="cam", lat=37.7, lon=-122.4)
    _hot_list(rt, [_stolen("7ABC123")])
    ingestor = Ingestor(rt.engine, rt.images)
    stored_when_given: list[int] = []
    batches = [
        _records(camera, ["7ABC123", "8XYZ999"]),
        _records(camera, ["7ABC123", "5NEW555", "6NEW666"]),  # a replayed read among new ones
        [],
        _records(camera + 41, ["4LATE44"]),
        _records(camera, ["3NEVER3"]),
    ]
    results = ingestor.store_all(batches, clock=lambda: T0)
    with pytest.raises(UnknownCameras):
        for result in results:
            stored_when_given.append(_count(rt, Read))
            assert result.stored + result.duplicates == len(batches[len(stored_when_given) - 1])
    assert stored_when_given == [2, 4, 4]
    with rt.transaction() as session:
        plates = sorted(session.execute(select(Read.plate)).scalars())
        alerts = session.execute(select(func.count()).select_from(Alert)).scalar_one()
    assert plates == ["5NEW555", "6NEW666", "7ABC123", "8XYZ999"] and alerts == 1


def test_vendor_file_with_a_bad_row_is_refused_whole(rt: Runtime, tmp_path: Path) -> None:
    camera = add_camera(rt, actor=None, name="cam", lat=37.7, lon=-122.4)
    good = tmp_path / "good.csv"
    good.write_text(
        "plate,captured_at,lat,lon,confidence\n"
        "7ABC123,2026-11-20T08:00:00-08:00,37.7,-122.4,0.91\n"
        "8xyz-999,2026-11-20T08:00:05-08:00,37.7,-122.4,\n"
    )
    records = parse_reads(
        good, camera_id=camera, is_mobile=False, import_dir=tmp_path / "import", now=T0
    ).records
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
        parse_reads(bad, camera_id=camera, is_mobile=False, import_dir=tmp_path / "import", now=T0)
    assert [p.split(":")[0] for p in exc.value.problems] == ["line 3", "line 4", "line 5"]
    assert _count(rt, Read) == 0


def test_hot_list_hits_are_retained_and_alerted(rt: Runtime) -> None:
    camera = add_camera(rt, actor=None, name="cam", lat=37.7, lon=-122.4)
    _hot_list(
        rt,
        [
            _stolen("7ABC123"),
            HotListEntry(
                pattern="8XY?99?", is_partial=True, reason="shooting", priority=Priority.HIGH
            ),
            HotListEntry(
                pattern="5SAM0", reason="amber", priority=Priority.HIGH, match_confusions=True
            ),
            HotListEntry(
                pattern="6OLD111",
                reason="expired",
                priority=Priority.LOW,
                expires_at=T0 - timedelta(days=1),
            ),
        ],
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


def test_workers_storing_at_once_lose_nothing_and_store_nothing_twice(rt: Runtime) -> None:
    """R30 (every read kept, once): four workers, each with its own connections, store at the
    same moment: two replay the same spool (one from either end), two store their own
    cameras' reads, into months whose partitions none has created yet. Every read is stored
    once, every hit alerted once, no worker fails."""
    shared, own_a, own_b = (
        add_camera(rt, actor=None, name=name, lat=37.7, lon=-122.4) for name in ("s", "a", "b")
    )
    _hot_list(rt, [_stolen("6HIT000")])
    start = datetime(2025, 1, 31, 12, 0, tzinfo=UTC)  # the batches span January and February

    def spool(camera: int, salt: int) -> list[list[ReadRecord]]:
        batches = []
        for b in range(12):
            batch = [
                ReadRecord(
                    camera_id=camera,
                    captured_at=start + timedelta(minutes=b * 30 + i),
                    plate="6HIT000" if i == 0 else f"{salt}{b:02d}{i:03d}X",
                    confidence=0.9,
                    lat=37.7,
                    lon=-122.4,
                )
                for i in range(60)
            ]
            batches.append(batch + batch[:5])  # a batch may name a read twice
        return batches

    replayed = spool(shared, 1)
    work = [replayed, replayed[::-1], spool(own_a, 2), spool(own_b, 3)]

    def worker(batches: list[list[ReadRecord]]) -> int:
        engine = make_engine(rt.settings.resolved_database_url)
        try:
            ingestor = Ingestor(engine, rt.images)
            return sum(ingestor.store(batch, now=T0).stored for batch in batches)
        finally:
            engine.dispose()

    with ThreadPoolExecutor(len(work)) as pool:
        stored = list(pool.map(worker, work))

    expected = 3 * 12 * 60
    assert stored[0] + stored[1] == 12 * 60 and stored[2:] == [12 * 60, 12 * 60]
    assert _count(rt, Read) == expected
    with rt.transaction() as session:
        passes = session.execute(
            select(func.count()).select_from(
                select(Read.camera_id, Read.captured_at, Read.plate).distinct().subquery()
            )
        ).scalar_one()
    assert passes == expected
    assert _count(rt, Alert) == 3 * 12
