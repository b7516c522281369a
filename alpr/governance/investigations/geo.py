"""Distances and areas on the Earth's surface, the same on both databases: distances are
geodesics on the WGS84 ellipsoid (Karney's method, which PostGIS uses for geography), so a
read 499 m from the scene is inside a 500 m canvass on SQLite exactly as on Postgres."""

from __future__ import annotations

import math
from dataclasses import dataclass

from geographiclib.geodesic import Geodesic
from shapely import wkt
from shapely.errors import ShapelyError
from shapely.geometry import Point, Polygon

from alpr.governance.errors import InvalidInput

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE = 111_320.0
# The great circle on the mean-radius sphere is within 0.6 % of the geodesic anywhere on
# Earth; only points that close to an edge need the (slower) exact geodesic.
SPHERE_ERROR = 0.006
_WGS84 = Geodesic.WGS84


def sphere_distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on the mean-radius sphere (haversine): fast, within 0.6 %."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance on the WGS84 ellipsoid, as ``ST_Distance`` on geography."""
    return float(_WGS84.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"])


def within_m(lat1: float, lon1: float, lat2: float, lon2: float, metres: float) -> bool:
    """Whether the geodesic distance is at most ``metres`` (``ST_DWithin`` on geography)."""
    rough = sphere_distance_m(lat1, lon1, lat2, lon2)
    if rough < metres * (1 - SPHERE_ERROR):
        return True
    if rough > metres * (1 + SPHERE_ERROR):
        return False
    return distance_m(lat1, lon1, lat2, lon2) <= metres


def destination(
    lat: float, lon: float, *, bearing_deg: float, metres: float
) -> tuple[float, float]:
    """The point ``metres`` away from (lat, lon) along ``bearing_deg`` on the ellipsoid."""
    point = _WGS84.Direct(lat, lon, bearing_deg, metres, Geodesic.LATITUDE | Geodesic.LONGITUDE)
    return float(point["lat2"]), float(point["lon2"])


@dataclass(frozen=True)
class BoundingBox:
    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float

    @classmethod
    def around(cls, lat: float, lon: float, metres: float) -> BoundingBox:
        dlat = metres / METRES_PER_DEGREE * 1.01
        dlon = metres / (METRES_PER_DEGREE * max(0.01, math.cos(math.radians(lat)))) * 1.01
        return cls(lat - dlat, lat + dlat, lon - dlon, lon + dlon)


def check_point(lat: float, lon: float) -> None:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput(f"({lat}, {lon}) is not a latitude/longitude")


def parse_polygon(text: str) -> Polygon:
    """A polygon in WKT, longitude first: ``POLYGON((lon lat, lon lat, ...))``."""
    try:
        shape = wkt.loads(text)
    except (ShapelyError, ValueError, TypeError) as exc:
        raise InvalidInput(f"not a WKT polygon: {exc}") from None
    if not isinstance(shape, Polygon) or shape.is_empty or not shape.is_valid:
        raise InvalidInput("the area must be one valid polygon, e.g. POLYGON((lon lat, ...))")
    min_lon, min_lat, max_lon, max_lat = shape.bounds
    check_point(min_lat, min_lon)
    check_point(max_lat, max_lon)
    return shape


def polygon_radius_m(shape: Polygon) -> float:
    """The radius of the circle around the polygon's centroid that holds it."""
    centre = shape.centroid
    return max(distance_m(centre.y, centre.x, y, x) for x, y in shape.exterior.coords)


def contains(shape: Polygon, lat: float, lon: float) -> bool:
    return bool(shape.covers(Point(lon, lat)))
