"""The hand-made vehicle labels of the dev photos are well-formed: one row per dev photo, and
only the views, colours and types the benchmark knows (R53: the measured accuracy of vehicle
descriptions rests on this ground truth)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.recognition.conftest import DEV

LABELS = Path(__file__).parent / "data" / "vehicle_labels.csv"
VIEWS = {"front", "rear"}
COLOURS = {
    "white",
    "silver-gray",
    "black",
    "red",
    "blue",
    "green",
    "yellow-gold",
    "brown-beige",
    "other",
}
TYPES = {"car", "pickup-truck", "van", "bus", "motorcycle", "other"}


def _rows() -> list[dict[str, str]]:
    with LABELS.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_row_uses_the_known_values() -> None:
    rows = _rows()
    assert rows
    for row in rows:
        assert row["view"] in VIEWS, row
        assert row["colour"] in COLOURS, row
        assert row["type"] in TYPES, row
        assert row["doubtful"] in {"", "yes"}, row


def test_each_photo_is_labelled_once() -> None:
    files = [row["file"] for row in _rows()]
    assert len(files) == len(set(files))


def test_every_dev_photo_is_labelled() -> None:
    dev_labels = DEV / "labels.csv"
    if not dev_labels.is_file():
        pytest.skip(f"no labelled dev photos at {DEV} (set ALPR_DEV_DATA)")
    with dev_labels.open(newline="") as handle:
        dev = {row["file"] for row in csv.DictReader(handle)}
    assert {row["file"] for row in _rows()} == dev
