"""Plate text rules shared by recognition, search and hot lists: normalisation, wildcard
patterns (``?`` one character, ``*`` any run) and OCR confusion classes."""

from __future__ import annotations

import re
from dataclasses import dataclass

PLATE_RE = re.compile(r"^[A-Z0-9]{1,10}$")
PATTERN_RE = re.compile(r"^[A-Z0-9?*]{1,10}$")

# Characters OCR confuses with each other; each class maps to one canonical character.
CONFUSION_CLASSES: tuple[str, ...] = ("O0DQ", "1ILT", "8B", "5S", "2Z", "6G")
_CANONICAL = {ch: group[0] for group in CONFUSION_CLASSES for ch in group}
_CANONICAL_TABLE = str.maketrans(_CANONICAL)


class PlateError(ValueError):
    """A plate or pattern that cannot be used, with a message for the user."""


def normalize_plate(text: str) -> str:
    """Upper-case and keep only A-Z and 0-9 (spaces, dashes and dots are dropped)."""
    return "".join(ch for ch in text.upper() if ch.isascii() and ch.isalnum())


def require_plate(text: str) -> str:
    """A plate typed or received: letters and digits, spaces, dashes and dots allowed."""
    if any(not (ch.isascii() and ch.isalnum()) and ch not in " -." for ch in text):
        raise PlateError(f"{text!r} is not a plate: use letters and digits only")
    plate = normalize_plate(text)
    if not PLATE_RE.match(plate):
        raise PlateError(f"{text!r} is not a plate: use 1 to 10 letters and digits")
    return plate


def confusion_key(plate: str) -> str:
    """The plate with every character replaced by its confusion class representative."""
    return plate.translate(_CANONICAL_TABLE)


@dataclass(frozen=True)
class PlatePattern:
    """A normalised wildcard pattern such as ``7AB*12`` or ``?XYZ??``."""

    text: str

    @classmethod
    def parse(cls, raw: str) -> PlatePattern:
        if any(not (ch.isascii() and ch.isalnum()) and ch not in "?* -." for ch in raw):
            raise PlateError(f"{raw!r} is not a plate pattern: use letters, digits, ? and *")
        text = "".join(ch for ch in raw.upper() if ch.isalnum() or ch in "?*")
        text = re.sub(r"\*+", "*", text)
        if not text or not PATTERN_RE.match(text):
            raise PlateError(
                f"{raw!r} is not a plate pattern: use letters, digits, ? for one character "
                "and * for any run"
            )
        return cls(text)

    @property
    def is_partial(self) -> bool:
        return "?" in self.text or "*" in self.text

    @property
    def known_chars(self) -> int:
        return sum(ch.isalnum() for ch in self.text)

    @property
    def longest_known_run(self) -> int:
        return max((len(run) for run in re.split(r"[?*]", self.text)), default=0)

    def position_tokens(self) -> list[str] | None:
        """The known characters of a fixed-length pattern as ``length.position`` + character
        tokens, as the plate dictionary's positions index holds them (``7.3B``: a 7-character
        plate with B third); None when ``*`` leaves the length open."""
        if "*" in self.text:
            return None
        length = len(self.text)
        return [f"{length}.{i}{ch}" for i, ch in enumerate(self.text, start=1) if ch != "?"]

    def sql_like(self) -> str:
        """The pattern as a SQL LIKE pattern (plates hold no ``%`` or ``_``)."""
        return self.text.replace("?", "_").replace("*", "%")

    def regex(self) -> re.Pattern[str]:
        body = "".join("." if ch == "?" else ".*" if ch == "*" else ch for ch in self.text)
        return re.compile(f"^{body}$")

    def confusion_pattern(self) -> PlatePattern:
        return PlatePattern(confusion_key(self.text))

    def single_substitutions(self) -> list[PlatePattern]:
        """Each known character replaced by ``?`` in turn: matches one substituted character."""
        return [
            PlatePattern(self.text[:i] + "?" + self.text[i + 1 :])
            for i, ch in enumerate(self.text)
            if ch.isalnum()
        ]

    def matches(self, plate: str) -> bool:
        return self.regex().match(plate) is not None
