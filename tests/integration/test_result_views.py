"""What a detective sees beside results, on both databases (R11-R13, R16): the plate crops of
a result table and a plate's hot-list entries and alerts, each a recorded view under the
justification of the search that found them, and refused for reads or plates it did not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from alpr.data.models import AccessRecord, Read
from alpr.governance import hotlists
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import JustificationInput
from alpr.governance.investigations import searches
from alpr.governance.investigations.follow_up import plate_watch, read_thumbnails
from alpr.governance.runtime import Runtime
from tests.conftest import Clock, TestUser
from tests.integration.builders import World

WHY = JustificationInput(purpose="stolen_vehicle", case_number="26-01234")


@pytest.fixture
def detective(make_user: Callable[..., TestUser]) -> TestUser:
    return make_user("rivera", "investigator")


def _views(rt: Runtime, kind: str) -> list[AccessRecord]:
    with rt.transaction() as session:
        return [
            r
            for r in session.execute(
                select(AccessRecord).where(AccessRecord.event == "view_read")
            ).scalars()
            if r.query and r.query.get("kind") == kind
        ]


def test_thumbnails_are_the_stored_crops_of_the_search_reads(
    rt: Runtime, detective: TestUser, clock: Clock
) -> None:
    """R16: the crops come only for reads the search found, and the view is recorded."""
    world = World(rt)
    world.camera("north", 37.7, -122.4)
    with_crop = world.read("7ABC123", "north", clock.now - timedelta(hours=2), 37.7, -122.4)
    without = world.read("7ABC123", "north", clock.now - timedelta(hours=1), 37.7, -122.4)
    other = world.read("8XYZ999", "north", clock.now - timedelta(hours=1), 37.7, -122.4)
    crop = b"\xff\xd8 a plate crop \xff\xd9"
    sha = rt.images.put(crop)
    with rt.transaction() as session:
        session.execute(update(Read).where(Read.id == with_crop).values(crop_sha256=sha))
    found = searches.plate_history(
        rt, principal=detective.principal, justification=WHY, plate="7ABC123"
    )
    assert found.search_id is not None
    shown = read_thumbnails(
        rt, principal=detective.principal, search_id=found.search_id, read_ids=[with_crop, without]
    )
    assert shown == {with_crop: crop}
    [record] = _views(rt, "thumbnails")
    assert record.search_id == found.search_id and record.result_ids == [with_crop]
    assert record.purpose == "stolen_vehicle" and record.case_number == "26-01234"
    with pytest.raises(Refusal) as refused:
        read_thumbnails(
            rt, principal=detective.principal, search_id=found.search_id, read_ids=[other]
        )
    assert refused.value.kind is RefusalKind.JUSTIFICATION


def test_plate_watch_lists_matching_entries_and_alerts_newest_first(
    rt: Runtime, detective: TestUser, clock: Clock
) -> None:
    """R12, R13: exact and partial entries that match, active first; the plate's alerts with
    their latest review; an unrelated entry or alert is not shown."""
    hotlists.ensure_list(rt, actor=None, name="SVS", kind="stolen_vehicle")
    world = World(rt)
    world.camera("north", 37.7, -122.4, place="Mission St & Geneva Ave")
    world.read("7KQM482", "north", clock.now - timedelta(days=3), 37.7, -122.4)
    world.read("7KQM482", "north", clock.now - timedelta(days=1), 37.7, -122.4)
    world.read("6ZZZ111", "north", clock.now - timedelta(days=1), 37.7, -122.4)
    _, retro = hotlists.add_entry(
        rt,
        actor=None,
        list_name="SVS",
        pattern="7KQ?48?",
        reason="Shooting",
        case_number="26-04711",
    )
    assert retro == 2
    hotlists.add_entry(
        rt,
        actor=None,
        list_name="SVS",
        pattern="7KQM482",
        reason="Stolen Honda",
        case_number="SVS-1",
        vehicle=("Honda", "Civic", "Silver"),
        priority="medium",
    )
    hotlists.add_entry(
        rt, actor=None, list_name="SVS", pattern="6ZZZ111", reason="Other", case_number="SVS-2"
    )
    found = searches.plate_history(
        rt, principal=detective.principal, justification=WHY, plate="7KQM482"
    )
    assert found.search_id is not None
    watch = plate_watch(rt, principal=detective.principal, search_id=found.search_id)
    assert watch.plate == "7KQM482"
    assert sorted(e.pattern for e in watch.entries) == ["7KQ?48?", "7KQM482"]
    stolen = next(e for e in watch.entries if e.pattern == "7KQM482")
    assert stolen.active and stolen.vehicle == "Silver Honda Civic"
    assert [a.captured_at for a in watch.alerts] == sorted(
        (a.captured_at for a in watch.alerts), reverse=True
    )
    assert len(watch.alerts) == 4 and watch.alerts[0].captured_at == clock.now - timedelta(days=1)
    assert all(a.disposition is None for a in watch.alerts)
    # each alert's camera named as the result tables name it: its place, then its code
    assert {a.where for a in watch.alerts} == {"Mission St & Geneva Ave (north)"}
    [record] = _views(rt, "plate_watch")
    assert record.search_id == found.search_id and record.plates == ["7KQM482"]
    assert record.result_count == 4


def test_plate_watch_only_from_ones_own_history_search(
    rt: Runtime, detective: TestUser, make_user: Callable[..., TestUser], clock: Clock
) -> None:
    """R16: another person's search, or a search that is not a plate history, opens nothing."""
    world = World(rt)
    world.camera("north", 37.7, -122.4)
    world.read("7KQM482", "north", clock.now - timedelta(days=1), 37.7, -122.4)
    found = searches.plate_history(
        rt, principal=detective.principal, justification=WHY, plate="7KQM482"
    )
    partial = searches.plate_search(
        rt, principal=detective.principal, justification=WHY, pattern="7KQ*"
    )
    assert found.search_id is not None and partial.search_id is not None
    colleague = make_user("chen", "investigator")
    with pytest.raises(Refusal):
        plate_watch(rt, principal=colleague.principal, search_id=found.search_id)
    with pytest.raises(InvalidInput):
        plate_watch(rt, principal=detective.principal, search_id=partial.search_id)
