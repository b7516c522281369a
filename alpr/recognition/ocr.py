"""OCR stage: per-slot character probabilities for plate crops (fast-plate-ocr), decoded into
the plate text, per-character confidences and ranked alternatives."""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from fast_plate_ocr import LicensePlateRecognizer

from alpr.recognition.models import CPU, session_options
from alpr.recognition.plate_formats import FormatPrior


@dataclass(frozen=True)
class SlotProbabilities:
    """Probabilities over ``alphabet`` for each character slot of one plate; the pad
    character marks the slots after the end of the plate."""

    alphabet: str
    pad: str
    probs: np.ndarray  # (slots, len(alphabet))
    region: str | None = None

    def padded(self, slots: int) -> SlotProbabilities:
        """The same plate with ``slots`` slots (extra slots are certain padding)."""
        missing = slots - self.probs.shape[0]
        if missing <= 0:
            return self
        extra = np.zeros((missing, len(self.alphabet)), dtype=self.probs.dtype)
        extra[:, self.alphabet.index(self.pad)] = 1.0
        return SlotProbabilities(
            self.alphabet, self.pad, np.vstack([self.probs, extra]), self.region
        )

    def with_us_prior(self) -> SlotProbabilities:
        """US plates: most DMVs do not issue the letter O (and treat O and zero as one
        character where they do), so the probability of O goes to zero."""
        probs = self.probs.copy()
        letter, digit = self.alphabet.index("O"), self.alphabet.index("0")
        probs[:, digit] += probs[:, letter]
        probs[:, letter] = 0.0
        return SlotProbabilities(self.alphabet, self.pad, probs, self.region)

    def best(self) -> tuple[str, list[float]]:
        """The most probable character of each slot up to the first pad, with its
        probability."""
        text, confs = [], []
        for row in self.probs:
            index = int(row.argmax())
            if self.alphabet[index] == self.pad:
                break
            text.append(self.alphabet[index])
            confs.append(float(row[index]))
        return "".join(text), confs

    def text_probability(self, text: str) -> float:
        """The probability that the slots read exactly ``text``: each character in its slot,
        then padding in every slot after it."""
        return float(np.prod(self._slot_probabilities(text)))

    def char_probabilities(self, text: str) -> list[float]:
        """The probability of each character of ``text`` in its slot."""
        return [float(p) for p in self._slot_probabilities(text)[: len(text)]]

    def _slot_probabilities(self, text: str) -> np.ndarray:
        padded = text.ljust(self.probs.shape[0], self.pad)[: self.probs.shape[0]]
        columns = [self.alphabet.index(ch) for ch in padded]
        return self.probs[np.arange(len(columns)), columns]

    def alternatives(self, k: int = 5, prior: FormatPrior | None = None) -> list[tuple[str, float]]:
        """The ``k`` most likely plate strings with their scores, best first. The score is
        the probability of the text, times the prior's weight of its layout when a format
        prior is given (candidates: the most probable strings, and with a prior the most
        probable string of each layout it knows)."""
        top = self._top_choices()
        slots = self.probs.shape[0]
        candidates = set(self._most_probable(self._options(top, "*" * slots), 4 * k))
        if prior is not None:
            for shape in prior.layouts:
                if len(shape) <= slots:
                    choices = self._options(top, shape.ljust(slots, "_"))
                    candidates.update(self._most_probable(choices, 2))
        scored = [
            (text, self.text_probability(text) * (prior.weight(text) if prior else 1.0))
            for text in candidates
            if text
        ]
        return sorted(scored, key=lambda t: (-t[1], t[0]))[:k]

    def _top_choices(self) -> dict[str, list[np.ndarray]]:
        """For each slot, the three most probable characters (``*``), digits (``D``) and
        letters (``L``), and the pad character (``_``), as alphabet indexes."""
        kinds = {
            "*": np.arange(len(self.alphabet)),
            "D": np.array([i for i, ch in enumerate(self.alphabet) if ch.isdigit()]),
            "L": np.array([i for i, ch in enumerate(self.alphabet) if ch.isalpha()]),
            "_": np.array([self.alphabet.index(self.pad)]),
        }
        top = {}
        for kind, allowed in kinds.items():
            order = np.argsort(-self.probs[:, allowed], axis=1)[:, :3]
            top[kind] = list(allowed[order])
        return top

    def _options(
        self, top: dict[str, list[np.ndarray]], kinds: str
    ) -> list[list[tuple[str, float]]]:
        """Each slot's choices of the kind ``kinds`` gives it, with their probabilities."""
        return [
            [(self.alphabet[int(i)], float(row[int(i)])) for i in top[kind][slot]]
            for slot, (row, kind) in enumerate(zip(self.probs, kinds, strict=True))
        ]

    def _most_probable(self, options: list[list[tuple[str, float]]], k: int) -> list[str]:
        """Up to ``k`` distinct texts from the most probable choices of one option per slot
        (a pad character ends a text)."""

        def cost(slot: int, choice: int) -> float:
            return -math.log(max(options[slot][choice][1], 1e-12))

        start = tuple(0 for _ in options)
        heap = [(sum(cost(s, 0) for s in range(len(options))), start)]
        seen = {start}
        texts: list[str] = []
        while heap and len(texts) < k:
            total, choice = heapq.heappop(heap)
            text = "".join(options[s][c][0] for s, c in enumerate(choice)).split(self.pad)[0]
            if text not in texts:
                texts.append(text)
            for s in range(len(choice)):
                if choice[s] + 1 < len(options[s]):
                    nxt = (*choice[:s], choice[s] + 1, *choice[s + 1 :])
                    if nxt not in seen:
                        seen.add(nxt)
                        heapq.heappush(
                            heap, (total + cost(s, choice[s] + 1) - cost(s, choice[s]), nxt)
                        )
        return texts


