"""Reading the files county GIS departments publish: GeoJSON of street centre lines
(LineString, MultiLineString) and address points (Point), or CSV of address,lat,lon. Any bad
feature refuses the whole file, naming it."""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from typing import Any

from shapely.errors import ShapelyError
from shapely.geometry import LineString, MultiLineString, Point, shape
from shapely.geometry.base import BaseGeometry

from alpr.data.models import PlaceKind
from alpr.governance.errors import InvalidInput

NAME_PROPERTIES = ("name", "fullname", "full_name", "address", "fulladdr", "street", "st_name")
MAX_NAME = 200
MAX_FEATURES = 2_000_000


@dataclass(frozen=True)
class Feature:
    name: str
    kind: PlaceKind
    geometry: BaseGeometry  # longitude first


def _name(properties: dict[str, Any], where: str) -> str:
    folded = {str(k).lower(): v for k, v in properties.items()}
    name = next((folded[k] for k in NAME_PROPERTIES if folded.get(k) not in (None, "")), None)
    if name is None:
        raise InvalidInput(f"{where} has no name ({', '.join(NAME_PROPERTIES)})")
    text = " ".join(str(name).split())
    if not text or len(text) > MAX_NAME or not text.isprintable():
        raise InvalidInput(f"{where}: the name must be printable, 1 to {MAX_NAME} characters")
    return text


def _in_range(geometry: BaseGeometry, where: str) -> None:
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if not all(math.isfinite(v) for v in geometry.bounds) or not (
        -90 <= min_lat <= max_lat <= 90 and -180 <= min_lon <= max_lon <= 180
    ):
        raise InvalidInput(f"{where}: coordinates are not longitude, latitude in degrees")


def _feature(raw: Any, where: str) -> Feature:
    if not isinstance(raw, dict) or raw.get("type") != "Feature":
        raise InvalidInput(f"{where} is not a GeoJSON Feature")
    try:
        geometry = shape(raw.get("geometry") or {})
    except (ShapelyError, ValueError, TypeError, KeyError, AttributeError, IndexError):
        raise InvalidInput(f"{where} has no readable geometry") from None
    if isinstance(geometry, LineString | MultiLineString) and not geometry.is_empty:
        kind = PlaceKind.STREET
    elif isinstance(geometry, Point) and not geometry.is_empty:
        kind = PlaceKind.ADDRESS
    else:
        raise InvalidInput(
            f"{where}: a {geometry.geom_type}; streets are LineStrings, addresses Points"
        )
    _in_range(geometry, where)
    return Feature(_name(raw.get("properties") or {}, where), kind, geometry)


def read_geojson(data: str) -> list[Feature]:
    try:
        document = json.loads(data)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"not GeoJSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise InvalidInput("not GeoJSON: nested too deep") from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise InvalidInput("not a GeoJSON FeatureCollection")
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise InvalidInput("the FeatureCollection holds no features")
    if len(features) > MAX_FEATURES:
        raise InvalidInput(f"at most {MAX_FEATURES} features in one file")
    return [_feature(raw, f"feature {n}") for n, raw in enumerate(features, start=1)]


def _coordinate(row: dict[str, str], column: str, where: str) -> float:
    try:
        value = float(row[column])
    except (TypeError, ValueError):
        raise InvalidInput(f"{where}: {column} {row.get(column)!r} is not a number") from None
    return value


def read_csv(data: str) -> list[Feature]:
    try:
        return _read_csv(data)
    except csv.Error as exc:
        raise InvalidInput(f"not a readable CSV: {exc}") from None


def _read_csv(data: str) -> list[Feature]:
    reader = csv.DictReader(io.StringIO(data))
    columns = {c.strip().lower(): c for c in reader.fieldnames or []}
    if not {"address", "lat", "lon"} <= set(columns):
        raise InvalidInput("the CSV needs the columns address, lat, lon")
    features = []
    for n, raw in enumerate(reader, start=2):
        where = f"line {n}"
        row = {key: raw.get(column) or "" for key, column in columns.items()}
        point = Point(_coordinate(row, "lon", where), _coordinate(row, "lat", where))
        _in_range(point, where)
        features.append(Feature(_name(row, where), PlaceKind.ADDRESS, point))
        if len(features) > MAX_FEATURES:
            raise InvalidInput(f"at most {MAX_FEATURES} rows in one file")
    if not features:
        raise InvalidInput("the CSV holds no addresses")
    return features


def read_places(data: str, *, fmt: str) -> list[Feature]:
    if fmt == "geojson":
        return read_geojson(data)
    if fmt == "csv":
        return read_csv(data)
    raise InvalidInput("places come as GeoJSON (.geojson, .json) or CSV (.csv)")
