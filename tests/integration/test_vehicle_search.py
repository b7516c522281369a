"""Finding vehicles by description when nobody saw the plate (R11, R53), on both databases:
``alpr search vehicle`` finds the demo's tell-tale white pickup at the shooting, refuses without
a justification (exit 3) and leaves an access record either way; canvass, plate and
common-plate searches take the description as a filter; a corrected description keeps what
the models said."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from alpr.data.demo import seed_demo_data
from alpr.data.models import AccessRecord, Read, ReadVehicleCorrection, Search
from alpr.governance.errors import InvalidInput
from alpr.governance.gateway import JustificationInput
from alpr.governance.investigations import searches
from alpr.governance.investigations.descriptions import Description
from alpr.governance.investigations.follow_up import correct_vehicle, read_detail
from alpr.governance.investigations.geo import destination
from alpr.governance.investigations.results import CanvassResult, Scene
from alpr.governance.runtime import Runtime
from alpr.vehicles import VehicleColour, VehicleType
from tests.conftest import CliRun, Clock, TestUser
from tests.integration.builders import World

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
T0 = datetime.fromisoformat("2026-11-18T06:40:00+00:00")
LAT, LON = 37.6963, -122.4607
WHY = JustificationInput("major_crime_canvass", "26-04711")
WHITE_PICKUP = (VehicleColour.WHITE, VehicleType.PICKUP_TRUCK)
BLACK_CAR = (VehicleColour.BLACK, VehicleType.CAR)
WHITE_CAR = (VehicleColour.WHITE, VehicleType.CAR)
UNKNOWN_CAR = (VehicleColour.UNKNOWN, VehicleType.CAR)


def _searches(rt: Runtime, kind: str) -> list[AccessRecord]:
    with rt.transaction() as session:
        return list(
            session.execute(
                select(AccessRecord)
                .join(Search, Search.id == AccessRecord.search_id)
                .where(Search.kind == kind, AccessRecord.event == "search")
                .order_by(AccessRecord.id)
            ).scalars()
        )


def test_search_vehicle_finds_the_demo_pickup_and_is_governed(
    rt: Runtime, clock: Clock, search_cli: CliRun
) -> None:
    clock.now = NOW
    summary = seed_demo_data(rt.engine, image_store=rt.images, reads=8000, seed=7, now=NOW)
    scene = summary.shooting.scene
    where = [
        "--lat",
        str(scene.lat),
        "--lon",
        str(scene.lon),
        "--radius-m",
        str(scene.radius_m),
        "--start",
        scene.start.isoformat(),
        "--end",
        scene.end.isoformat(),
    ]
    pickup = ["--colour", "white", "--type", "pickup", *where]
    code, out = search_cli("vehicle", *pickup, "--json")
    assert code == 3 and out.startswith("refused (justification)"), out
    [refused] = _searches(rt, "vehicle")
    assert refused.outcome == "refused" and refused.username == "rivera"

    why = ["--purpose", "major_crime_canvass", "--case-number", summary.shooting.case_number]
    code, out = search_cli("vehicle", *pickup, *why, "--json")
    assert code == 0, out
    plates = {r["plate"] for r in out["reads"]}
    assert summary.shooting.telltale_plate in plates
    assert summary.shooting.convoy_plate not in plates  # a black car
    described = [r for r in out["reads"] if r["match"] == "described"]
    assert {(r["vehicle"]["colour"], r["vehicle"]["type"]) for r in described} == {
        ("white", "pickup_truck")
    }
    # Then the vehicles whose colour or type could not be told: any may be the pickup.
    rest = out["reads"][len(described) :]
    assert all(r["match"] == "undetermined" for r in rest)
    assert all("unknown" in (r["vehicle"]["colour"], r["vehicle"]["type"]) for r in rest)
    allowed = _searches(rt, "vehicle")[-1]
    assert allowed.outcome == "allowed" and allowed.search_id == out["search_id"]
    assert allowed.result_count == len(out["reads"])
    assert allowed.query["vehicle"] == {"colour": "white", "type": "pickup_truck"}

    code, out = search_cli("vehicle", *where, *why, "--json")  # no description at all
    assert code == 2 and "--colour" in out
    code, out = search_cli("vehicle", "--colour", "plaid", *where, *why, "--json")
    assert code == 2 and "not a vehicle colour" in out
    code, out = search_cli("canvass", "--color", "black", "--type", "car", *where, *why, "--json")
    assert code == 0 and summary.shooting.convoy_plate in {r["plate"] for r in out["reads"]}
    assert summary.shooting.telltale_plate not in {r["plate"] for r in out["reads"]}


def _world(rt: Runtime) -> tuple[World, dict[str, int]]:
    world = World(rt)
    world.camera("near", LAT, LON)
    east = destination(LAT, LON, bearing_deg=90, metres=100)
    ids = {
        "pickup": world.read("7ABC123", "near", T0, *east, vehicle=WHITE_PICKUP),
        "car": world.read("7ABC124", "near", T0, *east, vehicle=BLACK_CAR),
        "white car": world.read(
            "8ABD123", "near", T0 - timedelta(minutes=10), *east, vehicle=WHITE_CAR
        ),
        "undescribed": world.read("8XYZ999", "near", T0, *east),
        "car of unknown colour": world.read(
            "6QRS456", "near", T0 + timedelta(minutes=5), *east, vehicle=UNKNOWN_CAR
        ),
    }
    return world, ids


def _canvass(rt: Runtime, principal: Any, vehicle: Description | None) -> set[int]:
    return {r.id for r in _canvass_result(rt, principal, vehicle).reads}


def _described(rt: Runtime, principal: Any, vehicle: Description) -> set[int]:
    """The reads a canvass gives as of vehicles so described."""
    found = _canvass_result(rt, principal, vehicle)
    assert found.described is not None
    return {r.id for r in found.reads[: found.described]}


def _canvass_result(rt: Runtime, principal: Any, vehicle: Description | None) -> CanvassResult:
    found = searches.canvass(
        rt,
        principal=principal,
        justification=WHY,
        lat=LAT,
        lon=LON,
        radius_m=500,
        start=T0 - timedelta(hours=1),
        end=T0 + timedelta(hours=1),
        vehicle=vehicle,
    )
    return found.result


def test_filters_and_ranking_by_description(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    _, ids = _world(rt)
    detective = make_user("rivera", "investigator").principal
    assert _canvass(rt, detective, None) == set(ids.values())
    white = Description(colour=VehicleColour.WHITE)
    found = _canvass_result(rt, detective, white)
    # The white vehicles first (in time order), then those whose colour could not be told;
    # the black car is left out.
    assert [r.id for r in found.reads] == [
        ids["white car"], ids["pickup"], ids["undescribed"], ids["car of unknown colour"]
    ]  # fmt: skip
    assert found.described == 2
    white_car = _canvass_result(rt, detective, Description(VehicleColour.WHITE, VehicleType.CAR))
    assert [r.id for r in white_car.reads] == [
        ids["white car"], ids["undescribed"], ids["car of unknown colour"]
    ]  # fmt: skip
    assert white_car.described == 1
    assert _canvass_result(rt, detective, None).described is None

    hits = searches.plate_search(
        rt,
        principal=detective,
        justification=WHY,
        pattern="7AB?12?",
        end=T0 + timedelta(hours=1),
        vehicle=Description(VehicleColour.BLACK, VehicleType.CAR),
    ).result
    assert hits[0].read.id == ids["car"]  # the described read first
    assert {h.read.id for h in hits} == {ids["pickup"], ids["car"]}  # the others follow

    ranked = searches.description_search(
        rt,
        principal=detective,
        justification=WHY,
        vehicle=white,
        plate="7AB?12?",
        lat=LAT,
        lon=LON,
        radius_m=500,
        start=T0 - timedelta(hours=1),
        end=T0 + timedelta(hours=1),
    ).result.reads
    assert [r.id for r in ranked] == [  # plate and description, then description, then untold
        ids["pickup"], ids["white car"], ids["undescribed"], ids["car of unknown colour"]
    ]  # fmt: skip

    scene = Scene(LAT, LON, 500, T0 - timedelta(hours=1), T0 + timedelta(hours=1))
    later = Scene(LAT, LON, 500, T0 + timedelta(days=1), T0 + timedelta(days=1, hours=2))
    world = World(rt)
    world.cameras["near"] = _camera_id(rt)
    world.read("7ABC123", "near", later.start, LAT, LON, vehicle=WHITE_PICKUP)
    world.read("7ABC124", "near", later.start, LAT, LON, vehicle=BLACK_CAR)
    common = searches.common_plates(
        rt,
        principal=detective,
        justification=WHY,
        scenes=[scene, later],
        vehicle=Description(type=VehicleType.PICKUP_TRUCK),
    ).result
    assert [c.plate for c in common] == ["7ABC123"]


def _camera_id(rt: Runtime) -> int:
    from alpr.data.models import Camera

    with rt.transaction() as session:
        return session.execute(select(Camera.id).where(Camera.name == "near")).scalar_one()


def test_correcting_a_description_keeps_the_original(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    _, ids = _world(rt)
    detective = make_user("rivera", "investigator").principal
    found = searches.canvass(
        rt,
        principal=detective,
        justification=WHY,
        lat=LAT,
        lon=LON,
        radius_m=500,
        start=T0 - timedelta(hours=1),
        end=T0 + timedelta(hours=1),
    )
    with pytest.raises(InvalidInput, match="why"):
        correct_vehicle(
            rt,
            principal=detective,
            search_id=found.search_id,
            read_id=ids["car"],
            colour="silver",
            reason="no",
        )
    correct_vehicle(
        rt,
        principal=detective,
        search_id=found.search_id,
        read_id=ids["car"],
        colour="silver",
        reason="The full image shows a silver sedan under a street light",
    )
    with pytest.raises(InvalidInput, match="already"):
        correct_vehicle(
            rt,
            principal=detective,
            search_id=found.search_id,
            read_id=ids["car"],
            colour="gray",
            reason="The full image shows a silver sedan under a street light",
        )
    with rt.transaction() as session:
        read = session.execute(select(Read).where(Read.id == ids["car"])).scalar_one()
        assert read.vehicle_colour == VehicleColour.BLACK  # as the models said
        [correction] = session.execute(select(ReadVehicleCorrection)).scalars()
        assert (correction.original, correction.corrected) == (
            VehicleColour.BLACK,
            VehicleColour.SILVER_GRAY,
        )
        record = session.execute(
            select(AccessRecord).where(AccessRecord.detail.like("vehicle description%"))
        ).scalar_one()
        assert record.username == "rivera" and record.result_ids == [ids["car"]]
    silver = Description(colour=VehicleColour.SILVER_GRAY)
    assert _described(rt, detective, silver) == {ids["car"]}
    assert _described(rt, detective, Description(colour=VehicleColour.BLACK)) == set()
    detail = read_detail(rt, principal=detective, search_id=found.search_id, read_id=ids["car"])
    assert [c[:3] for c in detail.vehicle_corrections] == [("colour", "black", "silver gray")]
