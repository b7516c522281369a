"""Fixtures for the recognition tests: the real ONNX models from ``ALPR_MODEL_DIR`` (tests
that need them skip when it is unset) and the labelled dev photos."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pytest

from alpr.recognition.detector import Box
from alpr.recognition.models import locate
from alpr.recognition.reader import Recognizer

ROOT = Path(__file__).resolve().parents[2]
DEV = Path(os.environ.get("ALPR_DEV_DATA", ROOT.parent / "shared" / "data" / "plates-dev"))


@dataclass(frozen=True)
class Labelled:
    path: Path
    region: str
    box: Box
    plate: str


def dev_photos(region: str) -> list[Labelled]:
    if not (DEV / "labels.csv").is_file():
        pytest.skip(f"no labelled dev photos at {DEV} (set ALPR_DEV_DATA)")
    with (DEV / "labels.csv").open() as handle:
        rows = [r for r in csv.DictReader(handle) if r["region"] == region]
    return [
        Labelled(
            DEV / r["file"],
            r["region"],
            Box(int(r["x"]), int(r["y"]), int(r["x"]) + int(r["w"]), int(r["y"]) + int(r["h"]), 1),
            r["plate"],
        )
        for r in rows
    ]


def letterboxed(image: np.ndarray, size: tuple[int, int] = (1280, 720)) -> np.ndarray:
    """The image scaled into a grey frame of ``size`` (width, height)."""
    width, height = size
    scale = min(width / image.shape[1], height / image.shape[0])
    resized = cv2.resize(image, None, fx=scale, fy=scale)
    canvas = np.full((height, width, 3), 90, np.uint8)
    y, x = (height - resized.shape[0]) // 2, (width - resized.shape[1]) // 2
    canvas[y : y + resized.shape[0], x : x + resized.shape[1]] = resized
    return canvas


@pytest.fixture(scope="session")
def model_dir() -> Path:
    value = os.environ.get("ALPR_MODEL_DIR")
    if not value:
        pytest.skip("ALPR_MODEL_DIR is not set")
    return Path(value)


@pytest.fixture(scope="session")
def recognizer(model_dir: Path) -> Recognizer:
    return Recognizer(locate(model_dir), threads=2)
