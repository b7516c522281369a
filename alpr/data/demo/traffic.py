"""Everyday traffic: commuters seen twice a weekday at the same corners, regulars a few times a
week, and many rare visitors; a daily curve with rush hours; patrol-car reads along routes."""

from __future__ import annotations

import math
import random
import string
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from alpr.data.demo.city import CameraSite

WEEKDAY_CURVE = (
    0.3,
    0.2,
    0.15,
    0.15,
    0.3,
    0.8,
    2.0,
    3.5,
    3.8,
    2.5,
    2.0,
    2.1,
    2.3,
    2.1,
    2.2,
    2.8,
    3.6,
    3.9,
    3.0,
    2.2,
    1.6,
    1.2,
    0.8,
    0.5,
)
WEEKEND_CURVE = (
    0.5,
    0.4,
    0.3,
    0.2,
    0.2,
    0.3,
    0.6,
    1.0,
    1.5,
    2.0,
    2.4,
    2.6,
    2.7,
    2.6,
    2.5,
    2.4,
    2.3,
    2.2,
    2.0,
    1.7,
    1.4,
    1.1,
    0.9,
    0.7,
)
MOBILE_SHARE = 0.04


@dataclass
class Event:
    plate: str
    camera: int  # index into the camera list; mobile cameras follow the fixed ones
    at: datetime  # UTC
    lat: float
    lon: float
    confidence: float


def ca_plate(rng: random.Random) -> str:
    letters = "".join(
        rng.choice(string.ascii_uppercase.replace("O", "").replace("I", "")) for _ in range(3)
    )
    return f"{rng.randint(4, 9)}{letters}{rng.randint(0, 999):03d}"


def other_plate(rng: random.Random) -> str:
    letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(3))
    return f"{letters}{rng.randint(0, 9999):04d}"


def jitter(rng: random.Random, lat: float, lon: float, metres: float = 8.0) -> tuple[float, float]:
    dlat = rng.uniform(-metres, metres) / 111_320
    dlon = rng.uniform(-metres, metres) / (111_320 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


class TrafficModel:
    def __init__(
        self,
        *,
        rng: random.Random,
        cameras: list[CameraSite],
        routes: list[list[tuple[float, float]]],
        now: datetime,
        tz: ZoneInfo,
        days: int = 30,
    ) -> None:
        self.rng = rng
        self.cameras = cameras
        self.routes = routes
        self.tz = tz
        self.end = now
        self.start = now - timedelta(days=days)
        local_start = self.start.astimezone(tz).date()
        self.days = [local_start + timedelta(days=d) for d in range(days + 1)]
        self.taken: set[str] = set()

    def new_plate(self) -> str:
        while True:
            plate = ca_plate(self.rng) if self.rng.random() < 0.96 else other_plate(self.rng)
            if plate not in self.taken:
                self.taken.add(plate)
                return plate

    def local(self, day: object, hour: float) -> datetime:
        base = datetime.combine(day, time(0), tzinfo=self.tz)  # type: ignore[arg-type]
        return (base + timedelta(hours=hour)).astimezone(self.end.tzinfo)

    def in_range(self, at: datetime) -> bool:
        return self.start <= at < self.end

    def confidence(self) -> float:
        return round(
            self.rng.uniform(0.55, 0.8)
            if self.rng.random() < 0.06
            else self.rng.uniform(0.85, 0.995),
            3,
        )

    def at_camera(self, plate: str, camera: int, at: datetime) -> Event:
        site = self.cameras[camera]
        lat, lon = jitter(self.rng, site.lat, site.lon)
        return Event(plate, camera, at, lat, lon, self.confidence())

    def random_hour(self, day: object) -> float:
        curve = WEEKEND_CURVE if day.weekday() >= 5 else WEEKDAY_CURVE  # type: ignore[attr-defined]
        hour = self.rng.choices(range(24), weights=curve)[0]
        return hour + self.rng.random()

    def patrol_event(self, plate: str, at: datetime) -> Event:
        car = self.rng.randrange(len(self.routes))
        route = self.routes[car]
        loop_minutes = 40.0
        phase = ((at.timestamp() / 60.0) % loop_minutes) / loop_minutes * (len(route) - 1)
        leg = min(int(phase), len(route) - 2)
        frac = phase - leg
        (lat1, lon1), (lat2, lon2) = route[leg], route[leg + 1]
        lat, lon = lat1 + (lat2 - lat1) * frac, lon1 + (lon2 - lon1) * frac
        return Event(plate, len(self.cameras) + car, at, lat, lon, self.confidence())

    def commuter(self) -> list[Event]:
        plate = self.new_plate()
        home, work = self.rng.sample(range(len(self.cameras)), 2)
        morning = self.rng.uniform(6.8, 8.6)
        evening = self.rng.uniform(16.3, 18.4)
        events = []
        for day in self.days:
            if day.weekday() >= 5 or self.rng.random() < 0.08:
                continue
            for camera, hour in ((home, morning), (work, evening)):
                at = self.local(day, hour + self.rng.gauss(0, 0.25))
                if self.in_range(at):
                    events.append(self.at_camera(plate, camera, at))
        return events

    def regular(self) -> list[Event]:
        plate = self.new_plate()
        favourites = self.rng.sample(range(len(self.cameras)), 3)
        events = []
        for day in self.days:
            if self.rng.random() < 0.33:
                at = self.local(day, self.random_hour(day))
                if self.in_range(at):
                    events.append(self.at_camera(plate, self.rng.choice(favourites), at))
        return events

    def visitor(self) -> list[Event]:
        plate = self.new_plate()
        day = self.rng.choice(self.days)
        events = []
        for _ in range(self.rng.choice((1, 1, 2))):
            at = self.local(day, self.random_hour(day))
            if self.in_range(at):
                events.append(self.at_camera(plate, self.rng.randrange(len(self.cameras)), at))
        return events

    def generate(self, total: int) -> list[Event]:
        """Exactly ``total`` everyday events (before incidents are added)."""
        events: list[Event] = []
        for _ in range(max(10, total // 140)):
            events.extend(self.commuter())
        for _ in range(max(10, total // 60)):
            events.extend(self.regular())
        events = events[: int(total * 0.6)]
        while len(events) < total:
            events.extend(self.visitor())
        events = events[:total]
        for index, event in enumerate(events):
            if self.rng.random() < MOBILE_SHARE:
                events[index] = self.patrol_event(event.plate, event.at)
        return events
