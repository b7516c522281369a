"""The recognition worker: for each camera, frames from its source go through the gate, the
detector and OCR and the tracker; each vehicle pass becomes one read, stored through the
spooling sink. ``run_once`` processes one source to its end (files, back-fills, tests)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import cv2
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alpr.config import Settings
from alpr.data.images import ImageStore
from alpr.data.models import Camera, CameraKind, CameraStatus
from alpr.recognition.frame_gate import FrameGate
from alpr.recognition.health import heartbeat, mark_silent_cameras_down
from alpr.recognition.hotlist_match import HotListMatcher
from alpr.recognition.ingest import Ingestor, ReadRecord
from alpr.recognition.reader import Recognizer
from alpr.recognition.sink import SpoolingSink
from alpr.recognition.sources import Frame, SourceError, redact_url, snapshot_frames, video_frames
from alpr.recognition.spool import Spool
from alpr.recognition.tracker import PlatePass, PlateTracker
from alpr.recognition.webhooks import deliver_due

LOG = logging.getLogger("alpr.worker")
HEARTBEAT_S = 30.0


@dataclass(frozen=True)
class CameraInfo:
    id: int
    name: str
    lat: float | None
    lon: float | None
    heading: int | None
    is_mobile: bool
    source_url: str | None


def warn_stale_hot_lists(engine: Engine, *, freshness_hours: int) -> list[str]:
    """R14: the worker says when it matches against a hot list older than the policy allows."""
    with Session(engine) as session:
        stale = HotListMatcher.load(
            session, now=datetime.now(UTC), freshness_hours=freshness_hours
        ).stale_lists
    for name in stale:
        LOG.warning(
            "hot list %r is stale (older than %d hours): refresh it before relying on its alerts",
            name,
            freshness_hours,
        )
    return stale


def find_camera(engine: Engine, name: str) -> CameraInfo:
    with Session(engine) as session:
        camera = session.execute(select(Camera).where(Camera.name == name)).scalar_one_or_none()
        if camera is None:
            raise ValueError(f"no camera named {name!r}; register it with `alpr cameras add`")
        return _info(camera)


def _info(camera: Camera) -> CameraInfo:
    return CameraInfo(
        camera.id,
        camera.name,
        camera.lat,
        camera.lon,
        camera.heading,
        camera.kind == CameraKind.MOBILE,
        camera.source_url,
    )


def enabled_cameras(engine: Engine) -> list[CameraInfo]:
    with Session(engine) as session:
        return [
            _info(c)
            for c in session.execute(
                select(Camera).where(Camera.enabled.is_(True), Camera.source_url.is_not(None))
            ).scalars()
        ]


def _jpeg(image: object, quality: int) -> bytes:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])  # type: ignore[call-overload]
    if not ok:
        raise ValueError("could not encode image")
    return bytes(data.tobytes())


class CameraWorker:
    def __init__(
        self,
        *,
        engine: Engine,
        settings: Settings,
        camera: CameraInfo,
        recognizer: Recognizer,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        rate_fps: float = 5.0,
        batch_size: int = 1,
    ) -> None:
        self.engine = engine
        self.camera = camera
        self.recognizer = recognizer
        self.images = ImageStore(settings.image_dir)
        self.sink = SpoolingSink(
            Ingestor(engine, self.images),
            Spool(settings.spool_dir / f"camera-{camera.id}"),
            clock,
        )
        self.clock = clock
        self.rate_fps = rate_fps
        self.batch_size = batch_size
        self.frames = 0
        self.reads = 0
        self.last_error: str | None = None

    def _record(self, found: PlatePass) -> ReadRecord:
        crop_sha = self.images.put(_jpeg(found.crop, 90))
        frame_sha = self.images.put(_jpeg(found.frame, 75))
        lat = self.camera.lat if self.camera.lat is not None else 0.0
        lon = self.camera.lon if self.camera.lon is not None else 0.0
        return ReadRecord(
            camera_id=self.camera.id,
            captured_at=found.captured_at,
            plate=found.plate,
            confidence=found.confidence,
            lat=lat,
            lon=lon,
            is_mobile=self.camera.is_mobile,
            heading=self.camera.heading,
            plate_raw=found.raw_text,
            region=found.region,
            char_confidences=found.char_confidences,
            alternatives=[[t, p] for t, p in found.alternatives],
            image_sha256=frame_sha,
            crop_sha256=crop_sha,
        )

    def process(
        self,
        frames: Iterator[Frame],
        *,
        gate: FrameGate | None,
        stop: threading.Event | None = None,
        progress: Callable[[], None] | None = None,
        min_observations: int = 1,
    ) -> int:
        """Run frames through the pipeline; returns the number of reads emitted."""
        tracker = PlateTracker(min_observations=min_observations)
        pending: list[ReadRecord] = []
        emitted = 0
        started = time.monotonic()
        last_beat = started
        processed = 0
        for frame in frames:
            if stop is not None and stop.is_set():
                break
            self.frames += 1
            if progress:
                progress()
            if gate is not None and not gate.admit(frame.image, frame.seconds):
                continue
            processed += 1
            try:
                found = self.recognizer.recognize(frame.image)
            except Exception as exc:  # a corrupt frame must not stop the camera
                self.last_error = f"frame {frame.index}: {type(exc).__name__}"
                LOG.error(
                    "camera %s: frame %d could not be processed (%s); skipped",
                    self.camera.name,
                    frame.index,
                    exc,
                )
                continue
            for done in tracker.update(
                index=processed,
                captured_at=frame.captured_at,
                frame=frame.image,
                recognitions=found,
            ):
                pending.append(self._record(done))
            if len(pending) >= self.batch_size:
                emitted += self._flush(pending)
            now = time.monotonic()
            if now - last_beat >= HEARTBEAT_S:
                self._beat(self.frames / max(now - started, 1e-6))
                last_beat = now
        pending.extend(self._record(done) for done in tracker.flush())
        emitted += self._flush(pending)
        self._beat(self.frames / max(time.monotonic() - started, 1e-6))
        return emitted

    def _flush(self, pending: list[ReadRecord]) -> int:
        if not pending:
            return 0
        count = len(pending)
        self.sink.submit(pending)
        if self.sink.alerts:
            deliver_due(self.engine, now=self.clock())
        self.reads += count
        LOG.info(
            "camera %s: %d reads acknowledged (%d stored, spool %s)",
            self.camera.name,
            count,
            self.sink.stored,
            "waiting" if self.sink.database_down else "empty",
        )
        pending.clear()
        return count

    def _beat(self, fps: float) -> None:
        heartbeat(
            self.engine,
            camera_id=self.camera.id,
            now=self.clock(),
            status=CameraStatus.UP,
            fps=round(fps, 2),
            frames=self.frames,
            reads=self.reads,
            error=self.last_error,
        )


def frames_for(source: str, *, once: bool) -> Iterator[Frame]:
    path = Path(source)
    if path.is_dir():
        return snapshot_frames(path, once=once)
    return video_frames(source)


def run_once(
    worker: CameraWorker,
    source: str,
    *,
    attempts: int = 3,
    progress: Callable[[], None] | None = None,
) -> int:
    """Process one file, folder or stream to its end; retries opening a stream a few times."""
    folder = Path(source).is_dir()
    for attempt in range(1, attempts + 1):
        try:
            frames = frames_for(source, once=True)
            gate = None if folder else FrameGate(rate_fps=worker.rate_fps)
            return worker.process(frames, gate=gate, progress=progress)
        except SourceError as exc:
            worker.last_error = str(exc)
            LOG.error(
                "camera %s: %s (attempt %d of %d)", worker.camera.name, exc, attempt, attempts
            )
            heartbeat(
                worker.engine,
                camera_id=worker.camera.id,
                now=worker.clock(),
                status=CameraStatus.DOWN,
                fps=None,
                frames=0,
                reads=0,
                error=str(exc),
            )
            if attempt < attempts:
                time.sleep(min(2**attempt, 10))
    raise SourceError(f"gave up on {redact_url(source)} after {attempts} attempts")


def run_forever(worker: CameraWorker, source: str, stop: threading.Event) -> None:
    """Keep a camera running: reconnect with exponential backoff, never give up."""
    delay = 1.0
    while not stop.is_set():
        try:
            worker.process(
                frames_for(source, once=False), gate=FrameGate(rate_fps=worker.rate_fps), stop=stop
            )
            delay = 1.0
        except SourceError as exc:
            worker.last_error = str(exc)
            LOG.error("camera %s: %s; reconnecting in %.0f s", worker.camera.name, exc, delay)
            heartbeat(
                worker.engine,
                camera_id=worker.camera.id,
                now=worker.clock(),
                status=CameraStatus.DOWN,
                fps=None,
                frames=0,
                reads=0,
                error=str(exc),
            )
        stop.wait(delay)
        delay = min(delay * 2, 60.0)


def run_all(*, engine: Engine, settings: Settings, stop: threading.Event) -> None:
    """All enabled cameras in one process, a thread each; marks silent cameras down."""
    warn_stale_hot_lists(engine, freshness_hours=settings.hotlist_freshness_hours)
    cameras = enabled_cameras(engine)
    if not cameras:
        LOG.warning("no enabled camera has a source; add one with `alpr cameras add --source`")
    threads = []
    for camera in cameras:
        assert camera.source_url is not None
        recognizer = Recognizer.from_dir(settings.model_dir, threads=settings.onnx_threads)
        worker = CameraWorker(
            engine=engine, settings=settings, camera=camera, recognizer=recognizer
        )
        thread = threading.Thread(
            target=run_forever,
            args=(worker, camera.source_url, stop),
            name=f"camera-{camera.name}",
            daemon=True,
        )
        thread.start()
        threads.append(thread)
        LOG.info("camera %s: capturing %s", camera.name, redact_url(camera.source_url))
    while not stop.wait(HEARTBEAT_S):
        mark_silent_cameras_down(engine, now=datetime.now(UTC), silent_after_s=120)
        deliver_due(engine, now=datetime.now(UTC))
    for thread in threads:
        thread.join(timeout=10)
