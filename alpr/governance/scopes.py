"""What a release or a legal hold covers: plates (exact or partial), and/or a case with an area
(a centre and a radius), within a period. The reads a scope selects are those whose plate, after
corrections (R53), matches one of its plates, and that were taken in its area if it has one,
within its period; they are fetched by the investigation queries.

A scope is bounded as a search is against dragnets: a partial plate needs the policy's known
characters, an area at most the canvass radius (``breadth_violations``). A legal hold beyond them
is refused, as is one whose period is longer than a search's (``retention.holds``). A release
may cover at most the policy's period and number of reads (R45) within those bounds; beyond any
of them only the commander's recorded override lets it go."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from alpr.data.models import Scope as ScopeRow
from alpr.governance.errors import InvalidInput
from alpr.governance.investigations.bounds import (
    check_window,
    radius_violations,
    wildcard_violations,
)
from alpr.governance.investigations.geo import check_point
from alpr.governance.investigations.queries import (
    Area,
    ReadRow,
    cameras_in,
    corrected_like,
    corrections_between,
    count_reads_of_plates,
    plates_like,
    reads_in_area,
    reads_of_plates,
)
from alpr.plates import PlateError, PlatePattern
from alpr.policy import Policy

MAX_PLATES = 200
MAX_RADIUS_M = 50_000


@dataclass(frozen=True)
class ScopeInput:
    """A scope as typed: plates or patterns, a case number, a centre and radius, a period."""

    plates: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    case_number: str | None = None
    lat: float | None = None
    lon: float | None = None
    radius_m: float | None = None
    address: str | None = None  # the area's centre in words, when placed at an address


@dataclass(frozen=True)
class Scope:
    patterns: tuple[PlatePattern, ...]
    start: datetime
    end: datetime
    case_number: str | None = None
    area: Area | None = None
    address: str | None = None

    @property
    def plates(self) -> list[str]:
        """The plates and partial plates it names, as typed (normalized)."""
        return [p.text for p in self.patterns]

    def matches(self, plate: str) -> bool:
        return any(p.matches(plate) for p in self.patterns)

    def up_to(self, instant: datetime) -> Scope:
        """The scope with its period ending at ``instant`` at the latest: a release covers
        the reads captured by its approval, never later ones (R42)."""
        return replace(self, end=min(self.end, instant))

    @property
    def days(self) -> float:
        return (self.end - self.start).total_seconds() / 86400

    def describe(self, tz: ZoneInfo) -> str:
        """The scope in words, for the clerk, the commander and the access log."""
        start, end = self.start.astimezone(tz), self.end.astimezone(tz)
        return "; ".join([*self._subject(), f"from {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M}"])

    def subject(self) -> str:
        """What the scope covers apart from its period: "plates 7KQM482; case 26-04711"."""
        return "; ".join(self._subject())

    def _subject(self) -> list[str]:
        parts = []
        if self.patterns:
            parts.append("plates " + ", ".join(p.text for p in self.patterns))
        if self.area is not None:
            centre = f"{self.area.lat:.5f}, {self.area.lon:.5f}"
            if self.address:
                centre = f"{self.address} ({centre})"
            parts.append(f"within {self.area.radius_m:.0f} m of {centre}")
        if self.case_number:
            parts.append(f"case {self.case_number}")
        return parts

    def as_params(self) -> dict[str, object]:
        return {
            "plates": self.plates,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "case_number": self.case_number,
            "lat": self.area.lat if self.area else None,
            "lon": self.area.lon if self.area else None,
            "radius_m": self.area.radius_m if self.area else None,
            **({"address": self.address} if self.address else {}),
        }


def validated(given: ScopeInput, *, area_needs_case: bool = True) -> Scope:
    """The scope, or one clear line saying what is missing or wrong. An area is a case's area,
    except for counts (a records request from the public has no case)."""
    patterns: list[PlatePattern] = []
    for raw in given.plates:
        if not raw.strip():
            continue
        try:
            pattern = PlatePattern.parse(raw)
        except PlateError as exc:
            raise InvalidInput(str(exc)) from None
        if pattern not in patterns:
            patterns.append(pattern)
    if len(patterns) > MAX_PLATES:
        raise InvalidInput(f"a scope names at most {MAX_PLATES} plates")
    case_number = (given.case_number or "").strip().upper() or None
    if case_number is not None and len(case_number) > 40:
        raise InvalidInput("the case number is at most 40 characters")
    area = None
    located = (given.lat, given.lon, given.radius_m)
    if any(v is not None for v in located):
        if given.lat is None or given.lon is None or given.radius_m is None:
            raise InvalidInput("an area needs its centre (latitude, longitude) and a radius")
        check_point(given.lat, given.lon)
        if not 1 <= given.radius_m <= MAX_RADIUS_M:
            raise InvalidInput(f"the radius must be between 1 m and {MAX_RADIUS_M // 1000} km")
        if case_number is None and area_needs_case:
            raise InvalidInput("an area is given for a case: enter its case number")
        area = Area(given.lat, given.lon, given.radius_m)
    address = " ".join((given.address or "").split()) or None
    if address is not None and (area is None or len(address) > 200 or not address.isprintable()):
        raise InvalidInput("an address names an area's centre: printable, at most 200 characters")
    if not patterns and area is None:
        raise InvalidInput(
            "name what is covered: plates (exact or partial), or a case with its area"
        )
    if given.start is None or given.end is None:
        raise InvalidInput("give the period covered, its start and its end: none is assumed")
    check_window(given.start, given.end)
    return Scope(tuple(patterns), given.start, given.end, case_number, area, address)


def breadth_violations(scope: Scope, policy: Policy) -> list[str]:
    """How the scope is broader than a search may be without approval, in words (empty: within):
    a partial plate with too few known characters, an area wider than a canvass."""
    found = [v for p in scope.patterns for v in wildcard_violations(policy, pattern=p)]
    if scope.area is not None:
        found += radius_violations(policy, radius_m=scope.area.radius_m)
    return found


def beyond_bounds(scope: Scope, policy: Policy, *, reads: int) -> list[str]:
    """How a release of this scope goes beyond the policy's bounds, in words (empty: within)."""
    found = breadth_violations(scope, policy)
    if scope.days > policy.release_max_window_days:
        found.append(
            f"the period of {scope.days:.0f} days exceeds {policy.release_max_window_days} days"
        )
    if reads > policy.release_max_reads:
        found.append(f"{reads} reads exceed {policy.release_max_reads}")
    return found


