"""Describing the vehicle that carries a plate, with the real models on dev photos checked by
eye: the box, type and colour, and "unknown" rather than a guess where nothing is found."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from alpr.recognition.detector import Box
from alpr.recognition.sources import read_image
from alpr.recognition.vehicle import (
    PaintReading,
    VehicleDescriber,
    body_colour,
    combine_colour,
    combine_type,
    read_paint,
)
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
        # rear views: the model alone is sure they are red (the tail lights), the strip above
        # the plate is not red
        ("wts-lg-000063.jpg", VehicleType.CAR, VehicleColour.BLACK),
        ("wts-lg-000080.jpg", VehicleType.CAR, VehicleColour.BLACK),
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


def test_a_model_sure_of_tail_lights_yields_to_the_paint() -> None:
    model = np.array([0.001, 0.002, 0.0, 0.99, 0.0, 0.001, 0.006])
    colour, confidence = combine_colour(model, VehicleColour.BLACK)
    assert colour is VehicleColour.BLACK and confidence > 0.8


def test_red_is_the_strip_above_the_plate() -> None:
    assert PaintReading(VehicleColour.BLACK, 0.6).named() is VehicleColour.RED
    assert PaintReading(VehicleColour.BLACK, 0.02).named() is VehicleColour.BLACK
    assert PaintReading(VehicleColour.UNKNOWN, 0.6).named() is VehicleColour.UNKNOWN


def _rear_view(body: tuple[int, int, int], plate: tuple[int, int, int]) -> np.ndarray:
    """A flat rear view, BGR: a body, red tail lights at its sides, a plate in its middle."""
    image = np.full((300, 400, 3), body, dtype=np.uint8)
    image[120:170, 20:80] = (30, 30, 220)
    image[120:170, 320:380] = (30, 30, 220)
    image[200:240, 140:260] = plate
    return image


VEHICLE = Box(0, 0, 400, 300, 1.0)
PLATE = Box(140, 200, 260, 240, 1.0)


def test_tail_lights_beside_the_plate_are_not_red_paint() -> None:
    paint = read_paint(_rear_view((150, 150, 150), (235, 235, 235)), PLATE, VEHICLE)
    assert paint.red_share < 0.05 and paint.named() is VehicleColour.SILVER_GRAY
    red = read_paint(_rear_view((40, 40, 170), (235, 235, 235)), PLATE, VEHICLE)
    assert red.red_share > 0.9 and red.named() is VehicleColour.RED


def test_a_yellow_plate_does_not_white_balance_the_paint() -> None:
    image = _rear_view((225, 225, 225), (40, 200, 230))
    assert body_colour(image, PLATE, VEHICLE) is VehicleColour.WHITE


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


def test_without_yolox_only_a_car_is_taken_from_the_attribute_model() -> None:
    car, truck = np.array([0.9, 0.0, 0.1, 0.0]), np.array([0.1, 0.0, 0.9, 0.0])
    assert combine_type(car, None)[0] is VehicleType.CAR
    assert combine_type(truck, None)[0] is VehicleType.UNKNOWN
    assert combine_type(truck, (VehicleType.PICKUP_TRUCK, 0.8))[0] is VehicleType.PICKUP_TRUCK


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
