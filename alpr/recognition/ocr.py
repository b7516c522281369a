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


@dataclass(frozen=True)
class SlotProbabilities:
    """Probabilities over the alphabet for each character slot of one plate."""

    alphabet: str
    pad: str
    probs: np.ndarray  # (slots, len(alphabet))
    region: str | None = None

    def with_us_prior(self) -> SlotProbabilities:
        """US plates: most DMVs do not issue the letter O (and treat O and zero as one
        character where they do), so the probability of O goes to zero."""
        probs = self.probs.copy()
        letter, digit = self.alphabet.index("O"), self.alphabet.index("0")
        probs[:, digit] += probs[:, letter]
        probs[:, letter] = 0.0
        return SlotProbabilities(self.alphabet, self.pad, probs, self.region)

    def best(self) -> tuple[str, list[float]]:
        text, confs = [], []
        for row in self.probs:
            index = int(row.argmax())
            if self.alphabet[index] == self.pad:
                break
            text.append(self.alphabet[index])
            confs.append(float(row[index]))
        return "".join(text), confs

    def alternatives(self, k: int = 5) -> list[tuple[str, float]]:
        """The ``k`` most probable plate strings (best-first over the top two per slot)."""
        options = []
        for row in self.probs:
            top = np.argsort(row)[::-1][:2]
            options.append([(self.alphabet[int(i)], float(row[int(i)])) for i in top])
        start = tuple(0 for _ in options)
        score = sum(-math.log(max(options[s][0][1], 1e-9)) for s in range(len(options)))
        heap = [(score, start)]
        seen = {start}
        found: list[tuple[str, float]] = []
        while heap and len(found) < k * 3:
            cost, choice = heapq.heappop(heap)
            chars = [options[s][c][0] for s, c in enumerate(choice)]
            text = "".join(chars).split(self.pad)[0]
            if text and all(ch != self.pad for ch in text):
                found.append((text, math.exp(-cost)))
            for s in range(len(choice)):
                if choice[s] == 0:
                    nxt = (*choice[:s], 1, *choice[s + 1 :])
                    if nxt not in seen:
                        seen.add(nxt)
                        delta = -math.log(max(options[s][1][1], 1e-9)) + math.log(
                            max(options[s][0][1], 1e-9)
                        )
                        heapq.heappush(heap, (cost + delta, nxt))
        merged: dict[str, float] = {}
        for text, p in found:
            merged[text] = merged.get(text, 0.0) + p
        return sorted(merged.items(), key=lambda t: -t[1])[:k]


class PlateReader:
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