def _plates_of(session: Session, scope: Scope) -> list[str]:
    exact = {p.text for p in scope.patterns if not p.is_partial}
    partial = [p for p in scope.patterns if p.is_partial]
    return sorted(exact | set(plates_like(session, partial)))


def select_reads(session: Session, scope: Scope) -> list[ReadRow]:
    """Every read the scope selects, oldest first, each with its last correction."""
    if scope.area is not None:
        cameras = cameras_in(session, scope.area)
        rows = reads_in_area(
            session,
            area=scope.area,
            start=scope.start,
            end=scope.end,
            camera_ids=[c[0] for c in cameras],
        )
    else:
        corrected = corrected_like(session, [p.sql_like() for p in scope.patterns])
        rows = reads_of_plates(
            session,
            _plates_of(session, scope),
            start=scope.start,
            end=scope.end,
            corrected=corrected,
        )
        rows.reverse()
    if not scope.patterns:
        return rows
    return [r for r in rows if scope.matches(r.corrected_plate or r.plate)]


def count_reads(session: Session, scope: Scope) -> int:
    """How many reads the scope selects. Plates alone are counted by the database, then each
    corrected read of the period is moved in or out by its corrected plate; an area's reads
    are found as a canvass finds them."""
    if scope.area is not None:
        return len(select_reads(session, scope))
    total = count_reads_of_plates(
        session, _plates_of(session, scope), start=scope.start, end=scope.end
    )
    for original, corrected in corrections_between(
        session, start=scope.start, end=scope.end
    ).values():
        total += int(scope.matches(corrected)) - int(scope.matches(original))
    return total


def record(session: Session, scope: Scope, *, by: int, at: datetime, reads: int | None) -> int:
    row = ScopeRow(
        plates=scope.plates,
        start_at=scope.start,
        end_at=scope.end,
        case_number=scope.case_number,
        lat=scope.area.lat if scope.area else None,
        lon=scope.area.lon if scope.area else None,
        radius_m=scope.area.radius_m if scope.area else None,
        address=scope.address,
        reads_counted=reads,
        created_by_id=by,
        created_at=at,
    )
    session.add(row)
    session.flush()
    return row.id


def recorded(row: ScopeRow) -> Scope:
    area = (
        Area(row.lat, row.lon, row.radius_m)
        if row.lat is not None and row.lon is not None and row.radius_m is not None
        else None
    )
    return Scope(
        tuple(PlatePattern(p) for p in row.plates),
        row.start_at,
        row.end_at,
        row.case_number,
        area,
        row.address,
    )
