"""Places of the agency's area, loaded from county GIS files: street centre lines, address
points and the intersections where street lines cross. Each keeps its geometry as WKT (the
same on SQLite and Postgres), a point to put a scene on, and its bounding box so that the
streets under a map are found without spatial indexes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from alpr.data.base import Base, utcnow
from alpr.data.models.enums import text_enum


class PlaceKind(StrEnum):
    STREET = "street"
    ADDRESS = "address"
    INTERSECTION = "intersection"


class Place(Base):
    __tablename__ = "places"
    __table_args__ = (Index("ix_places_kind_bounds", "kind", "min_lat", "max_lat"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[PlaceKind] = mapped_column(text_enum(PlaceKind, "place_kind"))
    # The name folded for matching: lower case, suffixes abbreviated, punctuation removed.
    search_key: Mapped[str] = mapped_column(String(200), index=True)
    geometry: Mapped[str] = mapped_column(Text)  # WKT, longitude first
    lat: Mapped[float]
    lon: Mapped[float]
    min_lat: Mapped[float]
    min_lon: Mapped[float]
    max_lat: Mapped[float]
    max_lon: Mapped[float]
    source: Mapped[str] = mapped_column(String(200), index=True)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
