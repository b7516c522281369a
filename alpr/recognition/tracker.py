"""Tracker: follows each plate across frames and votes its characters, so that one vehicle
pass gives one read, with the best crop and full frame of the pass."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from alpr.recognition.detector import Box
from alpr.recognition.ocr import SlotProbabilities
from alpr.recognition.reader import Recognition, recognition_from


@dataclass
class _Observation:
    recognition: Recognition
    frame: np.ndarray
    captured_at: datetime


@dataclass
class _Track:
    last_box: Box
    last_seen: int
    observations: list[_Observation] = field(default_factory=list)


@dataclass(frozen=True)
class PlatePass:
    """One vehicle pass: the voted plate, the raw text, and the best evidence."""

    plate: str
    raw_text: str
    confidence: float
    char_confidences: list[float]
    alternatives: list[tuple[str, float]]
    region: str | None
    captured_at: datetime
    crop: np.ndarray
    frame: np.ndarray
    observations: int


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    return sum(x != y for x, y in zip(a, b, strict=False)) + abs(len(a) - len(b)) <= 2


class PlateTracker:
    def __init__(self, *, max_gap: int = 6, min_observations: int = 1, iou: float = 0.15) -> None:
        self.max_gap = max_gap
        self.min_observations = min_observations
        self.iou = iou
        self.tracks: list[_Track] = []

    def update(
        self,
        *,
        index: int,
        captured_at: datetime,
        frame: np.ndarray,
        recognitions: list[Recognition],
    ) -> list[PlatePass]:
        for recognition in recognitions:
            track = self._find(recognition, index)
            if track is None:
                track = _Track(recognition.box, index)
                self.tracks.append(track)
            track.last_box = recognition.box
            track.last_seen = index
            track.observations.append(_Observation(recognition, frame, captured_at))
        finished = [t for t in self.tracks if index - t.last_seen > self.max_gap]
        self.tracks = [t for t in self.tracks if t not in finished]
        return [p for p in (self._vote(t) for t in finished) if p is not None]

    def flush(self) -> list[PlatePass]:
        finished, self.tracks = self.tracks, []
        return [p for p in (self._vote(t) for t in finished) if p is not None]

    def _find(self, recognition: Recognition, index: int) -> _Track | None:
        candidates = [
            t
            for t in self.tracks
            if index - t.last_seen <= self.max_gap
            and (
                t.last_box.iou(recognition.box) >= self.iou
                or _similar(t.observations[-1].recognition.plate, recognition.plate)
            )
        ]
        return max(candidates, key=lambda t: t.last_box.iou(recognition.box), default=None)

    def _vote(self, track: _Track) -> PlatePass | None:
        if len(track.observations) < self.min_observations:
            return None
        lengths = Counter(len(o.recognition.plate) for o in track.observations)
        length = lengths.most_common(1)[0][0]
        same = [o for o in track.observations if len(o.recognition.plate) == length]
        w = np.array([o.recognition.confidence for o in same]) + 1e-3
        first = same[0].recognition.slots
        probs = np.tensordot(w / w.sum(), np.stack([o.recognition.slots.probs for o in same]), 1)
        voted = SlotProbabilities(first.alphabet, first.pad, probs, first.region)
        best = max(track.observations, key=lambda o: o.recognition.confidence)
        result = recognition_from(best.recognition.box, best.recognition.crop, voted)
        if result is None:
            return None
        raw = Counter(o.recognition.raw_text for o in track.observations).most_common(1)[0][0]
        return PlatePass(
            plate=result.plate,
            raw_text=raw,
            confidence=result.confidence,
            char_confidences=result.char_confidences,
            alternatives=result.alternatives,
            region=result.region,
            captured_at=best.captured_at,
            crop=best.recognition.crop,
            frame=best.frame,
            observations=len(track.observations),
        )
