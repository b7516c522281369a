"""Reading plates in one image: detect, crop each plate with a few margins, read every crop
with every OCR model of the ensemble, and average the character probabilities."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from alpr.config import Deployment, get_deployment
from alpr.plates import normalize_plate
from alpr.recognition.detector import Box, PlateDetector
from alpr.recognition.models import ModelFiles, locate
from alpr.recognition.ocr import PlateReader, SlotProbabilities, average
from alpr.recognition.plate_formats import US, FormatPrior

# OCR regions whose plates get the US prior.
US_REGIONS = frozenset({"United States"})
# (horizontal margin, vertical margin) as fractions of the box: the tight box and looser ones.
DEFAULT_VARIANTS: tuple[tuple[float, float], ...] = ((0.0, 0.0), (0.06, 0.15), (0.12, 0.3))


@dataclass(frozen=True)
class Recognition:
    """One plate in one image. ``plate`` is normalised (A-Z, 0-9); ``raw_text`` is what the
    OCR decoded; ``confidence`` is the geometric mean of ``char_confidences``;
    ``alternatives`` are the likeliest plates with their scores, best first (the plate
    first); ``crop`` is the BGR plate image with a small margin; ``slots`` and ``prior`` (the
    plate-format prior of the plate's region, if any) are kept for the tracker's vote."""

    box: Box
    plate: str
    raw_text: str
    confidence: float
    char_confidences: list[float]
    alternatives: list[tuple[str, float]]
    region: str | None
    crop: np.ndarray
    slots: SlotProbabilities
    prior: FormatPrior | None = None


def crop(frame: np.ndarray, box: Box, margin_x: float, margin_y: float) -> np.ndarray:
    """The box widened by the given fractions of its width and height, clipped to the frame."""
    height, width = frame.shape[:2]
    dx = int((box.x2 - box.x1) * margin_x)
    dy = int((box.y2 - box.y1) * margin_y)
    x1, y1 = max(0, box.x1 - dx), max(0, box.y1 - dy)
    x2, y2 = min(width, box.x2 + dx), min(height, box.y2 + dy)
    return frame[y1:y2, x1:x2]


def equalized(image: np.ndarray) -> np.ndarray:
    """The BGR image with its lightness equalised locally (CLAHE), for dim or washed-out
    plates."""
    lab = cv2.cvtColor(image, cv2.COLOR_BGR2LAB)
    clahe = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(2, 4))
    lab[:, :, 0] = clahe.apply(lab[:, :, 0])
    return np.asarray(cv2.cvtColor(lab, cv2.COLOR_LAB2BGR))


def format_prior(region: str | None) -> FormatPrior | None:
    """The plate-format prior for a plate the OCR places in ``region``: US layouts for the
    United States, none elsewhere (European and Brazilian plates are read as the OCR reads
    them)."""
    return US if region in US_REGIONS else None


def plate_confidence(char_confidences: list[float]) -> float:
    """A plate's confidence: the geometric mean of its characters' confidences."""
    logs = [math.log(max(c, 1e-9)) for c in char_confidences]
    return round(math.exp(sum(logs) / len(logs)), 4)


def recognition_from(
    box: Box, image: np.ndarray, slots: SlotProbabilities, *, prior: FormatPrior | None = None
) -> Recognition | None:
    """Decode ``slots`` into a recognition, or None when no character was read. The plate is
    the best alternative, under the format ``prior`` when one is given; its character
    confidences are the OCR's probabilities of its characters."""
    text, _ = slots.best()
    alternatives = [(t, p) for t, p in slots.alternatives(prior=prior) if normalize_plate(t)]
    if not alternatives:
        return None
    best = alternatives[0][0]
    confs = slots.char_probabilities(best)
    return Recognition(
        box=box,
        plate=normalize_plate(best),
        raw_text=text,
        confidence=plate_confidence(confs),
        char_confidences=[round(c, 4) for c in confs],
        alternatives=[(t, round(p, 4)) for t, p in alternatives],
        region=slots.region,
        crop=image,
        slots=slots,
        prior=prior,
    )


class Recognizer:
    """Detector + OCR ensemble for single images; one instance per worker thread (the
    onnxruntime sessions are created once and reused).

    ``variants`` are the crop margins read for each plate; ``us_prior`` folds the letter O
    into zero for plates the OCR places in the United States (elsewhere, e.g. Brazil, O is
    a real letter); ``format_prior`` weighs the candidate readings of those plates by how
    common their layout is among US plates (``plate_formats.US``); ``equalize`` also reads a
    contrast-equalised copy of the middle crop (measured by ``bench/recognition.py``; it does
    not pay on the dev photos, so it is off); ``ensemble=False`` reads with the primary OCR
    model only.
    """

    def __init__(
        self,
        files: ModelFiles,
        *,
        threads: int = 1,
        conf_thresh: float = 0.3,
        variants: tuple[tuple[float, float], ...] = DEFAULT_VARIANTS,
        us_prior: bool = True,
        format_prior: bool = True,
        equalize: bool = False,
        ensemble: bool = True,
    ) -> None:
        self.detector = PlateDetector(files.detector, threads=threads, conf_thresh=conf_thresh)
        ocr_files = files.ocr if ensemble else files.ocr[:1]
        self.readers = [PlateReader(f.model, f.config, threads=threads) for f in ocr_files]
        self.variants = variants
        self.us_prior = us_prior
        self.format_prior = format_prior
        self.equalize = equalize

    @classmethod
    def from_dir(cls, model_dir: Path | None, *, threads: int = 1) -> Recognizer:
        """The recognizer for the models in ``model_dir`` (``ModelsMissing`` if absent)."""
        return cls(locate(model_dir), threads=threads)

    @classmethod
    def from_settings(cls, settings: Deployment | None = None) -> Recognizer:
        """The recognizer for ``ALPR_MODEL_DIR`` with ``ALPR_ONNX_THREADS`` threads."""
        settings = settings or get_deployment()
        return cls.from_dir(settings.model_dir, threads=settings.onnx_threads)

    def read_boxes(self, frame: np.ndarray, boxes: list[Box]) -> list[Recognition]:
        """Read the plates in the given boxes of a BGR frame."""
        middle = min(1, len(self.variants) - 1)
        crops = []
        for box in boxes:
            own = [crop(frame, box, mx, my) for mx, my in self.variants]
            crops += own + ([equalized(own[middle])] if self.equalize else [])
        readings = [reader.read(crops) for reader in self.readers]
        found = []
        n = len(self.variants) + self.equalize
        for index, box in enumerate(boxes):
            merged = average(
                [slots for reading in readings for slots in reading[index * n : (index + 1) * n]]
            )
            if self.us_prior and merged.region in US_REGIONS:
                merged = merged.with_us_prior()
            recognition = recognition_from(
                box,
                crops[index * n + middle],
                merged,
                prior=format_prior(merged.region) if self.format_prior else None,
            )
            if recognition is not None:
                found.append(recognition)
        return found

    def recognize(self, frame: np.ndarray) -> list[Recognition]:
        """Detect and read every plate in a BGR frame, most confident detection first."""
        return self.read_boxes(frame, self.detector.detect(frame))
