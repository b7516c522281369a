"""``alpr ingest`` at its door (R50, R10): a refused file stores nothing anywhere (reads, the
plate dictionary, the image store); values are taken as given or refused in one line (exit 2);
images come only from the import folder and only when they decode; two ingesters of one file
at once on Postgres both finish and store it once."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from alpr.cli import app
from alpr.data.models import AccessRecord, Plate, Read
from alpr.governance.cameras import add_camera
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser
from tests.recognition.conftest import dev_photos

ROOT = Path(__file__).resolve().parents[2]
AN_HOUR_AGO = (datetime.now(UTC) - timedelta(hours=1)).replace(microsecond=0)


IMPORTER = "okafor"  # the ALPR Administrator, who manages the cameras


@pytest.fixture
def import_dir(
    cli_database: Runtime, make_user: Callable[..., TestUser], monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The import folder, a camera, and the administrator's command-line session open (every
    ingester of these tests runs as them)."""
    folder = cli_database.settings.data_dir / "import"
    folder.mkdir(parents=True)
    add_camera(cli_database, actor=None, name="cam", lat=37.7, lon=-122.4)
    administrator = make_user(IMPORTER, "administrator")
    monkeypatch.setenv("ALPR_PASSWORD", administrator.password)
    monkeypatch.setenv("ALPR_TOTP", administrator.code())
    assert CliRunner().invoke(app, ["signin", IMPORTER]).exit_code == 0
    return folder


def _row(plate: str = "7ABC123", **fields: Any) -> dict[str, Any]:
    given = {"plate": plate, "captured_at": AN_HOUR_AGO.isoformat(), "lat": 37.7, "lon": -122.4}
    return given | fields


def _ingest(folder: Path, *rows: dict[str, Any]) -> tuple[int, list[str]]:
    file = folder / "reads.jsonl"
    file.write_text("".join(json.dumps(row) + "\n" for row in rows))
    result = CliRunner().invoke(app, ["ingest", str(file), "--camera", "cam", "--as", IMPORTER])
    return result.exit_code, result.output.strip().splitlines()


def _count(rt: Runtime, model: type) -> int:
    with rt.transaction() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def _stored_images(rt: Runtime) -> list[Path]:
    return [p for p in rt.images.root.rglob("*") if p.is_file()] if rt.images.root.exists() else []


def test_a_refused_file_stores_no_read_no_plate_and_no_image(
    cli_database: Runtime, import_dir: Path
) -> None:
    """R50: the good row of a refused file leaves nothing behind, neither its plate in the
    dictionary nor its image in the image store."""
    shutil.copy(dev_photos("us")[0].path, import_dir / "car.jpg")
    code, lines = _ingest(import_dir, _row("8NEW123", image="car.jpg"), _row("7ABC124", lat=True))
    assert code == 2 and len(lines) == 1
    assert lines[0].endswith("line 2: lat must be a number")
    assert _count(cli_database, Read) == _count(cli_database, Plate) == 0
    assert _stored_images(cli_database) == []
    assert (import_dir / "car.jpg").is_file()
    code, lines = _ingest(import_dir, _row("8NEW123", image="car.jpg"))
    assert code == 0, lines
    assert _count(cli_database, Read) == _count(cli_database, Plate) == 1
    assert len(_stored_images(cli_database)) == 1


def test_values_are_stored_as_given_or_refused_in_one_line(
    cli_database: Runtime, import_dir: Path
) -> None:
    """R50: a confidence of 0 is 0, not "missing"; a boolean is no coordinate; capture dates
    before 2000 or after tomorrow are typos, refused."""
    assert _ingest(import_dir, _row(confidence=0))[0] == 0
    with cli_database.transaction() as session:
        assert session.execute(select(Read.confidence)).scalar_one() == 0.0
    for year in ("0001", "1900", "2999"):
        at = f"{year}-06-01T08:00:00-07:00"
        code, lines = _ingest(import_dir, _row("7XYZ999", captured_at=at))
        assert code == 2 and len(lines) == 1
        assert f"captured_at {year}-06-01 is outside 2000-01-01" in lines[0]
    for bad in (True, "nan", 10**400, [1]):
        code, lines = _ingest(import_dir, _row("7XYZ999", lon=bad))
        assert code == 2 and len(lines) == 1, (bad, lines)
    assert _count(cli_database, Read) == 1


