"""The recognition pipeline without storage: source -> frame gate -> detector + OCR ->
tracker, giving one ``PlateRead`` per vehicle pass to a callback.

    pipeline = Pipeline(recognizer=Recognizer.from_settings())
    stats = pipeline.process_stream("rtsp://cam/stream", on_read=store)

The caller stores the reads (the worker's ingest); nothing here touches the database. A
snapshot is acknowledged (moved to ``done/``) only once every pass it was part of has been
given to ``on_read`` and ``on_settled`` has returned: the caller makes its reads safe there.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np

from alpr.recognition.detector import Box
from alpr.recognition.frame_gate import FrameGate
from alpr.recognition.reader import Recognizer
from alpr.recognition.sources import Frame, Idle, acknowledge, open_source
from alpr.recognition.tracker import PlatePass, PlateTracker
from alpr.recognition.vehicle import VehicleDescriber, VehicleDescription

LOG = logging.getLogger("alpr.recognition")

# A pass read less confidently than this, or as fewer characters, is not stored: on the dev
# photos every plate read right scored at least 0.68, while what scored under 0.35 was a single
# character, a sign or the cut-off edge of a plate (27 of the 49 reads of things other than
# the labelled plate). Stored, such reads would come up in canvasses as leads.
MIN_READ_CONFIDENCE = 0.4
MIN_PLATE_CHARS = 2


@dataclass(frozen=True)
class PlateRead:
    """One read per vehicle pass, ready to store.

    ``plate`` is normalised (A-Z, 0-9) after the vote; ``raw_text`` is the OCR text seen most
    often; ``confidence`` (0-1) is the geometric mean of ``char_confidences``, the confidence
    of each character from all the frames voted; ``alternatives`` are the five likeliest plates
    with their scores, best first (the plate first; see ``tracker.vote``);
    ``region`` is the country or state the OCR suggests (may be None); ``captured_at`` is the
    UTC time of the frame the evidence comes from; ``crop_jpeg`` and ``frame_jpeg`` are that
    plate crop and full frame as JPEG bytes; ``observations`` is how many frames were voted;
    ``vehicle`` describes the vehicle in that frame and ``vehicle_jpeg`` is its crop.
    """

    plate: str
    raw_text: str
    confidence: float
    char_confidences: list[float]
    alternatives: list[tuple[str, float]]
    region: str | None
    captured_at: datetime
    box: Box
    crop_jpeg: bytes
    frame_jpeg: bytes
    observations: int
    vehicle: VehicleDescription | None = None  # None when the worker does not describe them
    vehicle_jpeg: bytes | None = None


STAGES = ("decode", "gate", "detector", "ocr", "vote")


@dataclass
class StreamStats:
    """What one run of ``process_stream`` did, and the seconds it spent in each stage:
    ``decode`` waiting for the source's next frame, ``gate`` the motion gate, ``detector``
    and ``ocr`` the recognizer, ``vote`` the tracker."""

    frames: int = 0
    analysed: int = 0
    failed: int = 0
    reads: int = 0
    discarded: int = 0  # passes below MIN_READ_CONFIDENCE or MIN_PLATE_CHARS
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))

    @contextmanager
    def timing(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += time.perf_counter() - start


def encode_jpeg(image: np.ndarray, *, quality: int) -> bytes:
    ok, data = cv2.imencode(".jpg", image, [int(cv2.IMWRITE_JPEG_QUALITY), quality])
    if not ok:
        raise ValueError("could not encode image as JPEG")
    return bytes(data.tobytes())


def plate_read(
    found: PlatePass,
    *,
    describer: VehicleDescriber | None = None,
    crop_quality: int = 90,
    frame_quality: int = 75,
) -> PlateRead:
    """A tracker pass as a read with JPEG evidence, its vehicle described (once per pass, on
    the frame of the evidence) when a ``describer`` is given."""
    vehicle = describer.describe(found.frame, found.box) if describer else None
    box = vehicle.box if vehicle else None
    return PlateRead(
        plate=found.plate,
        raw_text=found.raw_text,
        confidence=found.confidence,
        char_confidences=found.char_confidences,
        alternatives=found.alternatives,
        region=found.region,
        captured_at=found.captured_at,
        box=found.box,
        crop_jpeg=encode_jpeg(found.crop, quality=crop_quality),
        frame_jpeg=encode_jpeg(found.frame, quality=frame_quality),
        observations=found.observations,
        vehicle=vehicle,
        vehicle_jpeg=(
            encode_jpeg(found.frame[box.y1 : box.y2, box.x1 : box.x2], quality=frame_quality)
            if box
            else None
        ),
    )


class Pipeline:
    """Gate, recognizer and tracker for one camera. ``rate_fps`` caps the analysed frames per
    second and ``motion_threshold`` is the mean grey-level change that counts as motion (see
    ``FrameGate``); ``min_observations`` drops passes seen in fewer frames, and
    ``min_confidence`` passes read less confidently (so do plates of fewer than
    ``MIN_PLATE_CHARS`` characters); ``describer``, if given, describes each pass's vehicle.
    Snapshot folders are not gated: every snapshot is read."""

    def __init__(
        self,
        *,
        recognizer: Recognizer,
        rate_fps: float = 5.0,
        motion_threshold: float = 2.0,
        min_observations: int = 1,
        min_confidence: float = MIN_READ_CONFIDENCE,
        describer: VehicleDescriber | None = None,
    ) -> None:
        self.recognizer = recognizer
        self.describer = describer
        self.rate_fps = rate_fps
        self.motion_threshold = motion_threshold
        self.min_observations = min_observations
        self.min_confidence = min_confidence

    def plausible(self, found: PlatePass) -> bool:
        """Whether a pass is read well enough to store as a read of a plate."""
        return found.confidence >= self.min_confidence and len(found.plate) >= MIN_PLATE_CHARS

    def process_stream(
        self,
        source: str | Iterable[Frame | Idle],
        *,
        on_read: Callable[[PlateRead], None],
        on_settled: Callable[[], None] | None = None,
        gate: bool = True,
        once: bool = True,
        stop: threading.Event | None = None,
    ) -> StreamStats:
        """Run a source to its end (or until ``stop`` is set), calling ``on_read`` for each
        vehicle pass. ``source`` is a video file, an RTSP or HTTP(S) MJPEG URL, a folder of
        snapshots (watched until ``stop`` when ``once`` is false), or frames. Snapshots are
        acknowledged when no pass is open any more, after ``on_settled``.
        Raises ``SourceError`` when the source cannot be opened; a frame that fails is
        logged, counted in ``failed`` and skipped."""
        if isinstance(source, str):
            frame_gate = self._gate() if gate and not Path(source).is_dir() else None
            frames: Iterable[Frame | Idle] = open_source(source, once=once)
        else:
            frame_gate = self._gate() if gate else None
            frames = source
        tracker = PlateTracker(min_observations=self.min_observations)
        stats = StreamStats()
        unacknowledged: list[Path] = []

        def emit(passes: list[PlatePass]) -> None:
            for found in passes:
                if not self.plausible(found):
                    stats.discarded += 1
                    continue
                on_read(plate_read(found, describer=self.describer))
                stats.reads += 1
            if unacknowledged and not tracker.open:
                if on_settled is not None:
                    on_settled()
                acknowledge(unacknowledged)
                unacknowledged.clear()

        source = iter(frames)
        while True:
            with stats.timing("decode"):
                frame = next(source, None)
            if frame is None or (stop is not None and stop.is_set()):
                break
            if isinstance(frame, Idle):
                emit(tracker.expire(frame.at))
                continue
            stats.frames += 1
            # The passes this frame cannot continue end first: with none open, the snapshots
            # before it are settled, and are acknowledged before it joins a pass.
            emit(tracker.expire(frame.captured_at, index=stats.analysed))
            if frame.snapshot is not None:
                unacknowledged.append(frame.snapshot)
            with stats.timing("gate"):
                admitted = frame_gate is None or frame_gate.admit(frame.image, frame.seconds)
            if not admitted:
                with stats.timing("vote"):
                    ended = tracker.update(
                        index=stats.analysed,
                        captured_at=frame.captured_at,
                        frame=frame.image,
                        recognitions=[],
                    )
                emit(ended)
                continue
            stats.analysed += 1
            try:
                with stats.timing("detector"):
                    boxes = self.recognizer.detector.detect(frame.image)
                with stats.timing("ocr"):
                    found = self.recognizer.read_boxes(frame.image, boxes)
            except Exception as exc:  # one bad frame must not stop the camera
                stats.failed += 1
                LOG.error("frame %d could not be processed (%s); skipped", frame.index, exc)
                emit([])
                continue
            with stats.timing("vote"):
                ended = tracker.update(
                    index=stats.analysed,
                    captured_at=frame.captured_at,
                    frame=frame.image,
                    recognitions=found,
                )
            emit(ended)
        with stats.timing("vote"):
            ended = tracker.flush()
        emit(ended)
        return stats

    def _gate(self) -> FrameGate:
        return FrameGate(rate_fps=self.rate_fps, motion_threshold=self.motion_threshold)
