"""Reading plates in one image: detect, crop each plate with a margin, read it under a few
test-time variants, and average the character probabilities of the variants."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from alpr.plates import normalize_plate
from alpr.recognition.detector import Box, PlateDetector
from alpr.recognition.models import ModelFiles, locate
from alpr.recognition.ocr import PlateReader, SlotProbabilities

# (horizontal margin, vertical margin) as fractions of the box: the tight box and a looser one.
DEFAULT_VARIANTS: tuple[tuple[float, float], ...] = ((0.0, 0.0), (0.06, 0.15), (0.12, 0.3))


@dataclass(frozen=True)
class Recognition:
    box: Box
    plate: str
    raw_text: str
    confidence: float
    char_confidences: list[float]
    alternatives: list[tuple[str, float]]
    region: str | None
    crop: np.ndarray
    slots: SlotProbabilities


def crop(frame: np.ndarray, box: Box, margin_x: float, margin_y: float) -> np.ndarray:
    height, width = frame.shape[:2]
    dx = int((box.x2 - box.x1) * margin_x)
    dy = int((box.y2 - box.y1) * margin_y)
    x1, y1 = max(0, box.x1 - dx), max(0, box.y1 - dy)
    x2, y2 = min(width, box.x2 + dx), min(height, box.y2 + dy)
    return frame[y1:y2, x1:x2]


def average(slots: list[SlotProbabilities]) -> SlotProbabilities:
    first = slots[0]
    return SlotProbabilities(
        first.alphabet, first.pad, np.mean([s.probs for s in slots], axis=0), first.region
    )


def recognition_from(box: Box, image: np.ndarray, slots: SlotProbabilities) -> Recognition | None:
    text, confs = slots.best()
    plate = normalize_plate(text)
    if not plate:
        return None
    confidence = math.exp(sum(math.log(max(c, 1e-9)) for c in confs) / len(confs))
    return Recognition(
        box=box,
        plate=plate,
        raw_text=text,
        confidence=round(confidence, 4),
        char_confidences=[round(c, 4) for c in confs],
        alternatives=[(t, round(p, 4)) for t, p in slots.alternatives()],
        region=slots.region,
        crop=image,
        slots=slots,
    )


class Recognizer:
    """Detector + OCR; one instance per worker thread (onnxruntime sessions are reused)."""

    def __init__(
        self,
        files: ModelFiles,
        *,
        threads: int = 1,
        conf_thresh: float = 0.3,
        variants: tuple[tuple[float, float], ...] = DEFAULT_VARIANTS,
        us_prior: bool = True,
    ) -> None:
        self.detector = PlateDetector(files.detector, threads=threads, conf_thresh=conf_thresh)
        self.reader = PlateReader(files.ocr_model, files.ocr_config, threads=threads)
        self.variants = variants
        self.us_prior = us_prior

    @classmethod
    def from_dir(cls, model_dir: Path | None, *, threads: int = 1) -> Recognizer:
        return cls(locate(model_dir), threads=threads)

    def read_boxes(self, frame: np.ndarray, boxes: list[Box]) -> list[Recognition]:
        crops = [crop(frame, b, mx, my) for b in boxes for mx, my in self.variants]
        slots = self.reader.read(crops)
        found = []
        n = len(self.variants)
        for index, box in enumerate(boxes):
            merged = average(slots[index * n : (index + 1) * n])
            if self.us_prior:
                merged = merged.with_us_prior()
            recognition = recognition_from(box, crops[index * n + min(1, n - 1)], merged)
            if recognition is not None:
                found.append(recognition)
        return found

    def recognize(self, frame: np.ndarray) -> list[Recognition]:
        return self.read_boxes(frame, self.detector.detect(frame))
