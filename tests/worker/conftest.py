"""Worker tests with the real models and real streams: a video built from dev photos, served
over RTSP by GStreamer's server and over HTTP MJPEG by ffmpeg, on 127.0.0.1."""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np
import pytest

from alpr.governance.runtime import Runtime
from tests.conftest import TestUser

ROOT = Path(__file__).resolve().parents[2]
DEV = Path(os.environ.get("ALPR_DEV_DATA", ROOT.parent / "shared" / "data" / "plates-dev"))
# Dev photos of single cars, one car each in the test video.
CARS = (
    "us/0b86cecf-67d1-4fc0-87c9-b36b0ee228bb.jpg",
    "us/1e241dc8-8f18-4955-8988-03a0ab49f813.jpg",
    "us/316b64c0-55bf-4079-a1c0-d93f461a576f.jpg",
    "us/37170dd1-2802-4e38-b982-c5d07c64ff67.jpg",
    "us/car12.jpg",
)


def model_dir() -> Path:
    value = os.environ.get("ALPR_MODEL_DIR")
    if not value:
        pytest.skip("ALPR_MODEL_DIR is not set")
    return Path(value)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def dev_labels(region: str) -> list[tuple[Path, str]]:
    with (DEV / "labels.csv").open() as handle:
        return [
            (DEV / r["file"], r["plate"]) for r in csv.DictReader(handle) if r["region"] == region
        ]


def build_video(
    path: Path,
    images: list[Path],
    *,
    fps: int = 10,
    seconds_each: float = 1.5,
    empty_s: float = 1.0,
) -> Path:
    """Each photo for ``seconds_each``, then ``empty_s`` of empty street; H.264 in MP4."""
    raw = path.with_suffix(".avi")
    writer = cv2.VideoWriter(str(raw), cv2.VideoWriter_fourcc(*"MJPG"), fps, (1280, 720))
    blank = np.full((720, 1280, 3), 90, np.uint8)
    for image_path in images:
        image = cv2.imread(str(image_path))
        scale = min(1280 / image.shape[1], 720 / image.shape[0])
        resized = cv2.resize(image, None, fx=scale, fy=scale)
        canvas = blank.copy()
        y = (720 - resized.shape[0]) // 2
        x = (1280 - resized.shape[1]) // 2
        canvas[y : y + resized.shape[0], x : x + resized.shape[1]] = resized
        for _ in range(int(fps * seconds_each)):
            writer.write(canvas)
        for _ in range(round(fps * empty_s)):
            writer.write(blank)
    writer.release()
    subprocess.run(
        [
            "ffmpeg",
            "-loglevel",
            "error",
            "-y",
            "-i",
            str(raw),
            "-c:v",
            "libx264",
            "-preset",
            "veryfast",
            "-pix_fmt",
            "yuv420p",
            "-g",
            str(fps),
            str(path),
        ],
        check=True,
    )
    raw.unlink()
    return path


@pytest.fixture(scope="session")
def cars() -> list[tuple[Path, str]]:
    labels = {p.relative_to(DEV).as_posix(): plate for p, plate in dev_labels("us")}
    return [(DEV / name, labels[name]) for name in CARS]


@pytest.fixture(scope="session")
def traffic_video(tmp_path_factory: pytest.TempPathFactory, cars: list[tuple[Path, str]]) -> Path:
    return build_video(tmp_path_factory.mktemp("video") / "traffic.mp4", [p for p, _ in cars])


@contextmanager
def rtsp_served(video: Path) -> Iterator[str]:
    """The URL of ``video`` served over RTSP, from its start for each client."""
    port = free_port()
    server = subprocess.Popen(
        [
            "/usr/bin/python3",
            str(Path(__file__).with_name("rtsp_server.py")),
            str(video),
            str(port),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        assert server.stdout.readline().strip() == "ready"
        yield f"rtsp://127.0.0.1:{port}/cam"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def rtsp_url(traffic_video: Path) -> Iterator[str]:
    with rtsp_served(traffic_video) as url:
        yield url


@pytest.fixture
def mjpeg_url(traffic_video: Path) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/cam.mjpg"
    server = subprocess.Popen(
        [
            "ffmpeg",
            "-loglevel",
            "error",
            "-re",
            "-i",
            str(traffic_video),
            "-q:v",
            "3",
            "-f",
            "mpjpeg",
            "-listen",
            "1",
            url,
        ],
    )
    time.sleep(0.8)
    yield url
    server.terminate()
    server.wait(timeout=10)


def alpr_cli(
    *args: str, env: dict[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "alpr", *args],
        cwd=ROOT,
        env=env,
        text=True,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(params=["sqlite"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def env(rt: Runtime, make_user: Callable[..., TestUser]) -> Iterator[dict[str, str]]:
    """The environment of an ``alpr`` subprocess on the test's database and data folder, with
    the camera "Mission & Geneva" registered."""
    values = {
        **os.environ,
        "ALPR_DATABASE_URL": rt.settings.resolved_database_url,
        "ALPR_DATA_DIR": str(rt.settings.data_dir),
        "ALPR_MODEL_DIR": str(model_dir()),
        "PYTHONPATH": str(ROOT),
    }
    admin = make_user("okafor", "administrator")
    added = alpr_cli(
        "cameras",
        "add",
        "Mission & Geneva",
        "--lat",
        "37.7087",
        "--lon",
        "-122.4498",
        "--heading",
        "180",
        "--as",
        "okafor",
        env={**values, "ALPR_PASSWORD": admin.password, "ALPR_TOTP": admin.code()},
    )
    assert added.returncode == 0, added.stderr
    yield values
