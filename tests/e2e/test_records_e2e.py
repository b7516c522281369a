"""The records side in Chromium: the register of agencies and agreements; a request filed with
its scope (counted before approval), approved by a commander in another browser, produced and
downloaded as a zip with its manifest; an immigration request refused in red with its phrase;
and a legal hold placed and released by the ALPR Administrator (screenshots)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select

from alpr.data.models import LegalHold, Read, ReleasePackage, ReleaseRequest, Scope
from tests.e2e.conftest import LiveApp, sign_in, wait_idle

SHERIFF = "San Mateo County Sheriff's Office"


def _open(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=title).click()
    wait_idle(page)


def _choose(page: Page, label: str, option: str) -> None:
    wait_idle(page)  # a rerun still drawing leaves the box of its previous run
    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    box.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box.click()
    page.get_by_role("option").filter(has_text=option).first.click()
    wait_idle(page)


def _shoot(page: Page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main block, so the window is made as tall
    as the page first."""
    wait_idle(page)
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": max(1000, min(int(height) + 80, 4000))})
    page.wait_for_timeout(1200)
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


def _upload(page: Page, label: str, name: str, data: bytes) -> None:
    uploader = page.get_by_test_id("stFileUploader").filter(has_text=label)
    uploader.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": data}]
    )
    expect(uploader.get_by_text(name)).to_be_visible()


def _period(page: Page, start: date, end: date) -> None:
    """Choose the period a request covers: its first and last day (it starts empty)."""
    for label, day in (("From (date) *", start), ("To (date) *", end)):
        page.get_by_label(label, exact=True).get_by_role("spinbutton").first.click()
        page.keyboard.type(f"{day:%Y%m%d}")
        page.keyboard.press("Tab")
        wait_idle(page)


def _last_days(app: LiveApp, days: int) -> tuple[date, date]:
    """The agency's last ``days`` days, today included."""
    today = datetime.now(app.runtime.settings.tz).date()
    return today - timedelta(days=days), today


def _busy_plate(app: LiveApp, *, hours: float) -> tuple[str, int]:
    """A plate the demo read often in the last hours, and how many times."""
    since = datetime.now(UTC) - timedelta(hours=hours)
    with app.runtime.transaction() as session:
        plate, count = session.execute(
            select(Read.plate, func.count())
            .where(Read.captured_at >= since)
            .group_by(Read.plate)
            .order_by(func.count().desc(), Read.plate)
            .limit(1)
        ).one()
    return str(plate), int(count)


def test_register_shows_agencies_in_words_and_records_an_agreement(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    sign_in(page, live_app, "records_clerk")
    _open(page, "Agencies and agreements")
    expect(page.get_by_text("Agency outside California").first).to_be_visible()
    expect(page.get_by_text("ca_local_le")).to_have_count(0)
    _shoot(page, artifacts / "01_register.png")
    page.get_by_role("tab", name="Add an agency").click()
    page.get_by_label("Agency name").fill("Pacifica Police Department")
    page.get_by_role("button", name="Add the agency").click()
    expect(page.get_by_text("Pacifica Police Department added")).to_be_visible()
    page.get_by_role("tab", name="Record an agreement").click()
    _choose(page, "With", "Pacifica Police Department")
    page.get_by_label("Title").fill("Coastside ALPR MOU")
    page.get_by_label("What it covers").fill("Reads for major crimes on the coast")
    _upload(page, "Signed agreement (required)", "coastside-mou.pdf", b"%PDF-1.7")
    page.get_by_role("button", name="Record the agreement").click()
    expect(page.get_by_text("'Coastside ALPR MOU' with Pacifica Police Department")).to_be_visible()
    expect(page.get_by_text("in force with no expiry date").first).to_be_visible()
    _shoot(page, artifacts / "02_agreement_recorded.png")


def test_request_filed_counted_approved_produced_and_downloaded(
    live_app: LiveApp, page: Page, artifacts: Path, browser: Browser
) -> None:
    plate, _ = _busy_plate(live_app, hours=24 * 6)
    sign_in(page, live_app, "records_clerk")
    _open(page, "Requests for data")
    page.get_by_text("File a new request").click()
    wait_idle(page)
    _choose(page, "Requesting agency", SHERIFF)
    expect(page.get_by_text("Agreement in force: County ALPR data sharing MOU")).to_be_visible()
    page.get_by_label("Requester's name").fill("Det. Sgt. Kim")
    page.get_by_label("Requester's contact").fill("kim@smcsheriff.example")
    page.get_by_label("Intended purpose, as the requester states it").fill(
        "Armed robbery series, suspect vehicle"
    )
    _choose(page, "Authorized purpose it serves", "Wanted vehicle")
    page.get_by_label("Description of the information requested").fill(f"Reads of {plate}")
    page.get_by_label("Plates (comma separated)").fill(plate)
    page.get_by_label("Case number (the requester's or ours)").fill("SMSO-26-0911")
    _period(page, *_last_days(live_app, 6))
    _upload(page, "Written request", "letter.pdf", b"%PDF letter")
    _shoot(page, artifacts / "01_filing.png")
    page.get_by_role("button", name="File the request").click()
    filed = page.get_by_text("filed. The law: Eligible once the commander approves")
    expect(filed).to_be_visible()
    number = int(filed.inner_text().split("#")[1].split(" ")[0])
    with live_app.runtime.transaction() as session:
        reads = session.execute(
            select(Scope.reads_counted)
            .join(ReleaseRequest, ReleaseRequest.scope_id == Scope.id)
            .where(ReleaseRequest.id == number)
        ).scalar_one()
    assert reads and reads > 0
    expect(page.get_by_text(f"its scope selects {reads} read")).to_be_visible()
    expect(page.get_by_text(f"Selects {reads} read", exact=False).last).to_be_visible()
    _shoot(page, artifacts / "02_filed_with_count.png")

    commander = browser.new_context(viewport={"width": 1400, "height": 1000})
    boss = commander.new_page()
    sign_in(boss, live_app, "command")
    _open(boss, "Requests for data")
    _choose(boss, "Open a request", f"#{number} ")
    boss.get_by_label("Reason for the decision").fill("Warrant-level purpose, MOU in force")
    boss.get_by_role("button", name="Approve").click()
    expect(boss.get_by_text(f"Request #{number} approved")).to_be_visible()
    expect(
        boss.get_by_role("strong").filter(has_text="Approved; package not yet produced")
    ).to_be_visible()
    _shoot(boss, artifacts / "03_approved.png")
    commander.close()

    sign_in(page, live_app, "records_clerk")
    _open(page, "Requests for data")
    _choose(page, "Open a request", f"#{number} ")
    page.get_by_role("button", name="Produce the package").click()
    expect(page.get_by_text(f"Package of request #{number} produced")).to_be_visible()
    page.get_by_role("button", name="Prepare the package for download").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the package (zip with its manifest)").click()
    path = artifacts / f"release-request-{number}.zip"
    download_info.value.save_as(path)
    _shoot(page, artifacts / "04_history_and_download.png")
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read(f"request-{number}/manifest.json"))
    assert {f"request-{number}/reads.csv", f"request-{number}/reads.json"} <= names
    assert manifest["kind"] == "plate-level" and "reads.csv" in manifest["files"]
    with live_app.runtime.transaction() as session:
        package = session.execute(
            select(ReleasePackage).where(ReleasePackage.request_id == number)
        ).scalar_one()
    assert package.reads == reads


