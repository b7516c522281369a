"""Frame sources: RTSP and HTTP(S) MJPEG streams and video files through OpenCV, and a
watched folder where cameras drop snapshots. URLs are never logged with their credentials.
A snapshot stays in its folder until the reads it gave are safe (``acknowledge``)."""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import cv2
import numpy as np

LOG = logging.getLogger("alpr.worker")
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp"}
_SECRET_KEY = re.compile(r"user|login|pass|pwd|token|key|auth|secret|sig", re.IGNORECASE)


class SourceError(RuntimeError):
    """The source cannot be opened or read; the message is safe to log."""


class ImageUnreadable(ValueError):
    """A snapshot that is empty, truncated or not an image; the message says which."""


def redact_url(url: str) -> str:
    """The URL safe to log: user name and password replaced by ``***``, and so are the values
    of query parameters that carry credentials (``?user=admin&pwd=...`` on many cameras)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rsplit("@", 1)[1]
    query = "&".join(
        f"{key}=***" if sep and _SECRET_KEY.search(key) else f"{key}{sep}{value}"
        for key, sep, value in (item.partition("=") for item in parts.query.split("&") if item)
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def read_image(path: Path) -> np.ndarray:
    """A BGR image from a file. A JPEG cut short (no end-of-image marker, as when an upload
    is interrupted) is refused rather than read with a grey lower half."""
    data = path.read_bytes()
    if not data:
        raise ImageUnreadable(f"{path.name} is empty")
    if data[:2] == b"\xff\xd8" and b"\xff\xd9" not in data[-1024:]:
        raise ImageUnreadable(f"{path.name} is a truncated JPEG")
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if image is None or image.size == 0:
        raise ImageUnreadable(f"{path.name} is not a readable image")
    return np.asarray(image)


@dataclass(frozen=True)
class Frame:
    """One frame: its number in the source, when it was captured (UTC), its position in
    seconds and the BGR image."""

    index: int
    captured_at: datetime
    seconds: float  # position in the source (files) or since opening (streams)
    image: np.ndarray
    snapshot: Path | None = None  # the file of a watched folder the frame was read from


@dataclass(frozen=True)
class Idle:
    """A watched folder had nothing new at ``at`` (UTC): passes not seen since can end."""

    at: datetime


def is_stream(source: str) -> bool:
    return source.startswith(("rtsp://", "rtsps://", "http://", "https://"))


def video_frames(source: str, *, open_timeout_s: float = 10.0) -> Iterator[Frame]:
    """Frames of a video file or stream. A file's frames are stamped from its modification
    time plus their position, so processing the same file again gives the same times. A
    live stream is decoded on a thread of its own and only its newest frame is given (see
    ``LatestFrames``)."""
    stream = is_stream(source)
    if not stream and not Path(source).is_file():
        raise SourceError(f"no such video file: {source}")
    capture = cv2.VideoCapture(source, cv2.CAP_FFMPEG)
    capture.set(cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, open_timeout_s * 1000)
    capture.set(cv2.CAP_PROP_READ_TIMEOUT_MSEC, open_timeout_s * 1000)
    if not capture.isOpened():
        raise SourceError(f"cannot open {redact_url(source)}")
    if stream:
        return LatestFrames(capture, redact_url(source)).frames()
    return _file_frames(capture, datetime.fromtimestamp(os.path.getmtime(source), UTC))


def _file_frames(capture: cv2.VideoCapture, base: datetime) -> Iterator[Frame]:
    index = 0
    try:
        while True:
            ok, image = capture.read()
            if not ok or image is None:
                return
            seconds = capture.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
            yield Frame(index, base + timedelta(seconds=seconds), seconds, image)
            index += 1
    finally:
        capture.release()


class LatestFrames:
    """A live stream decoded on its own thread, keeping only the newest frame: a reader
    slower than the camera (a loaded machine) skips frames instead of falling behind, which
    over RTSP would overflow the network buffers and give smeared frames or none. A frame's
    ``index`` is its number in the stream, so skipped frames show as gaps; ``decoded`` counts
    the frames decoded so far."""

    def __init__(self, capture: cv2.VideoCapture, name: str) -> None:
        self._capture = capture
        self._name = name
        self._ready = threading.Condition()
        self._newest: Frame | None = None
        self._ended = False
        self._stopping = False
        self.decoded = 0
        self._thread = threading.Thread(target=self._decode, name="decode", daemon=True)
        self._thread.start()

    def _decode(self) -> None:
        opened = time.monotonic()
        failures = 0
        try:
            while not self._stopping:
                ok, image = self._capture.read()
                if not ok or image is None:
                    if failures < 3 and self.decoded > 0:
                        failures += 1
                        LOG.warning("frame read failed on %s; retrying", self._name)
                        continue
                    return
                failures = 0
                frame = Frame(self.decoded, datetime.now(UTC), time.monotonic() - opened, image)
                with self._ready:
                    self._newest = frame
                    self.decoded += 1
                    self._ready.notify()
        finally:
            self._capture.release()
            with self._ready:
                self._ended = True
                self._ready.notify()

    def frames(self) -> Iterator[Frame]:
        """The newest frame each time one is asked for (waiting for one not given yet), until
        the stream ends."""
        try:
            while True:
                with self._ready:
                    self._ready.wait_for(lambda: self._newest is not None or self._ended)
                    frame, self._newest = self._newest, None
                if frame is None:
                    return
                yield frame
        finally:
            self._stopping = True
            self._thread.join(timeout=15)


JOURNAL = ".acknowledging"


def acknowledge(snapshots: Sequence[Path]) -> None:
    """Move processed snapshots of one folder to its ``done/`` together. Their names are
    written to a journal first, so that a crash midway is finished at the next start: a pass
    seen in several snapshots is never read again from only some of them (it would be read
    with other evidence, and stored twice)."""
    if not snapshots:
        return
    folder = snapshots[0].parent
    journal = folder / "done" / JOURNAL
    write_durably(journal, json.dumps([p.name for p in snapshots]))
    _finish_acknowledging(folder)


def write_durably(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_directory(path.parent)


def _fsync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _finish_acknowledging(folder: Path) -> None:
    """Move the snapshots named in the folder's journal that are still there, then drop it."""
    done = folder / "done"
    journal = done / JOURNAL
    if not journal.exists():
        return
    try:
        names = json.loads(journal.read_text())
    except ValueError:  # cut short before its rename: nothing was moved yet
        names = []
    for name in names:
        path = folder / str(name)
        if path.is_file():
            path.replace(done / path.name)
    _fsync_directory(folder)
    _fsync_directory(done)
    journal.unlink()


