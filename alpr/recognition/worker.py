"""The recognition worker: for each camera, frames from its source go through the gate, the
detector and OCR and the tracker; each vehicle pass becomes one read, stored through the
spooling sink. ``run_once`` processes one source to its end (files, back-fills, tests).

No read is lost or stored twice: a snapshot leaves its folder only after its reads are in the
durable spool, and a stop request ends the open passes, spools them and replays what it can.
The frame loop only spools: a thread of the camera stores what is spooled as soon as it is,
and retries every few seconds while the database does not take it, so a slow commit (a
loaded machine, a busy database) costs the camera no frames of the next car."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from alpr.config import Deployment
from alpr.data.images import ImageStore
from alpr.data.models import Camera, CameraKind, CameraStatus
from alpr.recognition.health import HEARTBEAT_S, heartbeat, mark_silent_cameras_down
from alpr.recognition.hotlist_match import stale_lists
from alpr.recognition.ingest import Ingestor, ReadRecord
from alpr.recognition.pipeline import Pipeline, PlateRead
from alpr.recognition.reader import Recognizer
from alpr.recognition.sink import SpoolingSink
from alpr.recognition.snapshot_folders import remember_folder
from alpr.recognition.sources import Frame, Idle, SourceError, open_source, redact_url
from alpr.recognition.spool import Spool
from alpr.recognition.vehicle import VehicleDescriber, vehicle_columns

LOG = logging.getLogger("alpr.worker")
SPOOL_RETRY_S = 2.0
# Sends the alert notifications that are due, as the governance allows them, and records
# them (``alpr.governance.hotlist_webhooks.deliver_due`` on the service's runtime). Without
# one, alerts wait in their queue for a process that has it.
Deliver = Callable[[], object]


@dataclass(frozen=True)
class CameraInfo:
    id: int
    name: str
    lat: float | None
    lon: float | None
    heading: int | None
    is_mobile: bool
    source_url: str | None


class StaleListWatch:
    """R14: the worker says when a hot list it matches against is stale under the Policy in
    force. Checked at start and with every heartbeat, so a refreshed list or a policy change
    shows within a minute; each list is named once until it is fresh again."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.warned: set[str] = set()

    def check(self, now: datetime) -> list[str]:
        try:
            with Session(self.engine) as session:
                stale = {name for _, name in stale_lists(session, now=now)}
        except SQLAlchemyError:  # the database is away: checked again with the next beat
            return sorted(self.warned)
        for name in sorted(stale - self.warned):
            LOG.warning(
                "hot list %r is stale under the agency's policy: refresh it before relying on "
                "its alerts",
                name,
            )
        self.warned = stale
        return sorted(stale)


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


