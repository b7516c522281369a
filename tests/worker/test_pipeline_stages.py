"""The worker's stages one by one: the frame gate skips still frames, the tracker votes a
single-frame misread away and gives one pass per car, and ``alpr recognize`` reads the
labelled dev photos with the real models."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from alpr.recognition.detector import Box
from alpr.recognition.frame_gate import FrameGate
from alpr.recognition.ocr import SlotProbabilities
from alpr.recognition.reader import recognition_from
from alpr.recognition.tracker import PlateTracker
from tests.worker.conftest import DEV, ROOT, alpr_cli, dev_labels, model_dir

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_"


def _slots(text: str, confidence: float) -> SlotProbabilities:
    probs = np.full((10, len(ALPHABET)), (1 - confidence) / (len(ALPHABET) - 1))
    for slot, ch in enumerate(text.ljust(10, "_")):
        probs[slot, ALPHABET.index(ch)] = confidence
    return SlotProbabilities(ALPHABET, "_", probs)


def test_frame_gate_skips_still_frames_and_wakes_on_motion() -> None:
    gate = FrameGate(rate_fps=5, hold_s=1.0)
    still = np.full((120, 160, 3), 80, np.uint8)
    admitted = [gate.admit(still, t / 10) for t in range(40)]
    assert admitted[0] and not any(admitted[15:])
    moving = still.copy()
    moving[30:90, 40:120] = 220
    assert gate.admit(moving, 4.5)
    assert not gate.admit(moving, 4.55)  # the rate limit holds even during motion


def test_tracker_votes_one_read_per_pass_and_fixes_a_misread() -> None:
    tracker = PlateTracker(max_gap=3)
    at = datetime(2026, 11, 20, 8, tzinfo=UTC)
    frame = np.zeros((10, 10, 3), np.uint8)
    box = Box(100, 100, 200, 140, 0.9)
    passes = []
    for index, (text, conf) in enumerate(
        [("7ABC123", 0.95), ("7ABC128", 0.6), ("7ABC123", 0.9), ("7ABC123", 0.92)]
    ):
        recognition = recognition_from(box, frame, _slots(text, conf))
        assert recognition is not None
        passes += tracker.update(
            index=index,
            captured_at=at + timedelta(seconds=index),
            frame=frame,
            recognitions=[recognition],
        )
    for index in range(4, 9):
        passes += tracker.update(index=index, captured_at=at, frame=frame, recognitions=[])
    assert [p.plate for p in passes] == ["7ABC123"]
    assert passes[0].observations == 4 and passes[0].captured_at == at


@pytest.mark.models
def test_recognize_reads_labelled_us_photos(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {
        "ALPR_MODEL_DIR": str(model_dir()),
        "PYTHONPATH": str(ROOT),
        "ALPR_DATA_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    photos = dev_labels("us")[:30]
    result = alpr_cli("recognize", *[str(p) for p, _ in photos], "--json", env=env)
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    read = {item["file"]: {p["plate"] for p in item["plates"]} for item in output}
    correct = sum(plate in read[str(path)] for path, plate in photos)
    assert correct >= 26, f"{correct}/30 read exactly"
    first = output[0]["plates"][0]
    assert set(first) == {
        "plate",
        "confidence",
        "box",
        "alternatives",
        "char_confidences",
        "scored_alternatives",
        "vehicle",
    }
    assert len(first["box"]) == 4 and 0 < first["confidence"] <= 1
    # R12: how sure the reader is of each character, and of each alternative.
    assert len(first["char_confidences"]) == len(first["plate"])
    assert all(0 < c <= 1 for c in first["char_confidences"])
    assert first["alternatives"][0] == first["plate"] and len(first["alternatives"]) >= 3
    assert [t for t, _ in first["scored_alternatives"]] == first["alternatives"]
    scores = [s for _, s in first["scored_alternatives"]]
    assert scores == sorted(scores, reverse=True) and 0 < scores[0] <= 1


@pytest.mark.models
def test_recognize_describes_the_vehicle_of_each_plate(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {
        "ALPR_MODEL_DIR": str(model_dir()),
        "PYTHONPATH": str(ROOT),
        "ALPR_DATA_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    pickup = DEV / "us" / "wts-lg-000176.jpg"  # a black pickup seen from behind
    result = alpr_cli("recognize", str(pickup), "--json", env=env)
    assert result.returncode == 0, result.stderr
    (plate,) = json.loads(result.stdout)[0]["plates"]
    vehicle = plate["vehicle"]
    assert (vehicle["type"], vehicle["colour"]) == ("pickup_truck", "black")
    assert 0.45 <= vehicle["type_confidence"] <= 1 and 0.5 <= vehicle["colour_confidence"] <= 1
    x1, y1, x2, y2 = vehicle["box"]
    px1, py1, px2, py2 = plate["box"]
    assert x1 <= px1 < px2 <= x2 and y1 <= py1 < py2 <= y2
    words = alpr_cli("recognize", str(pickup), env=env)
    assert "black pickup truck" in words.stdout
