"""A witness's description of a vehicle (colour, body type) as a search filter: parsed from what
people type, kept with the search's parameters, said in words, and matched against a read's
description as last corrected (R53)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from alpr.governance.errors import InvalidInput
from alpr.vehicles import VehicleColour, VehicleError, VehicleType, parse_colour, parse_type


class Fit(IntEnum):
    """How a read's vehicle fits a description: every attribute given is the read's
    (``DESCRIBED``); none contradicts it, but one or more could not be told from the image, as
    on a read never described (``UNDETERMINED``: it may be the vehicle); or one contradicts it."""

    CONTRADICTS = 0
    UNDETERMINED = 1
    DESCRIBED = 2

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Description:
    """A colour and/or a body type; a read matches when it has every one given."""

    colour: VehicleColour | None = None
    type: VehicleType | None = None

    @classmethod
    def parse(cls, *, colour: str | None, kind: str | None) -> Description | None:
        """The description typed (either may be empty), or None when neither was given."""
        try:
            wanted = cls(
                parse_colour(colour) if colour and colour.strip() else None,
                parse_type(kind) if kind and kind.strip() else None,
            )
        except VehicleError as exc:
            raise InvalidInput(str(exc)) from None
        return wanted if wanted.colour or wanted.type else None

    def matches(self, colour: int | None, kind: int | None) -> bool:
        return self.fit(colour, kind) is Fit.DESCRIBED

    def fit(self, colour: int | None, kind: int | None) -> Fit:
        given = [(w, v) for w, v in ((self.colour, colour), (self.type, kind)) if w is not None]
        if all(v == w for w, v in given):
            return Fit.DESCRIBED
        if all(v == w or not v for w, v in given):  # None or 0: not told
            return Fit.UNDETERMINED
        return Fit.CONTRADICTS

    def params(self) -> dict[str, Any]:
        """The description as a search records it."""
        return {
            "vehicle": {
                "colour": self.colour.label if self.colour else None,
                "type": self.type.label if self.type else None,
            }
        }

    @staticmethod
    def in_words(params: dict[str, Any]) -> str:
        """A recorded description as a phrase ("white pickup truck"); empty if none."""
        vehicle = params.get("vehicle") or {}
        words = [str(vehicle[k]).replace("_", " ") for k in ("colour", "type") if vehicle.get(k)]
        return " ".join(words)


def described(colour: int | None, kind: int | None) -> str:
    """A read's description in words ("white pickup truck", "unknown colour car"), empty when
    the read was never described."""
    if colour is None and kind is None:
        return ""
    colour_word = VehicleColour(colour or 0).label.replace("_", "-")
    kind_word = VehicleType(kind or 0).label.replace("_", " ")
    if colour_word == "unknown":
        colour_word = "unknown colour"
    if kind_word == "unknown":
        kind_word = "vehicle"
    return f"{colour_word} {kind_word}"


def labelled(colour: int | None, kind: int | None) -> dict[str, str | None]:
    """A read's description by name (None where never described), as exports give it."""
    return {
        "colour": None if colour is None else VehicleColour(colour).label,
        "type": None if kind is None else VehicleType(kind).label,
    }
