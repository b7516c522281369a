"""The reader's doubt in the demo: some reads keep a second reading, and a few reads of a
hot-listed plate are misread by one character with the true plate as their second reading, so
that search and alerts by another reading show on the demo data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from alpr.data.demo.traffic import Event

# The character a plate reader most often takes each character for.
_TAKEN_FOR = str.maketrans(
    {
        "0": "D",
        "1": "I",
        "2": "Z",
        "3": "8",
        "4": "A",
        "5": "S",
        "6": "G",
        "7": "1",
        "8": "B",
        "9": "8",
        "A": "4",
        "B": "8",
        "D": "0",
        "E": "F",
        "F": "P",
        "G": "6",
        "H": "M",
        "I": "1",
        "M": "H",
        "P": "F",
        "S": "5",
        "Z": "2",
    }
)
DOUBTFUL_BELOW = 0.9  # reads less confident than this keep a second reading
MISREADS = 2  # reads of one hot-listed plate stored misread


def misread(plate: str) -> str:
    """The plate with its last character a reader confuses taken for its look-alike."""
    for index in range(len(plate) - 1, -1, -1):
        taken = plate[index].translate(_TAKEN_FOR)
        if taken != plate[index]:
            return plate[:index] + taken + plate[index + 1 :]
    return plate


def misread_events(events: Sequence[Event], listed: set[str]) -> set[int]:
    """The indexes of the latest reads of the hot-listed plate read most often, to be stored
    misread."""
    counts = Counter(e.plate for e in events if e.plate in listed)
    if not counts:
        return set()
    plate = min(counts, key=lambda p: (-counts[p], p))
    indexes = [i for i, e in enumerate(events) if e.plate == plate]
    return set(indexes[-MISREADS:])


def readings(event: Event, *, misread_here: bool) -> tuple[str, list[list[Any]] | None]:
    """The plate stored for an event and the reader's readings of it, best first."""
    if misread_here:
        return misread(event.plate), [[misread(event.plate), 0.52], [event.plate, 0.38]]
    if event.confidence < DOUBTFUL_BELOW:
        other = round((1 - event.confidence) * 0.7, 3)
        return event.plate, [[event.plate, event.confidence], [misread(event.plate), other]]
    return event.plate, None
