"""Tracker: follows each plate across frames and votes its characters, so that one vehicle
pass gives one read, with the best crop and full frame of the pass."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from alpr.plates import normalize_plate
from alpr.recognition.detector import Box
from alpr.recognition.ocr import SlotProbabilities
from alpr.recognition.reader import Recognition, plate_confidence


@dataclass
class _Observation:
    recognition: Recognition
    frame: np.ndarray
    captured_at: datetime


@dataclass
class _Track:
    last_box: Box
    last_seen: int
    last_seen_at: datetime
    observations: list[_Observation] = field(default_factory=list)


@dataclass(frozen=True)
class PlatePass:
    """One vehicle pass: the voted plate, the most frequent raw OCR text, the evidence of
    the most confident observation (its time, box, BGR crop and full frame) and how many
    frames were voted."""

    plate: str
    raw_text: str
    confidence: float
    char_confidences: list[float]
    alternatives: list[tuple[str, float]]
    region: str | None
    captured_at: datetime
    box: Box
    crop: np.ndarray
    frame: np.ndarray
    observations: int


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def similar_plates(a: str, b: str) -> bool:
    """Two readings that may be the same plate seen elsewhere: at most two edits apart."""
    return edit_distance(a, b) <= 2


def compatible_plates(a: str, b: str) -> bool:
    """Two readings at the same place that may be one plate: at most half the characters
    differ. The next car stopping where the last one was gives a new track."""
    return edit_distance(a, b) * 2 <= max(len(a), len(b))


# Each frame's probabilities are mixed with this share of the pass's mean before the vote,
# so one frame confidently wrong about a character cannot veto the frames that read it.
VOTE_MIX = 0.1


def combine(readings: list[SlotProbabilities]) -> SlotProbabilities:
    """Readings of one plate with the same length, slot by slot: the sum of the readings'
    log-probabilities of each character, normalised back to probabilities (their normalised
    geometric mean; one reading is left as it is). A blurred frame, unsure of every
    character, shifts little, and a character most frames read wins over one frame's
    confident misread. The region is the one most readings name."""
    width = max(r.probs.shape[0] for r in readings)
    stack = np.stack([r.padded(width).probs for r in readings])
    mixed = (1 - VOTE_MIX) * stack + VOTE_MIX * stack.mean(axis=0)
    mean = np.log(np.maximum(mixed, 1e-12)).mean(axis=0)
    probs = np.exp(mean - mean.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    region = Counter(r.region for r in readings).most_common(1)[0][0]
    first = readings[0]
    return SlotProbabilities(first.alphabet, first.pad, probs, region)


@dataclass(frozen=True)
class Vote:
    """A pass's plate from all its frames: ``alternatives`` ranked with their scores (the
    plate first) and the per-character confidences of the plate."""

    plate: str
    char_confidences: list[float]
    alternatives: list[tuple[str, float]]
    region: str | None


def vote(observations: list[Recognition], *, k: int = 5) -> Vote | None:
    """The plate read by several frames. Frames are aligned by the length of their reading:
    each length's frames are combined slot by slot (``combine``) and decoded under the
    plate-format prior of the pass; a text's score is the mixture of its score under each
    length, weighted by the share of the frames' confidence that length has, so a frame that
    drops or adds a last character leaves its reading among the alternatives. The character
    confidences come from the combined frames of the winning text's length."""
    support: defaultdict[int, float] = defaultdict(float)
    for o in observations:
        support[len(o.plate)] += o.confidence
    total = sum(support.values()) or 1.0
    prior = Counter(o.prior for o in observations).most_common(1)[0][0]
    scores: defaultdict[str, float] = defaultdict(float)
    decoded: dict[str, tuple[float, SlotProbabilities]] = {}
    for length in support:
        combined = combine([o.slots for o in observations if len(o.plate) == length])
        share = support[length] / total
        for text, score in combined.alternatives(k, prior=prior):
            scores[text] += share * score
            if share * score > decoded.get(text, (-1.0, combined))[0]:
                decoded[text] = (share * score, combined)
    ranked = sorted(scores.items(), key=lambda t: (-t[1], t[0]))[:k]
    if not ranked or not normalize_plate(ranked[0][0]):
        return None
    best = ranked[0][0]
    slots = decoded[best][1]
    return Vote(
        plate=normalize_plate(best),
        char_confidences=[round(c, 4) for c in slots.char_probabilities(best)],
        alternatives=[(t, round(p, 4)) for t, p in ranked],
        region=slots.region,
    )


