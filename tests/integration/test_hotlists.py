"""Hot lists and alerts on both databases (R12-R14): import all-or-nothing, partial and
confusion matching, expiry, retro-hits, stale lists, and the review rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from alpr.data.models import AccessRecord, Alert, AlertReview, HotListEntry, Read
from alpr.governance import alerts, hotlists
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import JustificationInput
from alpr.governance.hotlist_entries import department_entries, take_off
from alpr.governance.runtime import Runtime
from alpr.recognition.hotlist_match import HotListMatcher
from alpr.recognition.ingest import Ingestor, ReadRecord
from tests.conftest import Clock, SignedCli, TestUser
from tests.integration.builders import World

WHY = JustificationInput(
    "stolen_vehicle", description="Stolen vehicle (VC 10851) alerts for beat 3, day shift 20 Nov"
)
GOOD = (
    "plate,state,reason,make,model,colour,case_number,entered_date,expiry,priority\n"
    "7ABC123,CA,Stolen vehicle,Honda,Civic,Silver,SVS-1,2026-11-19,2026-12-20,high\n"
    "8XYZ999,CA,Stolen plate,,,,SVS-2,2026-11-19,,medium\n"
)


@pytest.fixture
def svs(rt: Runtime) -> str:
    hotlists.ensure_list(rt, actor=None, name="SVS", kind="stolen_vehicle")
    return "SVS"


def _entries(rt: Runtime) -> list[HotListEntry]:
    with rt.transaction() as session:
        return list(
            session.execute(select(HotListEntry).where(HotListEntry.removed_at.is_(None))).scalars()
        )


def test_good_file_imports_and_bad_row_refuses_whole_file(rt: Runtime, svs: str) -> None:
    result = hotlists.import_csv(rt, actor=None, list_name=svs, data=GOOD, source="CA DOJ")
    assert result.imported == 2 and [e.pattern for e in _entries(rt)] == ["7ABC123", "8XYZ999"]
    bad = (
        GOOD
        + "1BAD@@1,CA,x,,,,,,,\n"
        + "9GOOD99,California,Stolen,,,,,,,high\n"
        + "6PAST66,CA,Stolen,,,,,,2020-01-01,high\n"
        + "5NO5555,CA,,,,,,,,\n"
        + "7ZZZ777,CA,Stolen,,,,,,2026-12-01,urgent\n"
    )
    with pytest.raises(hotlists.ImportRefused) as exc:
        hotlists.import_csv(rt, actor=None, list_name=svs, data=bad)
    assert [p.split(":")[0] for p in exc.value.problems] == [
        "line 4",
        "line 5",
        "line 6",
        "line 7",
        "line 8",
    ]
    assert [e.pattern for e in _entries(rt)] == ["7ABC123", "8XYZ999"]


def test_partial_entry_needs_case_number_known_characters_and_bounded_expiry(
    rt: Runtime, svs: str, clock: Clock
) -> None:
    with pytest.raises(InvalidInput, match="case number"):
        hotlists.add_entry(
            rt, actor=None, list_name=svs, pattern="7KQ?48?", reason="shooting", case_number=None
        )
    with pytest.raises(InvalidInput, match="at least 3 known"):
        hotlists.add_entry(
            rt, actor=None, list_name=svs, pattern="7?????2", reason="x", case_number="26-04711"
        )
    with pytest.raises(InvalidInput, match="more than 100 days"):
        hotlists.add_entry(
            rt,
            actor=None,
            list_name=svs,
            pattern="7KQ?48?",
            reason="shooting",
            case_number="26-04711",
            expires=clock.now.date() + timedelta(days=200),
        )
    entry_id, _ = hotlists.add_entry(
        rt, actor=None, list_name=svs, pattern="7kq?48?", reason="shooting", case_number="26-04711"
    )
    [entry] = [e for e in _entries(rt) if e.id == entry_id]
    assert entry.is_partial and entry.pattern == "7KQ?48?"


def test_retro_hits_raise_alerts_on_past_reads_and_keep_them(
    rt: Runtime, svs: str, clock: Clock
) -> None:
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    old = world.read("7KQM482", "cam", clock.now - timedelta(days=20), 37.7, -122.4)
    world.read("7KQM999", "cam", clock.now - timedelta(days=20), 37.7, -122.4)
    _, retro = hotlists.add_entry(
        rt, actor=None, list_name=svs, pattern="7KQ?48?", reason="shooting", case_number="26-04711"
    )
    assert retro == 1
    with rt.transaction() as session:
        alert = session.execute(select(Alert)).scalar_one()
        assert alert.is_retro and alert.read_id == old and alert.match_kind.value == "partial"
        assert session.execute(select(Read.retained).where(Read.id == old)).scalar_one()


def test_a_plate_entered_by_hand_names_its_case_in_the_agencys_formats(
    rt: Runtime, svs: str, clock: Clock, make_user: Callable[..., TestUser]
) -> None:
    """R10, R21: an entry's retro-hits show where the plate was read, as a search would, so a
    detective's entry names the case it is wanted for in the agency's formats; without one it
    is refused, recorded, and raises no alert (no way around a plate history's justification)."""
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    world.read("4EXP123", "cam", clock.now - timedelta(days=20), 37.7, -122.4)
    detective = make_user("rivera", "investigator").principal
    for case in (None, "my ex", "SVS-1"):
        with pytest.raises(Refusal, match="case, call or warrant number") as refused:
            hotlists.add_entry(
                rt,
                actor=detective,
                list_name=svs,
                pattern="4EXP123",
                reason="Suspect vehicle seen leaving the shooting",
                case_number=case,
            )
        assert refused.value.kind is RefusalKind.JUSTIFICATION
    with rt.transaction() as session:
        assert session.execute(select(Alert)).first() is None
        outcomes = session.execute(
            select(AccessRecord.outcome).where(
                AccessRecord.event == "hotlist_change", AccessRecord.username == "rivera"
            )
        ).scalars()
        assert list(outcomes) == ["refused"] * 3
    _, retro = hotlists.add_entry(
        rt,
        actor=detective,
        list_name=svs,
        pattern="4EXP123",
        reason="Suspect vehicle seen leaving the shooting",
        case_number="26-04711",
    )
    assert retro == 1


def _hotlist_records(rt: Runtime, username: str) -> list[tuple[str, list[str] | None]]:
    with rt.transaction() as session:
        return [
            (outcome, plates)
            for outcome, plates in session.execute(
                select(AccessRecord.outcome, AccessRecord.plates)
                .where(AccessRecord.event == "hotlist_change", AccessRecord.username == username)
                .order_by(AccessRecord.id)
            ).all()
        ]


def test_a_persons_import_into_the_departments_own_list_names_a_case_on_every_row(
    rt: Runtime, clock: Clock, make_user: Callable[..., TestUser]
) -> None:
    """R04, R20, R21: a file is no way around a hand entry's case number. The Administrator,
    who may not search reads, cannot learn where plates were read by importing them into a
    list of the department's own: a file with a row lacking a case, call or warrant number in
    the agency's formats is refused whole, recorded with the plates it named, stores nothing
    and raises no alert; a partial plate keeps the known-characters minimum; a justified file
    is imported and its access record lists the plates it entered."""
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    world.read("4BDA423", "cam", clock.now - timedelta(days=20), 37.7, -122.4)
    admin = make_user("ruiz", "administrator").principal
    hotlists.ensure_list(rt, actor=admin, name="mylist", kind="custom")
    unjustified = (
        "plate,reason\n4BDA423,person of interest\n",
        "plate,reason,case_number\n4BD*,wanted,\n",
        "plate,reason,case_number\n4BDA423,wanted,26-04711\n7ZZZ777,wanted,my ex\n",
    )
    for data, line in zip(unjustified, ("line 2", "line 2", "line 3"), strict=True):
        with pytest.raises(Refusal, match="case, call or warrant number") as refused:
            hotlists.import_csv(rt, actor=admin, list_name="mylist", data=data)
        assert refused.value.kind is RefusalKind.JUSTIFICATION
        assert f"Nothing was imported: {line}: case_number" in refused.value.message
    with pytest.raises(hotlists.ImportRefused, match="line 2: partial plate 4B\\* needs"):
        hotlists.import_csv(
            rt, actor=admin, list_name="mylist", data="plate,reason,case_number\n4B*,x,26-04711\n"
        )
    assert _entries(rt) == []
    with rt.transaction() as session:
        assert session.execute(select(Alert)).first() is None
    assert _hotlist_records(rt, "ruiz")[1:] == [
        ("refused", ["4BDA423"]),
        ("refused", ["4BD*"]),
        ("refused", ["4BDA423", "7ZZZ777"]),
    ]
    justified = "plate,reason,case_number\n4BDA423,wanted,26-04711\n4BD*,wanted,c26-004512\n"
    result = hotlists.import_csv(rt, actor=admin, list_name="mylist", data=justified)
    assert (result.imported, result.retro_alerts) == (2, 2)  # one read, each entry
    assert sorted((e.pattern, e.case_number) for e in _entries(rt)) == [
        ("4BD*", "C26-004512"),
        ("4BDA423", "26-04711"),
    ]
    assert _hotlist_records(rt, "ruiz")[-1] == ("success", ["4BD*", "4BDA423"])


def test_an_official_feed_is_imported_as_the_state_sends_it_and_its_plates_recorded(
    rt: Runtime, svs: str, make_user: Callable[..., TestUser]
) -> None:
    """R14, R20: the state's stolen-vehicle list carries the state's record, not the agency's
    case numbers: the Administrator's import of the state's download is taken as it comes,
    and its access record lists the plates it entered; the system's own import too."""
    admin = make_user("ruiz", "administrator").principal
    feed = GOOD.replace("7ABC123", "5DEF555").replace("8XYZ999", "6GHI666")
    assert hotlists.import_csv(rt, actor=admin, list_name=svs, data=feed).imported == 2
    assert _hotlist_records(rt, "ruiz") == [("success", ["5DEF555", "6GHI666"])]
    refreshed = hotlists.import_csv(rt, actor=None, list_name=svs, data=GOOD, confirm_retire=True)
    assert refreshed.imported == 2
    assert _hotlist_records(rt, "system")[-1] == ("success", ["7ABC123", "8XYZ999"])


def test_a_state_list_is_refreshed_only_from_the_states_download(
    rt: Runtime, svs: str, make_user: Callable[..., TestUser]
) -> None:
    """R14, R12: a hand-made file is not the state's list: a file for an official feed has every
    column of the state's download and each row the state's record number and entry date;
    anything else is refused whole and the list keeps its entries."""
    hotlists.import_csv(rt, actor=None, list_name=svs, data=GOOD)
    admin = make_user("ruiz", "administrator").principal
    with pytest.raises(hotlists.ImportRefused, match="refreshed only from the state's download"):
        hotlists.import_csv(rt, actor=admin, list_name=svs, data="plate,reason\n4DEK379,x\n")
    unrecorded = GOOD + "4DEK379,CA,Stolen vehicle,,,,,,,high\n"
    with pytest.raises(hotlists.ImportRefused, match="line 4: case_number and entered_date empty"):
        hotlists.import_csv(rt, actor=admin, list_name=svs, data=unrecorded)
    assert sorted(e.pattern for e in _entries(rt)) == ["7ABC123", "8XYZ999"]


def test_a_file_leaving_out_most_of_a_list_is_imported_only_when_confirmed(
    rt: Runtime, svs: str, make_user: Callable[..., TestUser]
) -> None:
    """R14: a file that leaves out most of a list's active entries (a partial download, a
    file made by hand) would take them off the list: the import is refused and recorded
    unless confirmed as such; a file that carries most of them again needs no confirmation."""
    hotlists.import_csv(rt, actor=None, list_name=svs, data=GOOD)
    admin = make_user("ruiz", "administrator").principal
    partial = GOOD.split("\n")[0] + "\n4DEK379,CA,Stolen vehicle,,,,SVS-9,2026-11-19,,high\n"
    preview = hotlists.preview_import(rt, actor=admin, list_name=svs, data=partial)
    assert (preview.retired, preview.dropped, preview.leaves_out_most) == (2, 2, True)
    with pytest.raises(Refusal, match="leaves out 2 of the 2 active entries") as refused:
        hotlists.import_csv(rt, actor=admin, list_name=svs, data=partial)
    assert refused.value.kind is RefusalKind.RULE
    assert sorted(e.pattern for e in _entries(rt)) == ["7ABC123", "8XYZ999"]
    assert _hotlist_records(rt, "ruiz")[-1] == ("refused", ["4DEK379"])
    grown = GOOD + "4DEK379,CA,Stolen vehicle,,,,SVS-9,2026-11-19,,high\n"
    assert hotlists.import_csv(rt, actor=admin, list_name=svs, data=grown).imported == 3
    confirmed = hotlists.import_csv(
        rt, actor=admin, list_name=svs, data=partial, confirm_retire=True
    )
    assert (confirmed.imported, confirmed.dropped) == (1, 2)
    assert [e.pattern for e in _entries(rt)] == ["4DEK379"]


def test_a_plate_entered_by_hand_says_why_in_a_few_words(
    rt: Runtime, svs: str, make_user: Callable[..., TestUser]
) -> None:
    """R12, R13, R21: the reason a person enters a plate for is read by the officer its alert
    reaches and by the sergeant: "x" is refused, recorded, and enters nothing."""
    admin = make_user("ruiz", "administrator").principal
    entry = {"list_name": svs, "pattern": "4DEK379", "case_number": "26-04711"}
    for reason in ("x", "stolen", "check this plate"):
        with pytest.raises(Refusal, match="does not say why the plate is wanted") as refused:
            hotlists.add_entry(rt, actor=admin, reason=reason, **entry)
        assert refused.value.kind is RefusalKind.JUSTIFICATION
    assert _entries(rt) == []
    assert [o for o, _ in _hotlist_records(rt, "ruiz")] == ["refused"] * 3
    hotlists.add_entry(rt, actor=admin, reason="Stolen grey Honda Civic", **entry)
    assert [e.pattern for e in _entries(rt)] == ["4DEK379"]


def test_retro_hits_reach_no_further_than_a_plate_search(
    rt: Runtime, svs: str, clock: Clock, make_user: Callable[..., TestUser]
) -> None:
    """R21, R30, R12: any new entry (of the department's own, entered by hand, or the state's
    feed) is checked against past reads only as far back as a plate search may look without a
    sergeant's approval (90 days): its alerts show where the plate was read, and the older
    reads are not kept longer for it."""
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    ages = (20, 200)
    for plate in ("4OWN423", "5HND555", "7ABC123"):
        for days in ages:
            world.read(plate, "cam", clock.now - timedelta(days=days), 37.7, -122.4)
    admin = make_user("ruiz", "administrator").principal
    hotlists.ensure_list(rt, actor=admin, name="mylist", kind="custom")
    own = "plate,reason,case_number\n4OWN423,wanted,26-04711\n"
    assert hotlists.import_csv(rt, actor=admin, list_name="mylist", data=own).retro_alerts == 1
    _, by_hand = hotlists.add_entry(
        rt,
        actor=admin,
        list_name=svs,
        pattern="5HND555",
        reason="Wanted in the Crocker Ave robbery",
        case_number="26-04711",
    )
    assert by_hand == 1
    refreshed = hotlists.import_csv(rt, actor=None, list_name=svs, data=GOOD, confirm_retire=True)
    assert refreshed.retro_alerts == 1
    with rt.transaction() as session:
        alerted = session.execute(
            select(Read.plate, Read.captured_at).join(Alert, Alert.read_id == Read.id)
        ).all()
        kept = session.execute(select(Read.plate, Read.captured_at).where(Read.retained)).all()
    expected = sorted([("4OWN423", 20), ("5HND555", 20), ("7ABC123", 20)])
    for found in (alerted, kept):
        assert sorted((plate, (clock.now - at).days) for plate, at in found) == expected


def test_expired_entries_do_not_match_and_stale_lists_are_flagged(
    rt: Runtime, svs: str, clock: Clock, make_user: Callable[..., TestUser]
) -> None:
    hotlists.import_csv(rt, actor=None, list_name=svs, data=GOOD)
    world = World(rt)
    camera = world.camera("cam", 37.7, -122.4)
    ingestor = Ingestor(rt.engine, rt.images)

    def read(plate: str) -> int:
        return ingestor.store(
            [
                ReadRecord(
                    camera_id=camera,
                    captured_at=clock.now,
                    plate=plate,
                    confidence=0.9,
                    lat=37.7,
                    lon=-122.4,
                )
            ],
            now=clock.now,
        ).alerts

    assert read("7ABC123") == 1
    clock.advance(days=40)
    ingestor.matcher = None
    assert read("7ABC123") == 0  # the entry expired on 2026-12-20
    officer = make_user("chen", "patrol", trained_on=date(2026, 12, 1))
    status = {s.name: s.stale for s in hotlists.list_status(rt, principal=officer.principal)}
    assert status["SVS"]


def test_an_alert_says_where_the_plate_was_read(
    rt: Runtime, svs: str, clock: Clock, make_user: Callable[..., TestUser]
) -> None:
    """R13: patrol is told where to go: a fixed camera's place, an in-car unit's position at
    the read, the camera's code after."""
    hotlists.import_csv(rt, actor=None, list_name=svs, data=GOOD)
    world = World(rt)
    fixed = world.camera("DC-003", 37.7, -122.4, place="Mission St & Crocker Ave")
    unit = world.camera("Unit 21", None, None, mobile=True, place="In-car, Unit 21")
    Ingestor(rt.engine, rt.images).store(
        [
            ReadRecord(
                camera_id=camera,
                captured_at=clock.now - timedelta(minutes=minutes),
                plate="7ABC123",
                confidence=0.9,
                lat=37.70121,
                lon=-122.46012,
                is_mobile=camera == unit,
            )
            for camera, minutes in ((fixed, 2), (unit, 1))
        ],
        now=clock.now,
    )
    officer = make_user("chen", "patrol")
    found = alerts.poll_alerts(rt, principal=officer.principal, justification=WHY)
    assert sorted(a.where for a in found) == [
        "In-car, Unit 21, at 37.70121, -122.46012",
        "Mission St & Crocker Ave (DC-003)",
    ]


def test_review_rules_before_action(
    rt: Runtime, svs: str, clock: Clock, make_user: Callable[..., TestUser]
) -> None:
    hotlists.import_csv(rt, actor=None, list_name=svs, data=GOOD)
    world = World(rt)
    camera = world.camera("cam", 37.7, -122.4)
    Ingestor(rt.engine, rt.images).store(
        [
            ReadRecord(
                camera_id=camera,
                captured_at=clock.now,
                plate="7ABC123",
                confidence=0.9,
                lat=37.7,
                lon=-122.4,
            )
        ],
        now=clock.now,
    )
    officer = make_user("chen", "patrol")
    clerk = make_user("nguyen", "records_clerk")
    [alert] = alerts.poll_alerts(rt, principal=officer.principal, justification=WHY)
    assert alert.reason == "Stolen vehicle" and alert.vehicle == "Silver Honda Civic"
    with pytest.raises(Refusal, match="compare the plate characters") as exc:
        alerts.review_alert(
            rt,
            principal=officer.principal,
            alert_id=alert.id,
            disposition="confirmed",
            characters_compared=False,
            clets_confirmed=True,
            clets_confirmed_by="Disp. Lee",
            clets_confirmed_at=clock.now,
            clets_reference="C123",
            note="ok",
        )
    assert exc.value.kind is RefusalKind.RULE
    with pytest.raises(Refusal, match="CLETS/NCIC"):
        alerts.review_alert(
            rt,
            principal=officer.principal,
            alert_id=alert.id,
            disposition="confirmed",
            characters_compared=True,
            clets_confirmed=False,
            note="looks right",
        )
    with pytest.raises(InvalidInput, match="note"):
        alerts.review_alert(
            rt,
            principal=officer.principal,
            alert_id=alert.id,
            disposition="misread",
            characters_compared=True,
            clets_confirmed=False,
            note=" ",
        )
    with pytest.raises(Refusal) as denied:
        alerts.review_alert(
            rt,
            principal=clerk.principal,
            alert_id=alert.id,
            disposition="dismissed",
            characters_compared=False,
            clets_confirmed=False,
            note="not mine",
        )
    assert denied.value.kind is RefusalKind.PERMISSION
    for disposition in ("misread", "confirmed"):
        alerts.review_alert(
            rt,
            principal=officer.principal,
            alert_id=alert.id,
            disposition=disposition,
            characters_compared=True,
            clets_confirmed=True,
            clets_confirmed_by="Disp. Lee",
            clets_confirmed_at=clock.now,
            clets_reference="CLETS-778",
            note=f"{disposition} after checking the image",
        )
    with rt.transaction() as session:
        reviews = session.execute(select(AlertReview.disposition)).scalars().all()
        logged = session.execute(
            select(AccessRecord.outcome).where(AccessRecord.event == "alert_review")
        ).scalars()
    assert [r.value for r in reviews] == ["misread", "confirmed"]
    # The refused confirmation and the clerk's refused review are in the access log too.
    assert sorted(logged) == ["refused", "refused", "refused", "success", "success"]
    with pytest.raises(Refusal, match="cannot be muted"):
        alerts.mute_alert(rt, principal=officer.principal, alert_id=alert.id)


def test_the_departments_own_entries_are_seen_and_taken_off_by_who_may(
    rt: Runtime, svs: str, make_user: Callable[..., TestUser]
) -> None:
    """R12, R13: a wrong entry can lead to a stop, so the department's own entries are listed
    with who entered them, and taken off, with the reason, by the person who entered it or by
    a person who manages the lists; a state feed's file entries are not listed. The look and
    each taking off are in the access log; an entry taken off matches no read."""
    hotlists.import_csv(rt, actor=None, list_name=svs, data=GOOD, source="CA DOJ")
    rivera = make_user("rivera", "investigator")
    brooks = make_user("brooks", "investigator")
    admin = make_user("okafor", "administrator")
    entry_id, _ = hotlists.add_entry(
        rt,
        actor=rivera.principal,
        list_name=svs,
        pattern="7KQM482",
        reason="Armed robbery suspect vehicle",
        case_number="26-04711",
    )
    listed = department_entries(rt, principal=brooks.principal)
    assert [(e.pattern, e.entered_by, e.case_number) for e in listed] == [
        ("7KQM482", "Rivera", "26-04711")
    ]
    with pytest.raises(Refusal, match="the person who entered it"):
        take_off(rt, principal=brooks.principal, entry_id=entry_id, reason="Not my case at all")
    with pytest.raises(InvalidInput, match="say why"):
        take_off(rt, principal=rivera.principal, entry_id=entry_id, reason="oops")
    take_off(rt, principal=rivera.principal, entry_id=entry_id, reason="Vehicle recovered 20 Nov")
    assert department_entries(rt, principal=brooks.principal) == []
    with rt.transaction() as session:
        assert HotListMatcher.load(session, now=rt.now()).match("7KQM482") == []
        records = session.execute(
            select(AccessRecord.username, AccessRecord.outcome, AccessRecord.plates).where(
                AccessRecord.detail.contains("taken off")
                | AccessRecord.detail.contains("looked at")
                | AccessRecord.detail.contains("take hot-list entry")
            )
        ).all()
    assert [(r.username, r.outcome) for r in records] == [
        ("brooks", "success"),
        ("brooks", "refused"),
        ("rivera", "success"),
        ("brooks", "success"),
    ]
    assert records[0].plates == ["7KQM482"] and records[2].plates == ["7KQM482"]
    [feed_entry] = [e for e in _entries(rt) if e.pattern == "8XYZ999"]
    take_off(
        rt, principal=admin.principal, entry_id=feed_entry.id, reason="Cleared in CLETS 20 Nov"
    )
    assert "8XYZ999" not in {e.pattern for e in _entries(rt)}


def test_the_command_line_import_keeps_the_states_list_whole(
    rt: Runtime,
    svs: str,
    signed_cli: SignedCli,
    make_user: Callable[..., TestUser],
    tmp_path: Path,
) -> None:
    """R14: ``alpr hotlist import`` of a hand-made two-column file into the state's list is bad
    input (exit 2); the state's download that leaves out most of the list is refused (exit 3)
    until ``--confirm-retire`` says the list really is that much shorter."""
    hotlists.import_csv(rt, actor=None, list_name=svs, data=GOOD)
    run = signed_cli({"ruiz": make_user("ruiz", "administrator")})
    made = tmp_path / "made.csv"
    made.write_text("plate,reason\n4DEK379,x\n", encoding="utf-8")
    code, out = run("hotlist", "import", str(made), "--list", svs, as_user="ruiz")
    assert code == 2 and "refreshed only from the state's download" in out, out
    partial = tmp_path / "partial.csv"
    partial.write_text(
        GOOD.split("\n")[0] + "\n4DEK379,CA,Stolen vehicle,,,,SVS-9,2026-11-19,,high\n",
        encoding="utf-8",
    )
    code, out = run("hotlist", "import", str(partial), "--list", svs, as_user="ruiz")
    assert code == 3 and "--confirm-retire" in out, out
    assert sorted(e.pattern for e in _entries(rt)) == ["7ABC123", "8XYZ999"]
    code, out = run(
        "hotlist", "import", str(partial), "--list", svs, "--confirm-retire", as_user="ruiz"
    )
    assert code == 0 and "1 entries imported (2 retired)" in out, out


def test_a_list_named_wrong_is_answered_with_the_lists_there_are(
    rt: Runtime, signed_cli: SignedCli, make_user: Callable[..., TestUser]
) -> None:
    """A person following the operations guide's `alpr hotlist webhook set SVS ...` on the demo
    (whose state list is 'SVS stolen vehicles (CA DOJ)') or on a new installation (no list yet)
    was told only "no hot list named 'SVS'", and no command lists them. The answer names the
    lists there are, or how to create the first."""
    run = signed_cli({"ruiz": make_user("ruiz", "administrator")})
    code, out = run("hotlist", "webhook", "clear", "SVS", as_user="ruiz")
    assert (code, out) == (
        2,
        "error: no hot list named 'SVS': there is none yet "
        "(`alpr hotlist create NAME --kind KIND`)\n",
    )
    for name, kind in (("SVS stolen vehicles (CA DOJ)", "stolen_vehicle"), ("Burglary", "custom")):
        hotlists.ensure_list(rt, actor=None, name=name, kind=kind)
    code, out = run("hotlist", "webhook", "clear", "SVS", as_user="ruiz")
    assert (code, out) == (
        2,
        "error: no hot list named 'SVS': the lists are 'Burglary', "
        "'SVS stolen vehicles (CA DOJ)'\n",
    )