def average(slots: list[SlotProbabilities]) -> SlotProbabilities:
    """The mean of several readings of one plate (variants, models or frames); the region is
    the first reading's that has one."""
    width = max(s.probs.shape[0] for s in slots)
    padded = [s.padded(width) for s in slots]
    region = next((s.region for s in slots if s.region), None)
    first = padded[0]
    return SlotProbabilities(
        first.alphabet, first.pad, np.mean([s.probs for s in padded], axis=0), region
    )


class PlateReader:
    """One fast-plate-ocr model run directly on its onnxruntime session, so that the full
    per-slot probabilities (not only the decoded text) are available."""

    def __init__(self, model: Path, config: Path, *, threads: int) -> None:
        self._ocr = LicensePlateRecognizer(
            onnx_model_path=model,
            plate_config_path=config,
            providers=CPU,
            sess_options=session_options(threads),
        )
        cfg = self._ocr.config
        self.alphabet: str = cfg.alphabet
        self.pad: str = cfg.pad_char
        self.size = (int(cfg.img_width), int(cfg.img_height))
        self.slots = int(cfg.max_plate_slots)
        self.regions = list(cfg.plate_regions or [])

    def read(self, crops_bgr: list[np.ndarray]) -> list[SlotProbabilities]:
        """Slot probabilities for each BGR crop, in order."""
        if not crops_bgr:
            return []
        batch = np.stack(
            [
                cv2.cvtColor(
                    cv2.resize(c, self.size, interpolation=cv2.INTER_LINEAR), cv2.COLOR_BGR2RGB
                )
                for c in crops_bgr
            ]
        ).astype(np.uint8)
        outputs = self._ocr.model.run(None, {"input": batch})
        plates = outputs[0].reshape(len(crops_bgr), self.slots, len(self.alphabet))
        regions = outputs[1] if len(outputs) > 1 and self.regions else None
        return [
            SlotProbabilities(
                self.alphabet,
                self.pad,
                plates[i],
                self.regions[int(regions[i].argmax())] if regions is not None else None,
            )
            for i in range(len(crops_bgr))
        ]
