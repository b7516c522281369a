"""Postgres goes away during ingest: reads are acknowledged into the spool, nothing is lost,
and they arrive in the database after it restarts (a throwaway Postgres instance of the
test's own, never the shared server)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from alpr.data import schema
from alpr.data.engine import make_engine
from alpr.data.images import ImageStore
from alpr.data.models import Camera, CameraKind, Read
from alpr.recognition.ingest import Ingestor, ReadRecord
from alpr.recognition.sink import SpoolingSink
from alpr.recognition.spool import Spool
from tests.worker.conftest import free_port

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
    sink.submit(batch(0))
    assert sink.stored == 10
    throwaway.stop()
    engine.dispose()
    sink.submit(batch(10))
    sink.submit(batch(20))
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
