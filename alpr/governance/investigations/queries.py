"""The read queries behind every investigation, shaped for the indexes: camera-first for
places (the camera table is small; reads are range-scanned per camera and time), the plate
dictionary first for patterns, ``(plate, captured_at)`` for plates. The result is rechecked
with the same great-circle distance on both databases."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shapely.geometry import Polygon
from sqlalchemy import Select, and_, or_, select, text, tuple_
from sqlalchemy.orm import Session

from alpr.data.models import Camera, CameraKind, Plate, Read, ReadCorrection
from alpr.governance.investigations.geo import BoundingBox, contains, distance_m

CAMERA_SLACK_M = 50.0  # a read's own GPS position may differ from its camera's by a few metres


@dataclass(frozen=True)
class ReadRow:
    id: int
    captured_at: datetime
    plate: str
    camera_id: int
    camera_name: str
    lat: float
    lon: float
    confidence: float
    is_mobile: bool
    crop_sha256: str | None
    image_sha256: str | None
    corrected_plate: str | None = None
    distance_m: float | None = None


_COLUMNS = (
    Read.id,
    Read.captured_at,
    Read.plate,
    Read.camera_id,
    Camera.name,
    Read.lat,
    Read.lon,
    Read.confidence,
    Read.is_mobile,
    Read.crop_sha256,
    Read.image_sha256,
)


def _select() -> Select[*tuple[Any, ...]]:
    return select(*_COLUMNS).join(Camera, Camera.id == Read.camera_id)


def _rows(session: Session, statement: Select[*tuple[Any, ...]]) -> list[ReadRow]:
    rows = [ReadRow(*row) for row in session.execute(statement)]
    if not rows:
        return rows
    corrections = dict(
        session.execute(
            select(ReadCorrection.read_id, ReadCorrection.corrected_plate)
            .where(ReadCorrection.read_id.in_([r.id for r in rows]))
            .order_by(ReadCorrection.corrected_at)
        ).all()
    )
    if not corrections:
        return rows
    return [ReadRow(**{**r.__dict__, "corrected_plate": corrections.get(r.id)}) for r in rows]


@dataclass(frozen=True)
class Area:
    """A circle (centre and radius) or a polygon, with the circle that holds it."""

    lat: float
    lon: float
    radius_m: float
    polygon: Polygon | None = None

    def holds(self, lat: float, lon: float) -> tuple[bool, float]:
        distance = distance_m(self.lat, self.lon, lat, lon)
        if self.polygon is not None:
            return contains(self.polygon, lat, lon), distance
        return distance <= self.radius_m, distance


def cameras_in(session: Session, area: Area) -> list[tuple[int, str, float, float, float]]:
    """Fixed cameras within the area (plus slack): (id, name, distance, lat, lon)."""
    found = []
    cameras = session.execute(
        select(Camera.id, Camera.name, Camera.lat, Camera.lon).where(
            Camera.kind == CameraKind.FIXED, Camera.lat.is_not(None), Camera.lon.is_not(None)
        )
    )
    for camera_id, name, lat_value, lon_value in cameras:
        lat, lon = float(lat_value or 0.0), float(lon_value or 0.0)
        distance = distance_m(area.lat, area.lon, lat, lon)
        if area.polygon is not None:
            inside = contains(area.polygon, lat, lon) or distance <= area.radius_m + CAMERA_SLACK_M
        else:
            inside = distance <= area.radius_m + CAMERA_SLACK_M
        if inside:
            found.append((camera_id, name, round(distance, 1), lat, lon))
    return sorted(found, key=lambda c: c[2])


def reads_in_area(
    session: Session, *, area: Area, start: datetime, end: datetime, camera_ids: Sequence[int]
) -> list[ReadRow]:
    """Reads taken inside the area between start and end (both inclusive): those of the fixed
    cameras in range, and those of mobile cameras taken inside the area."""
    box = BoundingBox.around(area.lat, area.lon, area.radius_m)
    in_time = and_(Read.captured_at >= start, Read.captured_at <= end)
    fixed = _select().where(Read.camera_id.in_(camera_ids), in_time) if camera_ids else None
    mobile_box = (
        text(
            "reads.geom && ST_MakeEnvelope(:min_lon, :min_lat, :max_lon, :max_lat, 4326)"
        ).bindparams(
            min_lon=box.min_lon, min_lat=box.min_lat, max_lon=box.max_lon, max_lat=box.max_lat
        )
        if session.get_bind().dialect.name == "postgresql"
        else and_(
            Read.lat.between(box.min_lat, box.max_lat), Read.lon.between(box.min_lon, box.max_lon)
        )
    )
    mobile = _select().where(Read.is_mobile, mobile_box, in_time)
    candidates = _rows(session, mobile)
    if fixed is not None:
        candidates += _rows(session, fixed)
    kept = []
    for row in candidates:
        inside, distance = area.holds(row.lat, row.lon)
        if inside:
            kept.append(ReadRow(**{**row.__dict__, "distance_m": round(distance, 1)}))
    return sorted(kept, key=lambda r: (r.captured_at, r.id))


def plates_like(session: Session, patterns: Iterable[str], *, column: str = "plate") -> list[str]:
    """Distinct plates from the dictionary matching any SQL LIKE pattern (trigram index on
    Postgres), on the plate itself or on its OCR-confusion key."""
    target = Plate.plate if column == "plate" else Plate.confusion_key
    clauses = [target.like(p) for p in patterns]
    if not clauses:
        return []
    return list(session.execute(select(Plate.plate).where(or_(*clauses))).scalars())


def corrected_like(session: Session, patterns: Iterable[str]) -> list[tuple[int, datetime]]:
    clauses = [ReadCorrection.corrected_plate.like(p) for p in patterns]
    if not clauses:
        return []
    return [
        (read_id, at)
        for read_id, at in session.execute(
            select(ReadCorrection.read_id, ReadCorrection.read_captured_at).where(or_(*clauses))
        )
    ]


def reads_of_plates(
    session: Session,
    plates: Sequence[str],
    *,
    start: datetime | None,
    end: datetime | None,
    corrected: Sequence[tuple[int, datetime]] = (),
    limit: int | None = None,
) -> list[ReadRow]:
    """Reads of the given plates (index ``(plate, captured_at)``), newest first, plus reads
    whose correction names one of them."""
    rows: list[ReadRow] = []
    window = []
    if start is not None:
        window.append(Read.captured_at >= start)
    if end is not None:
        window.append(Read.captured_at <= end)
    for offset in range(0, len(plates), 1000):
        chunk = plates[offset : offset + 1000]
        statement = _select().where(Read.plate.in_(chunk), *window)
        statement = statement.order_by(Read.captured_at.desc())
        if limit is not None:
            statement = statement.limit(limit)
        rows += _rows(session, statement)
    if corrected:
        keys = list(corrected)
        rows += _rows(
            session,
            _select().where(tuple_(Read.id, Read.captured_at).in_(keys), *window),
        )
    unique = {r.id: r for r in rows}
    ordered = sorted(unique.values(), key=lambda r: (r.captured_at, r.id), reverse=True)
    return ordered[:limit] if limit is not None else ordered


def reads_near_in_time(
    session: Session, *, camera_id: int, at: datetime, within_s: int, exclude_plate: str
) -> list[tuple[str, datetime]]:
    """Other plates read by the same camera within ``within_s`` seconds of ``at``."""
    delta = timedelta(seconds=within_s)
    return [
        (plate, captured_at)
        for plate, captured_at in session.execute(
            select(Read.plate, Read.captured_at).where(
                Read.camera_id == camera_id,
                Read.captured_at >= at - delta,
                Read.captured_at <= at + delta,
                Read.plate != exclude_plate,
            )
        )
    ]
