"""Postgres goes away during ingest: reads are acknowledged into the spool, nothing is lost,
and they arrive in the database after it restarts (a throwaway Postgres instance of the
test's own, never the shared server)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.pool import NullPool

from alpr.config import Deployment
from alpr.data import schema
from alpr.data.engine import make_engine
from alpr.data.images import ImageStore
from alpr.data.models import Camera, CameraKind, Read
from alpr.governance.cameras import add_camera
from alpr.governance.runtime import build_runtime
from alpr.recognition.ingest import Ingestor, ReadRecord
from alpr.recognition.sink import SpoolingSink
from alpr.recognition.spool import Spool
from tests.worker.conftest import ROOT, alpr_cli, free_port, model_dir
from tests.worker.test_worker_crashes import CAMERA, FIRST_SNAPSHOT, reads_of, snapshots

PG_BIN = Path("/usr/lib/postgresql/15/bin")


class Throwaway:
    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(
            ["su", "postgres", "-c", " ".join(args)], check=True, capture_output=True, timeout=120
        )

    def start(self) -> None:
        self._as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.folder / "data"),
            "-w",
            "-o",
            f"'-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1'",
            "-l",
            str(self.folder / "log"),
            "start",
        )

    def stop(self) -> None:
        self._as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.folder / "data"), "-w", "-m", "fast", "stop"
        )


@pytest.fixture
def throwaway() -> Iterator[Throwaway]:
    if not (PG_BIN / "initdb").exists() or shutil.which("su") is None:
        pytest.skip("Postgres server binaries are not installed")
    folder = Path(tempfile.mkdtemp(prefix="alpr-pg-"))
    shutil.chown(folder, "postgres")
    server = Throwaway(folder, free_port())
    server._as_postgres(
        str(PG_BIN / "initdb"), "-D", str(folder / "data"), "-A", "trust", "-U", "postgres"
    )
    server.start()
    yield server
    subprocess.run(
        ["su", "postgres", "-c", f"{PG_BIN / 'pg_ctl'} -D {folder / 'data'} -m immediate stop"],
        capture_output=True,
        check=False,
    )
    shutil.rmtree(folder, ignore_errors=True)


def test_reads_spool_while_postgres_is_down_and_arrive_after(
    throwaway: Throwaway, tmp_path: Path
) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{throwaway.port}/postgres"
    engine = make_engine(url)
    schema.upgrade(engine)
    with engine.begin() as conn:
        camera_id = conn.execute(
            Camera.__table__.insert().returning(Camera.id),  # type: ignore[attr-defined]
            {
                "name": "cam",
                "kind": CameraKind.FIXED,
                "lat": 37.7,
                "lon": -122.4,
                "enabled": True,
                "status": "up",
                "created_at": datetime.now(UTC),
            },
        ).scalar_one()
    start = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)

    def batch(offset: int) -> list[ReadRecord]:
        return [
            ReadRecord(
                camera_id=camera_id,
                captured_at=start + timedelta(seconds=offset + i),
                plate=f"7ABC{offset + i:03d}",
                confidence=0.9,
                lat=37.7,
                lon=-122.4,
            )
            for i in range(10)
        ]

    sink = SpoolingSink(
        Ingestor(engine, ImageStore(tmp_path / "img")),
        Spool(tmp_path / "spool"),
        lambda: datetime.now(UTC),
    )
    sink.keep(batch(0))
    assert sink.drain() and sink.stored == 10
    throwaway.stop()
    engine.dispose()
    for offset in (10, 20):
        sink.keep(batch(offset))
        assert not sink.drain()
    assert sink.database_down and sink.spool.size() == 20
    throwaway.start()
    time.sleep(0.5)
    assert sink.drain()
    assert sink.spool.size() == 0
    with engine.connect() as conn:
        plates = conn.execute(select(Read.plate).order_by(Read.captured_at)).scalars().all()
        assert plates == [f"7ABC{i:03d}" for i in range(30)]
        assert conn.execute(select(func.count()).select_from(Read)).scalar() == 30
        conn.execute(text("SELECT 1"))
    engine.dispose()


class Logged:
    """A worker subprocess whose log lines are collected as they come."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "alpr", "worker", "run", *args],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._collect, daemon=True).start()

    def _collect(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)

    def saw(self, text: str) -> int:
        return sum(text in line for line in list(self.lines))