def finished_snapshots(folder: Path) -> Iterator[Path]:
    """The snapshots a watched folder keeps once it has read them (``done/``) or could not
    (``rejected/``); each keeps the modification time it arrived with, its capture time."""
    for kept in (folder / "done", folder / "rejected"):
        if kept.is_dir():
            yield from (
                p for p in kept.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
            )


def snapshot_frames(folder: Path, *, once: bool, poll_s: float = 1.0) -> Iterator[Frame | Idle]:
    """Images dropped into a folder (the usual FTP upload set-up), oldest first. A snapshot
    stays in the folder until it is acknowledged (``acknowledge``: moved to ``done/``), and is
    read again after a restart until then; unreadable ones move to ``rejected/`` with a log
    line. Watching (not ``once``), a poll that finds nothing new yields ``Idle``."""
    done, rejected = folder / "done", folder / "rejected"
    done.mkdir(parents=True, exist_ok=True)
    rejected.mkdir(parents=True, exist_ok=True)
    (done / (JOURNAL + ".tmp")).unlink(missing_ok=True)
    _finish_acknowledging(folder)
    index = 0
    read: set[str] = set()  # yielded and not acknowledged yet
    while True:
        present = [
            p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
        ]
        read &= {p.name for p in present}
        files = sorted(
            (p for p in present if p.name not in read),
            key=lambda p: (p.stat().st_mtime, p.name),
        )
        for path in files:
            try:
                image = read_image(path)
                at = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            except (ImageUnreadable, OSError) as exc:
                LOG.error("snapshot rejected: %s; moved to rejected/", exc)
                path.replace(rejected / path.name)
                continue
            read.add(path.name)
            yield Frame(index, at, float(index), image, path)
            index += 1
        if once:
            return
        if not files:
            yield Idle(datetime.now(UTC))
        time.sleep(poll_s)


def open_source(source: str, *, once: bool) -> Iterator[Frame | Idle]:
    """Frames from a folder of snapshots, a video file, or an RTSP/HTTP(S) MJPEG URL.
    ``once``: a folder is processed once instead of watched."""
    path = Path(source)
    if path.is_dir():
        return snapshot_frames(path, once=once)
    return video_frames(source)