def test_an_immigration_request_is_refused_in_red_with_its_phrase(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    sign_in(page, live_app, "records_clerk")
    _open(page, "Requests for data")
    page.get_by_text("File a new request").click()
    wait_idle(page)
    _choose(page, "Requesting agency", "South San Francisco Police Department")
    page.get_by_label("Requester's name").fill("Ofc. Lee")
    page.get_by_label("Requester's contact").fill("lee@ssfpd.example")
    page.get_by_label("Intended purpose, as the requester states it").fill(
        "Assist federal immigration enforcement with a removal case"
    )
    page.get_by_label("Description of the information requested").fill("Reads of one plate")
    page.get_by_label("Plates (comma separated)").fill("7KQM482")
    _period(page, *_last_days(live_app, 7))
    page.get_by_role("button", name="File the request").click()
    refused = page.get_by_test_id("stAlertContentError").filter(has_text="Refused by law")
    expect(refused.first).to_be_visible()
    expect(page.get_by_text('speaks of immigration enforcement: "immigration"')).to_be_visible()
    _shoot(page, artifacts / "refused_sb54.png")


def test_a_hold_placed_by_the_administrator_and_released_by_a_sergeant(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    """R31, R21: a hold on a plate states its purpose; the sergeant releases it."""
    plate, _ = _busy_plate(live_app, hours=20)
    sign_in(page, live_app, "administrator")
    _open(page, "Retention and holds")
    page.get_by_text("A plate in a period").click()
    wait_idle(page)
    _choose(page, "Purpose", "Wanted vehicle")
    page.get_by_label("Case number").fill("26-04711")
    page.get_by_label("Why these reads are or may become evidence").fill(
        "Suspect vehicle in the Geneva Ave shooting"
    )
    page.get_by_label("Plates (exact or partial, comma separated)").fill(plate)
    _shoot(page, artifacts / "01_hold_form.png")
    page.get_by_role("button", name="Place the hold").click()
    expect(page.get_by_text("will not be purged")).to_be_visible()
    _shoot(page, artifacts / "02_hold_placed.png")
    with live_app.runtime.transaction() as session:
        hold = session.execute(select(LegalHold).order_by(LegalHold.id.desc())).scalars().first()
    assert hold is not None and hold.case_number == "26-04711" and hold.released_at is None
    sign_in(page, live_app, "sergeant")
    _open(page, "Retention and holds")
    page.get_by_role("tab", name="Release a hold").click()
    page.get_by_label("Why the hold ends").fill("Case closed by the District Attorney")
    page.get_by_role("button", name="Release the hold").click()
    expect(page.get_by_text(f"Hold {hold.id} released")).to_be_visible()
    _shoot(page, artifacts / "03_hold_released.png")
    with live_app.runtime.transaction() as session:
        released = session.get(LegalHold, hold.id)
    assert released is not None and released.release_note == "Case closed by the District Attorney"
