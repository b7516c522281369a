"""Vehicle descriptions shared by recognition, storage and search: the body types and colours a
read may carry, stored as small integers (0 is "unknown": below its confidence threshold an
attribute is not guessed), and how people write them."""

from __future__ import annotations

from enum import IntEnum


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


def parse_type(text: str) -> VehicleType:
    """A body type as typed (``pickup``, ``pickup_truck``, ``van``, ``suv``…); never unknown."""
    word = _word(text)
    found = _TYPE_WORDS.get(word) or next(
        (t for t in VehicleType if t.label.replace("_", "-") == word), None
    )
    if found is None or found is VehicleType.UNKNOWN:
        names = ", ".join(t.label for t in VehicleType if t is not VehicleType.UNKNOWN)
        raise VehicleError(f"{text!r} is not a vehicle type: use one of {names}")
    return found


def parse_colour(text: str) -> VehicleColour:
    """A colour as typed (``white``, ``silver``, ``grey``, ``silver_gray``…); never unknown."""
    word = _word(text)
    found = _COLOUR_WORDS.get(word) or next(
        (c for c in VehicleColour if c.label.replace("_", "-") == word), None
    )
    if found is None or found is VehicleColour.UNKNOWN:
        names = ", ".join(c.label for c in VehicleColour if c is not VehicleColour.UNKNOWN)
        raise VehicleError(f"{text!r} is not a vehicle colour: use one of {names}")
    return found
