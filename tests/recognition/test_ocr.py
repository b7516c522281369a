"""Decoding OCR probabilities: pad characters, alternatives and the ensemble average."""

from __future__ import annotations

import numpy as np
import pytest

from alpr.recognition.ocr import SlotProbabilities, average
from tests.recognition.test_tracker import ALPHABET, slots


def test_best_stops_at_the_pad_and_alternatives_are_ranked() -> None:
    reading = slots("7ABC123", 0.7, unsure={3: "G"})
    assert reading.best() == ("7ABC123", [pytest.approx(0.7)] * 7)
    alternatives = reading.alternatives(3)
    assert [t for t, _ in alternatives[:2]] == ["7ABC123", "7ABG123"]
    assert alternatives[0][1] > alternatives[1][1] >= alternatives[2][1]
    assert all("_" not in t for t, _ in alternatives)


def test_us_prior_turns_letter_o_into_zero() -> None:
    reading = slots("4OK0123", 0.9)
    assert reading.with_us_prior().best()[0] == "40K0123"


def test_models_with_fewer_slots_average_with_padding() -> None:
    nine = SlotProbabilities(ALPHABET, "_", slots("8XYZ456", 0.8).probs[:9])
    merged = average([slots("8XYZ456", 0.9), nine])
    assert merged.probs.shape == (10, len(ALPHABET)) and merged.best()[0] == "8XYZ456"
    assert merged.region == "United States"
    assert np.allclose(merged.probs.sum(axis=1), 1.0)
