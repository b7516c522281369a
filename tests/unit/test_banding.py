"""Public figures (R52) are banded so that a small count never singles anyone out."""

from __future__ import annotations

import pytest

from alpr.governance.oversight.usage import band


def test_every_small_count_reads_the_same() -> None:
    assert band(0) == "0"
    assert {band(n) for n in range(1, 10)} == {"fewer than 10"}


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (10, "10-19"),
        (19, "10-19"),
        (47, "40-49"),
        (99, "90-99"),
        (130, "about 100"),
        (1_949, "about 1,900"),
        (12_345, "about 12,000"),
    ],
)
def test_larger_counts_are_rounded_to_their_band(count: int, shown: str) -> None:
    assert band(count) == shown
