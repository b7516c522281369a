"""Incidents with tell-tale vehicles, and the hot lists, laid over the everyday traffic."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from alpr.data.demo.places import nearest_address
from alpr.data.demo.traffic import Event, TrafficModel

SHOOTING_PLATE = "7KQM482"
CONVOY_PLATE = "6TRV915"
BURGLARY_PLATE = "5HBX207"
SHOOTING_SITE = "Mission St & Crocker Ave"
BURGLARY_SITES = (
    "Wembley Dr & Sheffield Dr",
    "Bellevue Ave & Wellington Ave",
    "Glenwood Ave & Dorchester Way",
)
SCENE_RADIUS_M = 300


@dataclass(frozen=True)
class Scene:
    lat: float
    lon: float
    radius_m: int
    start: datetime
    end: datetime
    address: str  # an address point of the demo city's places, where the scene is


@dataclass(frozen=True)
class Shooting:
    case_number: str
    occurred_at: datetime
    scene: Scene
    telltale_plate: str
    convoy_plate: str
    partial_plate: str


@dataclass(frozen=True)
class BurglarySeries:
    case_number: str
    scenes: tuple[Scene, ...]
    telltale_plate: str


def offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    return (lat + north_m / 111_320, lon + east_m / (111_320 * math.cos(math.radians(lat))))


def _camera(model: TrafficModel, location: str) -> int:
    return next(i for i, c in enumerate(model.cameras) if c.location_name == location)


def add_shooting(model: TrafficModel, events: list[Event]) -> Shooting:
    camera = _camera(model, SHOOTING_SITE)
    site = model.cameras[camera]
    day = model.days[-7]
    occurred = model.local(day, 22 + 40 / 60)
    address, lat, lon = nearest_address(
        *offset(site.lat, site.lon, 45, -30), street=SHOOTING_SITE.split(" & ")[0]
    )
    for minutes in (-3, 2):
        at = occurred + timedelta(minutes=minutes)
        events.append(model.at_camera(SHOOTING_PLATE, camera, at))
        events.append(model.at_camera(CONVOY_PLATE, camera, at + timedelta(seconds=3)))
    for day_index, location, hour in (
        (-20, "Mission St & Geneva Ave", 19.2),
        (-14, "Geneva Ave & Santos St", 21.5),
        (-9, "Mission St & San Pedro Rd", 20.1),
    ):
        together = _camera(model, location)
        at = model.local(model.days[day_index], hour)
        events.append(model.at_camera(SHOOTING_PLATE, together, at))
        events.append(model.at_camera(CONVOY_PLATE, together, at + timedelta(seconds=4)))
    scene = Scene(
        lat,
        lon,
        SCENE_RADIUS_M,
        occurred - timedelta(minutes=30),
        occurred + timedelta(minutes=30),
        address,
    )
    return Shooting("26-04711", occurred, scene, SHOOTING_PLATE, CONVOY_PLATE, "7KQ?48?")


def add_burglaries(model: TrafficModel, events: list[Event]) -> BurglarySeries:
    scenes = []
    for day_index, location in zip((-21, -13, -5), BURGLARY_SITES, strict=True):
        camera = _camera(model, location)
        site = model.cameras[camera]
        at = model.local(model.days[day_index], 3 + 10 / 60)
        events.append(model.at_camera(BURGLARY_PLATE, camera, at))
        address, lat, lon = nearest_address(
            *offset(site.lat, site.lon, -60, 40), street=location.split(" & ")[0]
        )
        scenes.append(
            Scene(
                lat,
                lon,
                SCENE_RADIUS_M,
                at - timedelta(minutes=40),
                at + timedelta(minutes=50),
                address,
            )
        )
    return BurglarySeries("26-03980", tuple(scenes), BURGLARY_PLATE)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def in_scene(event: Event, scene: Scene) -> bool:
    return (
        scene.start <= event.at <= scene.end
        and distance_m(event.lat, event.lon, scene.lat, scene.lon) <= scene.radius_m
    )


def keep_series_unambiguous(
    model: TrafficModel, events: list[Event], series: BurglarySeries
) -> None:
    """Move any everyday read that would put another plate at every scene of the series."""
    seen: dict[str, set[int]] = {}
    for event in events:
        for index, scene in enumerate(series.scenes):
            if event.plate != series.telltale_plate and in_scene(event, scene):
                seen.setdefault(event.plate, set()).add(index)
    crowded = {plate for plate, scenes in seen.items() if len(scenes) == len(series.scenes)}
    for event in events:
        if event.plate in crowded and in_scene(event, series.scenes[0]):
            event.at -= timedelta(hours=3)
