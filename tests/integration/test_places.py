"""The agency's places on both databases: street lines and address points loaded from the
county's GeoJSON or CSV as an administered act (in the access log; refused to a role without
it, the whole file refused for one bad feature), intersections derived where street lines
cross, and addresses and intersections found by the words a detective types (R11)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from alpr.data.demo.city import INTERSECTIONS
from alpr.data.demo.places import PLACES_FILE, places_geojson
from alpr.data.models import AccessRecord, Place
from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.places import find_places, import_places, streets_near
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser


def _line(name: str, *coords: tuple[float, float]) -> dict[str, object]:
    return {
        "type": "Feature",
        "properties": {"NAME": name},
        "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]},
    }


def _point(name: str, lon: float, lat: float) -> dict[str, object]:
    return {
        "type": "Feature",
        "properties": {"address": name},
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }


def county_file(*extra: dict[str, object]) -> str:
    """Main Street runs east-west across Oak Avenue (north-south) and Pine Rd (a T-junction)."""
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                _line("Main Street", (-122.470, 37.700), (-122.460, 37.700)),
                _line("Oak Avenue", (-122.465, 37.695), (-122.465, 37.705)),
                _line("Pine Rd", (-122.462, 37.700), (-122.462, 37.696)),
                _point("1200 Main Street", -122.4668, 37.7001),
                _point("1210 Main Street", -122.4664, 37.7001),
                *extra,
            ],
        }
    )


def _places(rt: Runtime) -> int:
    with rt.transaction() as session:
        return session.execute(select(func.count()).select_from(Place)).scalar_one()


def test_a_county_file_loads_streets_addresses_and_derived_intersections(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    admin = make_user("gis_admin", "administrator")
    done = import_places(
        rt, actor=admin.principal, data=county_file(), fmt="geojson", source="county 2026"
    )
    assert (done.streets, done.addresses, done.intersections, done.replaced) == (3, 2, 0 + 2, 0)
    crossing = find_places(rt, text="oak and main")
    assert crossing[0].name == "Main Street & Oak Avenue" and crossing[0].kind == "intersection"
    assert (round(crossing[0].lat, 6), round(crossing[0].lon, 6)) == (37.7, -122.465)
    assert find_places(rt, text="Main St at Pine Road")[0].name == "Main Street & Pine Rd"
    assert [p.name for p in find_places(rt, text="1210 main st")] == ["1210 Main Street"]
    assert find_places(rt, text="  &  ") == []
    with rt.transaction() as session:
        record = session.execute(
            select(AccessRecord).where(AccessRecord.detail.like("places from county 2026%"))
        ).scalar_one()
    assert record.username == "gis_admin" and record.outcome == "success"
    # The same source again replaces what it loaded: nothing twice.
    again = import_places(
        rt, actor=admin.principal, data=county_file(), fmt="geojson", source="county 2026"
    )
    assert again.replaced == 5 and _places(rt) == 7
    near = streets_near(rt, lat=37.7, lon=-122.465, reach_m=300)
    assert sorted(s.name for s in near) == ["Main Street", "Oak Avenue", "Pine Rd"]
    assert streets_near(rt, lat=37.8, lon=-122.465, reach_m=300) == []


def test_csv_addresses_load_and_are_found(rt: Runtime) -> None:
    done = import_places(
        rt,
        actor=None,
        data="Address,Lat,Lon\n55 Crocker Ave,37.6959,-122.4590\n"
        "57 Crocker Ave,37.6960,-122.4589\n",
        fmt="csv",
        source="addresses.csv",
    )
    assert (done.streets, done.addresses, done.intersections) == (0, 2, 0)
    assert [p.name for p in find_places(rt, text="crocker avenue 57")] == ["57 Crocker Ave"]


@pytest.mark.parametrize(
    ("data", "fmt", "said"),
    [
        ("{not json", "geojson", "not GeoJSON"),
        ('{"type": "Feature"}', "geojson", "not a GeoJSON FeatureCollection"),
        (county_file(_line("", (-122.46, 37.7), (-122.45, 37.7))), "geojson", "feature 6 has no"),
        (county_file(_point("1 Far Away", -222.0, 37.7)), "geojson", "feature 6: coordinates"),
        (
            county_file(
                {"type": "Feature", "properties": {"name": "Lake"}, "geometry": {
                    "type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}
            ),
            "geojson",
            "feature 6: a Polygon",
        ),
        ("address,lat,lon\n1 Main St,north,-122.4\n", "csv", "line 2: lat 'north'"),
        ("street,lat\n1 Main St,37.7\n", "csv", "columns address, lat, lon"),
        ('{"a":' * 100_000, "geojson", "nested too deep"),
    ],
)  # fmt: skip
def test_one_bad_feature_refuses_the_whole_file(
    rt: Runtime, data: str, fmt: str, said: str
) -> None:
    with pytest.raises(InvalidInput, match=said):
        import_places(rt, actor=None, data=data, fmt=fmt, source="bad file")
    assert _places(rt) == 0


def test_a_role_without_the_permission_is_refused_and_recorded(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    officer = make_user("patrol1", "patrol")
    with pytest.raises(Refusal):
        import_places(
            rt, actor=officer.principal, data=county_file(), fmt="geojson", source="county"
        )
    assert _places(rt) == 0
    with rt.transaction() as session:
        refused = session.execute(
            select(AccessRecord).where(AccessRecord.outcome == "refused")
        ).scalar_one()
    assert refused.username == "patrol1" and "import places from county" in (refused.detail or "")


def test_every_demo_camera_corner_is_an_intersection_of_the_demo_streets(rt: Runtime) -> None:
    """The demo's cameras stand on its streets: each camera's corner, typed as its name, is
    found at the camera (within 5 m)."""
    done = import_places(rt, actor=None, data=places_geojson(), fmt="geojson", source="demo city")
    assert done.streets >= 40 and done.addresses > 1000
    for corner, lat, lon, _ in INTERSECTIONS:
        found = find_places(rt, text=corner)[0]
        assert found.kind == "intersection", corner
        assert set(found.name.split(" & ")) == set(corner.split(" & "))
        metres = math.hypot(
            (found.lat - lat) * 111_320, (found.lon - lon) * 111_320 * math.cos(math.radians(lat))
        )
        assert metres < 5, (corner, metres)


def test_the_shipped_demo_places_are_what_the_script_writes(tmp_path: Path) -> None:
    out = tmp_path / "places.geojson"
    script = Path(__file__).resolve().parents[2] / "scripts" / "make_demo_places.py"
    subprocess.run([sys.executable, str(script), str(out)], check=True, capture_output=True)
    assert out.read_bytes() == PLACES_FILE.read_bytes()


def test_a_canvass_keeps_the_address_chosen_and_its_report_says_it_in_words(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R11, R21: the scene's address is kept with the search and printed in the report."""
    from datetime import UTC, datetime, timedelta

    from alpr.data.models import Search
    from alpr.governance.gateway import JustificationInput
    from alpr.governance.investigations import searches
    from alpr.governance.investigations.export import _places_in_words

    detective = make_user("alvarez", "investigator")
    at = datetime(2026, 11, 18, 6, 40, tzinfo=UTC)
    found = searches.canvass(
        rt,
        principal=detective.principal,
        justification=JustificationInput(purpose="major_crime_canvass", case_number="26-04711"),
        lat=37.7,
        lon=-122.465,
        radius_m=300,
        start=at - timedelta(minutes=30),
        end=at,
        address="  Main Street &  Oak Avenue ",
    )
    with rt.transaction() as session:
        search = session.get(Search, found.search_id)
        assert search is not None and search.params["address"] == "Main Street & Oak Avenue"
        assert _places_in_words(search) == ["Scene at: Main Street & Oak Avenue"]
    with pytest.raises(InvalidInput, match="address"):
        searches.canvass(
            rt,
            principal=detective.principal,
            justification=JustificationInput(purpose="major_crime_canvass", case_number="1"),
            lat=37.7,
            lon=-122.465,
            radius_m=300,
            start=at - timedelta(minutes=30),
            end=at,
            address="x" * 201,
        )


def test_a_hold_placed_at_an_address_says_it_in_what_it_covers(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R31: a hold's area keeps the address it was placed at, shown in words."""
    from datetime import UTC, datetime, timedelta

    from alpr.governance.retention.holds import list_holds, place_hold
    from alpr.governance.scopes import ScopeInput
    from tests.integration.builders import World

    sergeant = make_user("brooks", "sergeant").principal
    end = datetime(2026, 11, 18, 7, 0, tzinfo=UTC)
    world = World(rt)
    world.camera("oak", 37.7, -122.465)
    world.read("7KQM482", "oak", end - timedelta(minutes=30), 37.7, -122.465)
    hold_id = place_hold(
        rt,
        principal=sergeant,
        case_number="26-04711",
        reason="Shooting scene reads are evidence",
        purpose="major_crime_canvass",
        scope=ScopeInput(
            start=end - timedelta(hours=2),
            end=end,
            lat=37.7,
            lon=-122.465,
            radius_m=300,
            address="Main Street & Oak Avenue",
        ),
    )
    [hold] = [h for h in list_holds(rt, principal=sergeant) if h.id == hold_id]
    assert "within 300 m of Main Street & Oak Avenue (37.70000, -122.46500)" in hold.covers
