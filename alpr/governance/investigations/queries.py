"""The read queries behind every investigation, shaped for the indexes: camera-first for
places (the camera table is small; reads are range-scanned per camera and time), the plate
dictionary first for patterns, ``(plate, captured_at)`` for plates. Distances are geodesics
on the WGS84 ellipsoid, computed in ``geo`` the same way on both databases."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

import numpy as np
from shapely.geometry import Polygon
from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Select,
    Text,
    and_,
    bindparam,
    func,
    literal_column,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import Session

from alpr.data.dialect import planned_once
from alpr.data.models import (
    Camera,
    CameraKind,
    Plate,
    Read,
    ReadAlternative,
    ReadCorrection,
    ReadVehicleCorrection,
)
from alpr.governance.camera_names import camera_label
from alpr.governance.investigations.geo import BoundingBox, covered, distances_m, inside_m
from alpr.plates import PlatePattern

CAMERA_SLACK_M = 50.0  # a read's own GPS position may differ from its camera's by a few metres
TRIGRAM = 3  # consecutive known characters the trigram index needs


class ReadRow(NamedTuple):
    """One read as a search shows it (a tuple: built for every read of a large result)."""

    id: int
    captured_at: datetime
    plate: str
    camera_id: int
    camera_name: str
    camera_place: str | None  # the camera's location, in words
    lat: float
    lon: float
    confidence: float
    is_mobile: bool
    crop_sha256: str | None
    image_sha256: str | None
    vehicle_colour: int | None  # ``alpr.vehicles`` codes, as last corrected
    vehicle_type: int | None
    vehicle_crop_sha256: str | None
    corrected_plate: str | None = None
    distance_m: float | None = None  # from the scene, if any
    # The read's other reading that brought it into the result, with the reader's score for
    # it, when the plate as read did not.
    alternative: str | None = None
    alternative_score: float | None = None

    @property
    def where(self) -> str:
        """The camera as people name it: its place, then its code."""
        return camera_label(self.camera_name, self.camera_place)


_TIME_ORDER = attrgetter("captured_at", "id")

# The camera's name per read by its primary key: a join would let the planner, which cannot
# estimate how many reads a geography filter keeps, pick a nested loop over every camera.
_CAMERA_NAME = select(Camera.name).where(Camera.id == Read.camera_id).scalar_subquery()
_CAMERA_PLACE = select(Camera.location_name).where(Camera.id == Read.camera_id).scalar_subquery()


def _select(*extra: Any) -> Select[*tuple[Any, ...]]:
    return select(
        Read.id,
        Read.captured_at,
        Read.plate,
        Read.camera_id,
        _CAMERA_NAME,
        _CAMERA_PLACE,
        Read.lat,
        Read.lon,
        Read.confidence,
        Read.is_mobile,
        Read.crop_sha256,
        Read.image_sha256,
        Read.vehicle_colour,
        Read.vehicle_type,
        Read.vehicle_crop_sha256,
        *extra,
    )


def _rows(session: Session, statement: Any, *, plan_once: bool = False) -> list[ReadRow]:
    with planned_once(session.connection()) if plan_once else nullcontext():
        found = session.execute(statement).all()
    return with_corrections(session, [ReadRow(*row) for row in found])


def with_corrections(session: Session, rows: list[ReadRow]) -> list[ReadRow]:
    """Each read with the plate it was last corrected to (R53), in one look-up for all of
    them: corrections are few, so those in the rows' id range are read and matched here.
    A corrected vehicle colour or type replaces the one the models gave (which the read
    keeps)."""
    if not rows:
        return rows
    rows = with_vehicle_corrections(session, rows)
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
    return [r._replace(corrected_plate=latest[r.id]) if r.id in latest else r for r in rows]


def with_vehicle_corrections(session: Session, rows: list[ReadRow]) -> list[ReadRow]:
    """Each read with its vehicle colour and type as last corrected, if ever."""
    ids = {r.id for r in rows}
    latest: dict[int, tuple[int | None, int | None]] = {}
    given = {r.id: (r.vehicle_colour, r.vehicle_type) for r in rows}
    for read_id, attribute, corrected in session.execute(
        select(
            ReadVehicleCorrection.read_id,
            ReadVehicleCorrection.attribute,
            ReadVehicleCorrection.corrected,
        )
        .where(ReadVehicleCorrection.read_id >= min(ids), ReadVehicleCorrection.read_id <= max(ids))
        .order_by(ReadVehicleCorrection.corrected_at, ReadVehicleCorrection.id)
    ):
        if read_id in ids:
            colour, kind = latest.get(read_id, given[read_id])
            latest[read_id] = (corrected, kind) if attribute == "colour" else (colour, corrected)
    if not latest:
        return rows
    return [
        r._replace(vehicle_colour=latest[r.id][0], vehicle_type=latest[r.id][1])
        if r.id in latest
        else r
        for r in rows
    ]


@dataclass(frozen=True)
class Area:
    """A circle (centre and radius) or a polygon, with the circle that holds it."""

    lat: float
    lon: float
    radius_m: float
    polygon: Polygon | None = None

    def distances_if_inside(
        self, lats: Sequence[float], lons: Sequence[float]
    ) -> list[float | None]:
        """The geodesic distance from the centre of each point inside the area, else None."""
        lat_array, lon_array = np.asarray(lats, dtype=float), np.asarray(lons, dtype=float)
        if self.polygon is not None:
            inside = covered(self.polygon, lat_array, lon_array)
        else:
            inside = inside_m(self.lat, self.lon, lat_array, lon_array, self.radius_m)
        distances = np.round(distances_m(self.lat, self.lon, lat_array, lon_array), 1)
        return [
            d if ok else None for d, ok in zip(distances.tolist(), inside.tolist(), strict=True)
        ]


def cameras_in(session: Session, area: Area) -> list[tuple[int, str, float, float, float]]:
    """Fixed cameras within the area (plus slack): (id, name, distance, lat, lon)."""
    box = BoundingBox.around(area.lat, area.lon, area.radius_m + CAMERA_SLACK_M)
    cameras = [
        (camera_id, name, float(lat or 0.0), float(lon or 0.0))
        for camera_id, name, lat, lon in session.execute(
            select(Camera.id, Camera.name, Camera.lat, Camera.lon).where(
                Camera.kind == CameraKind.FIXED,
                Camera.lat.between(box.min_lat, box.max_lat),
                Camera.lon.between(box.min_lon, box.max_lon),
            )
        )
    ]
    lats = np.array([c[2] for c in cameras], dtype=float)
    lons = np.array([c[3] for c in cameras], dtype=float)
    inside = inside_m(area.lat, area.lon, lats, lons, area.radius_m + CAMERA_SLACK_M)
    if area.polygon is not None:
        inside |= covered(area.polygon, lats, lons)
    distances = distances_m(area.lat, area.lon, lats, lons)
    found = [
        (camera_id, name, round(float(distance), 1), lat, lon)
        for (camera_id, name, lat, lon), distance, ok in zip(
            cameras, distances, inside.tolist(), strict=True
        )
        if ok
    ]
    return sorted(found, key=lambda c: c[2])


def _near_box(session: Session, area: Area) -> ColumnElement[bool]:
    """Reads inside the area's bounding box: by the partial GiST on ``(geom, captured_at)
    WHERE is_mobile`` on Postgres, by latitude and longitude on SQLite."""
    box = BoundingBox.around(area.lat, area.lon, area.radius_m)
    if session.get_bind().dialect.name == "postgresql":
        envelope = func.ST_MakeEnvelope(box.min_lon, box.min_lat, box.max_lon, box.max_lat, 4326)
        geom: ColumnElement[Any] = literal_column("reads.geom")  # generated from lat, lon
        overlaps: ColumnElement[bool] = geom.op("&&", is_comparison=True)(envelope)
        return overlaps
    return and_(
        Read.lat.between(box.min_lat, box.max_lat), Read.lon.between(box.min_lon, box.max_lon)
    )


def reads_in_area(
    session: Session, *, area: Area, start: datetime, end: datetime, camera_ids: Sequence[int]
) -> list[ReadRow]:
    """Reads taken inside the area between start and end (both inclusive): those of the fixed
    cameras in range by ``(camera_id, captured_at)``, and those of mobile cameras in the
    area's bounding box, each kept if the geodesic from the centre to where it was taken is
    within the radius (or it lies in the polygon). The geodesic is computed here, the same on
    both databases (a geography filter in SQL would leave the planner blind to how many rows
    it keeps)."""
    in_time = and_(Read.captured_at >= start, Read.captured_at <= end)
    statement: Any = _select().where(Read.is_mobile, _near_box(session, area), in_time)
    if camera_ids:
        statement = union_all(statement, _select().where(Read.camera_id.in_(camera_ids), in_time))
    candidates = session.execute(statement).all()
    distances = area.distances_if_inside([c.lat for c in candidates], [c.lon for c in candidates])
    kept = [
        ReadRow._make(
            (*candidate, None, distance, None, None)
        )  # not corrected yet, at that distance
        for candidate, distance in zip(candidates, distances, strict=True)
        if distance is not None
    ]
    return with_corrections(session, sorted(kept, key=_TIME_ORDER))


def read_by_id(session: Session, read_id: int) -> ReadRow | None:
    rows = _rows(session, _select().where(Read.id == read_id))
    return rows[0] if rows else None


def plates_like(
    session: Session, patterns: Iterable[PlatePattern], *, column: str = "plate"
) -> list[str]:
    """Distinct plates from the dictionary matching any pattern, on the plate itself or on its
    OCR-confusion key. On Postgres the trigram index answers; a fixed-length pattern without
    three consecutive known characters, which gives trigrams nothing to search, goes to the
    index of characters by position."""
    target = Plate.plate if column == "plate" else Plate.confusion_key
    by_position = column == "plate" and session.get_bind().dialect.name == "postgresql"
    clauses = []
    for pattern in patterns:
        tokens = pattern.position_tokens()
        if by_position and tokens and pattern.longest_known_run < TRIGRAM:
            # The tokens carry the length: holding them all is matching the pattern.
            known = bindparam(None, tokens, type_=ARRAY(Text))
            clauses.append(func.alpr_plate_positions(Plate.plate).op("@>")(known))
        else:
            clauses.append(target.like(pattern.sql_like()))
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
    before: tuple[datetime, int] | None = None,
    alternatives: bool = False,
    plan_once: bool = False,
) -> list[ReadRow]:
    """Reads of the given plates (index ``(plate, captured_at)``), newest first, plus reads
    whose correction names one of them and, with ``alternatives``, reads another reading of
    which is one of them (marked with it); with ``before``, only reads older than that
    (time, id), the next page after a read. ``plan_once`` plans the statements that look up
    the plates once per connection (``dialect.planned_once``): for a plate's history, whose
    statements span every month's partition and whose plan does not depend on the plate."""
    rows: list[ReadRow] = []
    window = []
    if start is not None:
        window.append(Read.captured_at >= start)
    if end is not None:
        window.append(Read.captured_at <= end)
    if before is not None:
        at, read_id = before
        window += [
            Read.captured_at <= at,
            or_(Read.captured_at < at, Read.id < read_id),
        ]
    for offset in range(0, len(plates), 1000):
        chunk = plates[offset : offset + 1000]
        statement = _select().where(Read.plate.in_(chunk), *window)
        statement = statement.order_by(Read.captured_at.desc(), Read.id.desc())
        if limit is not None:
            statement = statement.limit(limit)
        rows += _rows(session, statement, plan_once=plan_once)
    if corrected:
        keys = list(corrected)
        rows += _rows(
            session,
            _select().where(tuple_(Read.id, Read.captured_at).in_(keys), *window),
        )
    unique = {r.id: r for r in rows}
    if alternatives:
        for row in reads_by_other_reading(
            session, plates, start=start, end=end, limit=limit, before=before, plan_once=plan_once
        ):
            unique.setdefault(row.id, row)
    ordered = sorted(unique.values(), key=_TIME_ORDER, reverse=True)
    return ordered[:limit] if limit is not None else ordered