def test_images_only_from_the_import_folder_and_only_images(
    cli_database: Runtime, import_dir: Path, tmp_path: Path
) -> None:
    """R10/R50: an ingest file cannot make /etc/os-release, a link out of the import folder or
    a file that is not an image into a read's image; one line, exit 2, nothing stored."""
    outside = tmp_path / "elsewhere.jpg"
    shutil.copy(dev_photos("us")[0].path, outside)
    (import_dir / "link.jpg").symlink_to("/etc/hostname")
    (import_dir / "notes.jpg").write_text("not an image")
    for image, reason in (
        ("/etc/os-release", "is outside the import folder"),
        (str(outside), "is outside the import folder"),
        ("../../elsewhere.jpg", "is outside the import folder"),
        ("link.jpg", "is outside the import folder"),
        ("notes.jpg", "notes.jpg is not a readable image"),
    ):
        code, lines = _ingest(import_dir, _row(image=image))
        assert code == 2 and len(lines) == 1, (image, lines)
        assert reason in lines[0], (image, lines)
    assert _count(cli_database, Read) == 0 and _stored_images(cli_database) == []
    photo = import_dir / "car.jpg"
    shutil.copy(dev_photos("us")[0].path, photo)
    taken = photo.read_bytes()
    assert _ingest(import_dir, _row(image="car.jpg"))[0] == 0
    with cli_database.transaction() as session:
        digest = session.execute(select(Read.image_sha256)).scalar_one()
    assert digest and cli_database.images.get(digest) == taken


def _photos(folder: Path, *names: str) -> dict[str, bytes]:
    """Dev photos of different cars copied into ``folder`` under ``names``; their bytes."""
    for name, photo in zip(names, dev_photos("us"), strict=False):
        shutil.copy(photo.path, folder / name)
    return {name: (folder / name).read_bytes() for name in names}


def test_a_read_file_kept_elsewhere_names_its_images_in_the_import_folder(
    cli_database: Runtime, import_dir: Path, tmp_path: Path
) -> None:
    """R50: the operations guide says to copy the vendor's images into the import folder; a
    read file kept elsewhere that named one (`car.jpg`) was refused with "image car.jpg is
    outside the import folder", of an image that was in it, its name looked up beside the file.
    A file outside the import folder names its images in the import folder, and only there: the
    same name beside the file is not taken, and nothing leaves the folder by a relative path."""
    kept = tmp_path / "vendor"
    kept.mkdir()
    photos = _photos(import_dir, "car.jpg")
    shutil.copy(dev_photos("us")[1].path, kept / "car.jpg")
    code, lines = _ingest(kept, _row("8NEW123", image="../vendor/car.jpg"))
    assert code == 2 and "is outside the import folder" in lines[0], lines
    code, lines = _ingest(kept, _row("8NEW123", image="car.jpg"))
    assert code == 0, lines
    assert cli_database.images.get(_images_of(cli_database)["8NEW123"]) == photos["car.jpg"]
    assert not (import_dir / "car.jpg").exists() and (kept / "car.jpg").exists()


def _images_of(rt: Runtime) -> dict[str, str]:
    with rt.transaction() as session:
        return {
            plate: digest
            for plate, digest in session.execute(select(Read.plate, Read.image_sha256))
            if digest
        }


def test_source_images_leave_the_import_folder_once_their_reads_are_stored(
    cli_database: Runtime, import_dir: Path
) -> None:
    """R30, R31, R48: an imported read's image stayed in the import folder for ever once the
    image store had its copy: a photo of a plate outside retention, holds and the access log.
    Once the reads are committed, each source image the store keeps is removed; the output
    and the access log say how many. A row whose read was stored before with another image
    stores nothing of it, and its photo is left where it was, named."""
    photos = _photos(import_dir, "car0.jpg", "car1.jpg", "again.jpg")
    code, lines = _ingest(
        import_dir, _row("8NEW123", image="car0.jpg"), _row("8NEW124", image="car1.jpg")
    )
    assert code == 0, lines
    assert lines == [
        "2 reads stored, 0 already present, 0 hot-list alerts; 2 source images removed from "
        "the import folder (the image store keeps them)"
    ]
    assert sorted(p.name for p in import_dir.glob("*.jpg")) == ["again.jpg"]
    stored = _images_of(cli_database)
    assert cli_database.images.get(stored["8NEW123"]) == photos["car0.jpg"]
    assert cli_database.images.get(stored["8NEW124"]) == photos["car1.jpg"]
    with cli_database.transaction() as session:
        detail = session.execute(
            select(AccessRecord.detail).where(AccessRecord.detail.contains("reads imported"))
        ).scalar_one()
    assert "2 source images removed from the import folder, 0 left there" in (detail or "")

    code, lines = _ingest(import_dir, _row("8NEW123", image="again.jpg"))
    assert code == 0, lines
    assert lines[0].startswith("0 reads stored, 1 already present, 0 hot-list alerts; 0 source")
    assert lines[1:] == [
        "1 images left in the import folder, no stored read naming them (a read stored before "
        "with another image): again.jpg"
    ]
    assert (import_dir / "again.jpg").read_bytes() == photos["again.jpg"]
    assert _images_of(cli_database) == stored


