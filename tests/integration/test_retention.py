"""Retention, holds and evidence on both databases with a fixed clock (R30-R32): each category
purges exactly at its limit, held reads survive, images go with their reads, the run record
holds no plate numbers, Postgres drops whole months by partition, and an altered evidence
package fails verification."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DatabaseError

from alpr.data.models import (
    AccessRecord,
    Alert,
    AlertReview,
    Disposition,
    HotList,
    HotListEntry,
    HotListKind,
    Image,
    LegalHold,
    MatchKind,
    PolicySetting,
    Priority,
    PurgeRun,
    Read,
)
from alpr.governance import access_log
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import JustificationInput
from alpr.governance.investigations.searches import plate_history
from alpr.governance.oversight.checkpoints import verify_chain
from alpr.governance.policy import policy_in_force, policy_set_aside, set_policy
from alpr.governance.retention import holds
from alpr.governance.retention.evidence import Exported, export_evidence, verify_export
from alpr.governance.retention.holds import list_holds, place_hold, release_hold
from alpr.governance.retention.purge import purge
from alpr.governance.runtime import Runtime
from alpr.governance.scopes import ScopeInput
from alpr.recognition.ingest import Ingestor, ReadRecord
from alpr.recognition.snapshot_folders import SnapshotFolder, remember_folder, remembered_folders
from tests.conftest import Clock, TestUser
from tests.integration.builders import World

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


def _plates(rt: Runtime) -> set[str]:
    with rt.transaction() as session:
        return set(session.execute(select(Read.plate)).scalars())


def _image_read(rt: Runtime, world: World, plate: str, at: datetime) -> tuple[int, str]:
    read_id = world.read(plate, "cam", at, 37.7, -122.4)
    digest = rt.images.put(f"jpeg of {plate}".encode())
    with rt.engine.begin() as conn:
        rt.images.record(conn, sha256=digest, size_bytes=10, width=None, height=None)
        conn.execute(
            Read.__table__.update()
            .where(Read.id == read_id)  # type: ignore[attr-defined]
            .values(crop_sha256=digest)
        )
    return read_id, digest


def test_each_category_purges_exactly_at_its_limit(
    rt: Runtime, clock: Clock, make_user: Callable[..., TestUser]
) -> None:
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    day = timedelta(days=1)
    _, kept_image = _image_read(rt, world, "KEEP364", NOW - 364 * day)
    _, gone_image = _image_read(rt, world, "GONE366", NOW - 366 * day)
    world.read("EDGE365", "cam", NOW - 365 * day + timedelta(minutes=1), 37.7, -122.4)
    held_id, held_image = _image_read(rt, world, "HELD400", NOW - 400 * day)
    world.read("HIT0700", "cam", NOW - 700 * day, 37.7, -122.4, retained=True)
    world.read("HIT0800", "cam", NOW - 800 * day, 37.7, -122.4, retained=True)
    released = world.read("REL0400", "cam", NOW - 400 * day, 37.7, -122.4)
    detective = make_user("rivera", "investigator").principal
    place_hold(
        rt,
        principal=detective,
        case_number="26-04711",
        reason="Evidence in the Geneva Ave homicide",
        read_ids=[held_id],
    )
    place_hold(
        rt,
        principal=detective,
        case_number="26-01000",
        reason="Possible evidence in a burglary",
        read_ids=[released],
    )
    sergeant = make_user("brooks", "sergeant").principal
    release_hold(rt, principal=sergeant, hold_id=2, note="Case closed, no longer evidence")

    report = purge(rt, as_of=NOW)
    assert _plates(rt) == {"KEEP364", "EDGE365", "HELD400", "HIT0700"}
    assert report.counts["reads_nonhit"] == 2 and report.counts["reads_hit"] == 1
    assert rt.images.get(kept_image) and rt.images.get(held_image)
    assert rt.images.get(gone_image) is None
    with rt.transaction() as session:
        run = session.execute(select(PurgeRun).order_by(PurgeRun.id.desc())).scalars().first()
        assert run is not None and not run.dry_run
        assert not re.search(
            r"[A-Z]{3,}[0-9]{3,}", json.dumps(run.counts) + json.dumps(run.methods)
        )


def test_camera_snapshots_go_when_the_images_of_their_time_do(rt: Runtime, tmp_path: Path) -> None:
    """R30, R48: a watched folder keeps each snapshot it has read in done/ (and one it could not
    read in rejected/): images of every vehicle that passed, outside the image store. The purge
    left them for ever once the reads and images they gave were gone; now a snapshot goes when
    the images captured at its time do (its file's time is the capture time), a preview only
    counts them, and a snapshot not read yet stays."""
    world = World(rt)
    watched = tmp_path / "ftp" / "gate"
    world.camera("gate", 37.7, -122.4, source=str(watched))
    world.camera("street", 37.7, -122.4, source="rtsp://10.0.0.9/stream")
    _snapshots(watched, AROUND_A_YEAR)
    assert purge(rt, as_of=NOW, dry_run=True).counts["snapshots"] == 2
    assert _left(watched) == sorted(AROUND_A_YEAR)
    assert purge(rt, as_of=NOW).counts["snapshots"] == 2
    assert _left(watched) == ["done/recent.jpg", "waiting.jpg"]


# Snapshots read (done/), refused (rejected/) and waiting, a year old and more or less.
AROUND_A_YEAR = {
    "done/old.jpg": NOW - timedelta(days=366),
    "rejected/cut.jpg": NOW - timedelta(days=400),
    "done/recent.jpg": NOW - timedelta(days=364),
    "waiting.jpg": NOW - timedelta(days=500),
}


def _snapshots(folder: Path, taken: dict[str, datetime]) -> None:
    for name, at in taken.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\xff\xd8 a car at the gate \xff\xd9")
        os.utime(path, (at.timestamp(), at.timestamp()))


def _left(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.jpg"))


def test_a_back_fill_s_snapshots_go_when_the_images_of_their_time_do(
    rt: Runtime, tmp_path: Path
) -> None:
    """R30, R48: a back-fill (`alpr worker run --source FOLDER --once` on a folder that is no
    camera's source) kept what it read in done/ and rejected/ for ever: the purge knew only
    the cameras' folders. The worker now remembers every folder it reads snapshots from, and
    the purge removes theirs with the images of their time; a snapshot not read yet stays."""
    camera = World(rt).camera("gate", 37.7, -122.4)
    back_fill = tmp_path / "sd-card"
    _snapshots(back_fill, AROUND_A_YEAR)
    remember_folder(rt.settings.data_dir, folder=back_fill, camera_id=camera)
    remember_folder(rt.settings.data_dir, folder=back_fill, camera_id=camera)
    assert remembered_folders(rt.settings.data_dir) == [SnapshotFolder(back_fill.resolve(), camera)]
    assert purge(rt, as_of=NOW).counts["snapshots"] == 2
    assert _left(back_fill) == ["done/recent.jpg", "waiting.jpg"]


def test_a_held_read_keeps_the_snapshots_of_its_pass(
    rt: Runtime, tmp_path: Path, make_user: Callable[..., TestUser]
) -> None:
    """R31: a held read is evidence, and so are the snapshots it was read from: the purge
    removed a watched folder's snapshots by their time alone, a held read's too. Those of a
    held read's pass (its camera's, within seconds of it) now stay, in a camera's folder and
    a back-fill's alike, until the hold is released; the rest of their day goes."""
    world = World(rt)
    watched, back_fill = tmp_path / "ftp" / "gate", tmp_path / "sd-card"
    world.camera("gate", 37.7, -122.4, source=str(watched))
    other = world.camera("cam", 37.7, -122.4)
    remember_folder(rt.settings.data_dir, folder=back_fill, camera_id=other)
    at = NOW - timedelta(days=400)
    held = [world.read("HELD400", "gate", at, 37.7, -122.4)]
    held.append(world.read("HELD401", "cam", at, 37.7, -122.4))
    second = timedelta(seconds=1)
    pass_of_it = {"done/best.jpg": at, "done/before.jpg": at - 2 * second}
    pass_of_it |= {"rejected/blurred.jpg": at + 2 * second}
    rest = {"done/next-car.jpg": at + 60 * second, "done/earlier.jpg": at - 3600 * second}
    for folder in (watched, back_fill):
        _snapshots(folder, pass_of_it | rest)
    hold = place_hold(
        rt,
        principal=make_user("rivera", "investigator").principal,
        case_number="26-04711",
        reason="Evidence in the Geneva Ave homicide",
        read_ids=held,
    )
    assert purge(rt, as_of=NOW).counts["snapshots"] == 4
    assert _left(watched) == _left(back_fill) == sorted(pass_of_it)
    assert _plates(rt) == {"HELD400", "HELD401"}
    release_hold(
        rt, principal=make_user("brooks", "sergeant").principal, hold_id=hold, note="Trial over"
    )
    assert purge(rt, as_of=NOW).counts["snapshots"] == 6
    assert _left(watched) == _left(back_fill) == []


def test_images_are_kept_as_long_as_reads_whatever_shorter_period_is_recorded(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R30: a read's images are part of its record (Gov. Code 34090.6): one day was accepted
    and a purge then deleted the images of reads it kept a year. A shorter period is refused
    now, and one an earlier release recorded is set aside: the purge keeps the images."""
    admin = make_user("okafor", "administrator").principal
    with pytest.raises(Refusal, match=r"Gov\. Code 34090\.6") as refused:
        set_policy(rt, actor=admin, key="retention_image_days", value=1, legal_basis="disk")
    assert refused.value.kind is RefusalKind.RULE
    with rt.transaction() as session:
        session.add(PolicySetting(key="retention_image_days", value=30, legal_basis="old"))
    assert "34090.6" in policy_set_aside(rt)["retention_image_days"]
    assert policy_in_force(rt).retention_image_days == 365
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    taken = NOW - timedelta(days=200)
    _, image = _image_read(rt, world, "IMG0200", taken)
    with rt.transaction() as session:
        session.execute(update(Image).where(Image.sha256 == image).values(stored_at=taken))
    report = purge(rt, as_of=NOW)
    assert report.counts["images"] == 0 and rt.images.get(image)


def test_dry_run_counts_and_deletes_nothing(rt: Runtime) -> None:
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    world.read("OLD1111", "cam", NOW - timedelta(days=500), 37.7, -122.4)
    report = purge(rt, as_of=NOW, dry_run=True)
    assert report.counts["reads_nonhit"] == 1 and _plates(rt) == {"OLD1111"}


def test_postgres_drops_whole_months_past_retention(rt: Runtime, backend: str) -> None:
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    for n in range(3):
        world.read(f"OLDM{n}00", "cam", datetime(2025, 6, 10 + n, tzinfo=UTC), 37.7, -122.4)
    world.read("RECENT1", "cam", NOW - timedelta(days=2), 37.7, -122.4)
    report = purge(rt, as_of=NOW)
    assert report.counts["reads_nonhit"] == 3 and _plates(rt) == {"RECENT1"}
    if backend == "postgres":
        assert "reads_standard_2025_06" in report.methods["reads_nonhit_partitions_dropped"]
    else:
        assert report.methods["reads_nonhit"] == "batched delete"


def test_a_month_detached_by_a_purge_that_stopped_is_dropped_by_the_next(
    rt: Runtime, backend: str
) -> None:
    """A purge stopped between the detach of a month and its drop leaves a table no search
    sees and nothing attaches again: the next purge still drops it, reads and other readings,
    and names its plates to the dictionary prune. Without that, reads past retention stay."""
    if backend != "postgres":
        pytest.skip("partitions are a Postgres concern")
    camera = World(rt).camera("cam", 37.7, -122.4)
    old = datetime(2025, 6, 10, tzinfo=UTC)
    Ingestor(rt.engine, rt.images).store(
        [
            ReadRecord(
                camera_id=camera,
                captured_at=old,
                plate="OLDM100",
                confidence=0.9,
                lat=37.7,
                lon=-122.4,
                alternatives=[["OLDM100", 0.7], ["0LDM100", 0.2]],
            )
        ],
        now=old,
    )
    with rt.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for parent in ("reads_standard", "read_alternatives_standard"):
            conn.execute(text(f"ALTER TABLE {parent} DETACH PARTITION {parent}_2025_06"))
    assert _plates(rt) == set()
    report = purge(rt, as_of=NOW)
    assert report.counts["reads_nonhit"] == 1 and report.counts["read_alternatives"] == 1
    with rt.engine.connect() as conn:
        left = conn.execute(
            text("SELECT relname FROM pg_class WHERE relname LIKE '%standard_2025_06'")
        )
        assert left.all() == []
        assert conn.execute(text("SELECT count(*) FROM plates")).scalar_one() == 0


def test_dropping_a_month_never_blocks_ingest(rt: Runtime, backend: str) -> None:
    """While the purge waits for a transaction that is still writing reads, new reads keep
    going in: the month is detached CONCURRENTLY (a plain DETACH would queue every insert
    behind its lock until that transaction ends)."""
    if backend != "postgres":
        pytest.skip("partitions are a Postgres concern")
    world = World(rt)
    camera = world.camera("cam", 37.7, -122.4)
    world.read("OLDM100", "cam", datetime(2025, 6, 10, tzinfo=UTC), 37.7, -122.4)
    world.read("RECENT1", "cam", NOW - timedelta(days=2), 37.7, -122.4)
    ingestor = Ingestor(rt.engine, rt.images)
    later = ReadRecord(
        camera_id=camera, captured_at=NOW, plate="NEW0001", confidence=0.9, lat=37.7, lon=-122.4
    )
    blocker = rt.engine.connect()
    writing = blocker.begin()
    blocker.execute(
        Read.__table__.insert(),  # type: ignore[attr-defined]
        {
            "captured_at": NOW - timedelta(days=1),
            "camera_id": camera,
            "plate": "SLOW001",
            "confidence": 0.9,
            "lat": 37.7,
            "lon": -122.4,
        },
    )
    with ThreadPoolExecutor(2) as pool:
        purging = pool.submit(purge, rt, as_of=NOW)
        try:
            time.sleep(1)
            assert not purging.done(), "the detach waits for the open transaction"
            pool.submit(ingestor.store, [later], now=NOW).result(timeout=10)
        finally:
            writing.commit()
            blocker.close()
        report = purging.result(timeout=60)
    assert "reads_standard_2025_06" in report.methods["reads_nonhit_partitions_dropped"]
    assert _plates(rt) == {"RECENT1", "SLOW001", "NEW0001"}


def test_releasing_a_hold_is_a_supervisors_action(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    read_id = world.read("HOLD123", "cam", NOW - timedelta(days=3), 37.7, -122.4)
    detective = make_user("rivera", "investigator").principal
    hold = place_hold(
        rt,
        principal=detective,
        case_number="26-04711",
        reason="Evidence in the Crocker Ave burglary",
        read_ids=[read_id],
    )
    with pytest.raises(Refusal) as exc:
        release_hold(rt, principal=detective, hold_id=hold, note="done")
    assert exc.value.kind is RefusalKind.PERMISSION


def test_a_hold_is_released_by_someone_other_than_the_one_who_placed_it(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R31, R04: no one alone takes back what they held; the refusal is recorded and the reads
    stay held until a second person (a sergeant, another administrator) releases the hold."""
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    read_id = world.read("HOLD123", "cam", NOW - timedelta(days=3), 37.7, -122.4)
    administrator = make_user("okafor", "administrator").principal
    hold = place_hold(
        rt,
        principal=administrator,
        case_number="26-04711",
        reason="Vehicle seen at the Geneva Ave shooting",
        read_ids=[read_id],
    )
    with pytest.raises(Refusal, match="someone other than the person who placed it") as exc:
        release_hold(rt, principal=administrator, hold_id=hold, note="No longer needed")
    assert exc.value.kind is RefusalKind.RULE
    with rt.transaction() as session:
        assert session.get(LegalHold, hold).released_at is None  # type: ignore[union-attr]
        refused = session.execute(
            select(AccessRecord.outcome).where(AccessRecord.event == "hold")
        ).scalars()
        assert list(refused) == ["success", "refused"]
    release_hold(
        rt, principal=make_user("brooks", "sergeant").principal, hold_id=hold, note="Case closed"
    )
    with rt.transaction() as session:
        assert session.get(LegalHold, hold).released_at is not None  # type: ignore[union-attr]


def test_a_hold_on_a_plate_or_an_area_is_justified_and_recorded_as_a_search(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R21, R20: holding a plate or an area looks its reads up (whether and how often a plate
    passed a place is what a search would tell): without a purpose it is refused and recorded;
    with one the access record carries the purpose, the case number, the plates and reads it
    found; a look-up that found nothing is recorded too."""
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    read_id = world.read("7ABC123", "cam", NOW - timedelta(minutes=10), 37.7, -122.4)
    administrator = make_user("okafor", "administrator").principal
    near = ScopeInput(
        plates=("7ABC123",),
        start=NOW - timedelta(minutes=20),
        end=NOW,
        lat=37.7,
        lon=-122.4,
        radius_m=50,
    )
    hold = {"case_number": "26-04711", "reason": "Suspect vehicle in the Geneva Ave shooting"}
    with pytest.raises(Refusal, match="State the purpose") as exc:
        place_hold(rt, principal=administrator, scope=near, **hold)
    assert exc.value.kind is RefusalKind.JUSTIFICATION
    placed = place_hold(rt, principal=administrator, scope=near, purpose="wanted_vehicle", **hold)
    elsewhere = replace(near, lat=37.75)
    with pytest.raises(Refusal, match="No reads match"):
        place_hold(rt, principal=administrator, scope=elsewhere, purpose="wanted_vehicle", **hold)
    with rt.transaction() as session:
        records = (
            session.execute(
                select(AccessRecord).where(AccessRecord.event == "hold").order_by(AccessRecord.id)
            )
            .scalars()
            .all()
        )
    assert [r.outcome for r in records] == ["refused", "allowed", "refused"]
    refused, allowed, found_nothing = records
    assert refused.plates == ["7ABC123"] and refused.purpose is None
    assert allowed.purpose == "wanted_vehicle" and allowed.case_number == "26-04711"
    assert set(allowed.plates or ()) == {"7ABC123"} and allowed.result_ids == [read_id]
    assert f"legal hold {placed} placed for case 26-04711 on 1 reads" in (allowed.detail or "")
    assert found_nothing.purpose == "wanted_vehicle" and found_nothing.plates == ["7ABC123"]


def test_evidence_package_verifies_and_detects_changes(
    rt: Runtime, make_user: Callable[..., TestUser], tmp_path: Path
) -> None:
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    read_id, _ = _image_read(rt, world, "EVID123", NOW - timedelta(days=1))
    detective = make_user("rivera", "investigator").principal
    why = JustificationInput("major_crime_canvass", "26-04711")
    out = tmp_path / "package"

    def export() -> Exported:
        return export_evidence(
            rt,
            principal=detective,
            case_number="26-04711",
            out=out,
            medium="USB drive 7",
            justification=why,
            read_ids=[read_id],
        )

    # Only reads the detective's own searches found: an export by read number is no way
    # around a search (and its bounds), and another person's search does not count.
    colleague = make_user("kim", "investigator").principal
    plate_history(rt, principal=colleague, justification=why, plate="EVID123")
    with pytest.raises(Refusal, match=f"Read {read_id} was not found by any search of yours"):
        export()
    assert not out.exists() or not any(out.iterdir())
    plate_history(rt, principal=detective, justification=why, plate="EVID123")
    exported = export()
    assert exported.reads == 1 and verify_export(rt, out) == []
    assert {p.name for p in out.iterdir()} >= {
        "reads.csv",
        "map.png",
        "custody.json",
        "search.json",
        "manifest.json",
        "images",
    }
    assert not [p for p in tmp_path.iterdir() if "staging" in p.name]
    copy = tmp_path / "booked"
    shutil.copytree(out, copy)
    assert verify_export(rt, copy) == []  # found by its chain-of-custody record
    csv_path = copy / "reads.csv"
    csv_path.write_text(csv_path.read_text().replace("EVID123", "EVID128"))
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["files"]["reads.csv"] = hashlib.sha256(csv_path.read_bytes()).hexdigest()
    (copy / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    (copy / "extra.txt").write_text("planted")
    assert verify_export(rt, copy, export_id=exported.id) == [
        "manifest.json differs from the manifest recorded when the package was made",
        "reads.csv was changed",
        "extra.txt is not in the manifest",
    ]
    with pytest.raises(DatabaseError, match="append-only"), rt.engine.begin() as conn:
        conn.execute(text("UPDATE evidence_exports SET manifest_sha256 = 'forged'"))


def test_a_held_read_older_than_every_retention_period_survives_the_purge(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    years = timedelta(days=3 * 365)
    held = world.read("HELD999", "cam", NOW - years, 37.7, -122.4)
    world.read("GONE999", "cam", NOW - years, 37.7, -122.4)
    world.read("HITGONE", "cam", NOW - years, 37.7, -122.4, retained=True)
    administrator = make_user("okafor", "administrator").principal
    place_hold(
        rt,
        principal=administrator,
        case_number="26-04711",
        reason="Evidence in a homicide trial",
        read_ids=[held],
    )
    report = purge(rt, as_of=NOW)
    assert _plates(rt) == {"HELD999"}
    assert report.counts["reads_hit"] == 1 and report.counts["reads_nonhit"] == 1


def test_a_hold_outliving_its_month_is_released_and_the_read_then_purged(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R30, R31: on Postgres the purge drops a month of ordinary reads past retention while a
    held read of that month waits in the retained partition; releasing the hold moved the read
    back into a month that no longer existed, and the database refused the release: the read
    stayed held for ever. The month is made again, and the next purge takes the read."""
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    at = NOW - timedelta(days=500)
    held = world.read("HELD500", "cam", at, 37.7, -122.4)
    world.read("GONE500", "cam", at, 37.7, -122.4)
    hold = place_hold(
        rt,
        principal=make_user("rivera", "investigator").principal,
        case_number="26-04711",
        reason="Evidence in the Geneva Ave homicide",
        read_ids=[held],
    )
    assert purge(rt, as_of=NOW).counts["reads_nonhit"] == 1
    assert _plates(rt) == {"HELD500"}
    release_hold(
        rt, principal=make_user("brooks", "sergeant").principal, hold_id=hold, note="Trial over"
    )
    with rt.transaction() as session:
        assert session.execute(select(Read.retained)).scalar_one() is False
    assert purge(rt, as_of=NOW).counts["reads_nonhit"] == 1
    assert _plates(rt) == set()


def test_holds_by_plate_and_period_and_by_case_and_area(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    day = timedelta(days=1)
    in_period = world.read("7ABC123", "cam", NOW - 2 * day, 37.7, -122.4)
    world.read("7ABC123", "cam", NOW - 20 * day, 37.7, -122.4)
    nearby = world.read("5XYZ001", "cam", NOW - 3 * day, 37.7, -122.4)
    administrator = make_user("okafor", "administrator").principal
    by_plate = place_hold(
        rt,
        principal=administrator,
        case_number="26-04711",
        reason="Vehicle seen leaving the shooting",
        purpose="wanted_vehicle",
        scope=ScopeInput(plates=("7ABC12?",), start=NOW - 10 * day, end=NOW),
    )
    by_area = place_hold(
        rt,
        principal=administrator,
        case_number="26-04712",
        reason="Reads around the scene",
        purpose="major_crime_canvass",
        scope=ScopeInput(
            start=NOW - 3 * day - timedelta(hours=1),
            end=NOW - timedelta(hours=1),
            lat=37.7,
            lon=-122.4,
            radius_m=100,
        ),
    )
    views = {h.id: h for h in list_holds(rt, principal=administrator)}
    assert views[by_plate].reads == 1 and "plates 7ABC12?" in views[by_plate].covers
    assert views[by_area].reads == 2 and "within 100 m" in views[by_area].covers
    with rt.transaction() as session:
        retained = dict(session.execute(select(Read.id, Read.retained)).all())
    assert retained[in_period] and retained[nearby]
    with pytest.raises(InvalidInput, match="either reads by number"):
        place_hold(rt, principal=administrator, case_number="26-1", reason="x")
    with pytest.raises(Refusal, match="No reads match"):
        place_hold(
            rt,
            principal=administrator,
            case_number="26-04713",
            reason="Suspect vehicle, not seen yet",
            purpose="wanted_vehicle",
            scope=ScopeInput(plates=("9NONE99",), start=NOW - day, end=NOW),
        )
    sergeant = make_user("brooks", "sergeant").principal
    release_hold(rt, principal=sergeant, hold_id=by_area, note="Trial over")
    with rt.transaction() as session:
        retained = dict(session.execute(select(Read.id, Read.retained)).all())
    assert retained[in_period] and not retained[nearby]
    with pytest.raises(Refusal, match="already released"):
        release_hold(rt, principal=sergeant, hold_id=by_area, note="again")


def test_a_hold_as_broad_as_a_dragnet_is_refused_and_recorded(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R31 with field note 6: a hold on every plate, on a plate with fewer known characters
    than a partial plate search needs, on an area wider than a canvass, or on a plate or an
    area over a longer period than a search of them may cover, would keep the whole database
    from being purged; it is refused, recorded as refused, and holds nothing. Within those
    bounds a hold may reach years back (evidence)."""
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    years = timedelta(days=6 * 365)
    seen = NOW - years + timedelta(days=1)
    suspect = world.read("7ABC123", "cam", seen, 37.7, -122.4)
    world.read("7XYZ999", "cam", NOW - timedelta(days=2), 37.7, -122.4)
    detective = make_user("rivera", "investigator").principal
    for scope, said in (
        (ScopeInput(plates=("*",), start=NOW - years, end=NOW), r"pattern \* has 0 known"),
        (ScopeInput(plates=("7A*",), start=NOW - years, end=NOW), "at least 3 are required"),
        (
            ScopeInput(start=NOW - years, end=NOW, lat=37.69, lon=-122.47, radius_m=50_000),
            "radius 50000 m exceeds 1000 m",
        ),
        (ScopeInput(plates=("7ABC123",), start=NOW - years, end=NOW), "exceeds 90 days"),
        (
            ScopeInput(start=NOW - timedelta(days=4), end=NOW, lat=37.7, lon=-122.4, radius_m=50),
            r"time window 96\.0 h exceeds 72 h",
        ),
    ):
        with pytest.raises(Refusal, match=said) as refused:
            place_hold(
                rt,
                principal=detective,
                case_number="26-12345",
                reason="evidence in the bank robbery",
                purpose="stolen_property",
                scope=scope,
            )
        assert refused.value.kind is RefusalKind.BOUNDS
    with rt.transaction() as session:
        assert not any(session.execute(select(Read.retained)).scalars())
        logged = (
            session.execute(
                select(AccessRecord).where(AccessRecord.event == "hold").order_by(AccessRecord.id)
            )
            .scalars()
            .all()
        )
    assert [r.outcome for r in logged] == ["refused"] * 5
    assert all(r.case_number == "26-12345" and "bounds" in (r.detail or "") for r in logged)
    assert list_holds(rt, principal=detective) == []
    hold = place_hold(
        rt,
        principal=detective,
        case_number="26-12345",
        reason="evidence in the bank robbery",
        purpose="stolen_property",
        scope=ScopeInput(
            plates=("7AB*",),
            start=seen - timedelta(days=1),
            end=seen + timedelta(days=1),
            lat=37.7,
            lon=-122.4,
            radius_m=1000,
        ),
    )
    (view,) = list_holds(rt, principal=detective)
    assert view.id == hold and view.reads == 1
    with rt.transaction() as session:
        retained = dict(session.execute(select(Read.id, Read.retained)).all())
    assert retained[suspect] and sum(retained.values()) == 1


def test_a_hold_over_a_longer_period_needs_a_sergeants_approval_never_a_broader_one(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R21, R31: evidence of a case can span months. A plate held over a longer period than a
    plate search may cover is placed with a sergeant's approval (another person, recorded with
    their note), as the search would be; the placer cannot approve their own, and no approval
    makes a hold broader (a pattern with too few known characters stays refused)."""
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    months = timedelta(days=200)
    early = world.read("7ABC123", "cam", NOW - months + timedelta(days=1), 37.7, -122.4)
    late = world.read("7ABC123", "cam", NOW - timedelta(days=2), 37.7, -122.4)
    detective = make_user("rivera", "investigator").principal
    sergeant = make_user("brooks", "sergeant").principal
    long_period = ScopeInput(plates=("7ABC123",), start=NOW - months, end=NOW)

    def hold(scope: ScopeInput, **approval: object) -> int:
        return place_hold(
            rt,
            principal=detective,
            case_number="26-12345",
            reason="suspect car of the bank robbery series",
            purpose="stolen_property",
            scope=scope,
            **approval,  # type: ignore[arg-type]
        )

    with pytest.raises(Refusal, match="have a sergeant approve it") as unapproved:
        hold(long_period)
    assert unapproved.value.kind is RefusalKind.BOUNDS
    with pytest.raises(Refusal, match="cannot be approved by the person running it"):
        hold(long_period, approver=detective, approval_note="my own case")
    with pytest.raises(Refusal, match="cannot cover this much"):
        hold(
            ScopeInput(plates=("7A*",), start=NOW - months, end=NOW),
            approver=sergeant,
            approval_note="series of robberies since June",
        )
    held = hold(long_period, approver=sergeant, approval_note="series of robberies since June")
    (view,) = list_holds(rt, principal=detective)
    assert view.id == held and view.reads == 2
    with rt.transaction() as session:
        assert set(session.execute(select(Read.id).where(Read.retained)).scalars()) == {
            early,
            late,
        }
        placed = session.execute(
            select(AccessRecord).where(
                AccessRecord.event == "hold", AccessRecord.outcome == "allowed"
            )
        ).scalar_one()
    assert placed.query["approved_by"] == "brooks"  # type: ignore[index]


def test_a_hold_names_a_case_in_the_agencys_formats_and_a_reason_of_substance(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R31, R21: a hold's case number is one of the agency's formats and its reason says why
    the reads are evidence, by number as by scope; a refused hold is recorded and holds
    nothing."""
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    read_id = world.read("7ABC123", "cam", NOW - timedelta(days=1), 37.7, -122.4)
    detective = make_user("rivera", "investigator").principal
    good = {"case_number": "26-04711", "reason": "Suspect vehicle in the Geneva Ave shooting"}
    plate = ScopeInput(plates=("7ABC123",), start=NOW - timedelta(days=2), end=NOW)
    for given, said in (
        ({"case_number": "x"}, "'X' is not a case, call or warrant number"),
        ({"reason": "y"}, "'y' does not say why the reads are or may become evidence"),
        ({"reason": "investigation case"}, "says too little"),
        ({"reason": "my ex drives this car"}, "personal use"),
    ):
        for what in ({"read_ids": [read_id]}, {"scope": plate, "purpose": "wanted_vehicle"}):
            with pytest.raises(Refusal, match=said) as refused:
                place_hold(rt, principal=detective, **(good | given | what))  # type: ignore[arg-type]
            assert refused.value.kind is RefusalKind.JUSTIFICATION
    with rt.transaction() as session:
        assert session.execute(select(LegalHold.id)).first() is None
        outcomes = session.execute(
            select(AccessRecord.outcome).where(AccessRecord.event == "hold")
        ).scalars()
        assert list(outcomes) == ["refused"] * 8
    assert place_hold(rt, principal=detective, read_ids=[read_id], **good)


def test_a_hold_by_read_numbers_is_bounded(
    rt: Runtime, make_user: Callable[..., TestUser], monkeypatch: pytest.MonkeyPatch
) -> None:
    """R31: one hold names at most ``MAX_READ_IDS`` reads by number, so that a few holds cannot
    keep the whole database from being purged; beyond it the hold is refused and recorded."""
    monkeypatch.setattr(holds, "MAX_READ_IDS", 2)
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    ids = [
        world.read(f"7ABC12{n}", "cam", NOW - timedelta(hours=n), 37.7, -122.4) for n in range(3)
    ]
    detective = make_user("rivera", "investigator").principal
    why = {"case_number": "26-04711", "reason": "Vehicles seen leaving the Crocker Ave burglary"}
    with pytest.raises(Refusal, match="at most 2 reads by number") as refused:
        place_hold(rt, principal=detective, read_ids=ids, **why)
    assert refused.value.kind is RefusalKind.BOUNDS
    with rt.transaction() as session:
        assert not any(session.execute(select(Read.retained)).scalars())
    assert place_hold(rt, principal=detective, read_ids=ids[:2], **why)


def test_access_log_purge_keeps_the_chain_verifiable(rt: Runtime, clock: Clock) -> None:
    clock.now = NOW - timedelta(days=900)
    with rt.transaction() as session:
        for n in range(3):
            access_log.append(
                session,
                at=clock.now,
                event=access_log.Event.SYSTEM,
                outcome=access_log.Outcome.SUCCESS,
                detail=f"old {n}",
            )
    clock.now = NOW
    with rt.transaction() as session:
        access_log.append(
            session,
            at=NOW,
            event=access_log.Event.SYSTEM,
            outcome=access_log.Outcome.SUCCESS,
            detail="recent",
        )
    report = purge(rt, as_of=NOW)
    assert report.counts["access_records"] >= 3
    with rt.transaction() as session:
        chain = verify_chain(rt, session).report
    assert chain.ok, chain.problem


def test_alerts_past_retention_go_with_their_reviews_except_held_ones(
    rt: Runtime, make_user: Callable[..., TestUser], clock: Clock
) -> None:
    """Alert records follow the alert retention (two years by default); an alert of a held
    read stays (R31), and the database still refuses to delete a review younger than a year."""
    now = clock.now = datetime.now(UTC)
    world = World(rt)
    camera = world.camera("cam", 37.7, -122.4)
    officer = make_user("chen", "patrol").principal
    detective = make_user("rivera", "investigator").principal
    with rt.transaction() as session:
        hot_list = HotList(name="SVS", kind=HotListKind.STOLEN_VEHICLE, created_at=now)
        session.add(hot_list)
        session.flush()
        entry = HotListEntry(
            hot_list_id=hot_list.id, pattern="7ABC123", reason="Stolen", priority=Priority.HIGH
        )
        session.add(entry)
        session.flush()
        list_id, entry_id = hot_list.id, entry.id
    ages = {"old": 800, "held": 790, "recent": 10}
    reads = {
        name: world.read("7ABC123", "cam", now - timedelta(days=d), 37.7, -122.4, retained=True)
        for name, d in ages.items()
    }
    with rt.transaction() as session:
        for name, days in ages.items():
            alert = Alert(
                read_id=reads[name],
                read_captured_at=now - timedelta(days=days),
                entry_id=entry_id,
                hot_list_id=list_id,
                plate="7ABC123",
                camera_id=camera,
                match_kind=MatchKind.EXACT,
                priority=Priority.HIGH,
                created_at=now - timedelta(days=days),
            )
            session.add(alert)
            session.flush()
            session.add(
                AlertReview(
                    alert_id=alert.id,
                    reviewer_id=officer.user_id,
                    characters_compared=True,
                    clets_confirmed=False,
                    disposition=Disposition.MISREAD,
                    note="Not the listed plate",
                    reviewed_at=now - timedelta(days=days - 1),
                )
            )
    place_hold(
        rt,
        principal=detective,
        case_number="26-04711",
        reason="Evidence in the Mission St. robbery",
        read_ids=[reads["held"]],
    )

    report = purge(rt, as_of=now)

    assert report.counts["alerts"] == 1
    with rt.transaction() as session:
        kept = set(session.execute(select(Alert.read_id)).scalars())
        reviews = session.execute(select(AlertReview.id, AlertReview.reviewed_at)).all()
    assert kept == {reads["held"], reads["recent"]} and len(reviews) == 2
    recent_review = max(reviews, key=lambda r: r.reviewed_at).id
    with pytest.raises(DatabaseError, match="append-only"), rt.engine.begin() as conn:
        conn.execute(delete(AlertReview).where(AlertReview.id == recent_review))


def test_a_read_number_no_database_holds_is_bad_input_and_holds_nothing(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """Read numbers typed on the retention page past a signed 64-bit integer are bad input,
    not a database error; no hold is placed."""
    detective = make_user("rivera", "investigator").principal
    with pytest.raises(InvalidInput, match="a read number is a whole number from 1 to"):
        place_hold(
            rt,
            principal=detective,
            case_number="26-04711",
            reason="Evidence in the Geneva Ave homicide",
            read_ids=[1, 2**63],
        )
    with rt.transaction() as session:
        assert session.execute(select(LegalHold.id)).first() is None