class CameraWorker:
    def __init__(
        self,
        *,
        engine: Engine,
        settings: Deployment,
        camera: CameraInfo,
        recognizer: Recognizer,
        describer: VehicleDescriber | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        rate_fps: float = 5.0,
        batch_size: int = 1,
        stale_watch: StaleListWatch | None = None,
        deliver: Deliver | None = None,
    ) -> None:
        self.engine = engine
        self.deliver = deliver
        self.camera = camera
        self.recognizer = recognizer
        self.describer = describer
        self.images = ImageStore(settings.image_dir)
        self.data_dir = settings.data_dir
        self.sink = SpoolingSink(
            Ingestor(engine, self.images),
            Spool(settings.spool_dir / f"camera-{camera.id}"),
            clock,
        )
        self.clock = clock
        self.rate_fps = rate_fps
        self.batch_size = batch_size
        self.stale_watch = stale_watch
        self.frames = 0
        self.reads = 0
        self.last_error: str | None = None
        self._spooled = threading.Event()  # wakes the thread that stores the spool

    def open(self, source: str, *, once: bool) -> Iterator[Frame | Idle]:
        """The frames of ``source``. A folder of snapshots (a camera's or a back-fill's) is
        remembered first, so that the daily purge finds the snapshots it keeps (R30)."""
        if Path(source).is_dir():
            remember_folder(self.data_dir, folder=Path(source), camera_id=self.camera.id)
        return open_source(source, once=once)

    def _record(self, found: PlateRead) -> ReadRecord:
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
            image_sha256=self.images.put(found.frame_jpeg),
            crop_sha256=self.images.put(found.crop_jpeg),
            **vehicle_columns(found.vehicle),
            vehicle_crop_sha256=self.images.put(found.vehicle_jpeg) if found.vehicle_jpeg else None,
        )

    def _observed(
        self, frames: Iterable[Frame | Idle], progress: Callable[[], None] | None
    ) -> Iterator[Frame | Idle]:
        """Count frames for the heartbeat (sent every HEARTBEAT_S) and the progress bar."""
        started = last_beat = time.monotonic()
        for frame in frames:
            if isinstance(frame, Idle):
                yield frame
                continue
            self.frames += 1
            if progress:
                progress()
            now = time.monotonic()
            if now - last_beat >= HEARTBEAT_S:
                self._beat(self.frames / max(now - started, 1e-6))
                last_beat = now
            yield frame

    def process(
        self,
        frames: Iterable[Frame | Idle],
        *,
        gate: bool,
        stop: threading.Event | None = None,
        progress: Callable[[], None] | None = None,
        min_observations: int = 1,
    ) -> int:
        """Run frames through the recognition pipeline and store one read per vehicle pass
        (acknowledged in batches, and before the snapshots they came from); returns the number
        of reads."""
        pending: list[ReadRecord] = []
        emitted = 0
        started = time.monotonic()

        def on_read(found: PlateRead) -> None:
            nonlocal emitted
            pending.append(self._record(found))
            if len(pending) >= self.batch_size:
                emitted += self._flush(pending)

        def on_settled() -> None:
            nonlocal emitted
            emitted += self._flush(pending)

        pipeline = Pipeline(
            recognizer=self.recognizer,
            rate_fps=self.rate_fps,
            min_observations=min_observations,
            describer=self.describer,
        )
        stats = pipeline.process_stream(
            self._observed(frames, progress),
            on_read=on_read,
            on_settled=on_settled,
            gate=gate,
            stop=stop,
        )
        if stats.failed:
            self.last_error = f"{stats.failed} frames could not be processed"
        emitted += self._flush(pending)
        self._beat(self.frames / max(time.monotonic() - started, 1e-6))
        return emitted

    def _flush(self, pending: list[ReadRecord]) -> int:
        if not pending:
            return 0
        count = len(pending)
        self.sink.keep(pending)
        self._spooled.set()
        self.reads += count
        LOG.info(
            "camera %s: %d reads acknowledged (%d stored so far, spool %s)",
            self.camera.name,
            count,
            self.sink.stored,
            "waiting for the database" if self.sink.database_down else "being stored",
        )
        pending.clear()
        return count

    def _deliver_alerts(self) -> None:
        if self.deliver is None or not self.sink.alerts or self.sink.database_down:
            return
        try:
            self.deliver()
        except SQLAlchemyError as exc:
            LOG.error("alert deliveries wait for the database (%s)", type(exc).__name__)

    def replay_spool(self) -> None:
        """Store the reads waiting in the spool if the database takes them."""
        before = self.sink.stored
        if self.sink.spool.waiting() and self.sink.drain():
            if self.sink.stored > before:
                LOG.info("camera %s: %d reads stored", self.camera.name, self.sink.stored - before)
            self._deliver_alerts()

    @contextmanager
    def replaying(self) -> Iterator[None]:
        """While the worker runs, what the frame loop spools is stored as soon as it is, and
        reads left in the spool (by an outage, or by a crash before) are replayed every
        SPOOL_RETRY_S seconds; once more at the end."""
        self.replay_spool()
        finished = threading.Event()

        def store() -> None:
            while not finished.is_set():
                self._spooled.wait(SPOOL_RETRY_S)
                self._spooled.clear()
                self.replay_spool()

        thread = threading.Thread(target=store, name=f"spool-{self.camera.name}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            finished.set()
            self._spooled.set()
            thread.join()
            self.replay_spool()

    def _beat(self, fps: float) -> None:
        if self.stale_watch is not None:
            self.stale_watch.check(self.clock())
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


def run_once(
    worker: CameraWorker,
    source: str,
    *,
    attempts: int = 3,
    progress: Callable[[], None] | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Process one file, folder or stream to its end (or until ``stop``); retries opening a
    stream a few times."""
    with worker.replaying():
        return _run_once(
            worker, source, attempts=attempts, progress=progress, stop=stop or threading.Event()
        )


def _run_once(
    worker: CameraWorker,
    source: str,
    *,
    attempts: int,
    progress: Callable[[], None] | None,
    stop: threading.Event,
) -> int:
    folder = Path(source).is_dir()
    for attempt in range(1, attempts + 1):
        try:
            frames = worker.open(source, once=True)
            return worker.process(frames, gate=not folder, progress=progress, stop=stop)
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
            if attempt < attempts and stop.wait(min(2**attempt, 10)):
                return 0  # stopped while waiting to try again
    raise SourceError(f"gave up on {redact_url(source)} after {attempts} attempts")


def run_forever(worker: CameraWorker, source: str, stop: threading.Event) -> None:
    """Keep a camera running: reconnect with exponential backoff, never give up (until
    ``stop``)."""
    with worker.replaying():
        _keep_running(worker, source, stop)


def _keep_running(worker: CameraWorker, source: str, stop: threading.Event) -> None:
    delay = 1.0
    while not stop.is_set():
        try:
            worker.process(
                worker.open(source, once=False), gate=not Path(source).is_dir(), stop=stop
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


@dataclass
class _Watching:
    """One camera being watched: its thread, the stream it reads, and what stops it alone."""

    thread: threading.Thread
    source: str
    stop: threading.Event


class CameraThreads:
    """A thread per enabled camera with a stream, kept in step with the registry: a camera
    whose stream is registered while the service runs is watched from the next heartbeat, one
    whose stream changes is reconnected to the new one, and one removed or disabled stops."""

    def __init__(
        self,
        *,
        engine: Engine,
        settings: Deployment,
        rate_fps: float = 5.0,
        deliver: Deliver | None = None,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.rate_fps = rate_fps
        self.deliver = deliver
        self.watching: dict[int, _Watching] = {}

    def sync(self) -> None:
        wanted = {c.id: c for c in enabled_cameras(self.engine)}
        for camera_id, watching in list(self.watching.items()):
            camera = wanted.get(camera_id)
            if camera is None or camera.source_url != watching.source:
                watching.stop.set()
                watching.thread.join(timeout=10)
                del self.watching[camera_id]
                LOG.info("camera %d: no longer watching %s", camera_id, redact_url(watching.source))
        for camera_id, camera in wanted.items():
            if camera_id not in self.watching:
                self.watching[camera_id] = self._start(camera)

    def _start(self, camera: CameraInfo) -> _Watching:
        assert camera.source_url is not None
        worker = CameraWorker(
            engine=self.engine,
            settings=self.settings,
            camera=camera,
            recognizer=Recognizer.from_dir(
                self.settings.model_dir, threads=self.settings.onnx_threads
            ),
            describer=VehicleDescriber.if_available(
                self.settings.model_dir, threads=self.settings.onnx_threads
            ),
            rate_fps=self.rate_fps,
            deliver=self.deliver,
        )
        alone = threading.Event()
        thread = threading.Thread(
            target=run_forever,
            args=(worker, camera.source_url, alone),
            name=f"camera-{camera.name}",
            daemon=True,
        )
        thread.start()
        LOG.info("camera %s: capturing %s", camera.name, redact_url(camera.source_url))
        return _Watching(thread, camera.source_url, alone)

    def join(self) -> None:
        """Stop every camera (when the service stops) and wait for each."""
        for watching in self.watching.values():
            watching.stop.set()
            watching.thread.join(timeout=10)


def run_all(
    *,
    engine: Engine,
    settings: Deployment,
    stop: threading.Event,
    deliver: Deliver,
    rate_fps: float = 5.0,
) -> None:
    """All enabled cameras in one process, a thread each analysing at most ``rate_fps`` frames
    a second, kept in step with the registry at every heartbeat; marks silent cameras down and
    says when a hot list goes stale."""
    stale_watch = StaleListWatch(engine)
    stale_watch.check(datetime.now(UTC))
    cameras = CameraThreads(engine=engine, settings=settings, rate_fps=rate_fps, deliver=deliver)
    cameras.sync()
    if not cameras.watching:
        LOG.warning(
            "no enabled camera has a stream yet: register one on the Cameras page or with "
            "`alpr cameras stream NAME URL`; it is watched from the next heartbeat"
        )
    while not stop.wait(HEARTBEAT_S):
        stale_watch.check(datetime.now(UTC))
        try:
            cameras.sync()
            mark_silent_cameras_down(engine, now=datetime.now(UTC))
            deliver()
        except SQLAlchemyError as exc:  # the cameras go on into their spools
            LOG.error(
                "camera health and alert deliveries wait for the database (%s)", type(exc).__name__
            )
    cameras.join()
