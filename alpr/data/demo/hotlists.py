"""Demo hot lists: a state stolen-vehicle list, wanted persons, missing persons and a
department list with a partial plate from the shooting; one list deliberately stale."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from alpr.data.demo.traffic import ca_plate
from alpr.data.models import HotListKind, Priority

MAKES = (
    ("Honda", "Civic", "Silver"),
    ("Toyota", "Camry", "White"),
    ("Nissan", "Altima", "Black"),
    ("Ford", "F-150", "Blue"),
    ("Hyundai", "Elantra", "Gray"),
    ("Kia", "Soul", "Red"),
    ("Chevrolet", "Malibu", "Black"),
    ("Tesla", "Model 3", "White"),
)


@dataclass(frozen=True)
class EntrySpec:
    pattern: str
    reason: str
    priority: Priority
    case_number: str | None
    vehicle: tuple[str, str, str]
    match_confusions: bool = False


@dataclass(frozen=True)
class ListSpec:
    name: str
    kind: HotListKind
    source: str
    refreshed_hours_ago: float
    entries: tuple[EntrySpec, ...]


def demo_lists(rng: random.Random, *, hit_plates: list[str], partial: str) -> list[ListSpec]:
    stolen = [
        EntrySpec(
            plate,
            "Stolen vehicle (SVS)",
            Priority.HIGH,
            f"SVS-{rng.randint(100000, 999999)}",
            rng.choice(MAKES),
        )
        for plate in hit_plates + [ca_plate(rng) for _ in range(200 - len(hit_plates))]
    ]
    wanted = [
        EntrySpec(
            ca_plate(rng),
            "Felony warrant: registered owner",
            Priority.MEDIUM,
            f"W{rng.randint(2024000, 2026999)}",
            rng.choice(MAKES),
        )
        for _ in range(30)
    ]
    missing = [
        EntrySpec(
            ca_plate(rng),
            "AMBER alert: abducted child",
            Priority.HIGH,
            "26-05102",
            rng.choice(MAKES),
            match_confusions=True,
        )
        for _ in range(3)
    ]
    custom = [
        EntrySpec(
            partial,
            "Shooting suspect vehicle, partial plate from witness",
            Priority.HIGH,
            "26-04711",
            ("Unknown", "dark sedan", "Dark grey"),
        ),
    ]
    return [
        ListSpec(
            "SVS stolen vehicles (CA DOJ)",
            HotListKind.STOLEN_VEHICLE,
            "CA DOJ CLETS SVS",
            2,
            tuple(stolen),
        ),
        ListSpec("Wanted persons", HotListKind.WANTED_PERSON, "CLETS WPS", 76, tuple(wanted)),
        ListSpec(
            "Missing persons / AMBER", HotListKind.AMBER_ALERT, "CA DOJ AMBER", 1, tuple(missing)
        ),
        ListSpec(
            "Department custom", HotListKind.CUSTOM, "Investigations Division", 3, tuple(custom)
        ),
    ]


def refreshed_at(spec: ListSpec, now: datetime) -> datetime:
    return now - timedelta(hours=spec.refreshed_hours_ago)
