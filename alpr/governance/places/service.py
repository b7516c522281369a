"""Loading the agency's places (an administered act) and finding them: addresses and
intersections for a scene, street lines for a map. Places are public reference data, not
ALPR data: finding them needs no justification."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from shapely import wkt
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry
from sqlalchemy import and_, case, delete, func, insert, select
from sqlalchemy.orm import Session

from alpr.data.models import Place, PlaceKind
from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput
from alpr.governance.gateway import Act, Actor, Done, administered
from alpr.governance.investigations.geo import check_point
from alpr.governance.permissions import Permission
from alpr.governance.places.crossings import crossings
from alpr.governance.places.formats import Feature, read_places
from alpr.governance.places.names import fold, words
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime

METRES_PER_DEGREE = 111_320.0
BATCH = 5_000
MAX_MATCHES = 50
MAX_STREETS = 5_000
# The longest name a place has (its column): longer text names none.
MAX_FIND_CHARS = 200


@dataclass(frozen=True)
class PlacesImported:
    source: str
    streets: int
    addresses: int
    intersections: int  # across every source, derived again after the import
    replaced: int  # places the same source had before


@dataclass(frozen=True)
class PlaceMatch:
    name: str
    kind: str
    lat: float
    lon: float


@dataclass(frozen=True)
class StreetLine:
    name: str
    path: list[list[float]]  # [lon, lat] pairs


def _row(
    name: str, kind: PlaceKind, geometry: BaseGeometry, *, source: str, by: int | None, rt: Runtime
) -> dict[str, object]:
    point = geometry.interpolate(0.5, normalized=True) if kind is PlaceKind.STREET else geometry
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    return {
        "name": name,
        "kind": kind,
        "search_key": fold(name),
        "geometry": geometry.wkt,
        "lat": point.y,
        "lon": point.x,
        "min_lat": min_lat,
        "min_lon": min_lon,
        "max_lat": max_lat,
        "max_lon": max_lon,
        "source": source,
        "imported_by_id": by,
        "imported_at": rt.now(),
    }


def _insert(session: Session, rows: list[dict[str, object]]) -> None:
    for start in range(0, len(rows), BATCH):
        session.execute(insert(Place), rows[start : start + BATCH])


def _derive_intersections(session: Session, rt: Runtime) -> int:
    """Intersections again, from every street line now held."""
    session.execute(delete(Place).where(Place.kind == PlaceKind.INTERSECTION))
    streets = [
        (name, wkt.loads(text))
        for name, text in session.execute(
            select(Place.name, Place.geometry)
            .where(Place.kind == PlaceKind.STREET)
            .order_by(Place.id)
        )
    ]
    found = crossings(streets)
    _insert(
        session,
        [
            _row(c.name, PlaceKind.INTERSECTION, c.point, source="derived", by=None, rt=rt)
            for c in found
        ],
    )
    return len(found)


def import_places(
    rt: Runtime, *, actor: Principal | None, data: str, fmt: str, source: str
) -> PlacesImported:
    """Load street lines and address points from a county file, replacing what ``source``
    loaded before; the intersections are derived again from every street line."""
    source = " ".join(source.split())
    if not source or len(source) > 200 or source == "derived":
        raise InvalidInput("name the source of the places (1 to 200 characters, not 'derived')")
    features: list[Feature] = read_places(data, fmt=fmt)

    def run(session: Session, who: Actor) -> Done[PlacesImported]:
        replaced = session.execute(
            delete(Place).where(Place.source == source).returning(Place.id)
        ).all()
        _insert(
            session,
            [
                _row(f.name, f.kind, f.geometry, source=source, by=who.user_id, rt=rt)
                for f in features
            ],
        )
        streets = sum(f.kind is PlaceKind.STREET for f in features)
        result = PlacesImported(
            source,
            streets,
            len(features) - streets,
            _derive_intersections(session, rt),
            len(replaced),
        )
        return Done(
            result,
            detail=f"places from {source}: {result.streets} street lines, {result.addresses} "
            f"addresses ({result.replaced} replaced); {result.intersections} intersections",
        )

    return administered(
        rt,
        Act(actor, Permission.MANAGE_CAMERAS, Event.SYSTEM, f"import places from {source}"),
        run,
    )


def find_places(rt: Runtime, *, text: str, limit: int = 10) -> list[PlaceMatch]:
    """Addresses and intersections whose names hold every word typed (in any order),
    intersections first when two streets are named, then the shortest names."""
    if len(text) > MAX_FIND_CHARS:
        raise InvalidInput(
            f"type at most {MAX_FIND_CHARS} characters of an address or of two crossing streets"
        )
    wanted = words(text)[:8]
    if not wanted:
        return []
    crossing = "&" in text or any(w in ("and", "at") for w in text.lower().split())
    first = PlaceKind.INTERSECTION if crossing else PlaceKind.ADDRESS
    with rt.transaction() as session:
        rows = session.execute(
            select(Place.name, Place.kind, Place.lat, Place.lon)
            .where(
                Place.kind.in_([PlaceKind.ADDRESS, PlaceKind.INTERSECTION]),
                *(Place.search_key.like(f"%{w}%") for w in wanted),
            )
            .order_by(
                case((Place.kind == first, 0), else_=1),
                func.length(Place.name),
                Place.name,
                Place.id,
            )
            .limit(max(1, min(limit, MAX_MATCHES)))
        ).all()
    return [PlaceMatch(name, kind.value, lat, lon) for name, kind, lat, lon in rows]


def places_version(rt: Runtime) -> int:
    """Changes with every import (new rows get new ids): a cache of drawn streets keys on it."""
    with rt.transaction() as session:
        return int(session.execute(select(func.coalesce(func.max(Place.id), 0))).scalar_one())


def _paths(geometry: BaseGeometry) -> Sequence[LineString]:
    if isinstance(geometry, MultiLineString):
        return list(geometry.geoms)
    return [geometry] if isinstance(geometry, LineString) else []


def streets_near(rt: Runtime, *, lat: float, lon: float, reach_m: float) -> list[StreetLine]:
    """The street lines within ``reach_m`` (a box) of a point, for drawing under a map."""
    check_point(lat, lon)
    dlat = reach_m / METRES_PER_DEGREE
    dlon = dlat / max(0.01, math.cos(math.radians(lat)))
    with rt.transaction() as session:
        rows = session.execute(
            select(Place.name, Place.geometry)
            .where(
                Place.kind == PlaceKind.STREET,
                and_(Place.min_lat <= lat + dlat, Place.max_lat >= lat - dlat),
                and_(Place.min_lon <= lon + dlon, Place.max_lon >= lon - dlon),
            )
            .order_by(Place.id)
            .limit(MAX_STREETS)
        ).all()
    return [
        StreetLine(name, [[x, y] for x, y, *_ in path.coords])
        for name, text in rows
        for path in _paths(wkt.loads(text))
    ]
