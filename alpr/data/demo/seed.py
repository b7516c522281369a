"""Writing the demo agency into an empty, upgraded database."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, insert, select

from alpr.data.demo.city import PATROL_ROUTES, fixed_cameras, route_points
from alpr.data.demo.hotlists import demo_lists, refreshed_at
from alpr.data.demo.imagery import VEHICLE_BOX, jpeg, plate_crop, scene_frame, vehicle_crop
from alpr.data.demo.misreads import misread_events, readings
from alpr.data.demo.scenario import (
    BurglarySeries,
    Shooting,
    add_burglaries,
    add_shooting,
    keep_series_unambiguous,
)
from alpr.data.demo.traffic import Event, TrafficModel
from alpr.data.demo.vehicles import read_columns, vehicle_of
from alpr.data.dialect import ensure_partitions, month_start
from alpr.data.images import ImageStore
from alpr.data.models import (
    Agency,
    AgencyKind,
    Camera,
    CameraKind,
    HotList,
    HotListEntry,
    Incident,
    Plate,
    Read,
    ReadAlternative,
    SharingAgreement,
)
from alpr.plates import confusion_key

BATCH = 10_000
PARTNERS = (
    ("San Mateo County Sheriff's Office", AgencyKind.CA_LOCAL_LE, "CA"),
    ("South San Francisco Police Department", AgencyKind.CA_LOCAL_LE, "CA"),
    ("California Highway Patrol", AgencyKind.CA_STATE_LE, "CA"),
    ("San Mateo County District Attorney", AgencyKind.CA_PROSECUTOR, "CA"),
    ("Caltrans District 4", AgencyKind.CA_PUBLIC_OTHER, "CA"),
    ("Reno Police Department", AgencyKind.OUT_OF_STATE, "NV"),
    ("Federal Bureau of Investigation", AgencyKind.FEDERAL, "US"),
    ("Peninsula Daily Journal", AgencyKind.NON_GOVERNMENT, "CA"),
)


@dataclass(frozen=True)
class DemoSummary:
    reads: int
    cameras: int
    plates: int
    images: int
    hit_reads: int
    shooting: Shooting
    burglaries: BurglarySeries


def seed_demo_data(
    engine: Engine,
    *,
    image_store: ImageStore,
    reads: int = 200_000,
    seed: int = 7,
    now: datetime,
    timezone: str = "America/Los_Angeles",
) -> DemoSummary:
    """Seed the demo agency; deterministic for the same ``reads``, ``seed`` and ``now``."""
    with engine.connect() as conn:
        if conn.execute(select(func.count()).select_from(Read)).scalar_one():
            raise ValueError("the database already holds reads; the demo seeds an empty database")
    rng = random.Random(seed)
    now = now.replace(microsecond=0)
    sites = fixed_cameras()
    routes = [route_points(route) for route in PATROL_ROUTES.values()]
    model = TrafficModel(rng=rng, cameras=sites, routes=routes, now=now, tz=ZoneInfo(timezone))
    shooting_events: list[Event] = []
    shooting = add_shooting(model, shooting_events)
    burglary_events: list[Event] = []
    burglaries = add_burglaries(model, burglary_events)
    special = len(shooting_events) + len(burglary_events)
    events = model.generate(reads - special)
    keep_series_unambiguous(model, events, burglaries)
    visitors = sorted({e.plate for e in events[len(events) // 2 :]})
    hit_plates = rng.sample(visitors, min(5, len(visitors)))
    events = sorted(events + shooting_events + burglary_events, key=lambda e: e.at)
    lists = demo_lists(rng, hit_plates=hit_plates, partial=shooting.partial_plate)
    wanted_full = {e.pattern for spec in lists for e in spec.entries if "?" not in e.pattern}
    notable = {shooting.telltale_plate, shooting.convoy_plate, burglaries.telltale_plate}
    pictured = [
        (s.start - timedelta(hours=1), s.end + timedelta(hours=1))
        for s in (shooting.scene, *burglaries.scenes)
    ]

    with engine.begin() as conn:
        home = conn.execute(select(Agency.id).where(Agency.is_home.is_(True))).scalar_one_or_none()
        if home is None:
            raise ValueError("create the home agency before seeding the demo")
        conn.execute(
            insert(Agency),
            [
                {"name": name, "kind": kind, "state": state, "is_home": False, "created_at": now}
                for name, kind, state in PARTNERS
            ],
        )
        sheriff = conn.execute(select(Agency.id).where(Agency.name == PARTNERS[0][0])).scalar_one()
        highway = conn.execute(select(Agency.id).where(Agency.name == PARTNERS[2][0])).scalar_one()
        conn.execute(
            insert(SharingAgreement),
            [
                {
                    "agency_id": sheriff,
                    "title": "County ALPR data sharing MOU",
                    "scope": "Hot-list hits and reads for major crimes",
                    "starts_on": date(2025, 7, 1),
                    "ends_on": date(2027, 6, 30),
                    "recorded_at": now,
                },
                {
                    "agency_id": highway,
                    "title": "Regional auto theft task force MOU",
                    "scope": "Stolen vehicle recovery",
                    "starts_on": date(2023, 1, 1),
                    "ends_on": date(2025, 12, 31),
                    "recorded_at": now,
                },
            ],
        )
        camera_ids = [
            conn.execute(
                insert(Camera).returning(Camera.id),
                {
                    "name": site.name,
                    "kind": CameraKind.FIXED,
                    "location_name": site.location_name,
                    "lat": site.lat,
                    "lon": site.lon,
                    "heading": site.heading,
                    "enabled": True,
                    "created_at": now,
                },
            ).scalar_one()
            for site in sites
        ]
        camera_ids += [
            conn.execute(
                insert(Camera).returning(Camera.id),
                {
                    "name": name,
                    "kind": CameraKind.MOBILE,
                    "location_name": "In-car, " + name,
                    "enabled": True,
                    "created_at": now,
                },
            ).scalar_one()
            for name in PATROL_ROUTES
        ]
        for spec in lists:
            list_id = conn.execute(
                insert(HotList).returning(HotList.id),
                {
                    "name": spec.name,
                    "kind": spec.kind,
                    "source": spec.source,
                    "refreshed_at": refreshed_at(spec, now),
                    "enabled": True,
                    "created_at": now,
                },
            ).scalar_one()
            conn.execute(
                insert(HotListEntry),
                [
                    {
                        "hot_list_id": list_id,
                        "pattern": e.pattern,
                        "is_partial": "?" in e.pattern,
                        "match_confusions": e.match_confusions,
                        "state": "CA",
                        "reason": e.reason,
                        "vehicle_make": e.vehicle[0],
                        "vehicle_model": e.vehicle[1],
                        "vehicle_color": e.vehicle[2],
                        "case_number": e.case_number,
                        "entered_on": (now - timedelta(days=rng.randint(1, 40))).date(),
                        "expires_at": now + timedelta(days=rng.randint(20, 90)),
                        "priority": e.priority,
                        "created_at": now,
                    }
                    for e in spec.entries
                ],
            )
        conn.execute(
            insert(Incident),
            [
                {
                    "case_number": shooting.case_number,
                    "title": "Shooting, Mission St & Crocker Ave",
                    "kind": "Shooting",
                    "address": "Mission St & Crocker Ave",
                    "lat": shooting.scene.lat,
                    "lon": shooting.scene.lon,
                    "occurred_at": shooting.occurred_at,
                    "description": "Shots fired from a dark sedan; witness saw plate starting 7KQ.",
                    "created_at": now,
                },
                *(
                    {
                        "case_number": burglaries.case_number,
                        "title": f"Residential burglary {n}",
                        "kind": "Burglary",
                        "address": scene.address,
                        "lat": scene.lat,
                        "lon": scene.lon,
                        "occurred_at": scene.start + timedelta(minutes=40),
                        "description": "Night-time residential burglary, part of a series.",
                        "created_at": now,
                    }
                    for n, scene in enumerate(burglaries.scenes, start=1)
                ),
            ],
        )

    months = {month_start(e.at.date()) for e in events}
    recent = now - timedelta(hours=24)
    images = 0
    plates: set[str] = set()
    hit_reads = 0
    misread = misread_events(events, wanted_full)
    with engine.begin() as conn:
        ensure_partitions(conn, months)
    for start in range(0, len(events), BATCH):
        rows = []
        others = []
        stored: dict[str, int] = {}
        for index, event in enumerate(events[start : start + BATCH], start=start):
            plate, alternatives = readings(event, misread_here=index in misread)
            retained = event.plate in wanted_full
            hit_reads += retained
            image_sha = crop_sha = vehicle_sha = None
            stamp = event.at.isoformat()
            vehicle = vehicle_of(event.plate)
            if (
                event.at >= recent
                or retained
                or event.plate in notable
                or any(start <= event.at <= end for start, end in pictured)
            ):
                crop = plate_crop(event.plate, stamp)
                crop_bytes = jpeg(crop, 85)
                frame = scene_frame(
                    event.plate, stamp, crop, tz=ZoneInfo(timezone), paint=vehicle.paint
                )
                frame_bytes = jpeg(frame)
                vehicle_bytes = jpeg(vehicle_crop(frame))
                crop_sha = image_store.put(crop_bytes)
                image_sha = image_store.put(frame_bytes)
                vehicle_sha = image_store.put(vehicle_bytes)
                stored[crop_sha] = len(crop_bytes)
                stored[image_sha] = len(frame_bytes)
                stored[vehicle_sha] = len(vehicle_bytes)
                images += 3
            plates.update([plate, *(text for text, _ in alternatives or [])])
            others += [
                {
                    "captured_at": event.at,
                    "camera_id": camera_ids[event.camera],
                    "read_plate": plate,
                    "plate": text,
                    "score": score,
                    "retained": retained,
                }
                for text, score in (alternatives or [])[1:]
            ]
            rows.append(
                {
                    "captured_at": event.at,
                    "retained": retained,
                    "camera_id": camera_ids[event.camera],
                    "plate": plate,
                    "plate_raw": plate[:3] + " " + plate[3:] if len(plate) == 7 else plate,
                    "confidence": alternatives[0][1] if alternatives else event.confidence,
                    "alternatives": alternatives,
                    "region": "US-CA" if event.plate[0].isdigit() else "US",
                    "lat": event.lat,
                    "lon": event.lon,
                    "heading": sites[event.camera].heading if event.camera < len(sites) else None,
                    "is_mobile": event.camera >= len(sites),
                    "image_sha256": image_sha,
                    "crop_sha256": crop_sha,
                    **read_columns(event.plate, stamp),
                    "vehicle_box": list(VEHICLE_BOX) if vehicle_sha else None,
                    "vehicle_crop_sha256": vehicle_sha,
                }
            )
        with engine.begin() as conn:
            conn.execute(insert(Read), rows)
            if others:
                conn.execute(insert(ReadAlternative), others)
            for sha, size in stored.items():
                image_store.record(conn, sha256=sha, size_bytes=size, width=None, height=None)
    with engine.begin() as conn:
        items = sorted(plates)
        for start in range(0, len(items), BATCH):
            conn.execute(
                insert(Plate),
                [
                    {"plate": plate, "confusion_key": confusion_key(plate)}
                    for plate in items[start : start + BATCH]
                ],
            )
    return DemoSummary(
        reads=len(events),
        cameras=len(camera_ids),
        plates=len(plates),
        images=images,
        hit_reads=hit_reads,
        shooting=shooting,
        burglaries=burglaries,
    )
