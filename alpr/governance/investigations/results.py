"""What investigation searches return."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from alpr.governance.investigations.queries import ReadRow


@dataclass(frozen=True)
class CameraInRange:
    id: int
    name: str
    distance_m: float
    lat: float
    lon: float


@dataclass(frozen=True)
class CanvassResult:
    cameras: list[CameraInRange]
    reads: list[ReadRow]
    centre: tuple[float, float]
    radius_m: float | None  # None for a polygon
    polygon: list[list[float]] | None  # the ring as [lon, lat] pairs
    # With a vehicle description: how many reads (the first ones) are of vehicles so described;
    # the others' colour or type could not be told from the image.
    described: int | None = None


@dataclass(frozen=True)
class HistoryPage:
    reads: list[ReadRow]  # newest first
    older: tuple[datetime, int] | None  # ``before`` for the next page, if older reads remain
    start: datetime  # the window the history covers; the next page covers the same one
    end: datetime


@dataclass(frozen=True)
class PlateHit:
    read: ReadRow
    match: str  # exact, confusion, substitution, corrected or alternative
    marked: str  # the plate with characters that differ from the pattern in brackets
    # For a read found by another reading (``read.alternative``): how that reading matched
    # the pattern (exact, confusion or substitution).
    alternative_match: str | None = None


@dataclass(frozen=True)
class Scene:
    lat: float
    lon: float
    radius_m: float
    start: datetime
    end: datetime
    address: str | None = None  # the scene in words, as the detective chose it


@dataclass(frozen=True)
class CommonPlate:
    plate: str
    scenes: list[int]
    reads: list[ReadRow]
    read_scenes: dict[int, list[int]] = field(default_factory=dict)  # read id: scene indexes


@dataclass(frozen=True)
class ConvoyPlate:
    plate: str
    times_together: int
    last_together: datetime
    passes: list[ReadRow] = field(default_factory=list)  # the target's reads it was seen with