def reads_by_other_reading(
    session: Session,
    plates: Sequence[str],
    *,
    start: datetime | None,
    end: datetime | None,
    limit: int | None = None,
    before: tuple[datetime, int] | None = None,
    plan_once: bool = False,
) -> list[ReadRow]:
    """Reads another reading of which is one of the given plates (index ``(plate,
    captured_at)`` of ``read_alternatives``), each marked with the best scored such reading;
    newest first. The reads are found by their pass (camera, instant, plate as read);
    ``plan_once`` as for ``reads_of_plates``."""
    window = []
    if start is not None:
        window.append(ReadAlternative.captured_at >= start)
    if end is not None:
        window.append(ReadAlternative.captured_at <= end)
    if before is not None:
        window.append(ReadAlternative.captured_at <= before[0])
    best: dict[tuple[int, datetime, str], tuple[str, float]] = {}
    for offset in range(0, len(plates), 1000):
        statement = select(
            ReadAlternative.camera_id,
            ReadAlternative.captured_at,
            ReadAlternative.read_plate,
            ReadAlternative.plate,
            ReadAlternative.score,
        ).where(ReadAlternative.plate.in_(plates[offset : offset + 1000]), *window)
        statement = statement.order_by(ReadAlternative.captured_at.desc())
        if limit is not None:
            statement = statement.limit(limit + 1)  # a read may have two of the plates
        with planned_once(session.connection()) if plan_once else nullcontext():
            readings = session.execute(statement).all()
        for camera_id, at, read_plate, plate, score in readings:
            key = (camera_id, at, read_plate)
            if key not in best or score > best[key][1]:
                best[key] = (plate, score)
    rows: list[ReadRow] = []
    keys = sorted(best, key=itemgetter(1))
    for offset in range(0, len(keys), 1000):
        chunk = keys[offset : offset + 1000]
        # The chunk's time span lets Postgres look in its months' partitions only.
        statement = _select().where(
            tuple_(Read.camera_id, Read.captured_at, Read.plate).in_(chunk),
            Read.captured_at >= chunk[0][1],
            Read.captured_at <= chunk[-1][1],
        )
        for row in _rows(session, statement):
            plate, score = best[(row.camera_id, row.captured_at, row.plate)]
            if before is not None and (row.captured_at, row.id) >= before:
                continue
            rows.append(row._replace(alternative=plate, alternative_score=score))
    return rows


