"""The desks in Chromium: the ALPR Administrator places legal holds on read numbers and on the
case's area and a sergeant releases one, the tables following each act; the records clerk
finds a request under its agency and downloads its package (a zip with its manifest, the
download in the access log); the Administrator's refused new user keeps what was typed;
command staff read the statistics; a patrol officer sees one summary of the cameras that are
down, and the public page counts the cameras in service the same way (screenshots)."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select, update

from alpr.data.models import (
    AccessRecord,
    Alert,
    Camera,
    CameraStatus,
    HotList,
    HotListEntry,
    LegalHold,
    LegalHoldRead,
    PurgeRun,
    Purpose,
    Read,
    User,
)
from alpr.governance import access_log
from alpr.governance.access_log import Event, Outcome
from alpr.governance.alerts import review_alert
from alpr.governance.identity import principal_for
from alpr.governance.justification import Justification
from alpr.governance.principal import Principal
from alpr.governance.releases.fulfilment import fulfil
from alpr.governance.releases.requests import Attachment, RequestForm, decide, file_request
from alpr.governance.retention.purge import CATEGORIES
from alpr.governance.scopes import ScopeInput
from alpr.recognition.health import HEARTBEAT_S, heartbeat
from tests.e2e.conftest import (
    LiveApp,
    assert_whole_on_page,
    sign_in,
    wait_idle,
    wait_session_cookie,
)
from tests.e2e.test_records_e2e import SHERIFF, _busy_plate, _choose, _open, _shoot


def _principal(app: LiveApp, role: str) -> Principal:
    with app.runtime.transaction() as session:
        user = session.execute(
            select(User).where(User.username == app.users[role].username)
        ).scalar_one()
        return principal_for(session, user, authenticated_at=app.runtime.now(), client_addr=None)


def _options(page: Page, label: str) -> list[str]:
    """The choices a select box offers now (drawn from the same rows as the page's table),
    once the page's run has ended and its earlier elements are gone."""
    wait_idle(page)
    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    box.scroll_into_view_if_needed()
    box.click()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    wait_idle(page)
    return options


def test_holds_on_read_numbers_and_an_area_placed_and_one_released(
    live_app: LiveApp, page: Page, artifacts: Path, browser: Browser
) -> None:
    """R31, R21: holds placed from the UI by read numbers and by the case's area (with its
    purpose), one released by a sergeant, not by the Administrator who placed it; the table
    shows each change as soon as it is made."""
    with live_app.runtime.transaction() as session:
        reads = session.execute(
            select(Read.id, Read.lat, Read.lon).order_by(Read.captured_at.desc()).limit(3)
        ).all()
    numbers = ", ".join(str(r.id) for r in reads)
    sign_in(page, live_app, "administrator")
    _open(page, "Retention and holds")
    page.get_by_label("Case number").fill("26-05120")
    page.get_by_label("Why these reads are or may become evidence").fill(
        "Vehicles seen leaving the Crocker Ave burglary"
    )
    page.get_by_label("Read numbers (comma separated)").fill(numbers)
    page.get_by_role("button", name="Place the hold").click()
    expect(page.get_by_text("3 reads will not be purged")).to_be_visible()
    with live_app.runtime.transaction() as session:
        hold = session.execute(
            select(LegalHold).where(LegalHold.case_number == "26-05120")
        ).scalar_one()
        held = set(
            session.execute(
                select(LegalHoldRead.read_id).where(LegalHoldRead.hold_id == hold.id)
            ).scalars()
        )
    assert held == {r.id for r in reads}
    _shoot(page, artifacts / "01_hold_on_read_numbers.png")

    page.get_by_text("The case's area in a period").click()
    wait_idle(page)
    _choose(page, "Purpose", "Canvass around a major crime scene")
    page.get_by_label("Case number").fill("26-05121")
    page.get_by_label("Why these reads are or may become evidence").fill(
        "Canvass of the Geneva Ave shooting scene"
    )
    page.get_by_label("Latitude").fill(f"{reads[0].lat:.6f}")
    page.get_by_label("Longitude").fill(f"{reads[0].lon:.6f}")
    page.get_by_role("button", name="Place the hold").click()
    expect(page.get_by_text("placed for case 26-05121")).to_be_visible()

    page.get_by_role("tab", name="Release a hold").click()
    expect(page.get_by_text("A hold you placed is released by someone else")).to_be_visible()
    expect(page.get_by_text("No hold in force that you may release.")).to_be_visible()

    supervisor = browser.new_context(viewport={"width": 1400, "height": 1000})
    sergeant = supervisor.new_page()
    sign_in(sergeant, live_app, "sergeant")
    _open(sergeant, "Retention and holds")
    sergeant.get_by_role("tab", name="Release a hold").click()
    in_force = _options(sergeant, "Hold")
    assert any("case 26-05120 · 3 reads" in o for o in in_force), in_force
    assert any("case 26-05121" in o for o in in_force), in_force
    _choose(sergeant, "Hold", "case 26-05120")
    sergeant.get_by_label("Why the hold ends").fill("Charges filed; reads booked into evidence")
    sergeant.get_by_role("button", name="Release the hold").click()
    expect(sergeant.get_by_text(f"Hold {hold.id} released")).to_be_visible()
    sergeant.get_by_role("tab", name="Release a hold").click()
    assert not any("26-05120" in o for o in _options(sergeant, "Hold"))
    _shoot(sergeant, artifacts / "02_hold_released.png")
    supervisor.close()
    with live_app.runtime.transaction() as session:
        released = session.get(LegalHold, hold.id)
        area = session.execute(
            select(LegalHold).where(LegalHold.case_number == "26-05121")
        ).scalar_one()
    assert released is not None and released.released_at is not None
    assert area.released_at is None


def test_the_clerk_finds_a_request_under_its_agency_and_downloads_its_package(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    """R41-R43, R20: the request under its agency, its history on one page in the colour of
    its outcome, and its package downloaded as a zip with its manifest; the download is in
    the access log. R48, R50: the download's link (in the browser's list of downloads) serves
    the package to this signed-in browser only: not to a request without its cookie, nor
    after the clerk signs out."""
    plate, _ = _busy_plate(live_app, hours=24 * 6)
    clerk, commander = _principal(live_app, "records_clerk"), _principal(live_app, "command")
    now = datetime.now(UTC)
    filed = file_request(
        live_app.runtime,
        principal=clerk,
        form=RequestForm(
            requester_name="Det. Alvarez",
            requester_contact="alvarez@smcsheriff.example",
            purpose="Carjacking series, suspect vehicle",
            description=f"Reads of {plate}",
            requested="plate_level",
            legal_basis="mou",
            immigration_related=False,
            agency_name=SHERIFF,
            purpose_code="wanted_vehicle",
            scope=ScopeInput(plates=(plate,), start=now - timedelta(days=6), end=now),
        ),
        attachments=(Attachment("request", "request.pdf", b"%PDF written request"),),
    )
    decide(
        live_app.runtime,
        principal=commander,
        request_id=filed.id,
        approve=True,
        note="Carjacking series; MOU in force",
    )
    package = fulfil(live_app.runtime, principal=clerk, request_id=filed.id)

    sign_in(page, live_app, "records_clerk")
    _open(page, "Requests for data")
    _choose(page, "Agency", SHERIFF)
    _choose(page, "Open a request", f"#{filed.id} ")
    expect(page.get_by_role("heading", name=f"Request #{filed.id} — {SHERIFF}")).to_be_visible()
    expect(
        page.get_by_test_id("stAlertContentSuccess").filter(has_text="Package produced")
    ).to_be_visible()
    page.get_by_role("button", name="Prepare the package for download").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the package (zip with its manifest)").click()
    path = artifacts / download_info.value.suggested_filename
    download_info.value.save_as(path)
    _shoot(page, artifacts / "01_request_history_and_download.png")
    link = download_info.value.url
    assert "/media/" in link and page.request.get(link).body() == path.read_bytes()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(link, timeout=10)  # noqa: S310  (the test's own server)
    assert refused.value.code == 403
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        manifest = json.loads(archive.read(f"request-{filed.id}/manifest.json"))
        assert f"request-{filed.id}/reads.csv" in archive.namelist()
    assert manifest["kind"] == "plate-level" and "reads.csv" in manifest["files"]
    with live_app.runtime.transaction() as session:
        recorded = session.execute(
            select(AccessRecord).where(
                AccessRecord.username == live_app.users["records_clerk"].username,
                AccessRecord.detail.like(f"release package of request {filed.id} downloaded%"),
            )
        ).scalar_one()
    assert recorded.result_count == package.reads
    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    wait_session_cookie(page, present=False)
    assert page.request.get(link).status == 403


def test_a_refused_new_user_keeps_what_was_typed(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    """R01: a banned password is refused without wiping the form; corrected, the account is
    created and the users table shows it at once, and again once it is disabled. At 1024
    pixels the accounts and the training records are whole on the page."""
    sign_in(page, live_app, "administrator")
    _open(page, "Users")
    page.get_by_label("Username").fill("e2e_new_officer")
    page.get_by_label("Full name").fill("Ofc. Dana Whitfield")
    page.get_by_label("Job title").fill("Police Officer")
    page.get_by_label("Initial password (12+ characters)", exact=True).fill("123456789012")
    page.get_by_role("button", name="Create user").click()
    expect(page.get_by_text("list of banned passwords")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("e2e_new_officer")
    expect(page.get_by_label("Full name")).to_have_value("Ofc. Dana Whitfield")
    _shoot(page, artifacts / "01_banned_password_kept_fields.png")
    page.get_by_label("Initial password (12+ characters)", exact=True).fill(
        "Coastside-Patrol-Beat-3"
    )
    page.get_by_role("button", name="Create user").click()
    expect(
        page.get_by_text("Created the account of Ofc. Dana Whitfield (e2e_new_officer)")
    ).to_be_visible()
    wait_idle(page)  # the filled form of the run before is gone once this run has ended
    expect(page.get_by_label("Username")).to_have_value("")
    assert "Ofc. Dana Whitfield (e2e_new_officer)" in _options(page, "User")  # by name
    _shoot(page, artifacts / "02_user_created.png")
    _choose(page, "User", "e2e_new_officer")
    page.get_by_test_id("stRadio").get_by_text("Disable", exact=True).click()
    wait_idle(page)
    page.get_by_role("button", name="Apply").click()
    expect(
        page.get_by_text(
            "Disable: Ofc. Dana Whitfield (e2e_new_officer) — recorded in the access log."
        )
    ).to_be_visible()
    with live_app.runtime.transaction() as session:
        disabled = session.execute(
            select(User.disabled_at).where(User.username == "e2e_new_officer")
        ).scalar_one()
    assert disabled is not None
    _shoot(page, artifacts / "03_user_disabled_table_refreshed.png")

    # On a laptop's screen every column of the accounts, and of the training records, is on
    # the page: the credentials and who recorded a course ran past its right edge.
    page.set_viewport_size({"width": 1024, "height": 1400})
    wait_idle(page)
    accounts = page.get_by_test_id("stTable").first
    expect(accounts.get_by_text("Credentials", exact=True)).to_be_visible()
    assert_whole_on_page(page, accounts, "the accounts table")
    page.screenshot(path=artifacts / "04_users_at_1024.png", full_page=True)
    _open(page, "Training records")
    records = page.get_by_test_id("stTable").first
    expect(records.get_by_text("Recorded by", exact=True)).to_be_visible()
    assert_whole_on_page(page, records, "the training records")
    page.screenshot(path=artifacts / "05_training_at_1024.png", full_page=True)


def test_command_staff_read_the_statistics_with_charts_and_csv(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    """R24, R52: uptime, reads and hits per camera and unit, hits per list, dispositions and
    time to review, searches per day by purpose: each a chart with a CSV download; the median
    is a number or words, never a dash."""
    now = datetime.now(UTC)
    with live_app.runtime.transaction() as session:
        cameras = list(session.execute(select(Camera.id).order_by(Camera.id).limit(4)).scalars())
    for n, camera in enumerate(cameras):
        for beat in range(20):
            heartbeat(
                live_app.runtime.engine,
                camera_id=camera,
                now=now - timedelta(seconds=HEARTBEAT_S * beat),
                status=CameraStatus.DOWN if n == 0 and beat < 10 else CameraStatus.UP,
                fps=12.0,
                frames=360,
                reads=2,
                error=None,
            )
    officer = _principal(live_app, "patrol")
    with live_app.runtime.transaction() as session:
        alert_id = session.execute(select(Alert.id).order_by(Alert.id.desc())).scalars().first()
    assert alert_id is not None
    review_alert(
        live_app.runtime,
        principal=officer,
        alert_id=alert_id,
        disposition="misread",
        characters_compared=True,
        clets_confirmed=False,
        note="The image shows 8 where the reader saw B",
    )
    detective = _principal(live_app, "investigator")
    with live_app.runtime.transaction() as session:
        for purpose in (Purpose.STOLEN_VEHICLE, Purpose.MISSING_PERSON):
            access_log.append(
                session,
                at=now,
                event=Event.SEARCH,
                outcome=Outcome.ALLOWED,
                principal=detective,
                justification=Justification(purpose, "26-05130", None, False),
            )
    sign_in(page, live_app, "command")
    _open(page, "Statistics")
    median = page.get_by_test_id("stMetric").filter(has_text="Median review time")
    expect(median).to_be_visible()
    assert median.get_by_test_id("stMetricValue").inner_text().strip() not in ("-", "", "None yet")
    for title in ("Camera uptime", "Reads and hits per fixed camera", "Reads and hits per unit"):
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
    _shoot(page, artifacts / "01_cameras_and_units.png")
    # The CSV is made, and its export recorded, when asked for; then it is downloaded.
    assert page.get_by_role("button", name="Download camera uptime (CSV)").count() == 0
    page.get_by_role("button", name="Prepare camera uptime (CSV)").click()
    wait_idle(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download camera uptime (CSV)").click()
    uptime = download_info.value.path().read_text()
    assert uptime.startswith("Camera,Kind,Uptime (%),Health reports")
    for tab, shot in (
        ("Hot lists", "02_lists.png"),
        ("Alerts", "03_alerts.png"),
        ("Searches", "04_searches.png"),
    ):
        page.get_by_role("tab", name=tab).click()
        wait_idle(page)
        _shoot(page, artifacts / shot)
    page.get_by_role("tab", name="Searches").click()
    expect(page.get_by_test_id("stVegaLiteChart").last).to_be_visible()
    searchers = page.get_by_test_id("stTable").filter(has_text="Purposes stated")
    expect(searchers).to_contain_text("E2E Investigator")  # the person by name, not account
    expect(searchers).to_contain_text("Missing person (1)")
    page.get_by_role("button", name="Prepare searches per day by purpose (CSV)").click()
    wait_idle(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download searches per day by purpose (CSV)").click()
    assert download_info.value.path().read_text().startswith("Day,Purpose,Searches")
    with live_app.runtime.transaction() as session:
        exported = session.execute(
            select(AccessRecord.username, AccessRecord.query).where(
                AccessRecord.event == Event.EXPORT,
                AccessRecord.username == live_app.users["command"].username,
            )
        ).all()
    assert sorted(query["figure"] for _, query in exported) == [
        "camera-uptime",
        "searches-per-day-by-purpose",
    ]

    # On a laptop's screen the cameras' reads and hits stay within the page: the hits' bars
    # were cut off at its right edge.
    page.set_viewport_size({"width": 1024, "height": 768})
    page.get_by_role("tab", name="Cameras and units").click()
    wait_idle(page)
    main = page.get_by_test_id("stMainBlockContainer").bounding_box()
    assert main is not None
    page.wait_for_timeout(1500)
    page.screenshot(path=artifacts / "05_cameras_at_1024.png", full_page=True)
    drawn = page.get_by_test_id("stVegaLiteChart").locator("canvas, svg.marks")
    assert drawn.count() >= 3
    for index in range(drawn.count()):
        box = drawn.nth(index).bounding_box()
        if box is not None and box["width"] > 0:
            overflow = box["x"] + box["width"] - (main["x"] + main["width"])
            assert overflow <= 1, f"chart {index} runs {overflow:.0f} px past the page"


def test_one_summary_of_down_cameras_and_the_cameras_deployed_in_public(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    """R52: five cameras down make one summary, not five banners; the public page counts the
    cameras deployed, every camera of the Cameras page (none is disabled), down or not, and
    says what the number means. Every camera is given a stream and the others have just
    reported (the demo's cameras have no stream, so the worker watches none of them)."""
    with live_app.runtime.transaction() as session:
        session.execute(
            update(Camera).values(
                status=CameraStatus.UP,
                last_heartbeat_at=live_app.runtime.now(),
                source_url="rtsp://127.0.0.1:8554/" + Camera.name,
            )
        )
        down = list(
            session.execute(select(Camera.id).order_by(Camera.id.desc()).limit(5)).scalars()
        )
        session.execute(
            update(Camera)
            .where(Camera.id.in_(down))
            .values(status=CameraStatus.DOWN, last_error="no heartbeat")
        )
    try:
        page.set_viewport_size({"width": 1024, "height": 768})
        sign_in(page, live_app, "patrol")
        _open(page, "Cameras")
        expect(page.get_by_test_id("stAlertContentError")).to_have_count(1)
        summary = page.get_by_test_id("stAlertContentError")
        expect(summary).to_contain_text("cameras are down")
        expect(summary).to_contain_text("Reported cause: no heartbeat (5)")
        # Every column, the stream's included, on a laptop's screen.
        assert_whole_on_page(page, page.get_by_test_id("stDataFrame").first, "the cameras table")
        registered = (
            page.get_by_test_id("stMetric")
            .filter(has_text="Cameras")
            .first.get_by_test_id("stMetricValue")
            .inner_text()
        )
        _shoot(page, artifacts / "01_cameras_summary.png")
        page.goto(f"{live_app.url}/transparency")
        public = page.get_by_test_id("stMetric").filter(has_text="Cameras deployed")
        expect(public.get_by_test_id("stMetricValue")).to_have_text(registered)
        expect(
            page.get_by_text("counts the department's license plate reader cameras")
        ).to_be_visible()
        _shoot(page, artifacts / "02_public_page.png")
    finally:
        with live_app.runtime.transaction() as session:
            session.execute(
                update(Camera)
                .where(Camera.id.in_(down))
                .values(status=CameraStatus.UP, last_error=None)
            )
            session.execute(update(Camera).values(source_url=None))


def test_a_hot_list_import_that_retires_entries_asks_first_and_a_purge_preview_in_words(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    """R12, R14, R30: a refused entry keeps what was typed; the import states how many active
    entries it would retire before it does, and cancelled it changes nothing; the purge preview
    names its categories in words."""
    with live_app.runtime.transaction() as session:
        name, active = session.execute(
            select(HotList.name, func.count(HotListEntry.id))
            .join(HotListEntry, HotListEntry.hot_list_id == HotList.id)
            .where(HotListEntry.removed_at.is_(None))
            .group_by(HotList.name)
            .order_by(func.count(HotListEntry.id).desc(), HotList.name)
        ).first() or ("", 0)
    assert active > 1
    sign_in(page, live_app, "administrator")
    _open(page, "Hot lists")
    page.get_by_label("Plate or pattern (? one character, * any run)").fill("9ZQ?77")
    page.get_by_label("Reason", exact=True).fill("Partial plate from the Crocker Ave robbery")
    page.get_by_role("button", name="Add entry").click()
    expect(page.get_by_test_id("stAlertContentError").last).to_contain_text("case number")
    expect(page.get_by_label("Reason", exact=True)).to_have_value(
        "Partial plate from the Crocker Ave robbery"
    )
    page.get_by_role("textbox", name="Case, call or warrant number").fill("26-05140")
    page.get_by_role("button", name="Add entry").click()
    expect(page.get_by_text("9ZQ?77 added to")).to_be_visible()
    wait_idle(page)
    expect(page.get_by_label("Reason", exact=True)).to_have_value("")
    _choose(page, "List to refresh", name)
    page.get_by_test_id("stFileUploader").filter(has_text="CSV file").locator(
        "input[type=file]"
    ).set_input_files(
        files=[
            {
                "name": "svs.csv",
                "mimeType": "text/csv",
                "buffer": (
                    b"plate,state,reason,make,model,colour,case_number,entered_date,expiry,"
                    b"priority\n5DEF555,CA,Stolen vehicle,,,,SVS-100001,2026-11-19,,high\n"
                    b"6GHI666,CA,Stolen vehicle,,,,SVS-100002,2026-11-19,,high\n"
                ),
            }
        ]
    )
    page.get_by_role("button", name="Import").click()
    confirm = page.get_by_role("button", name=f"Retire {active} and import 2")
    expect(confirm).to_be_visible()
    expect(page.get_by_text(f"{active} active entries will be retired")).to_be_visible()
    expect(page.get_by_text(f"{active} of them are not in the file")).to_be_visible()
    _shoot(page, artifacts / "01_import_asks_first.png")
    page.get_by_role("button", name="Cancel the import").click()
    expect(page.get_by_text(f"Nothing imported: {name} is unchanged.")).to_be_visible()
    with live_app.runtime.transaction() as session:
        still = session.execute(
            select(func.count(HotListEntry.id))
            .join(HotList, HotList.id == HotListEntry.hot_list_id)
            .where(HotList.name == name, HotListEntry.removed_at.is_(None))
        ).scalar_one()
    assert still == active

    _open(page, "Retention and holds")
    page.get_by_role("button", name="Preview the next purge (nothing is deleted)").click()
    wait_idle(page)
    expect(page.get_by_text("A purge now would delete")).to_be_visible()
    _shoot(page, artifacts / "02_purge_preview_in_words.png")
    with live_app.runtime.transaction() as session:
        run = session.execute(select(PurgeRun).order_by(PurgeRun.id.desc())).scalars().first()
    assert run is not None and run.dry_run
    assert set(run.counts) <= set(CATEGORIES)  # every category the purge counts has its words