def test_an_import_the_database_refuses_keeps_every_source_image(
    cli_database: Runtime, import_dir: Path
) -> None:
    """R30, R50: the source images are removed only after the reads are committed. A database
    that refuses the reads (here a trigger) leaves every image in the import folder, as it
    was, and none in the image store: the import can be run again once the database takes
    them."""
    photos = _photos(import_dir, "car0.jpg", "car1.jpg")
    rows = (_row("8NEW123", image="car0.jpg"), _row("8NEW124", image="car1.jpg"))
    with cli_database.engine.begin() as conn:
        if cli_database.is_postgres:
            conn.exec_driver_sql(
                "CREATE FUNCTION refuse_reads() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'reads refused'; END $$"
            )
            conn.exec_driver_sql(
                "CREATE TRIGGER refuse_reads BEFORE INSERT ON reads "
                "FOR EACH ROW EXECUTE FUNCTION refuse_reads()"
            )
        else:
            conn.exec_driver_sql(
                "CREATE TRIGGER refuse_reads BEFORE INSERT ON reads "
                "BEGIN SELECT RAISE(ABORT, 'reads refused'); END"
            )
    code, lines = _ingest(import_dir, *rows)
    assert code != 0
    assert "nothing was stored and the images stay in the import folder" in lines[-1]
    assert {p.name: p.read_bytes() for p in import_dir.glob("*.jpg")} == photos
    assert _count(cli_database, Read) == 0 and _stored_images(cli_database) == []
    with cli_database.engine.begin() as conn:
        conn.exec_driver_sql(
            "DROP TRIGGER refuse_reads" + (" ON reads" if cli_database.is_postgres else "")
        )
    code, lines = _ingest(import_dir, *rows)
    assert code == 0 and "2 source images removed" in lines[0], lines
    assert list(import_dir.glob("*.jpg")) == []


@pytest.fixture
def postgres_only(backend: str) -> Iterator[None]:
    if backend != "postgres":
        pytest.skip("the plate dictionary is written concurrently on Postgres")
    yield


@pytest.mark.usefixtures("postgres_only")
def test_two_ingesters_of_one_file_at_once_both_finish_and_store_it_once(
    cli_database: Runtime, import_dir: Path
) -> None:
    """R50: two `alpr ingest` of the same file started together on Postgres: neither dies
    of a deadlock on the plate dictionary, and each read and plate is stored once."""
    count = 20_000
    file = import_dir / "reads.jsonl"
    file.write_text(
        "".join(
            json.dumps(
                _row(
                    f"{i % 10}K{i:05d}",
                    captured_at=(AN_HOUR_AGO - timedelta(seconds=i)).isoformat(),
                )
            )
            + "\n"
            for i in range(count)
        )
    )
    env = {
        **os.environ,
        "ALPR_DATABASE_URL": cli_database.settings.resolved_database_url,
        "ALPR_DATA_DIR": str(cli_database.settings.data_dir),
        "PYTHONPATH": str(ROOT),
    }
    command = [
        sys.executable,
        "-m",
        "alpr",
        "ingest",
        str(file),
        "--camera",
        "cam",
        "--as",
        IMPORTER,
    ]
    ingesters = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outcomes = [(p.wait(timeout=120), p.stderr.read() if p.stderr else b"") for p in ingesters]
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    assert _count(cli_database, Read) == _count(cli_database, Plate) == count


def test_reads_are_imported_by_a_named_person_who_manages_the_cameras(
    cli_database: Runtime,
    import_dir: Path,
    make_user: Callable[..., TestUser],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """R20, R50: a read can become evidence, so an import names who made it (the access log
    keeps the camera and the file's SHA-256); nobody unnamed, and nobody without the cameras'
    management, puts reads in the database."""
    file = import_dir / "reads.jsonl"
    file.write_text(json.dumps(_row("7FRAME1")) + "\n")
    unnamed = CliRunner().invoke(app, ["ingest", str(file), "--camera", "cam"])
    assert unnamed.exit_code != 0 and "--as" in unnamed.output
    officer = make_user("chen", "patrol")
    monkeypatch.setenv("ALPR_PASSWORD", officer.password)
    monkeypatch.setenv("ALPR_TOTP", officer.code())
    refused = CliRunner().invoke(app, ["ingest", str(file), "--camera", "cam", "--as", "chen"])
    assert refused.exit_code == 3, refused.output
    assert _count(cli_database, Read) == 0
    assert _ingest(import_dir, _row("7FRAME1"))[0] == 0
    with cli_database.transaction() as session:
        records = session.execute(
            select(AccessRecord.username, AccessRecord.outcome, AccessRecord.detail).where(
                AccessRecord.detail.contains("import reads")
                | AccessRecord.detail.contains("reads imported")
            )
        ).all()
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    assert {(r.username, r.outcome) for r in records} == {
        ("chen", "refused"),
        (IMPORTER, "success"),
    }
    [done] = [r.detail for r in records if r.outcome == "success"]
    assert f"1 reads imported for camera cam from reads.jsonl (sha256 {digest})" in done
