"""What the demo's vehicles look like: each plate belongs to one vehicle of a plausible colour
and body type (the incidents' tell-tale vehicles as the witnesses describe them), and a few
reads leave an attribute unknown, as the models do when unsure."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from alpr.data.demo.scenario import BURGLARY_PLATE, CONVOY_PLATE, SHOOTING_PLATE
from alpr.vehicles import VehicleColour, VehicleType

# Colour shares of cars on US roads, and the body paint each is drawn with (BGR).
COLOURS: tuple[tuple[VehicleColour, float, tuple[int, int, int]], ...] = (
    (VehicleColour.WHITE, 0.25, (235, 235, 235)),
    (VehicleColour.BLACK, 0.22, (25, 25, 25)),
    (VehicleColour.SILVER_GRAY, 0.25, (150, 150, 150)),
    (VehicleColour.RED, 0.09, (40, 40, 190)),
    (VehicleColour.BLUE, 0.09, (150, 70, 30)),
    (VehicleColour.GREEN, 0.03, (50, 120, 40)),
    (VehicleColour.YELLOW_GOLD, 0.02, (40, 190, 220)),
    (VehicleColour.BROWN_BEIGE, 0.05, (120, 160, 190)),
)
TYPES: tuple[tuple[VehicleType, float], ...] = (
    (VehicleType.CAR, 0.68),
    (VehicleType.PICKUP_TRUCK, 0.17),
    (VehicleType.VAN, 0.10),
    (VehicleType.BUS, 0.02),
    (VehicleType.MOTORCYCLE, 0.03),
)
TELLTALE = {
    SHOOTING_PLATE: (VehicleColour.WHITE, VehicleType.PICKUP_TRUCK),
    CONVOY_PLATE: (VehicleColour.BLACK, VehicleType.CAR),
    BURGLARY_PLATE: (VehicleColour.SILVER_GRAY, VehicleType.VAN),
}
UNKNOWN_COLOUR = 0.07  # share of reads whose colour the models would not call
UNKNOWN_TYPE = 0.04


@dataclass(frozen=True)
class DemoVehicle:
    colour: VehicleColour
    type: VehicleType
    paint: tuple[int, int, int]


def _rng(*parts: str) -> random.Random:
    return random.Random(int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:12], 16))


def vehicle_of(plate: str) -> DemoVehicle:
    """The vehicle that carries ``plate`` (the same at every read)."""
    rng = _rng(plate, "vehicle")
    colour, kind = TELLTALE.get(plate) or (
        rng.choices([c for c, _, _ in COLOURS], [w for _, w, _ in COLOURS])[0],
        rng.choices([t for t, _ in TYPES], [w for _, w in TYPES])[0],
    )
    paint = next(p for c, _, p in COLOURS if c is colour)
    return DemoVehicle(colour, kind, paint)


def read_columns(plate: str, at: str) -> dict[str, object]:
    """A read's vehicle columns, as the worker would store them for this pass."""
    vehicle = vehicle_of(plate)
    rng = _rng(plate, at, "read")
    colour_p, type_p = rng.randint(55, 99), rng.randint(50, 99)
    unknown_colour = plate not in TELLTALE and rng.random() < UNKNOWN_COLOUR
    unknown_type = plate not in TELLTALE and rng.random() < UNKNOWN_TYPE
    return {
        "vehicle_colour": int(VehicleColour.UNKNOWN if unknown_colour else vehicle.colour),
        "vehicle_type": int(VehicleType.UNKNOWN if unknown_type else vehicle.type),
        "vehicle_colour_confidence": rng.randint(20, 49) if unknown_colour else colour_p,
        "vehicle_type_confidence": rng.randint(20, 44) if unknown_type else type_p,
    }