def count_reads_of_plates(
    session: Session, plates: Sequence[str], *, start: datetime, end: datetime
) -> int:
    """How many reads of the given plates were taken in the window, counted by the database
    (index ``(plate, captured_at)``), a thousand plates at a time."""
    total = 0
    for offset in range(0, len(plates), 1000):
        chunk = plates[offset : offset + 1000]
        total += session.execute(
            select(func.count()).where(
                Read.plate.in_(chunk), Read.captured_at >= start, Read.captured_at <= end
            )
        ).scalar_one()
    return total


def corrections_between(
    session: Session, *, start: datetime, end: datetime
) -> dict[tuple[int, datetime], tuple[str, str]]:
    """For each corrected read taken in the window: its plate as read and the plate it was
    last corrected to (R53)."""
    latest: dict[tuple[int, datetime], tuple[str, str]] = {}
    for read_id, at, original, corrected in session.execute(
        select(
            ReadCorrection.read_id,
            ReadCorrection.read_captured_at,
            ReadCorrection.original_plate,
            ReadCorrection.corrected_plate,
        )
        .where(ReadCorrection.read_captured_at >= start, ReadCorrection.read_captured_at <= end)
        .order_by(ReadCorrection.corrected_at, ReadCorrection.id)
    ):
        key = (read_id, at)
        latest[key] = (latest[key][0] if key in latest else original, corrected)
    return latest


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
