"""A records desk with known reads, agencies and agreements, for the release tests on both
databases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from alpr.data.models import Read, ReadCorrection
from alpr.governance.investigations.geo import destination
from alpr.governance.releases import registry
from alpr.governance.releases.requests import RequestForm
from alpr.governance.runtime import Runtime
from alpr.governance.scopes import ScopeInput
from tests.conftest import TestUser
from tests.integration.builders import World

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
LAT, LON = 37.6963, -122.4607
SHERIFF = "San Mateo County Sheriff's Office"
RENO = "Reno Police Department"
FBI = "Federal Bureau of Investigation"
PAPER = "Peninsula Daily Journal"
CALTRANS = "Caltrans District 4"
WINDOW = (NOW - timedelta(days=10), NOW)


@dataclass
class Desk:
    rt: Runtime
    clerk: TestUser
    commander: TestUser
    detective: TestUser
    reads: dict[str, int]
    image: bytes
    crop: bytes
    world: World  # its cameras "geneva" (at the scene) and "far" (2 km north)


def make_desk(rt: Runtime, make_user: Callable[..., TestUser]) -> Desk:
    """Agencies with agreements in force and expired; a camera at the scene with reads of
    7KQM482 (one with its images, one outside the period, one corrected away to 8ZZZ999, and
    two misreads corrected to it), of 7KQM483, and of other plates at the scene and 2 km
    away."""
    clerk = make_user("nguyen", "records_clerk")
    commander = make_user("ellis", "command")
    detective = make_user("rivera", "investigator")
    for name, kind, state in (
        (SHERIFF, "ca_local_le", "CA"),
        (RENO, "out_of_state", "NV"),
        (FBI, "federal", "US"),
        (PAPER, "non_government", "CA"),
        (CALTRANS, "ca_public_other", "CA"),
    ):
        registry.add_agency(rt, actor=None, name=name, kind=kind, state=state)
    for agency, title, starts, ends in (
        (SHERIFF, "County ALPR data sharing MOU", date(2025, 7, 1), date(2027, 6, 30)),
        (RENO, "Reno-Demo City MOU", date(2025, 1, 1), None),
        (CALTRANS, "Traffic study agreement 2024", date(2024, 1, 1), date(2025, 12, 31)),
    ):
        registry.add_agreement(
            rt,
            actor=None,
            agency_name=agency,
            kind="mou",
            title=title,
            scope="ALPR reads for criminal investigations",
            starts_on=starts,
            ends_on=ends,
            document_name=f"{title}.pdf",
            document=f"%PDF signed {title}".encode(),
        )
    world = World(rt)
    world.camera("geneva", LAT, LON)
    far_lat, far_lon = destination(LAT, LON, bearing_deg=0, metres=2000)
    world.camera("far", far_lat, far_lon)
    day = timedelta(days=1)
    reads = {
        "with_images": world.read("7KQM482", "geneva", NOW - 2 * day, LAT, LON),
        "second": world.read("7KQM482", "far", NOW - 3 * day, far_lat, far_lon),
        "before": world.read("7KQM482", "geneva", NOW - 20 * day, LAT, LON),
        "corrected_away": world.read("7KQM482", "geneva", NOW - 4 * day, LAT, LON),
        "misread": world.read("7KQM4B2", "far", NOW - 5 * day, far_lat, far_lon),
        "misread_too": world.read("7KQM462", "geneva", NOW - 7 * day, LAT, LON),
        "neighbour": world.read("7KQM483", "geneva", NOW - 6 * day, LAT, LON),
        "passer_by": world.read("5ABC001", "geneva", NOW - day, LAT, LON),
        "far_away": world.read("6XYZ777", "far", NOW - day, far_lat, far_lon),
    }
    image, crop = b"\xff\xd8 full frame of 7KQM482", b"\xff\xd8 plate crop of 7KQM482"
    image_sha, crop_sha = rt.images.put(image), rt.images.put(crop)
    with rt.engine.begin() as conn:
        for digest, data in ((image_sha, image), (crop_sha, crop)):
            rt.images.record(conn, sha256=digest, size_bytes=len(data), width=None, height=None)
        conn.execute(
            Read.__table__.update()  # type: ignore[attr-defined]
            .where(Read.id == reads["with_images"])
            .values(image_sha256=image_sha, crop_sha256=crop_sha)
        )
    with rt.transaction() as session:
        for key, original, corrected, at in (
            ("corrected_away", "7KQM482", "8ZZZ999", NOW - 4 * day),
            ("misread", "7KQM4B2", "7KQM482", NOW - 5 * day),
            ("misread_too", "7KQM462", "7KQM482", NOW - 7 * day),
        ):
            session.add(
                ReadCorrection(
                    read_id=reads[key],
                    read_captured_at=at,
                    original_plate=original,
                    corrected_plate=corrected,
                    reason="Checked against the image",
                    corrected_by_id=detective.principal.user_id,
                    corrected_at=NOW - day,
                )
            )
    return Desk(rt, clerk, commander, detective, reads, image, crop, world)


def plates_scope(*plates: str, case: str | None = "SMSO-26-0911") -> ScopeInput:
    return ScopeInput(plates=plates, start=WINDOW[0], end=WINDOW[1], case_number=case)


def area_scope(radius_m: float = 300, *plates: str) -> ScopeInput:
    return ScopeInput(
        plates=plates,
        start=WINDOW[0],
        end=WINDOW[1],
        case_number="26-04711",
        lat=LAT,
        lon=LON,
        radius_m=radius_m,
    )


def form(**changes: object) -> RequestForm:
    base: dict[str, object] = {
        "requester_name": "Det. Sgt. Kim",
        "requester_contact": "kim@smcsheriff.example",
        "purpose": "Armed robbery series SMSO-26-0911",
        "description": "Reads of 7KQM482 in the last ten days",
        "requested": "plate_level",
        "legal_basis": "warrant",
        "immigration_related": False,
        "agency_name": SHERIFF,
        "purpose_code": "wanted_vehicle",
        "scope": plates_scope("7KQM482"),
    }
    base.update(changes)
    return RequestForm(**base)  # type: ignore[arg-type]


def public_counts_form(**changes: object) -> RequestForm:
    """A member of the public asking for counts of the area's reads (no agency, no case)."""
    return form(
        **{
            "agency_name": None,
            "requested": "aggregate",
            "legal_basis": "public_records_request",
            "purpose_code": None,
            "scope": replace(area_scope(300), case_number=None),
            **changes,
        }
    )
