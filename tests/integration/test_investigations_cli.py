"""The CLI door ``alpr search canvass|plate|history|common|convoy ... --as USER --json`` on both
databases: the JSON shapes the issue specifies, the same rules as the pages (a search without
justification is refused with exit 3 and logged), bad input as exit 2."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from alpr.data.models import AccessRecord, Read
from alpr.governance.investigations import searches
from alpr.governance.investigations.geo import destination
from alpr.governance.runtime import Runtime
from alpr.recognition.ingest import Ingestor, ReadRecord
from tests.conftest import CliRun
from tests.integration.builders import World

T0 = datetime.fromisoformat("2026-11-18T06:40:00+00:00")
LAT, LON = 37.6963, -122.4607
WHY = ["--purpose", "major_crime_canvass", "--case-number", "26-04711"]
READ_KEYS = {
    "id",
    "plate",
    "captured_at",
    "lat",
    "lon",
    "camera",
    "confidence",
    "matched_alternative",
    "alternative_score",
    "vehicle",
}


def _iso(at: datetime) -> str:
    return at.isoformat()


def test_canvass_plate_and_history_print_reads(rt: Runtime, search_cli: CliRun) -> None:
    world = World(rt)
    world.camera("near", LAT, LON)
    inside = world.read("7ABC123", "near", T0, *destination(LAT, LON, bearing_deg=90, metres=499))
    world.read("7ABC124", "near", T0, *destination(LAT, LON, bearing_deg=90, metres=501))
    window = ["--start", _iso(T0 - timedelta(hours=1)), "--end", _iso(T0 + timedelta(hours=1))]
    code, out = search_cli(
        "canvass",
        "--lat",
        str(LAT),
        "--lon",
        str(LON),
        "--radius-m",
        "500",
        *window,
        *WHY,
        "--json",
    )
    assert code == 0, out
    assert isinstance(out["search_id"], int)
    [read] = out["reads"]
    assert set(read) == READ_KEYS and read["id"] == inside and read["camera"] == "near"
    assert datetime.fromisoformat(read["captured_at"]) == T0

    square = (
        f"POLYGON(({LON - 0.008} {LAT - 0.004}, {LON + 0.008} {LAT - 0.004}, "
        f"{LON + 0.008} {LAT + 0.004}, {LON - 0.008} {LAT + 0.004}, {LON - 0.008} {LAT - 0.004}))"
    )
    code, out = search_cli("canvass", "--polygon", square, *window, *WHY, "--json")
    assert code == 0, out
    assert {r["plate"] for r in out["reads"]} == {"7ABC123", "7ABC124"}

    code, out = search_cli("plate", "7AB?12?", *window, *WHY, "--json")
    assert code == 0, out
    assert {r["plate"] for r in out["reads"]} == {"7ABC123", "7ABC124"}
    code, out = search_cli("plate", "7A8C123", "--fuzzy", *window, *WHY, "--json")
    assert code == 0, out
    assert [r["plate"] for r in out["reads"]] == ["7ABC123"]

    code, out = search_cli("history", "7abc 123", *WHY, "--json")
    assert code == 0, out
    assert [r["id"] for r in out["reads"]] == [inside]


def test_common_and_convoy_print_plates(rt: Runtime, search_cli: CliRun) -> None:
    world = World(rt)
    scenes = []
    for index in range(3):
        lat, lon = destination(LAT, LON, bearing_deg=120 * index, metres=3000)
        world.camera(f"c{index}", lat, lon)
        at = T0 + timedelta(hours=index)
        world.read("SERIAL1", f"c{index}", at, lat, lon)
        world.read("BUDDY1", f"c{index}", at + timedelta(seconds=4), lat, lon)
        if index:
            world.read("TWICE1", f"c{index}", at, lat, lon)
        start, end = _iso(at - timedelta(minutes=20)), _iso(at + timedelta(minutes=20))
        scenes += ["--scene", f"{lat},{lon},200,{start},{end}"]
    code, out = search_cli("common", *scenes, "--min-scenes", "2", *WHY, "--json")
    assert code == 0, out
    assert out["plates"] == [
        {"plate": "BUDDY1", "scenes": [0, 1, 2]},
        {"plate": "SERIAL1", "scenes": [0, 1, 2]},
        {"plate": "TWICE1", "scenes": [1, 2]},
    ]
    code, out = search_cli("convoy", "SERIAL1", "--within-s", "10", *WHY, "--json")
    assert code == 0, out
    assert out["plates"] == [
        {"plate": "BUDDY1", "times_together": 3},
        {"plate": "TWICE1", "times_together": 2},
    ]
    code, out = search_cli("convoy", "SERIAL1", "--within-s", "3", *WHY, "--json")
    assert code == 0 and out["plates"] == [{"plate": "TWICE1", "times_together": 2}]


def test_without_justification_refused_and_logged(rt: Runtime, search_cli: CliRun) -> None:
    code, out = search_cli("history", "7ABC123", "--json")
    assert code == 3 and out.startswith("refused (justification)"), out
    with rt.transaction() as session:
        [record] = session.execute(
            select(AccessRecord).where(AccessRecord.event == "search")
        ).scalars()
    assert record.outcome == "refused" and record.username == "rivera"
    code, out = search_cli("common", "--scene", "37.7,-122.4,200", *WHY, "--json")
    assert code == 2 and "LAT,LON,RADIUS_M,START,END" in out


@pytest.mark.parametrize(
    ("why", "refusal"),
    [
        (["--case-number", "26-04711", "--description", "for fun, my ex"], "personal use"),
        (["--case-number", "26-04711", "--description", "just curious"], "personal use"),
        (["--exigent", "--description", "x"], "must describe the life-safety emergency"),
        (["--exigent", "--case-number", "26-04711", "--description", "urgent"], "life-safety"),
        (["--exigent", "--case-number", "26-04711"], "must describe the life-safety emergency"),
    ],
)
def test_a_case_number_does_not_excuse_personal_use_nor_an_exigent_search_its_emergency(
    rt: Runtime, search_cli: CliRun, why: list[str], refusal: str
) -> None:
    """R15, R21: a case number skipped every reading of the description, so 'for fun, my ex'
    ran a search, and '--exigent --description x' went beyond the usual rules on no
    emergency. Both are refused (exit 3) and the refusal logged."""
    code, out = search_cli("history", "7ABC123", "--purpose", "missing_person", *why)
    assert code == 3 and out.startswith("refused (justification)") and refusal in out, out
    with rt.transaction() as session:
        outcome = session.execute(
            select(AccessRecord.outcome).where(AccessRecord.event == "search")
        ).scalar_one()
    assert outcome == "refused"


def test_an_exigent_search_saying_what_the_emergency_is_runs(
    rt: Runtime, search_cli: CliRun
) -> None:
    """R15: an exigent search that describes its emergency runs, with a case number or not."""
    emergency = "Child abducted from Westlake Park at 14:10 today, suspect vehicle grey van"
    for number in ([], ["--case-number", "26-04711"]):
        code, out = search_cli(
            "history",
            "7ABC123",
            "--purpose",
            "missing_person",
            "--exigent",
            "--description",
            emergency,
            *number,
            "--json",
        )
        assert code == 0, out


def test_history_pages_through_the_cli(
    rt: Runtime, search_cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(searches, "HISTORY_PAGE", 1)
    world = World(rt)
    world.camera("cam", LAT, LON)
    world.read("7ABC123", "cam", T0, LAT, LON)
    older = world.read("7ABC123", "cam", T0 - timedelta(hours=1), LAT, LON)
    code, out = search_cli("history", "7ABC123", *WHY)
    assert code == 0 and "older reads remain: --before " in out, out
    before = out.split("--before ")[1].split()[0]
    code, page = search_cli("history", "7ABC123", *WHY, "--before", before, "--json")
    assert code == 0 and [r["id"] for r in page["reads"]] == [older]
    code, out = search_cli("history", "7ABC123", *WHY, "--before", before)
    assert code == 0 and "remain" not in out, out
    code, out = search_cli("history", "7ABC123", *WHY, "--before", "yesterday")
    assert code != 0 and "TIME,READ_ID" in out


def test_history_beyond_the_plate_search_window_is_refused(rt: Runtime, search_cli: CliRun) -> None:
    """R21: ``alpr search history`` covers the policy's window ending now: a back-dated read
    is not listed, and asking for a longer window is refused (exit 3) as a plate search is;
    so is a convoy over years."""
    world = World(rt)
    world.camera("cam", LAT, LON)
    recent = world.read("7ABC123", "cam", T0, LAT, LON)
    world.read("7ABC123", "cam", datetime.fromisoformat("2026-03-01T12:00:00+00:00"), LAT, LON)
    code, out = search_cli("history", "7ABC123", *WHY, "--json")
    assert code == 0 and [r["id"] for r in out["reads"]] == [recent], out
    since = ["--start", "2026-02-01T00:00:00+00:00"]
    code, out = search_cli("history", "7ABC123", *since, *WHY, "--json")
    assert code == 3 and out.startswith("refused (bounds)") and "exceeds 90 days" in out, out
    years = ["--start", "2016-01-01T00:00:00+00:00", "--end", "2026-01-01T00:00:00+00:00"]
    code, out = search_cli("convoy", "7ABC123", *years, *WHY, "--json")
    assert code == 3 and "exceeds 90 days" in out, out


@pytest.mark.parametrize("read_id", ["99999999999999999999999", "9223372036854775808", "0"])
def test_a_before_read_number_no_database_holds_is_bad_input(
    rt: Runtime, search_cli: CliRun, read_id: str
) -> None:
    """A read number past a signed 64-bit integer is one line and exit 2, not an incident;
    nothing is searched."""
    code, out = search_cli(
        "history", "4BDA423", *WHY, "--before", f"2026-12-01T00:00:00Z,{read_id}"
    )
    assert code == 2, out
    [line] = out.strip().splitlines()
    assert "read number older reads are listed from is a whole number from 1 to" in line
    assert "incident" not in line
    with rt.transaction() as session:
        searched = select(AccessRecord.id).where(AccessRecord.event == "search")
        assert session.execute(searched).first() is None


def _ingest_readings(rt: Runtime) -> dict[str, int]:
    """Three passes through the ingest path: 7ABC123 read right; read as 7ABCI23 (1/I) with
    7ABC123 its second alternative; read as 7ABC128 with 7ABC123 a weaker alternative."""
    world = World(rt)
    camera = world.camera("near", LAT, LON)
    readings = {
        "right": ("7ABC123", [["7ABC123", 0.9], ["7A8C123", 0.05]]),
        "confused": ("7ABCI23", [["7ABCI23", 0.55], ["7ABC123", 0.35], ["7ABCL23", 0.05]]),
        "weaker": ("7ABC128", [["7ABC128", 0.6], ["7ABC123", 0.3]]),
    }
    records = [
        ReadRecord(
            camera_id=camera,
            captured_at=T0 + timedelta(minutes=minute),
            plate=plate,
            confidence=alternatives[0][1],  # type: ignore[arg-type]
            lat=LAT,
            lon=LON,
            alternatives=alternatives,
        )
        for minute, (plate, alternatives) in enumerate(readings.values())
    ]
    Ingestor(rt.engine, rt.images).store(records, now=T0 + timedelta(hours=1))
    with rt.transaction() as session:
        stored = {plate: read_id for plate, read_id in session.execute(select(Read.plate, Read.id))}
    return {name: stored[plate] for name, (plate, _) in readings.items()}


@pytest.mark.parametrize("pattern", ["7ABC123", "7AB?123"])
def test_plate_search_finds_reads_by_their_alternative_readings(
    rt: Runtime, search_cli: CliRun, pattern: str
) -> None:
    """R12: the plate searched is the second alternative of a read with one confused
    character: the read is found, below the exact read, marked with the alternative and its
    score; a weaker alternative that is no OCR confusion ranks last. The access record lists
    every read returned."""
    ids = _ingest_readings(rt)
    window = ["--start", _iso(T0 - timedelta(hours=1)), "--end", _iso(T0 + timedelta(hours=1))]
    code, out = search_cli("plate", pattern, *window, *WHY, "--json")
    assert code == 0, out
    found = [
        (r["id"], r["match"], r["matched_alternative"], r["alternative_score"])
        for r in out["reads"]
    ]
    assert found == [
        (ids["right"], "exact", None, None),
        (ids["confused"], "alternative", "7ABC123", 0.35),
        (ids["weaker"], "alternative", "7ABC123", 0.3),
    ]
    with rt.transaction() as session:
        record = session.execute(
            select(AccessRecord).where(AccessRecord.search_id == out["search_id"])
        ).scalar_one()
    assert set(record.result_ids or []) == set(ids.values())
    assert "7ABC123" in (record.plates or [])


def test_plate_history_marks_reads_by_alternative_reading(rt: Runtime, search_cli: CliRun) -> None:
    ids = _ingest_readings(rt)
    code, out = search_cli("history", "7ABC123", *WHY, "--json")
    assert code == 0, out
    marked = {r["id"]: r["matched_alternative"] for r in out["reads"]}
    assert marked == {ids["right"]: None, ids["confused"]: "7ABC123", ids["weaker"]: "7ABC123"}
    with rt.transaction() as session:
        record = session.execute(
            select(AccessRecord).where(AccessRecord.search_id == out["search_id"])
        ).scalar_one()
    assert set(record.result_ids or []) == set(ids.values())
    code, text = search_cli("history", "7ABC123", *WHY)
    assert code == 0 and "alternative reading 7ABC123, score 0.35" in text, text
    code, out = search_cli("history", "7ABCI23", *WHY, "--json")
    assert code == 0 and [r["id"] for r in out["reads"]] == [ids["confused"]], out