class PlateTracker:
    """Groups recognitions of consecutive processed frames into tracks (by box overlap with
    compatible text, or by similar text) and ends a track when it has not been seen for
    ``max_gap`` processed frames or ``max_gap_s`` seconds; each ended track with at least
    ``min_observations`` readings becomes one ``PlatePass``."""

    def __init__(
        self,
        *,
        max_gap: int = 6,
        max_gap_s: float = 3.0,
        min_observations: int = 1,
        iou: float = 0.15,
    ) -> None:
        self.max_gap = max_gap
        self.max_gap_s = max_gap_s
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
        """Add the recognitions of processed frame ``index`` (frames skipped by the gate may
        be passed with no recognitions, so that tracks still end on time); returns the
        passes that ended."""
        for recognition in recognitions:
            track = self._find(recognition, index)
            if track is None:
                track = _Track(recognition.box, index, captured_at)
                self.tracks.append(track)
            track.last_box = recognition.box
            track.last_seen = index
            track.last_seen_at = captured_at
            track.observations.append(_Observation(recognition, frame, captured_at))
        return self._end(
            [
                t
                for t in self.tracks
                if index - t.last_seen > self.max_gap
                or (captured_at - t.last_seen_at).total_seconds() > self.max_gap_s
            ]
        )

    def expire(self, now: datetime, *, index: int | None = None) -> list[PlatePass]:
        """End the tracks not seen for ``max_gap_s`` before ``now`` or, given the index of
        the next processed frame, for ``max_gap`` frames before it: the tracks that frame
        can no longer continue (or, from a source with nothing new to show, none can);
        returns their passes."""
        return self._end(
            [
                t
                for t in self.tracks
                if (now - t.last_seen_at).total_seconds() > self.max_gap_s
                or (index is not None and index - t.last_seen > self.max_gap)
            ]
        )

    def flush(self) -> list[PlatePass]:
        """End every open track (end of the stream)."""
        return self._end(self.tracks)

    @property
    def open(self) -> bool:
        """Whether a pass is still being followed."""
        return bool(self.tracks)

    def _end(self, finished: list[_Track]) -> list[PlatePass]:
        ended = {id(t) for t in finished}
        self.tracks = [t for t in self.tracks if id(t) not in ended]
        return [p for p in (self._vote(t) for t in finished) if p is not None]

    def _find(self, recognition: Recognition, index: int) -> _Track | None:
        candidates = [
            t
            for t in self.tracks
            if 0 < index - t.last_seen <= self.max_gap
            and (
                (
                    t.last_box.iou(recognition.box) >= self.iou
                    and compatible_plates(t.observations[-1].recognition.plate, recognition.plate)
                )
                or similar_plates(t.observations[-1].recognition.plate, recognition.plate)
            )
        ]
        return max(candidates, key=lambda t: t.last_box.iou(recognition.box), default=None)

    def _vote(self, track: _Track) -> PlatePass | None:
        if len(track.observations) < self.min_observations:
            return None
        result = vote([o.recognition for o in track.observations])
        if result is None:
            return None
        best = max(track.observations, key=lambda o: o.recognition.confidence)
        raw = Counter(o.recognition.raw_text for o in track.observations).most_common(1)[0][0]
        return PlatePass(
            plate=result.plate,
            raw_text=raw,
            confidence=plate_confidence(result.char_confidences),
            char_confidences=result.char_confidences,
            alternatives=result.alternatives,
            region=result.region,
            captured_at=best.captured_at,
            box=best.recognition.box,
            crop=best.recognition.crop,
            frame=best.frame,
            observations=len(track.observations),
        )
