"""The read queries behind every investigation, shaped for the indexes: camera-first for
places (the camera table is small; reads are range-scanned per camera and time), the plate
dictionary first for patterns, ``(plate, captured_at)`` for plates. Distances are geodesics
on the WGS84 ellipsoid: ``ST_DWithin`` on geography on Postgres, the same geodesic computed
after a bounding-box prefilter on SQLite."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from geoalchemy2 import Geography
from shapely.geometry import Polygon
from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    cast,
    func,
    literal_column,
    or_,
    select,
    text,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.orm import Session

from alpr.data.models import Camera, CameraKind, Plate, Read, ReadCorrection
from alpr.governance.investigations.geo import BoundingBox, contains, distance_m, within_m

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
    distance_m: float | None = field(default=None, kw_only=True)  # from the scene, if any


def _select(*extra: Any) -> Select[*tuple[Any, ...]]:
    return select(
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
        *extra,
    ).join(Camera, Camera.id == Read.camera_id)


def _rows(session: Session, statement: Any) -> list[ReadRow]:
    return with_corrections(session, [ReadRow(*row) for row in session.execute(statement)])


def with_corrections(session: Session, rows: list[ReadRow]) -> list[ReadRow]:
    """Each read with the plate it was last corrected to (R53), in one look-up for all of
    them: corrections are few, so those in the rows' id range are read and matched here."""
    if not rows:
        return rows
    ids = {r.id for r in rows}
    latest: dict[int, str] = {}
    for read_id, plate in session.execute(
        select(ReadCorrection.read_id, ReadCorrection.corrected_plate)
        .where(ReadCorrection.read_id >= min(ids), ReadCorrection.read_id <= max(ids))
        .order_by(ReadCorrection.corrected_at, ReadCorrection.id)
    ):
        if read_id in ids:
            latest[read_id] = plate
    if not latest:
        return rows
    return [replace(r, corrected_plate=latest[r.id]) if r.id in latest else r for r in rows]


@dataclass(frozen=True)
class Area:
    """A circle (centre and radius) or a polygon, with the circle that holds it."""

    lat: float
    lon: float
    radius_m: float
    polygon: Polygon | None = None

    def distance_if_inside(self, lat: float, lon: float) -> float | None:
        """The geodesic distance from the centre of a point inside the area, else None."""
        if self.polygon is not None:
            inside = contains(self.polygon, lat, lon)
        else:
            inside = within_m(self.lat, self.lon, lat, lon, self.radius_m)
        return round(distance_m(self.lat, self.lon, lat, lon), 1) if inside else None


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
        inside = within_m(area.lat, area.lon, lat, lon, area.radius_m + CAMERA_SLACK_M)
        if area.polygon is not None:
            inside = inside or contains(area.polygon, lat, lon)
        if inside:
            distance = round(distance_m(area.lat, area.lon, lat, lon), 1)
            found.append((camera_id, name, distance, lat, lon))
    return sorted(found, key=lambda c: c[2])


def _in_area_postgres(area: Area, in_time: ColumnElement[bool], camera_ids: Sequence[int]) -> Any:
    """Postgres: the fixed cameras' reads by ``(camera_id, captured_at)`` and the patrol cars'
    reads by the partial GiST on ``(geom, captured_at) WHERE is_mobile``, each rechecked with
    ``ST_DWithin`` on geography; polygons are rechecked afterwards like on SQLite."""
    box = BoundingBox.around(area.lat, area.lon, area.radius_m)
    point = cast(literal_column("reads.geom"), Geography)
    centre = cast(func.ST_SetSRID(func.ST_MakePoint(area.lon, area.lat), 4326), Geography)
    near = func.ST_DWithin(point, centre, area.radius_m) if area.polygon is None else true()
    distance = func.ST_Distance(point, centre)
    envelope = text(
        "reads.geom && ST_MakeEnvelope(:min_lon, :min_lat, :max_lon, :max_lat, 4326)"
    ).bindparams(min_lon=box.min_lon, min_lat=box.min_lat, max_lon=box.max_lon, max_lat=box.max_lat)
    branches = [_select(distance).where(Read.is_mobile, envelope, in_time, near)]
    if camera_ids:
        branches.append(_select(distance).where(Read.camera_id.in_(camera_ids), in_time, near))
    return union_all(*branches)


def _in_area_sqlite(area: Area, in_time: ColumnElement[bool], camera_ids: Sequence[int]) -> Any:
    """SQLite: the same two branches with a bounding box for the patrol cars; the geodesic
    recheck is done in Python."""
    box = BoundingBox.around(area.lat, area.lon, area.radius_m)
    mobile = _select().where(
        Read.is_mobile,
        Read.lat.between(box.min_lat, box.max_lat),
        Read.lon.between(box.min_lon, box.max_lon),
        in_time,
    )
    if not camera_ids:
        return mobile
    return union_all(mobile, _select().where(Read.camera_id.in_(camera_ids), in_time))


def reads_in_area(
    session: Session, *, area: Area, start: datetime, end: datetime, camera_ids: Sequence[int]
) -> list[ReadRow]:
    """Reads taken inside the area between start and end (both inclusive): those of the fixed
    cameras in range, and those of mobile cameras, each counted where it was taken."""
    in_time = and_(Read.captured_at >= start, Read.captured_at <= end)
    kept = []
    if session.get_bind().dialect.name == "postgresql":
        for *values, distance in session.execute(_in_area_postgres(area, in_time, camera_ids)):
            row = ReadRow(*values, distance_m=round(distance, 1))
            if area.polygon is None or contains(area.polygon, row.lat, row.lon):
                kept.append(row)
    else:
        for candidate in session.execute(_in_area_sqlite(area, in_time, camera_ids)):
            inside = area.distance_if_inside(candidate.lat, candidate.lon)
            if inside is not None:
                kept.append(ReadRow(*candidate, distance_m=inside))
    return with_corrections(session, sorted(kept, key=lambda r: (r.captured_at, r.id)))


def read_by_id(session: Session, read_id: int) -> ReadRow | None:
    rows = _rows(session, _select().where(Read.id == read_id))
    return rows[0] if rows else None


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
