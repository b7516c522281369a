"""The plate-format prior (R53, accuracy): a soft weight over the OCR's readings by layout,
for plates the OCR places in the United States only."""

from __future__ import annotations

import numpy as np
import pytest

from alpr.recognition.detector import Box
from alpr.recognition.plate_formats import US, layout
from alpr.recognition.reader import Recognizer, format_prior, recognition_from
from alpr.recognition.sources import read_image
from tests.recognition.conftest import dev_photos
from tests.recognition.test_tracker import slots

BOX = Box(0, 0, 120, 40, 0.9)
CROP = np.zeros((40, 120, 3), np.uint8)


def test_layouts() -> None:
    assert layout("1ABC234") == "DLLLDDD" and US.weight("1ABC234") == 1.0
    assert US.weight("8951283") == 1.0 and US.weight("B951283") < 1.0


def test_the_prior_corrects_a_one_confusion_us_read() -> None:
    # The OCR leans to B in the first slot: B951283 is no US layout, 8951283 is (1234567).
    reading = slots("B951283", 0.52, unsure={0: "8"})
    assert reading.best()[0] == "B951283"
    found = recognition_from(BOX, CROP, reading, prior=format_prior("United States"))
    assert found is not None and found.plate == "8951283"
    assert found.raw_text == "B951283"  # what the OCR itself decoded
    assert [t for t, _ in found.alternatives[:2]] == ["8951283", "B951283"]
    assert found.char_confidences[0] == pytest.approx(0.48, abs=1e-3)
    assert found.confidence < min(found.char_confidences[1:])


def test_the_prior_is_soft_a_confident_vanity_plate_stands() -> None:
    found = recognition_from(BOX, CROP, slots("59CADI", 0.95), prior=US)
    assert found is not None and found.plate == "59CADI"


def test_a_european_plate_is_left_alone() -> None:
    reading = slots("B951283", 0.52, unsure={0: "8"})
    assert format_prior("Slovakia") is None and format_prior(None) is None
    found = recognition_from(BOX, CROP, reading, prior=format_prior("Slovakia"))
    assert found is not None and found.plate == "B951283"


@pytest.mark.models
def test_european_and_brazilian_photos_read_the_same_with_and_without_the_prior(
    recognizer: Recognizer,
) -> None:
    photos = dev_photos("eu")[:12] + dev_photos("br")[:8]
    recognizer.format_prior = False
    try:
        without = [[r.plate for r in recognizer.recognize(read_image(p.path))] for p in photos]
    finally:
        recognizer.format_prior = True
    with_prior = [[r.plate for r in recognizer.recognize(read_image(p.path))] for p in photos]
    assert with_prior == without
