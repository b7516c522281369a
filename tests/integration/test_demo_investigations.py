"""On the demo agency, the tell-tale vehicles of the seeded incidents are found the way a
detective would look for them: a canvass at the shooting, common plates across the burglary
series, the convoy of the shooting suspect (issue acceptance for investigations)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from alpr.data.demo import DemoSummary, seed_demo_data
from alpr.governance.gateway import JustificationInput
from alpr.governance.investigations import searches
from alpr.governance.investigations.results import Scene
from alpr.governance.runtime import Runtime
from tests.conftest import Clock, TestUser

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


def _seed(rt: Runtime, clock: Clock) -> DemoSummary:
    clock.now = NOW
    return seed_demo_data(rt.engine, image_store=rt.images, reads=8000, seed=7, now=NOW)


def test_demo_incidents_are_solved_by_the_searches(
    rt: Runtime, clock: Clock, make_user: Callable[..., TestUser]
) -> None:
    summary = _seed(rt, clock)
    detective = make_user("rivera", "investigator").principal
    shooting = summary.shooting
    found = searches.canvass(
        rt,
        principal=detective,
        justification=JustificationInput("major_crime_canvass", shooting.case_number),
        lat=shooting.scene.lat,
        lon=shooting.scene.lon,
        radius_m=shooting.scene.radius_m,
        start=shooting.scene.start,
        end=shooting.scene.end,
    )
    plates = {r.plate for r in found.result.reads}
    assert {shooting.telltale_plate, shooting.convoy_plate} <= plates
    partial = searches.plate_search(
        rt,
        principal=detective,
        justification=JustificationInput("wanted_vehicle", shooting.case_number),
        pattern=shooting.partial_plate,
        end=NOW,
    )
    assert shooting.telltale_plate in {h.read.plate for h in partial.result}
    companions = searches.convoy(
        rt,
        principal=detective,
        justification=JustificationInput("wanted_vehicle", shooting.case_number),
        plate=shooting.telltale_plate,
        end=NOW,
    )
    assert companions.result[0].plate == shooting.convoy_plate
    series = summary.burglaries
    common = searches.common_plates(
        rt,
        principal=detective,
        justification=JustificationInput("stolen_property", series.case_number),
        scenes=[Scene(s.lat, s.lon, s.radius_m, s.start, s.end) for s in series.scenes],
        min_scenes=3,
    )
    assert [c.plate for c in common.result] == [series.telltale_plate]
