"""Investigations on both databases with reads whose answers are known (R11, R12, R20, R53):
radius and time-window edges, moving cameras, wildcard semantics, each fuzzy class, common
plates over three scenes, convoy ranking, and exactly one access record per search."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from alpr.data.models import AccessRecord, Plate, Read, Search
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import JustificationInput
from alpr.governance.investigations import searches
from alpr.governance.investigations.export import export_reads
from alpr.governance.investigations.follow_up import (
    correct_read,
    plate_watch,
    read_detail,
    read_thumbnails,
)
from alpr.governance.investigations.geo import destination
from alpr.governance.investigations.results import Scene
from alpr.governance.retention.evidence import export_evidence
from alpr.governance.runtime import Runtime
from alpr.plates import confusion_key
from tests.conftest import TestUser
from tests.integration.builders import World

WHY = JustificationInput(purpose="major_crime_canvass", case_number="26-04711")
T0 = datetime(2026, 11, 18, 6, 40, tzinfo=UTC)
LAT, LON = 37.6963, -122.4607


@pytest.fixture
def world(rt: Runtime) -> World:
    return World(rt)


@pytest.fixture
def detective(make_user: Callable[..., TestUser]) -> TestUser:
    return make_user("rivera", "investigator")


def _search_records(rt: Runtime) -> list[AccessRecord]:
    with rt.transaction() as session:
        return list(
            session.execute(
                select(AccessRecord).where(AccessRecord.event == "search").order_by(AccessRecord.id)
            ).scalars()
        )


def test_radius_edges_time_edges_and_moving_cameras(
    rt: Runtime, world: World, detective: TestUser
) -> None:
    world.camera("near", *destination(LAT, LON, bearing_deg=90, metres=480))
    world.camera("far", *destination(LAT, LON, bearing_deg=0, metres=560))
    world.camera("car", None, None, mobile=True)
    inside = destination(LAT, LON, bearing_deg=90, metres=499)
    outside = destination(LAT, LON, bearing_deg=90, metres=501)
    world.read("IN499", "near", T0, *inside)
    world.read("OUT501", "near", T0, *outside)
    # North-south and diagonal edges too: the ellipsoid, not a sphere, decides (a sphere is
    # off by more than a metre at 500 m, on either side depending on the bearing).
    for bearing in (0, 225):
        world.read(
            f"IN{bearing}", "near", T0, *destination(LAT, LON, bearing_deg=bearing, metres=499)
        )
        world.read(
            f"OUT{bearing}", "near", T0, *destination(LAT, LON, bearing_deg=bearing, metres=501)
        )
    world.read("START", "near", T0 - timedelta(minutes=30), *inside)
    world.read("END", "near", T0 + timedelta(minutes=30), *inside)
    world.read("EARLY", "near", T0 - timedelta(minutes=30, seconds=1), *inside)
    world.read("LATE", "near", T0 + timedelta(minutes=30, seconds=1), *inside)
    world.read("FARCAM", "far", T0, *destination(LAT, LON, bearing_deg=0, metres=560))
    world.read("CARIN", "car", T0, *destination(LAT, LON, bearing_deg=200, metres=300), mobile=True)
    world.read(
        "CAROUT", "car", T0, *destination(LAT, LON, bearing_deg=200, metres=900), mobile=True
    )
    result = searches.canvass(
        rt,
        principal=detective.principal,
        justification=WHY,
        lat=LAT,
        lon=LON,
        radius_m=500,
        start=T0 - timedelta(minutes=30),
        end=T0 + timedelta(minutes=30),
    )
    plates = {r.plate for r in result.result.reads}
    assert plates == {"IN499", "IN0", "IN225", "START", "END", "CARIN"}
    assert [c.name for c in result.result.cameras] == ["near"]
    by_plate = {r.plate: r for r in result.result.reads}
    assert by_plate["IN499"].distance_m == 499.0 and by_plate["IN225"].distance_m == 499.0
    [record] = _search_records(rt)
    assert record.result_count == 6 and sorted(record.result_ids or []) == sorted(
        r.id for r in result.result.reads
    )
    assert record.query and record.query["radius_m"] == 500 and record.query["kind"] == "canvass"


def test_polygon_canvass(rt: Runtime, world: World, detective: TestUser) -> None:
    world.camera("cam", LAT, LON)
    world.read("INSIDE", "cam", T0, LAT + 0.0005, LON + 0.0005)
    world.read("OUTSIDE", "cam", T0, LAT - 0.002, LON)
    polygon = (
        f"POLYGON(({LON - 0.001} {LAT - 0.001}, {LON + 0.002} {LAT - 0.001}, "
        f"{LON + 0.002} {LAT + 0.002}, {LON - 0.001} {LAT + 0.002}, "
        f"{LON - 0.001} {LAT - 0.001}))"
    )
    result = searches.canvass(
        rt,
        principal=detective.principal,
        justification=WHY,
        polygon_wkt=polygon,
        start=T0 - timedelta(hours=1),
        end=T0,
    )
    assert {r.plate for r in result.result.reads} == {"INSIDE"}


def _plates(rt: Runtime, detective: TestUser, pattern: str, **kw: object) -> dict[str, str]:
    result = searches.plate_search(
        rt,
        principal=detective.principal,
        justification=WHY,
        pattern=pattern,
        start=T0 - timedelta(days=1),
        end=T0 + timedelta(days=1),
        **kw,
    )  # type: ignore[arg-type]
    return {h.read.plate: h.match for h in result.result}


def test_wildcards_fuzzy_classes_and_substitution(
    rt: Runtime, world: World, detective: TestUser
) -> None:
    world.camera("cam", LAT, LON)
    for plate in (
        "7ABC123",
        "7ABX123",
        "7AB12",
        "8ABC123",
        "7A8C123",
        "7ABC1Z3",
        "7ABD123",
        "7A6C123",
        "7ABC12",
        "7QBC123",
    ):
        world.read(plate, "cam", T0, LAT, LON)
    assert set(_plates(rt, detective, "7AB*123")) == {"7ABC123", "7ABX123", "7ABD123"}
    assert set(_plates(rt, detective, "7AB?123")) == {"7ABC123", "7ABX123", "7ABD123"}
    assert set(_plates(rt, detective, "7AB*")) == {
        "7ABC123",
        "7ABX123",
        "7AB12",
        "7ABC1Z3",
        "7ABD123",
        "7ABC12",
    }
    assert set(_plates(rt, detective, "?ABC123")) == {"7ABC123", "8ABC123"}
    assert set(_plates(rt, detective, "7?B?1?3")) == {
        "7ABC123",
        "7ABX123",
        "7ABC1Z3",
        "7ABD123",
        "7QBC123",
    }
    fuzzy = _plates(rt, detective, "7ABC123", fuzzy=True)
    assert fuzzy["7ABC123"] == "exact"
    assert fuzzy["7A8C123"] == "confusion"  # 8/B
    assert fuzzy["7ABC1Z3"] == "confusion"  # 2/Z
    assert not {"7ABD123", "8ABC123", "7A6C123", "7QBC123"} & set(fuzzy)


def test_each_confusion_class(rt: Runtime, world: World, detective: TestUser) -> None:
    world.camera("cam", LAT, LON)
    pairs = {"O": "0", "D": "Q", "1": "I", "L": "T", "8": "B", "5": "S", "2": "Z", "6": "G"}
    for read_as, actual in pairs.items():
        world.read(f"X{read_as}Y{read_as}", "cam", T0, LAT, LON)
        found = _plates(rt, detective, f"X{actual}Y{actual}", fuzzy=True)
        assert found.get(f"X{read_as}Y{read_as}") == "confusion", (read_as, actual, found)
        assert f"X{read_as}Y{read_as}" not in _plates(rt, detective, f"X{actual}Y{actual}")


def test_one_substitution_is_separate_from_confusions(
    rt: Runtime, world: World, detective: TestUser
) -> None:
    world.camera("cam", LAT, LON)
    world.read("7ABC123", "cam", T0, LAT, LON)
    world.read("7AXC123", "cam", T0, LAT, LON)
    assert "7AXC123" not in _plates(rt, detective, "7ABC123", fuzzy=True)
    assert _plates(rt, detective, "7ABC123", substitution=True)["7AXC123"] == "substitution"


def test_wildcard_breadth_needs_approval(
    rt: Runtime, world: World, detective: TestUser, make_user: Callable[..., TestUser]
) -> None:
    world.camera("cam", LAT, LON)
    world.read("7ABC123", "cam", T0, LAT, LON)
    with pytest.raises(Refusal, match="at least 3 are required") as exc:
        _plates(rt, detective, "7?????1")
    assert exc.value.kind is RefusalKind.BOUNDS
    sergeant = make_user("brooks", "sergeant")
    found = _plates(
        rt,
        detective,
        "7??C???",
        approver=sergeant.principal,
        approval_note="Homicide: witness saw only two characters",
    )
    assert "7ABC123" in found


def test_one_substitution_needs_one_more_known_character(
    rt: Runtime, world: World, detective: TestUser, make_user: Callable[..., TestUser]
) -> None:
    """Field note 6: with one substituted character allowed, only all but one of a pattern's
    known characters need match, so the pattern needs one more than the policy's minimum;
    below it the search is refused (and recorded) unless a sergeant approves it."""
    world.camera("cam", LAT, LON)
    for plate in ("7ABC123", "9X1Y2Z", "4X8Y2Z3"):
        world.read(plate, "cam", T0, LAT, LON)
    assert set(_plates(rt, detective, "*1*2*3*", fuzzy=True)) == {"7ABC123"}
    with pytest.raises(Refusal) as exc:
        _plates(rt, detective, "*1*2*3*", fuzzy=True, substitution=True)
    assert exc.value.kind is RefusalKind.BOUNDS
    assert "pattern *1*2*3* has 3 known characters; at least 4 are required" in (exc.value.message)
    assert _search_records(rt)[-1].outcome == "refused"
    sergeant = make_user("brooks", "sergeant")
    approved = _plates(
        rt,
        detective,
        "*1*2*3*",
        substitution=True,
        approver=sergeant.principal,
        approval_note="Witness sure of three digits, not of which",
    )
    assert set(approved) == {"7ABC123", "9X1Y2Z", "4X8Y2Z3"}
    assert _plates(rt, detective, "7AB*23", substitution=True)["7ABC123"] == "exact"


def test_history_and_correction_found_by_both_plates(
    rt: Runtime, world: World, detective: TestUser
) -> None:
    world.camera("cam", LAT, LON)
    misread = world.read("7ABC128", "cam", T0, LAT, LON)
    world.read("7ABC123", "cam", T0 + timedelta(hours=1), LAT, LON)
    first = searches.plate_history(
        rt, principal=detective.principal, justification=WHY, plate="7ABC128"
    )
    correct_read(
        rt,
        principal=detective.principal,
        search_id=first.search_id or 0,
        read_id=misread,
        corrected_plate="7ABC123",
        reason="Image shows 3, not 8",
    )
    history = searches.plate_history(
        rt, principal=detective.principal, justification=WHY, plate="7abc-123"
    )
    assert [r.plate for r in history.result.reads] == ["7ABC123", "7ABC128"]
    assert history.result.reads[1].corrected_plate == "7ABC123"
    original = searches.plate_history(
        rt, principal=detective.principal, justification=WHY, plate="7ABC128"
    )
    assert [r.id for r in original.result.reads] == [misread]


def test_plate_history_is_bounded_as_a_plate_search(
    rt: Runtime, world: World, detective: TestUser, make_user: Callable[..., TestUser]
) -> None:
    """R21: a plate's history covers the policy's plate search window, by default ending now;
    a back-dated read beyond it is not shown, and a longer window is refused (and recorded)
    unless a sergeant approves it, as a plate search over the same period is."""
    world.camera("cam", LAT, LON)
    recent = world.read("7ABC123", "cam", T0, LAT, LON)
    old = world.read("7ABC123", "cam", datetime(2026, 3, 1, 12, tzinfo=UTC), LAT, LON)
    default = searches.plate_history(
        rt, principal=detective.principal, justification=WHY, plate="7ABC123"
    )
    assert [r.id for r in default.result.reads] == [recent]
    assert default.result.end == rt.now()
    assert default.result.start == rt.now() - timedelta(days=90)
    since_march = datetime(2026, 2, 1, tzinfo=UTC)
    with pytest.raises(Refusal, match=r"time window 293 days exceeds 90 days") as exc:
        searches.plate_history(
            rt, principal=detective.principal, justification=WHY, plate="7ABC123", start=since_march
        )
    assert exc.value.kind is RefusalKind.BOUNDS
    assert _search_records(rt)[-1].outcome == "refused"
    approved = searches.plate_history(
        rt,
        principal=detective.principal,
        justification=WHY,
        plate="7ABC123",
        start=since_march,
        approver=make_user("brooks", "sergeant").principal,
        approval_note="Homicide suspect: where the car was since the spring",
    )
    assert [r.id for r in approved.result.reads] == [recent, old]


def test_convoy_is_bounded_as_a_plate_search(
    rt: Runtime, world: World, detective: TestUser, make_user: Callable[..., TestUser]
) -> None:
    """R21: a convoy search covers the policy's plate search window; ten years are refused
    (and recorded) unless a sergeant approves, and one pass together is not a convoy."""
    world.camera("cam", LAT, LON)
    world.read("TARGET1", "cam", T0, LAT, LON)
    world.read("BUDDY1", "cam", T0 + timedelta(seconds=3), LAT, LON)
    decade = {"start": datetime(2016, 1, 1, tzinfo=UTC), "end": datetime(2026, 1, 1, tzinfo=UTC)}
    with pytest.raises(Refusal, match=r"time window 3653 days exceeds 90 days") as exc:
        searches.convoy(
            rt, principal=detective.principal, justification=WHY, plate="TARGET1", **decade
        )
    assert exc.value.kind is RefusalKind.BOUNDS
    assert _search_records(rt)[-1].outcome == "refused"
    with pytest.raises(InvalidInput, match="between 2 and"):
        searches.convoy(
            rt, principal=detective.principal, justification=WHY, plate="TARGET1", min_times=1
        )
    approved = searches.convoy(
        rt,
        principal=detective.principal,
        justification=WHY,
        plate="TARGET1",
        approver=make_user("brooks", "sergeant").principal,
        approval_note="Gang case: the target's associates over the years",
        **decade,
    )
    assert approved.result == []  # the reads are newer than the decade asked for
    assert len(_search_records(rt)) == 2


def test_common_plates_over_three_scenes(rt: Runtime, world: World, detective: TestUser) -> None:
    spots = [destination(LAT, LON, bearing_deg=b, metres=3000) for b in (0, 120, 240)]
    scenes = []
    for index, (lat, lon) in enumerate(spots):
        world.camera(f"c{index}", lat, lon)
        at = T0 + timedelta(days=index)
        world.read("SERIAL1", f"c{index}", at, lat, lon)
        if index < 2:
            world.read("TWICE", f"c{index}", at, lat, lon)
        world.read(f"ONCE{index}", f"c{index}", at, lat, lon)
        scenes.append(Scene(lat, lon, 200, at - timedelta(minutes=30), at + timedelta(minutes=30)))
    all3 = searches.common_plates(
        rt, principal=detective.principal, justification=WHY, scenes=scenes, min_scenes=3
    )
    assert [(c.plate, c.scenes) for c in all3.result] == [("SERIAL1", [0, 1, 2])]
    two = searches.common_plates(
        rt, principal=detective.principal, justification=WHY, scenes=scenes, min_scenes=2
    )
    assert [c.plate for c in two.result] == ["SERIAL1", "TWICE"]
    serial = two.result[0]  # each read says at which scene it was taken
    assert sorted(serial.read_scenes.values()) == [[0], [1], [2]]
    overlapping = [scenes[0], replace(scenes[0], radius_m=300)]  # one read inside both
    [both] = [
        c
        for c in searches.common_plates(
            rt, principal=detective.principal, justification=WHY, scenes=overlapping
        ).result
        if c.plate == "SERIAL1"
    ]
    assert len(both.reads) == len(both.read_scenes) == 1  # listed once, at both scenes
    assert list(both.read_scenes.values()) == [[0, 1]]


def test_one_place_cut_into_scenes_is_bounded_as_one_canvass(
    rt: Runtime, world: World, detective: TestUser, make_user: Callable[..., TestUser]
) -> None:
    """Ten scenes of 72 h each at one place are a 30-day canvass of its cameras: the scenes
    that share a camera are bounded by the canvass window together, and beyond it a sergeant
    approves; serial scenes at different places are not."""
    world.camera("store", LAT, LON)
    for day in range(0, 30, 3):
        world.read("REGULAR1", "store", T0 - timedelta(days=day, hours=1), LAT, LON)
    pieces = [
        Scene(LAT, LON, 200, T0 - timedelta(days=3 * (n + 1)), T0 - timedelta(days=3 * n))
        for n in range(10)
    ]
    with pytest.raises(Refusal, match=r"cover the same cameras for 720\.0 h together") as exc:
        searches.common_plates(rt, principal=detective.principal, justification=WHY, scenes=pieces)
    assert exc.value.kind is RefusalKind.BOUNDS
    approved = searches.common_plates(
        rt,
        principal=detective.principal,
        justification=WHY,
        scenes=pieces,
        approver=make_user("brooks", "sergeant").principal,
        approval_note="Burglary series at the store: who comes back",
    )
    assert [c.plate for c in approved.result] == ["REGULAR1"]
    twice = [  # the same store robbed twice: two short windows are well within the bound
        Scene(LAT, LON, 200, T0 - timedelta(days=9, hours=1), T0 - timedelta(days=9)),
        Scene(LAT, LON, 200, T0 - timedelta(hours=2), T0),
    ]
    searches.common_plates(rt, principal=detective.principal, justification=WHY, scenes=twice)


def test_convoy_ranks_by_times_together(rt: Runtime, world: World, detective: TestUser) -> None:
    world.camera("a", LAT, LON)
    world.camera("b", LAT + 0.01, LON)
    for day in range(4):
        at = T0 - timedelta(days=day)
        cam = "a" if day % 2 else "b"
        world.read("TARGET1", cam, at, LAT, LON)
        world.read("BUDDY1", cam, at + timedelta(seconds=3), LAT, LON)
        if day < 2:
            world.read("BUDDY2", cam, at - timedelta(seconds=8), LAT, LON)
        world.read("STRANGER", cam, at + timedelta(seconds=40), LAT, LON)
    world.read("ONCE", "a", T0 - timedelta(days=1, seconds=-2), LAT, LON)
    result = searches.convoy(
        rt,
        principal=detective.principal,
        justification=WHY,
        plate="TARGET1",
        within_s=10,
        end=T0 + timedelta(minutes=1),
    )
    assert [(c.plate, c.times_together) for c in result.result] == [("BUDDY1", 4), ("BUDDY2", 2)]


def test_each_search_writes_exactly_one_access_record(
    rt: Runtime, world: World, detective: TestUser
) -> None:
    world.camera("cam", LAT, LON)
    read_id = world.read("7ABC123", "cam", T0, LAT, LON)
    result = searches.plate_history(
        rt, principal=detective.principal, justification=WHY, plate="7ABC123"
    )
    assert len(_search_records(rt)) == 1
    detail = read_detail(
        rt, principal=detective.principal, search_id=result.search_id or 0, read_id=read_id
    )
    assert detail.read.plate == "7ABC123"
    data = export_reads(
        rt,
        principal=detective.principal,
        search_id=result.search_id or 0,
        rows=result.result.reads,
        fmt="csv",
    )
    text = data.decode()
    assert "# Purpose: Canvass around a major crime scene   Case: 26-04711\n" in text
    assert "# Query: Plate history: the reads of plate 7ABC123, from 2026-08-22 " in text
    assert "\nread_id,plate,corrected_plate,captured_at," in text and "7ABC123" in text
    pdf = export_reads(
        rt,
        principal=detective.principal,
        search_id=result.search_id or 0,
        rows=result.result.reads,
        fmt="pdf",
    )
    assert pdf.startswith(b"%PDF")
    with rt.transaction() as session:
        events = dict(
            session.execute(
                select(AccessRecord.event, func.count())
                .group_by(AccessRecord.event)
                .where(AccessRecord.username == "rivera")
            ).all()
        )
    assert events == {"search": 1, "view_read": 1, "export": 2}


def test_reads_of_another_persons_search_are_refused(
    rt: Runtime, world: World, detective: TestUser, make_user: Callable[..., TestUser]
) -> None:
    world.camera("cam", LAT, LON)
    read_id = world.read("7ABC123", "cam", T0, LAT, LON)
    result = searches.plate_history(
        rt, principal=detective.principal, justification=WHY, plate="7ABC123"
    )
    other = make_user("nosy", "investigator")
    with pytest.raises(Refusal, match="your own"):
        read_detail(rt, principal=other.principal, search_id=result.search_id or 0, read_id=read_id)


def test_canvass_beyond_bounds_is_refused_without_approval(
    rt: Runtime, world: World, detective: TestUser
) -> None:
    world.camera("cam", LAT, LON)
    with pytest.raises(Refusal, match="radius 5000 m exceeds 1000 m"):
        searches.canvass(
            rt,
            principal=detective.principal,
            justification=WHY,
            lat=LAT,
            lon=LON,
            radius_m=5000,
            start=T0 - timedelta(hours=1),
            end=T0,
        )
    with pytest.raises(Refusal, match=r"time window 240\.0 h exceeds 72 h"):
        searches.canvass(
            rt,
            principal=detective.principal,
            justification=WHY,
            lat=LAT,
            lon=LON,
            radius_m=200,
            start=T0 - timedelta(days=10),
            end=T0,
        )
    assert {r.outcome for r in _search_records(rt)} == {"refused"}


def test_a_search_opens_and_exports_only_the_reads_it_found(
    rt: Runtime, world: World, detective: TestUser
) -> None:
    world.camera("cam", LAT, LON)
    found_id = world.read("7ABC123", "cam", T0, LAT, LON)
    other_id = world.read("8XYZ999", "cam", T0, LAT, LON)
    result = searches.plate_history(
        rt, principal=detective.principal, justification=WHY, plate="7ABC123"
    )
    search_id = result.search_id or 0
    with pytest.raises(Refusal, match="did not find these reads"):
        read_detail(rt, principal=detective.principal, search_id=search_id, read_id=other_id)
    with pytest.raises(Refusal, match="did not find these reads"):
        correct_read(
            rt,
            principal=detective.principal,
            search_id=search_id,
            read_id=other_id,
            corrected_plate="8XYZ998",
            reason="Image shows 8 at the end",
        )
    others = searches.plate_history(
        rt, principal=detective.principal, justification=WHY, plate="8XYZ999"
    ).result.reads
    with pytest.raises(Refusal, match="did not find these reads"):
        export_reads(
            rt,
            principal=detective.principal,
            search_id=search_id,
            rows=[*result.result.reads, *others],
            fmt="csv",
        )
    pdf = export_reads(
        rt, principal=detective.principal, search_id=search_id, rows=result.result.reads, fmt="pdf"
    )
    assert b"/Subtype /Image" in pdf  # the map of the reads
    assert (
        read_detail(
            rt, principal=detective.principal, search_id=search_id, read_id=found_id
        ).read.plate
        == "7ABC123"
    )


def test_an_attempt_on_another_persons_search_or_its_unfound_reads_is_recorded(
    rt: Runtime,
    world: World,
    detective: TestUser,
    make_user: Callable[..., TestUser],
    tmp_path: Path,
) -> None:
    """R20, R24: a follow-up refused because the search is someone else's, or did not find the
    read, is in the access log like every refused search (the public page says refused
    attempts are recorded), naming the search it tried to use; nothing is shown or written."""
    world.camera("cam", LAT, LON)
    found_id = world.read("7ABC123", "cam", T0, LAT, LON)
    other_id = world.read("8XYZ999", "cam", T0, LAT, LON)
    result = searches.plate_history(
        rt, principal=detective.principal, justification=WHY, plate="7ABC123"
    )
    search_id = result.search_id or 0
    colleague = make_user("kim", "investigator").principal
    attempts: list[Callable[[], object]] = [
        lambda: read_detail(rt, principal=colleague, search_id=search_id, read_id=found_id),
        lambda: read_thumbnails(rt, principal=colleague, search_id=search_id, read_ids=[found_id]),
        lambda: plate_watch(rt, principal=colleague, search_id=search_id),
        lambda: export_reads(
            rt, principal=colleague, search_id=search_id, rows=result.result.reads, fmt="csv"
        ),
        lambda: export_evidence(
            rt,
            principal=colleague,
            case_number="26-04711",
            out=tmp_path / "package",
            medium="USB drive 7",
            search_id=search_id,
        ),
        lambda: read_detail(
            rt, principal=detective.principal, search_id=search_id, read_id=other_id
        ),
    ]
    for attempt in attempts:
        with pytest.raises(Refusal, match=r"own justified searches|did not find these reads"):
            attempt()
    assert not (tmp_path / "package").exists()
    with rt.transaction() as session:
        refused = session.execute(
            select(AccessRecord.username, AccessRecord.event, AccessRecord.query)
            .where(AccessRecord.outcome == "refused")
            .order_by(AccessRecord.id)
        ).all()
    assert [(name, event) for name, event, _ in refused] == [
        ("kim", "view_read"),
        ("kim", "view_read"),
        ("kim", "view_read"),
        ("kim", "export"),
        ("kim", "export"),
        ("rivera", "view_read"),
    ]
    assert all((query or {}).get("search_id") == search_id for _, _, query in refused)


def test_history_pages_go_back_in_time_without_losing_a_read(
    rt: Runtime, world: World, detective: TestUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Older reads remain only while there are some; two reads at the same instant on a
    page's edge both come back, and every page is its own recorded search."""
    monkeypatch.setattr(searches, "HISTORY_PAGE", 2)
    world.camera("north", LAT, LON)
    world.camera("south", LAT - 0.01, LON)
    instants = [T0, T0 - timedelta(hours=1), T0 - timedelta(hours=1), T0 - timedelta(hours=2)]
    for at, camera in zip(instants, ["north", "north", "south", "north"], strict=True):
        world.read("7ABC123", camera, at, LAT, LON)
    pages, before = [], None
    while True:
        page = searches.plate_history(
            rt, principal=detective.principal, justification=WHY, plate="7ABC123", before=before
        )
        pages.append(page)
        if page.result.older is None:
            break
        before = page.result.older
    assert [len(page.result.reads) for page in pages] == [2, 2]
    seen = [r.captured_at for page in pages for r in page.result.reads]
    assert seen == instants and len({r.id for page in pages for r in page.result.reads}) == 4
    with rt.transaction() as session:
        recorded = [
            session.get(Search, page.search_id).params
            for page in pages  # type: ignore[union-attr]
        ]
    assert "before" not in recorded[0] and recorded[1]["before_id"] == pages[0].result.reads[-1].id


