"""Sizes and fingerprints as the records clerk and the commander read them."""

from __future__ import annotations

import pytest

from alpr.ui.counts import size_spoken
from alpr.ui.fingerprints import fingerprint


@pytest.mark.parametrize(
    ("size", "words"),
    [
        (1, "1 byte"),
        (23, "23 bytes"),
        (999, "999 bytes"),
        (4_820, "4.8 KB"),
        (240_000, "240 KB"),
        (2_400_000, "2.4 MB"),
        (48_000_000, "48 MB"),
        (3_200_000_000, "3.2 GB"),
    ],
)
def test_a_size_in_words(size: int, words: str) -> None:
    assert size_spoken(size) == words


def test_a_fingerprint_reads_in_groups_of_eight() -> None:
    digest = "35918c3e58e6e68f4be515c589a63511036ad86fb1a8c3f4810cec91c7c02d22"
    grouped = fingerprint(digest)
    assert grouped.split() == [digest[i : i + 8] for i in range(0, 64, 8)]
    assert grouped.replace(" ", "") == digest
