"""Retention reaches what the reads left behind (R30): the corrections of purged reads go with
them, and the plate dictionary keeps only plates that reads or corrections still name, without
ever losing a plate that ingest is storing at that moment or stores again later."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from alpr.data import dialect
from alpr.data.models import Plate, ReadCorrection
from alpr.governance.gateway import JustificationInput
from alpr.governance.investigations import searches
from alpr.governance.investigations.follow_up import correct_read
from alpr.governance.retention.purge import purge
from alpr.governance.runtime import Runtime
from alpr.plates import confusion_key
from alpr.recognition.ingest import Ingestor, ReadRecord
from tests.conftest import TestUser
from tests.integration.builders import World

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
WHY = JustificationInput(purpose="stolen_vehicle", case_number="26-04711")
LAT, LON = 37.7, -122.4


def _dictionary(rt: Runtime) -> set[str]:
    with rt.transaction() as session:
        return set(session.execute(select(Plate.plate)).scalars())


def _read(camera: int, plate: str, at: datetime) -> ReadRecord:
    return ReadRecord(
        camera_id=camera, captured_at=at, plate=plate, confidence=0.9, lat=LAT, lon=LON
    )


def test_corrections_and_plates_go_with_their_reads(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    world = World(rt)
    world.camera("cam", LAT, LON)
    old = world.read("GONE366", "cam", NOW - timedelta(days=400), LAT, LON)
    recent = world.read("KEEP364", "cam", NOW - timedelta(days=364), LAT, LON)
    detective = make_user("rivera", "investigator").principal
    for read_id, plate, corrected, days in (
        (old, "GONE366", "GONE368", 400),
        (recent, "KEEP364", "KEEP384", 364),
    ):
        found = searches.plate_history(
            rt,
            principal=detective,
            justification=WHY,
            plate=plate,
            start=NOW - timedelta(days=days, hours=1),
            end=NOW - timedelta(days=days - 1),
        )
        correct_read(
            rt,
            principal=detective,
            search_id=found.search_id or 0,
            read_id=read_id,
            corrected_plate=corrected,
            reason="The image shows another digit",
        )
    assert _dictionary(rt) == {"GONE366", "GONE368", "KEEP364", "KEEP384"}

    report = purge(rt, as_of=NOW)

    assert report.counts["read_corrections"] == 1 and report.counts["plates"] == 2
    assert _dictionary(rt) == {"KEEP364", "KEEP384"}
    with rt.transaction() as session:
        assert list(session.execute(select(ReadCorrection.read_id)).scalars()) == [recent]


def test_a_plate_read_again_after_its_prune_is_found_again(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """The ingestor remembers which plates the dictionary holds; after a prune removed one,
    the next read of it puts it back, so a partial search finds that read."""
    camera = World(rt).camera("cam", LAT, LON)
    ingestor = Ingestor(rt.engine, rt.images)
    ingestor.store([_read(camera, "BACK001", NOW - timedelta(days=400))], now=NOW)
    assert purge(rt, as_of=NOW).counts["plates"] == 1
    assert "BACK001" not in _dictionary(rt)

    ingestor.store([_read(camera, "BACK001", NOW - timedelta(hours=1))], now=NOW)

    assert "BACK001" in _dictionary(rt)
    found = searches.plate_search(
        rt,
        principal=make_user("rivera", "investigator").principal,
        justification=WHY,
        pattern="BACK?01",
        start=NOW - timedelta(days=1),
        end=NOW,
    )
    assert [hit.read.plate for hit in found.result] == ["BACK001"]


def _prune_waiting(rt: Runtime) -> bool:
    with rt.engine.connect() as conn:
        return bool(
            conn.execute(
                text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            ).scalar_one()
        )


def test_a_prune_waits_for_the_batch_being_stored(
    rt: Runtime, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plate whose reads are all gone comes back in a batch: the batch finds it in the
    dictionary and stores only its read. A prune that ran before that read committed would
    remove the plate and leave the read unfindable; it waits for the batch instead."""
    if backend != "postgres":
        pytest.skip("SQLite transactions are exclusive: a prune cannot overlap a batch")
    camera = World(rt).camera("cam", LAT, LON)
    with Session(rt.engine) as session, session.begin():
        session.add(Plate(plate="BACK001", confusion_key=confusion_key("BACK001")))
    ingestor = Ingestor(rt.engine, rt.images)
    storing, resume = threading.Event(), threading.Event()
    record_images = ingestor._record_images

    def paused(session: Session, records: object) -> None:
        storing.set()
        resume.wait(30)
        record_images(session, records)  # type: ignore[arg-type]

    monkeypatch.setattr(ingestor, "_record_images", paused)
    with ThreadPoolExecutor(2) as pool:
        batch = pool.submit(ingestor.store, [_read(camera, "BACK001", NOW)], now=NOW)
        assert storing.wait(30), "the batch reached its last step"
        purging = pool.submit(purge, rt, as_of=NOW)
        try:
            deadline = time.monotonic() + 30
            while not _prune_waiting(rt) and not purging.done() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not purging.done(), "the prune waits for the batch being stored"
        finally:
            resume.set()
        batch.result(timeout=30)
        report = purging.result(timeout=60)
    assert report.counts["plates"] == 0 and "BACK001" in _dictionary(rt)


def test_a_batch_stored_while_the_prune_searches_keeps_its_plate(
    rt: Runtime, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ingest goes on while the prune looks for unused plates. A plate found unused whose read
    arrives before the prune removes what it found stays in the dictionary."""
    if backend != "postgres":
        pytest.skip("SQLite transactions are exclusive: a prune cannot overlap a batch")
    camera = World(rt).camera("cam", LAT, LON)
    with Session(rt.engine) as session, session.begin():
        session.add(Plate(plate="BACK001", confusion_key=confusion_key("BACK001")))
    searched, resume = threading.Event(), threading.Event()
    search = dialect.unused_plates

    def pausing(conn: Connection, among: list[str] | None = None) -> list[str]:
        found = search(conn, among)
        searched.set()
        resume.wait(30)
        return found

    monkeypatch.setattr(dialect, "unused_plates", pausing)
    with ThreadPoolExecutor(1) as pool:
        pruning = pool.submit(dialect.prune_plates, rt.engine, at=NOW)
        try:
            assert searched.wait(30)
            Ingestor(rt.engine, rt.images).store([_read(camera, "BACK001", NOW)], now=NOW)
        finally:
            resume.set()
        assert pruning.result(timeout=30) == 0
    assert "BACK001" in _dictionary(rt)


def test_the_prune_looks_only_at_the_plates_the_purge_removed(rt: Runtime) -> None:
    """R30: the nightly prune checks the plates the purged reads named, not the whole
    dictionary, so its work follows what was purged. A plate no purged read named is not its
    business, even when nothing names it."""
    world = World(rt)
    world.camera("cam", LAT, LON)
    world.read("GONE366", "cam", NOW - timedelta(days=400), LAT, LON)
    world.read("KEEP364", "cam", NOW - timedelta(days=364), LAT, LON)
    with rt.transaction() as session:
        session.add(Plate(plate="LONE001", confusion_key=confusion_key("LONE001")))

    report = purge(rt, as_of=NOW)

    assert report.counts["plates"] == 1
    assert _dictionary(rt) == {"KEEP364", "LONE001"}
