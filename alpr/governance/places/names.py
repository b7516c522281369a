"""Place names folded for matching: what a detective types ("mission and crocker",
"1210 Sheffield Drive") finds what the county file calls "Mission St & Crocker Ave"."""

from __future__ import annotations

import re

SUFFIXES = {
    "street": "st",
    "avenue": "ave",
    "av": "ave",
    "boulevard": "blvd",
    "drive": "dr",
    "road": "rd",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "highway": "hwy",
    "parkway": "pkwy",
    "terrace": "ter",
    "circle": "cir",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
}
JOINERS = frozenset({"and", "at"})


def words(text: str) -> list[str]:
    """The words of a name or a query, lower case, suffixes abbreviated, without punctuation
    or the words that join two streets."""
    raw = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    return [SUFFIXES.get(w, w) for w in raw if w not in JOINERS]


def fold(name: str) -> str:
    return " ".join(words(name))[:200]
