"""How a read's vehicle fits a witness's description (R11, R53): a vehicle whose colour or type
could not be told is kept as possibly the one; a vehicle described otherwise is not."""

from __future__ import annotations

import pytest

from alpr.governance.investigations.descriptions import Description, Fit
from alpr.vehicles import VehicleColour, VehicleType

WHITE_PICKUP = Description(VehicleColour.WHITE, VehicleType.PICKUP_TRUCK)


@pytest.mark.parametrize(
    ("colour", "kind", "fit"),
    [
        (VehicleColour.WHITE, VehicleType.PICKUP_TRUCK, Fit.DESCRIBED),
        (VehicleColour.UNKNOWN, VehicleType.PICKUP_TRUCK, Fit.UNDETERMINED),
        (VehicleColour.WHITE, VehicleType.UNKNOWN, Fit.UNDETERMINED),
        (None, None, Fit.UNDETERMINED),  # a read never described
        (VehicleColour.BLACK, VehicleType.PICKUP_TRUCK, Fit.CONTRADICTS),
        (VehicleColour.UNKNOWN, VehicleType.CAR, Fit.CONTRADICTS),
        (VehicleColour.SILVER_GRAY, VehicleType.UNKNOWN, Fit.CONTRADICTS),
    ],
)
def test_fit_of_a_white_pickup(
    colour: VehicleColour | None, kind: VehicleType | None, fit: Fit
) -> None:
    assert WHITE_PICKUP.fit(colour, kind) is fit
    assert WHITE_PICKUP.matches(colour, kind) is (fit is Fit.DESCRIBED)


def test_only_the_attributes_given_are_compared() -> None:
    white = Description(colour=VehicleColour.WHITE)
    assert white.fit(VehicleColour.WHITE, VehicleType.BUS) is Fit.DESCRIBED
    assert white.fit(VehicleColour.UNKNOWN, VehicleType.BUS) is Fit.UNDETERMINED
    assert white.fit(VehicleColour.RED, None) is Fit.CONTRADICTS
