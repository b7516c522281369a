"""Frame sources: RTSP and HTTP(S) MJPEG streams and video files through OpenCV, and a
watched folder where cameras drop snapshots. URLs are never logged with their credentials."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import cv2
import numpy as np

LOG = logging.getLogger("alpr.worker")
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp"}


class SourceError(RuntimeError):
    """The source cannot be opened or read; the message is safe to log."""


def redact_url(url: str) -> str:
    """The URL without user name and password."""
    parts = urlsplit(url)
    if not parts.username and not parts.password:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, f"***@{host}", parts.path, parts.query, parts.fragment))


@dataclass(frozen=True)
class Frame:
    index: int
    captured_at: datetime
    seconds: float  # position in the source (files) or since opening (streams)
    image: np.ndarray


def is_stream(source: str) -> bool:
    return source.startswith(("rtsp://", "rtsps://", "http://", "https://"))


def video_frames(source: str, *, open_timeout_s: float = 10.0) -> Iterator[Frame]:
    """Frames of a video file or stream. A file's frames are stamped from its modification
    time plus their position, so processing the same file again gives the same times."""
    stream = is_stream(source)
    if not stream and not Path(source).is_file():
        raise SourceError(f"no such video file: {source}")
    capture = cv2.VideoCapture(source, cv2.CAP_FFMPEG)
    capture.set(cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, open_timeout_s * 1000)
    capture.set(cv2.CAP_PROP_READ_TIMEOUT_MSEC, open_timeout_s * 1000)
    if not capture.isOpened():
        raise SourceError(f"cannot open {redact_url(source)}")
    base = datetime.now(UTC) if stream else datetime.fromtimestamp(os.path.getmtime(source), UTC)
    opened = time.monotonic()
    index = 0
    failures = 0
    try:
        while True:
            ok, image = capture.read()
            if not ok or image is None:
                if stream and failures < 3 and index > 0:
                    failures += 1
                    LOG.warning("frame read failed on %s; retrying", redact_url(source))
                    continue
                return
            failures = 0
            if stream:
                seconds = time.monotonic() - opened
                at = datetime.now(UTC)
            else:
                seconds = capture.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
                at = base + timedelta(seconds=seconds)
            yield Frame(index, at, seconds, image)
            index += 1
    finally:
        capture.release()


def snapshot_frames(folder: Path, *, once: bool, poll_s: float = 1.0) -> Iterator[Frame]:
    """Images dropped into a folder (the usual FTP upload set-up), oldest first. Processed
    files move to ``done/``; unreadable ones to ``rejected/`` with a log line."""
    done, rejected = folder / "done", folder / "rejected"
    done.mkdir(parents=True, exist_ok=True)
    rejected.mkdir(parents=True, exist_ok=True)
    index = 0
    while True:
        files = sorted(
            (p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES),
            key=lambda p: (p.stat().st_mtime, p.name),
        )
        for path in files:
            image = cv2.imread(str(path))
            if image is None or image.size == 0:
                LOG.error("snapshot %s is not a readable image; moved to rejected/", path.name)
                path.replace(rejected / path.name)
                continue
            at = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            yield Frame(index, at, float(index), image)
            index += 1
            path.replace(done / path.name)
        if once:
            return
        time.sleep(poll_s)
