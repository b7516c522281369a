"""The tracker: one read per vehicle pass on a video built from dev photos (real models), and
the vote over constructed observations: fixing a single-frame misread, ranking alternatives
with per-character confidences from all the frames of a pass."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest

from alpr.recognition.detector import Box
from alpr.recognition.ocr import SlotProbabilities
from alpr.recognition.pipeline import Pipeline, PlateRead
from alpr.recognition.plate_formats import US
from alpr.recognition.reader import Recognizer, format_prior, recognition_from
from alpr.recognition.sources import Frame, read_image, video_frames
from alpr.recognition.tracker import PlatePass, PlateTracker
from tests.recognition.conftest import dev_photos, letterboxed

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
AT = datetime(2026, 11, 20, 8, tzinfo=UTC)
# Dev photos with one car each.
CARS = ("0b86cecf", "1e241dc8", "316b64c0", "car12")


def slots(
    text: str, confidence: float, *, unsure: dict[int, str] | None = None
) -> SlotProbabilities:
    """Probabilities that read ``text``; slots in ``unsure`` split between the text's
    character and the given one."""
    probs = np.full((10, len(ALPHABET)), (1 - confidence) / (len(ALPHABET) - 1))
    for slot, ch in enumerate(text.ljust(10, "_")):
        probs[slot, ALPHABET.index(ch)] = confidence
        if unsure and slot in unsure:
            probs[slot, ALPHABET.index(unsure[slot])] = 1 - confidence
    return SlotProbabilities(ALPHABET, "_", probs, "United States")


def test_vote_fixes_a_single_frame_misread() -> None:
    tracker = PlateTracker(max_gap=3)
    frame = np.zeros((10, 10, 3), np.uint8)
    box = Box(100, 100, 200, 140, 0.9)
    readings = [
        slots("7ABC123", 0.9, unsure={6: "8"}),
        slots("7ABC128", 0.97),  # the confident misread
        slots("7ABC123", 0.8, unsure={6: "8"}),
        slots("7ABC123", 0.85, unsure={6: "8"}),
    ]
    passes = []
    for index, reading in enumerate(readings, start=1):
        recognition = recognition_from(box, frame, reading)
        assert recognition is not None
        passes += tracker.update(
            index=index,
            captured_at=AT + timedelta(seconds=index),
            frame=frame,
            recognitions=[recognition],
        )
    assert passes == []
    for index in range(5, 10):
        passes += tracker.update(
            index=index,
            captured_at=AT + timedelta(seconds=index / 10),
            frame=frame,
            recognitions=[],
        )
    assert [p.plate for p in passes] == ["7ABC123"]
    assert passes[0].raw_text == "7ABC123" and passes[0].observations == 4
    assert passes[0].captured_at == AT + timedelta(seconds=2)  # the most confident frame
    assert ("7ABC128", pytest.approx(passes[0].alternatives[1][1])) == passes[0].alternatives[1]


def test_a_track_ends_after_a_quiet_time_even_when_no_frame_is_analysed() -> None:
    tracker = PlateTracker(max_gap=100, max_gap_s=2.0)
    frame = np.zeros((10, 10, 3), np.uint8)
    recognition = recognition_from(Box(0, 0, 50, 20, 0.9), frame, slots("8XYZ456", 0.9))
    assert recognition is not None
    assert tracker.update(index=1, captured_at=AT, frame=frame, recognitions=[recognition]) == []
    quiet = AT + timedelta(seconds=1)
    assert tracker.update(index=1, captured_at=quiet, frame=frame, recognitions=[]) == []
    ended = tracker.update(
        index=1, captured_at=AT + timedelta(seconds=3), frame=frame, recognitions=[]
    )
    assert [p.plate for p in ended] == ["8XYZ456"]


def _video(path: Path, images: list[np.ndarray], *, fps: int, frames_each: int) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (1280, 720))
    blank = np.full((720, 1280, 3), 90, np.uint8)
    for image in images:
        for _ in range(frames_each):
            writer.write(image)
        for _ in range(fps):
            writer.write(blank)
    writer.release()
    return path


def _on_video_clock(frames: Iterator[Frame]) -> Iterator[Frame]:
    for frame in frames:
        yield Frame(frame.index, AT + timedelta(seconds=frame.seconds), frame.seconds, frame.image)


@pytest.mark.models
def test_one_read_per_car_on_a_video(recognizer: Recognizer, tmp_path: Path) -> None:
    cars = [p for p in dev_photos("us") if p.path.name.startswith(CARS)]
    assert len(cars) == len(CARS)
    video = _video(
        tmp_path / "street.avi",
        [letterboxed(read_image(c.path)) for c in cars],
        fps=10,
        frames_each=10,
    )
    reads: list[PlateRead] = []
    stats = Pipeline(recognizer=recognizer, rate_fps=5).process_stream(
        _on_video_clock(video_frames(str(video))), on_read=reads.append
    )
    assert sorted(r.plate for r in reads) == sorted(c.plate for c in cars)
    assert stats.frames == 80 and stats.analysed < stats.frames and stats.failed == 0
    for read in reads:
        assert read.observations >= 3
        assert read.crop_jpeg[:2] == b"\xff\xd8" and read.frame_jpeg[:2] == b"\xff\xd8"
        frame = cv2.imdecode(np.frombuffer(read.frame_jpeg, np.uint8), cv2.IMREAD_COLOR)
        assert frame.shape == (720, 1280, 3)
        assert read.raw_text and read.alternatives[0][0] == read.plate
    assert sorted(r.captured_at for r in reads) == [r.captured_at for r in reads]


@pytest.mark.models
def test_things_read_as_a_stray_character_are_not_stored(recognizer: Recognizer) -> None:
    """Beside its car's plate, the dev photo car18 holds two things the detector takes for
    plates and the OCR reads as one character each, under 0.2 confident: only the plate is
    stored as a read."""
    [photo] = [p for p in dev_photos("us") if p.path.name == "car18.jpg"]
    image = read_image(photo.path)
    assert len(recognizer.recognize(image)) == 3
    frames = [Frame(i, AT + timedelta(seconds=i / 5), i / 5, image) for i in range(3)]
    reads: list[PlateRead] = []
    stats = Pipeline(recognizer=recognizer).process_stream(frames, on_read=reads.append, gate=False)
    assert [r.plate for r in reads] == [photo.plate]
    assert stats.reads == 1 and stats.discarded == 2


def test_the_next_car_at_the_same_place_is_a_new_pass() -> None:
    tracker = PlateTracker()
    frame = np.zeros((10, 10, 3), np.uint8)
    box = Box(100, 100, 200, 140, 0.9)
    passes = []
    for index, text in enumerate(["1AMW240", "1AMW241", "59CADI", "59CADI"], start=1):
        recognition = recognition_from(box, frame, slots(text, 0.9))
        assert recognition is not None
        passes += tracker.update(
            index=index, captured_at=AT, frame=frame, recognitions=[recognition]
        )
    assert sorted(p.plate for p in passes + tracker.flush()) == ["1AMW240", "59CADI"]


def _pass(readings: list[SlotProbabilities]) -> PlatePass:
    tracker = PlateTracker()
    frame = np.zeros((10, 10, 3), np.uint8)
    box = Box(100, 100, 200, 140, 0.9)
    for index, reading in enumerate(readings, start=1):
        recognition = recognition_from(box, frame, reading, prior=format_prior(reading.region))
        assert recognition is not None
        assert (
            tracker.update(index=index, captured_at=AT, frame=frame, recognitions=[recognition])
            == []
        )
    [found] = tracker.flush()
    return found


def _split(reading: SlotProbabilities, slot: int, shares: dict[str, float]) -> SlotProbabilities:
    """The reading with ``slot`` split between characters as given."""
    probs = reading.probs.copy()
    probs[slot] = 0.0
    for ch, share in shares.items():
        probs[slot, ALPHABET.index(ch)] = share
    probs /= probs.sum(axis=1, keepdims=True)
    return SlotProbabilities(reading.alphabet, reading.pad, probs, reading.region)


def test_the_vote_ranks_alternatives_from_every_frame_of_the_pass() -> None:
    # R12: three frames of one length, unsure between C and G in the fourth slot, and one
    # frame that dropped the last character.
    found = _pass(
        [
            _split(slots("7ABC123", 0.97), 3, {"C": 0.7, "G": 0.3}),
            _split(slots("7ABC123", 0.97), 3, {"C": 0.6, "G": 0.4}),
            _split(slots("7ABC123", 0.97), 3, {"C": 0.4, "G": 0.6}),
            slots("7ABC12", 0.9),
        ]
    )
    assert found.plate == "7ABC123" and found.observations == 4
    texts = [t for t, _ in found.alternatives]
    assert texts[:2] == ["7ABC123", "7ABG123"] and "7ABC12" in texts
    scores = [s for _, s in found.alternatives]
    assert scores == sorted(scores, reverse=True) and scores[0] < 1
    # The short frame holds about a quarter of the pass's confidence: its reading's score
    # is at most that share.
    assert 0 < dict(found.alternatives)["7ABC12"] < 0.25
    # Per-character confidences of the voted plate, from all the frames of its length:
    # C wins the fourth slot by two frames to one, and stays in doubt.
    assert len(found.char_confidences) == 7
    assert 0.5 < found.char_confidences[3] < 0.65
    assert min(found.char_confidences[:3] + found.char_confidences[4:]) > 0.95
    assert found.confidence == pytest.approx(
        float(np.exp(np.mean(np.log(found.char_confidences)))), abs=1e-3
    )


def test_a_one_frame_pass_keeps_the_frames_reading() -> None:
    reading = _split(slots("B951283", 0.97), 0, {"B": 0.52, "8": 0.48})
    found = _pass([reading])
    single = recognition_from(Box(0, 0, 1, 1, 1), np.zeros((1, 1, 3)), reading, prior=US)
    assert single is not None
    assert found.plate == single.plate == "8951283"  # under the US plate-format prior
    assert found.alternatives[:3] == single.alternatives[:3]
    assert found.char_confidences == single.char_confidences
