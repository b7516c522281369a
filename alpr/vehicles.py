"""Vehicle descriptions shared by recognition, storage and search: the body types and colours a
read may carry, stored as small integers (0 is "unknown": below its confidence threshold an
attribute is not guessed), and how people write them."""

from __future__ import annotations

from enum import IntEnum
from typing import TypeVar


class VehicleError(ValueError):
    """A vehicle type or colour that cannot be used, with a message for the user."""


class VehicleType(IntEnum):
    UNKNOWN = 0
    CAR = 1
    PICKUP_TRUCK = 2
    VAN = 3
    BUS = 4
    MOTORCYCLE = 5

    @property
    def label(self) -> str:
        return self.name.lower()


class VehicleColour(IntEnum):
    UNKNOWN = 0
    WHITE = 1
    SILVER_GRAY = 2
    BLACK = 3
    RED = 4
    BLUE = 5
    GREEN = 6
    YELLOW_GOLD = 7
    BROWN_BEIGE = 8

    @property
    def label(self) -> str:
        return self.name.lower()


# Other words people use for the same thing.
_TYPE_WORDS = {
    "pickup": VehicleType.PICKUP_TRUCK,
    "truck": VehicleType.PICKUP_TRUCK,
    "pickup-truck": VehicleType.PICKUP_TRUCK,
    "suv": VehicleType.CAR,
    "sedan": VehicleType.CAR,
    "motorbike": VehicleType.MOTORCYCLE,
    "minivan": VehicleType.VAN,
}
_COLOUR_WORDS = {
    "silver": VehicleColour.SILVER_GRAY,
    "gray": VehicleColour.SILVER_GRAY,
    "grey": VehicleColour.SILVER_GRAY,
    "silver-gray": VehicleColour.SILVER_GRAY,
    "silver-grey": VehicleColour.SILVER_GRAY,
    "yellow": VehicleColour.YELLOW_GOLD,
    "gold": VehicleColour.YELLOW_GOLD,
    "brown": VehicleColour.BROWN_BEIGE,
    "beige": VehicleColour.BROWN_BEIGE,
    "tan": VehicleColour.BROWN_BEIGE,
}


def _word(text: str) -> str:
    return "-".join(text.strip().lower().replace("_", "-").split())


_Kind = TypeVar("_Kind", VehicleType, VehicleColour)


def _parse(
    text: str, words: dict[str, _Kind], kinds: type[_Kind], unknown: _Kind, what: str
) -> _Kind:
    word = _word(text)
    found = words.get(word) or next((k for k in kinds if k.label.replace("_", "-") == word), None)
    if found is None or found is unknown:
        names = ", ".join(k.label for k in kinds if k is not unknown)
        raise VehicleError(f"{text!r} is not a vehicle {what}: use one of {names}")
    return found


def parse_type(text: str) -> VehicleType:
    """A body type as typed (``pickup``, ``pickup_truck``, ``van``, ``suv``…); never unknown."""
    return _parse(text, _TYPE_WORDS, VehicleType, VehicleType.UNKNOWN, "type")


def parse_colour(text: str) -> VehicleColour:
    """A colour as typed (``white``, ``silver``, ``grey``, ``silver_gray``…); never unknown."""
    return _parse(text, _COLOUR_WORDS, VehicleColour, VehicleColour.UNKNOWN, "colour")