def test_a_search_of_thousands_of_reads_opens_only_those_it_found(
    rt: Runtime, world: World, detective: TestUser
) -> None:
    """However many reads a search returns, a read it did not return stays closed: the access
    record keeps every read id, so no large result unlocks the rest of the database (R04)."""
    world.camera("busy", LAT, LON)
    far_lat, far_lon = destination(LAT, LON, bearing_deg=90, metres=3500)
    world.camera("far", far_lat, far_lon)
    elsewhere = world.read("8XYZ999", "far", T0, far_lat, far_lon)
    with rt.engine.begin() as conn:
        conn.execute(
            insert(Read),
            [
                {
                    "captured_at": T0 - timedelta(seconds=n),
                    "camera_id": world.cameras["busy"],
                    "plate": f"7B{n:05d}",
                    "confidence": 0.9,
                    "lat": LAT,
                    "lon": LON,
                    "is_mobile": False,
                    "retained": False,
                }
                for n in range(5200)
            ],
        )
        conn.execute(
            insert(Plate),
            [
                {"plate": f"7B{n:05d}", "confusion_key": confusion_key(f"7B{n:05d}")}
                for n in range(5200)
            ],
        )
    found = searches.canvass(
        rt,
        principal=detective.principal,
        justification=WHY,
        lat=LAT,
        lon=LON,
        radius_m=200,
        start=T0 - timedelta(hours=3),
        end=T0,
    )
    reads = found.result.reads
    assert len(reads) == 5200
    search_id = found.search_id or 0
    last = read_detail(rt, principal=detective.principal, search_id=search_id, read_id=reads[-1].id)
    assert last.read.plate == reads[-1].plate
    with pytest.raises(Refusal, match="did not find these reads"):
        read_detail(rt, principal=detective.principal, search_id=search_id, read_id=elsewhere)
    partial = searches.plate_search(
        rt,
        principal=detective.principal,
        justification=WHY,
        pattern="7B0*",
        start=T0 - timedelta(days=1),
        end=T0,
    )
    assert len(partial.result) == 5200
    with rt.transaction() as session:
        records = {
            record.search_id: record
            for record in session.execute(
                select(AccessRecord).where(AccessRecord.event == "search")
            ).scalars()
        }
    for search in (search_id, partial.search_id):  # a breach report names every plate shown
        assert len(records[search].result_ids or []) == 5200, search
        assert len(records[search].plates or []) >= 5200, search
