"""Distances and areas on the Earth's surface, the same on both databases: distances are
geodesics on the WGS84 ellipsoid (what PostGIS measures on geography), so a read 499 m from
the scene is inside a 500 m canvass on SQLite exactly as on Postgres."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from geographiclib.geodesic import Geodesic
from numpy.typing import NDArray
from shapely import wkt
from shapely.errors import ShapelyError
from shapely.geometry import Polygon

from alpr.governance.errors import InvalidInput

METRES_PER_DEGREE = 111_320.0
LOCAL_LIMIT_M = 5_000.0
_WGS84 = Geodesic.WGS84
_A = _WGS84.a
_E2 = _WGS84.f * (2 - _WGS84.f)
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def _local_m(lat: float, lon: float, lats: FloatArray, lons: FloatArray) -> FloatArray:
    """The ellipsoid's radii of curvature at the mid-latitude: within a centimetre of the
    geodesic up to 5 km and within 0.02 % up to 100 km, a hundred times faster."""
    phi = np.radians((lats + lat) / 2)
    w = 1 - _E2 * np.sin(phi) ** 2
    north = np.radians(lats - lat) * _A * (1 - _E2) / (w * np.sqrt(w))
    east = np.radians((lons - lon + 540) % 360 - 180) * _A / np.sqrt(w) * np.cos(phi)
    return np.hypot(north, east)


def _karney_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return float(_WGS84.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"])


def distances_m(lat: float, lon: float, lats: FloatArray, lons: FloatArray) -> FloatArray:
    """Geodesic distances on the WGS84 ellipsoid (``ST_Distance`` on geography) from one
    point to many: the local formula, and the general method for points beyond 5 km."""
    distances = _local_m(lat, lon, lats, lons)
    for i in np.flatnonzero(distances > LOCAL_LIMIT_M):
        distances[i] = _karney_m(lat, lon, lats[i], lons[i])
    return distances


def inside_m(
    lat: float, lon: float, lats: FloatArray, lons: FloatArray, metres: float
) -> BoolArray:
    """Whether each point is within ``metres`` of one point (``ST_DWithin`` on geography);
    the general method only for far points within 1 % of the edge."""
    local = _local_m(lat, lon, lats, lons)
    inside = local <= metres
    edge = (local > LOCAL_LIMIT_M) & (np.abs(local - metres) <= 0.01 * metres)
    for i in np.flatnonzero(edge):
        inside[i] = _karney_m(lat, lon, lats[i], lons[i]) <= metres
    return inside


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return float(distances_m(lat1, lon1, np.array([lat2]), np.array([lon2]))[0])


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


def covered(shape: Polygon, lats: FloatArray, lons: FloatArray) -> BoolArray:
    """Whether each point lies inside the polygon or on its edge."""
    return shapely.intersects_xy(shape, lons, lats)
