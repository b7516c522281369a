"""Describing the vehicle that carries a plate, with the real models on dev photos checked by
eye: the box, type and colour, and "unknown" rather than a guess where nothing is found."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from alpr.recognition.sources import read_image
from alpr.recognition.vehicle import VehicleDescriber, body_colour, combine_colour
from alpr.vehicles import VehicleColour, VehicleError, VehicleType, parse_colour, parse_type
from tests.recognition.conftest import Labelled, dev_photos


@pytest.fixture(scope="module")
def describer(model_dir: Path) -> VehicleDescriber:
    return VehicleDescriber(model_dir, threads=2)


def _photo(name: str) -> Labelled:
    return next(p for p in dev_photos("us") if p.path.name == name)


@pytest.mark.models
@pytest.mark.parametrize(
    ("name", "kind", "colour"),
    [
        ("wts-lg-000097.jpg", VehicleType.CAR, VehicleColour.WHITE),  # front view
        # rear view: the model alone says red (the tail lights), the paint says silver
        ("wts-lg-000048.jpg", VehicleType.CAR, VehicleColour.SILVER_GRAY),
        ("wts-lg-000072.jpg", VehicleType.CAR, VehicleColour.BLACK),  # rear view
        # rear view: the model alone says white, the paint against the plate says silver
        ("wts-lg-000155.jpg", VehicleType.CAR, VehicleColour.SILVER_GRAY),
        ("wts-lg-000176.jpg", VehicleType.PICKUP_TRUCK, VehicleColour.BLACK),  # pickup, rear
    ],
)
def test_describes_the_vehicle_of_the_plate(
    describer: VehicleDescriber, name: str, kind: VehicleType, colour: VehicleColour
) -> None:
    photo = _photo(name)
    found = describer.describe(read_image(photo.path), photo.box)
    assert (found.type, found.colour) == (kind, colour)
    assert found.box is not None
    assert found.box.x1 <= photo.box.x1 and found.box.x2 >= photo.box.x2
    assert 0.45 <= found.type_confidence <= 1 and 0.5 <= found.colour_confidence <= 1


@pytest.mark.models
def test_no_vehicle_around_the_plate_is_unknown(describer: VehicleDescriber) -> None:
    photo = _photo("wts-lg-000135.jpg")  # the pickup's tailgate fills the photo
    found = describer.describe(read_image(photo.path), photo.box)
    assert (found.type, found.colour, found.box) == (
        VehicleType.UNKNOWN,
        VehicleColour.UNKNOWN,
        None,
    )
    assert found.to_json()["type"] == "unknown"


@pytest.mark.models
@pytest.mark.parametrize(
    ("name", "colour"),
    [
        ("wts-lg-000097.jpg", VehicleColour.WHITE),  # as bright as its plate
        ("wts-lg-000155.jpg", VehicleColour.SILVER_GRAY),  # darker than its plate
        ("wts-lg-000072.jpg", VehicleColour.BLACK),
        ("wts-lg-000037.jpg", VehicleColour.BLUE),
        ("wts-lg-000034.jpg", VehicleColour.RED),
    ],
)
def test_paint_is_measured_against_the_plate(
    describer: VehicleDescriber, name: str, colour: VehicleColour
) -> None:
    photo = _photo(name)
    image = read_image(photo.path)
    vehicle = describer.vehicle_box(image, photo.box)
    assert vehicle is not None
    assert body_colour(image, photo.box, vehicle) is colour


def test_tail_lights_do_not_make_a_silver_car_red() -> None:
    model = np.array(
        [0.05, 0.2, 0.0, 0.7, 0.0, 0.0, 0.05]
    )  # white gray yellow red green blue black
    colour, confidence = combine_colour(model, VehicleColour.SILVER_GRAY)
    assert colour is VehicleColour.SILVER_GRAY and confidence > 0.9
    assert combine_colour(model, VehicleColour.RED)[0] is VehicleColour.RED


def test_the_paint_settles_white_against_silver() -> None:
    model = np.array([0.6, 0.4, 0.0, 0.0, 0.0, 0.0, 0.0])
    assert combine_colour(model, VehicleColour.SILVER_GRAY)[0] is VehicleColour.SILVER_GRAY
    assert combine_colour(model, VehicleColour.WHITE)[0] is VehicleColour.WHITE
    colour, confidence = combine_colour(model, VehicleColour.UNKNOWN)
    assert colour is VehicleColour.SILVER_GRAY and confidence < 0.9


def test_brown_comes_only_from_the_paint() -> None:
    model = np.array([0.1, 0.3, 0.3, 0.2, 0.0, 0.0, 0.1])
    assert combine_colour(model, VehicleColour.BROWN_BEIGE)[0] is VehicleColour.BROWN_BEIGE
    assert combine_colour(model, VehicleColour.UNKNOWN)[0] is not VehicleColour.BROWN_BEIGE


def test_words_people_use() -> None:
    assert parse_type("pickup") is VehicleType.PICKUP_TRUCK
    assert parse_type("Pickup Truck") is VehicleType.PICKUP_TRUCK
    assert parse_colour("grey") is VehicleColour.SILVER_GRAY
    assert parse_colour("yellow_gold") is VehicleColour.YELLOW_GOLD
    for bad in ("unknown", "tank"):
        with pytest.raises(VehicleError):
            parse_type(bad)
    with pytest.raises(VehicleError):
        parse_colour("unknown")
