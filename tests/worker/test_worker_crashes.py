"""R50: the worker on a folder of snapshots loses no read and stores none twice when it is
killed (``kill -9``) again and again, and stops within seconds on SIGTERM when idle, having
stored its last read. Real models, real dev photos, the ``alpr`` command in a subprocess."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from alpr.data.models import Camera, Read
from alpr.governance.runtime import Runtime
from tests.worker.conftest import ROOT, alpr_cli, dev_labels

pytestmark = pytest.mark.models

CAMERA = "Mission & Geneva"
FIRST_SNAPSHOT = 1_780_000_000  # 2026-05-28, seconds since the epoch
KILLS = 5


def snapshots(folder: Path, count: int, *, first: float = FIRST_SNAPSHOT) -> list[Path]:
    """``count`` dev photos of different cars dropped ten seconds apart: one pass each."""
    folder.mkdir(parents=True, exist_ok=True)
    dropped = []
    for i, (photo, _) in enumerate(dev_labels("us")[:count]):
        path = Path(shutil.copy(photo, folder / f"{i:03d}{photo.suffix}"))
        os.utime(path, (first + 10 * i, first + 10 * i))
        dropped.append(path)
    return dropped


def reads_of(engine: Engine, camera: str) -> list[tuple[datetime, str]]:
    """The reads stored for ``camera``, in capture order."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Read.captured_at, Read.plate)
            .join(Camera, Camera.id == Read.camera_id)
            .where(Camera.name == camera)
            .order_by(Read.captured_at, Read.plate)
        ).all()
    return [(at, plate) for at, plate in rows]


def worker(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "alpr", "worker", "run", *args],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )


def test_repeated_kill_9_on_a_folder_loses_and_duplicates_no_read(
    rt: Runtime, env: dict[str, str], tmp_path: Path
) -> None:
    """R50: the same snapshots, read once by an undisturbed worker and once by a worker killed
    with SIGKILL five times at random moments and then let finish, give the same reads."""
    count = 4 * KILLS  # more snapshots than five short runs can finish
    reference, killed = tmp_path / "reference", tmp_path / "killed"
    snapshots(reference, count)
    snapshots(killed, count)
    added = alpr_cli(
        "cameras", "add", "Reference", "--lat", "37.7", "--lon", "-122.4", "--as", "okafor", env=env
    )
    assert added.returncode == 0, added.stderr
    undisturbed = alpr_cli(
        "worker", "run", "--source", str(reference), "--camera", "Reference", "--once", env=env
    )
    assert undisturbed.returncode == 0, undisturbed.stderr
    produced = reads_of(rt.engine, "Reference")
    assert len(produced) >= count - 1  # a photo may show no readable plate

    chance = random.Random(24)
    kills = 0
    while kills < KILLS:
        process = worker("--source", str(killed), "--camera", CAMERA, "--once", env=env)
        assert process.stderr is not None
        wanted, seen = chance.randint(1, 2), 0
        for line in process.stderr:
            seen += "reads acknowledged" in line
            if seen >= wanted:
                time.sleep(chance.uniform(0.0, 0.3))
                break
        if process.poll() is not None:
            break  # the folder was finished before the kill
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        kills += 1
    finished = alpr_cli(
        "worker", "run", "--source", str(killed), "--camera", CAMERA, "--once", env=env
    )
    assert finished.returncode == 0, finished.stderr

    stored = reads_of(rt.engine, CAMERA)
    lost = [r for r in produced if r not in stored]
    duplicated = len(stored) - len(set(stored)) + len([r for r in stored if r not in produced])
    print(
        f"kills survived {kills}; reads produced {len(produced)}, stored {len(stored)}, "
        f"lost {len(lost)}, duplicated {duplicated}"
    )
    assert kills == KILLS
    assert (lost, duplicated) == ([], 0)
    assert stored == produced
    assert sorted(p.name for p in (killed / "done").iterdir()) == sorted(
        p.name for p in (reference / "done").iterdir()
    )
    assert not list((rt.settings.spool_dir).glob("camera-*/segment-*"))


def test_sigterm_stops_an_idle_watching_worker_with_its_last_read_stored(
    rt: Runtime, env: dict[str, str], tmp_path: Path
) -> None:
    """R50: a worker watching a folder stores a read without waiting for the next one, and on
    SIGTERM while a pass is still open (its car seen a moment ago) it ends the pass, stores
    its read, acknowledges its snapshot and exits within seconds."""
    folder = tmp_path / "snapshots"
    now = time.time()
    first, last = snapshots(folder, 2, first=now - 120)
    os.utime(last, (now + 600, now + 600))  # seen "just now" until the worker stops
    process = worker("--source", str(folder), "--camera", CAMERA, env=env)
    try:
        deadline = time.monotonic() + 60
        while not (folder / "done" / first.name).exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(reads_of(rt.engine, CAMERA)) == 1  # the first car, stored while the worker waits
        assert (folder / "done" / first.name).exists() and last.exists()
        time.sleep(3)  # the second car is being followed; nothing else arrives
        asked = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
        stopped_in = time.monotonic() - asked
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    print(f"stopped {stopped_in:.1f} s after SIGTERM")
    assert process.returncode == 0
    assert stopped_in < 10
    stored = reads_of(rt.engine, CAMERA)
    assert len(stored) == 2 == len(set(stored))
    assert (folder / "done" / last.name).exists()