def wait_until(
    condition: Callable[[], bool], *, timeout: float, what: str, log: Logged | None = None
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            shown = "".join(log.lines[-20:]) if log else ""
            raise AssertionError(f"timed out waiting for {what}\n{shown}")
        time.sleep(0.3)


@pytest.mark.models
def test_postgres_stopped_and_restarted_under_a_running_worker_loses_and_duplicates_nothing(
    throwaway: Throwaway, tmp_path: Path
) -> None:
    """R50: a watching worker keeps reading into its spool while Postgres is stopped, is
    killed (SIGKILL) during the outage, and after the restart every read arrives once; a read
    spooled in a second outage is stored by the spool's timer when Postgres comes back, with
    no new snapshot to push it."""
    url = f"postgresql+psycopg://postgres@127.0.0.1:{throwaway.port}/postgres"
    schema.upgrade(make_engine(url))
    env = {
        **os.environ,
        "ALPR_DATABASE_URL": url,
        "ALPR_DATA_DIR": str(tmp_path / "data"),
        "ALPR_MODEL_DIR": str(model_dir()),
        "PYTHONPATH": str(ROOT),
    }
    registrar = build_runtime(Deployment(database_url=url, data_dir=tmp_path / "data"))
    for name in (CAMERA, "Reference"):  # the operator's set-up, before any account exists
        add_camera(registrar, actor=None, name=name, lat=37.7, lon=-122.4)
    registrar.engine.dispose()
    count = 12
    reference, watched = tmp_path / "reference", tmp_path / "watched"
    snapshots(reference, count + 1)
    late = snapshots(watched, count + 1)[-1]
    late.replace(tmp_path / late.name)
    undisturbed = alpr_cli(
        "worker", "run", "--source", str(reference), "--camera", "Reference", "--once", env=env
    )
    assert undisturbed.returncode == 0, undisturbed.stderr
    polled = create_engine(url, poolclass=NullPool)

    produced = reads_of(polled, "Reference")
    assert len(produced) >= count  # a photo may show no readable plate
    late_at = datetime.fromtimestamp(FIRST_SNAPSHOT + 10 * count, UTC)
    early = [r for r in produced if r[0] != late_at]

    killed = Logged(["--source", str(watched), "--camera", CAMERA], env)
    wait_until(lambda: len(reads_of(polled, CAMERA)) >= 2, timeout=60, what="two reads stored")
    throwaway.stop()
    wait_until(
        lambda: killed.saw("reads acknowledged") >= len(early),
        timeout=60,
        what="every snapshot read",
        log=killed,
    )
    assert killed.saw("database unreachable") and killed.saw("spool waiting") >= 2, killed.lines
    killed.process.kill()
    killed.process.wait()
    throwaway.start()

    worker = Logged(["--source", str(watched), "--camera", CAMERA], env)
    try:
        wait_until(
            lambda: reads_of(polled, CAMERA) == early,
            timeout=60,
            what="the reads of the first outage",
            log=worker,
        )
        throwaway.stop()
        (tmp_path / late.name).replace(late)
        wait_until(
            lambda: (
                worker.saw("database unreachable") > 0
                and not late.exists()
                and (watched / "done" / late.name).exists()
            ),
            timeout=60,
            what="the late snapshot spooled",
            log=worker,
        )
        throwaway.start()
        back = time.monotonic()
        wait_until(
            lambda: len(reads_of(polled, CAMERA)) >= len(produced),
            timeout=30,
            what="the spooled read stored without a new snapshot",
            log=worker,
        )
        drained_in = time.monotonic() - back
        worker.process.send_signal(signal.SIGTERM)
        assert worker.process.wait(timeout=20) == 0
    finally:
        if worker.process.poll() is None:
            worker.process.kill()
    final = reads_of(polled, CAMERA)
    lost = [r for r in produced if r not in final]
    duplicated = len(final) - len(set(final)) + len([r for r in final if r not in produced])
    print(
        f"outages 2, kills 1; reads produced {len(produced)}, stored {len(final)}, "
        f"lost {len(lost)}, duplicated {duplicated}; spool drained {drained_in:.1f} s after "
        "the restart"
    )
    assert (lost, duplicated) == ([], 0)
    assert final == produced
    assert drained_in < 10
    polled.dispose()
