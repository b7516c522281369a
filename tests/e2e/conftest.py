"""End-to-end harness: the real dashboard (``streamlit run server.py``) on a free port against
a seeded SQLite database, driven by Debian's Chromium through Playwright.

``live_app`` is shared by the whole run; every role has a trained user whose password and
TOTP secret the tests know. Screenshots go to ``test-artifacts/<test name>/``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy import select

from alpr.config import Deployment
from alpr.data.models import User
from alpr.governance.identity import principal_for
from alpr.governance.policy import policy_in_force
from alpr.governance.runtime import Runtime, build_runtime
from alpr.governance.users import activate_user, create_user, record_training
from tests.conftest import fresh_code

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("ALPR_CHROMIUM", "/usr/bin/chromium")
E2E_READS = int(os.environ.get("ALPR_E2E_READS", "20000"))
PASSWORD = "Field-Test-Passphrase-77"
ALERTS_REFRESH_SECONDS = 3
SCROLL_BAR_PX = 10  # a table's vertical scroll bar, as Chromium draws it
ROLES = ("investigator", "patrol", "sergeant", "records_clerk", "command", "administrator")

pytestmark = pytest.mark.e2e
# What a person sees after an action may take a while on a loaded machine (CI runs these
# beside the worker's tests): an assertion waits as long as an action does.
expect.set_options(timeout=30_000)


@dataclass(frozen=True)
class E2EUser:
    username: str
    password: str
    totp_secret: str

    def code(self) -> str:
        return fresh_code(self.totp_secret)


@dataclass(frozen=True)
class LiveApp:
    url: str
    env: dict[str, str]
    users: dict[str, E2EUser]
    runtime: Runtime

    def cli(
        self, *args: str, input_text: str | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "alpr", *args],
            cwd=ROOT,
            env={**self.env, **(env or {})},
            text=True,
            capture_output=True,
            input=input_text,
            timeout=300,
            check=False,
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("streamlit did not become healthy")


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    data_dir = tmp_path_factory.mktemp("e2e_data")
    env = {
        **os.environ,
        "ALPR_DATA_DIR": str(data_dir),
        "ALPR_DATABASE_URL": f"sqlite:///{data_dir / 'alpr.sqlite3'}",
        # The alerts list refreshes often enough that a test sees refreshes while it works.
        "ALPR_ALERTS_REFRESH_SECONDS": str(ALERTS_REFRESH_SECONDS),
        "PYTHONPATH": str(ROOT),
    }
    subprocess.run(
        [sys.executable, "-m", "alpr", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    seeded = subprocess.run(
        [sys.executable, "-m", "alpr", "demo", "seed", "--reads", str(E2E_READS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert seeded.returncode == 0, seeded.stderr
    rt = build_runtime(Deployment(data_dir=data_dir, database_url=env["ALPR_DATABASE_URL"]))
    with rt.transaction() as session:  # the demo agency's Administrator adds the test users
        demo_admin = session.execute(select(User).where(User.username == "admin")).scalar_one()
        admin = principal_for(session, demo_admin, authenticated_at=rt.now(), client_addr=None)
        # and its commander activates them
        demo_chief = session.execute(select(User).where(User.username == "commander")).scalar_one()
        chief = principal_for(session, demo_chief, authenticated_at=rt.now(), client_addr=None)
    users = {}
    for role in ROLES:
        account = create_user(
            rt,
            actor=admin,
            username=f"e2e_{role}",
            full_name=f"E2E {role.replace('_', ' ').title()}",
            role=role,
            agency_name=policy_in_force(rt).agency_name,
            password=PASSWORD,
            temporary_password=False,
        )
        activate_user(rt, actor=chief, username=account.username)
        record_training(
            rt,
            actor=None,
            username=account.username,
            course="ALPR operator course",
            completed_on=date.today().replace(day=1),
        )
        secret = re.search(r"secret=([A-Z2-7]+)", account.provisioning_uri)
        assert secret is not None
        users[role] = E2EUser(account.username, PASSWORD, secret.group(1))
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (data_dir / "streamlit.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "server.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_healthy(url, process)
        yield LiveApp(url=url, env=env, users=users, runtime=rt)
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def wait_idle(page: Page) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_timeout(250)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
        timeout=60_000
    )


def reload(page: Page) -> None:
    """Refresh the tab and wait until the page has been run again with the session the
    cookie gives back (the tab's first run reads the cookie, and its work is put back): the
    state is taken as settled once the script is idle twice, a second apart."""
    page.reload()
    page.get_by_test_id("stSidebar").wait_for(timeout=60_000)
    wait_idle(page)
    page.wait_for_timeout(1000)
    wait_idle(page)


SESSION_COOKIES = ("alpr_session", "__Host-alpr_session")


def session_cookie(page: Page) -> dict[str, object] | None:
    """The browser's session cookie, if it holds one."""
    return next((dict(c) for c in page.context.cookies() if c.get("name") in SESSION_COOKIES), None)


def wait_session_cookie(page: Page, *, present: bool = True) -> None:
    """Wait until the sign-in (or sign-out) has reached the browser's cookie."""
    deadline = time.monotonic() + 15
    while (session_cookie(page) is not None) is not present:
        assert time.monotonic() < deadline, "the session cookie did not follow"
        page.wait_for_timeout(100)


def _fill_password_form(page: Page, user: E2EUser) -> None:
    acknowledge = page.get_by_label("I acknowledge this notice")
    if not acknowledge.is_checked():
        page.get_by_text("I acknowledge this notice").click()
    wait_idle(page)  # a field filled while the acknowledgement reruns the page is emptied
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password", exact=True).fill(user.password)
    expect(acknowledge).to_be_checked()
    expect(page.get_by_label("Username")).to_have_value(user.username)
    expect(page.get_by_label("Password", exact=True)).to_have_value(user.password)


def _lost_submission_shot(user: E2EUser) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / f"lost_sign_in_{user.username}_{time.time_ns()}.png"


def enter_credentials(page: Page, url: str, user: E2EUser, *, shots: Path | None = None) -> None:
    """The sign-in form at ``url``, from a browser without a session cookie: banner, username
    and password, then the TOTP code."""
    page.context.clear_cookies()
    page.goto(url)
    page.get_by_text("I acknowledge this notice").wait_for()
    if shots:
        page.screenshot(path=shots / "01_banner.png", full_page=True)
    code_box = page.get_by_label(f"Authenticator code for {user.username}")
    refused = page.get_by_test_id("stAlertContentError")
    for attempt in (1, 2):
        _fill_password_form(page, user)
        page.get_by_role("button", name="Sign in").click()
        try:
            code_box.or_(refused).first.wait_for(timeout=45_000)
            break
        except PlaywrightTimeoutError:
            # Neither the next step nor a refusal: the submission was lost on the way (a
            # socket reconnecting on a loaded machine); a person sends the form again.
            if attempt == 2 or code_box.count():
                raise
            page.screenshot(path=_lost_submission_shot(user), full_page=True)
    if refused.count():
        raise AssertionError(f"the sign-in was refused: {refused.all_inner_texts()}")
    if shots:
        page.screenshot(path=shots / "02_mfa.png", full_page=True)
    enrolment = page.get_by_role("img", name="Authenticator key")
    if enrolment.count():  # a first sign-in: the code is drawn in the page, without a session
        assert enrolment.evaluate("img => img.complete && img.naturalWidth > 0")
    code_box.fill(user.code())
    page.get_by_role("button", name="Verify").click()


def sign_in(
    page: Page, app: LiveApp, role: str, *, shots: Path | None = None, path: str = ""
) -> E2EUser:
    """Sign in through the real form: banner, password, then TOTP (enrolling if needed). The
    browser starts without a session cookie, at the dashboard's root or at ``path``, where it
    is left once signed in (on Home for the root)."""
    user = app.users[role]
    enter_credentials(page, f"{app.url}/{path}", user, shots=shots)
    if not path:
        page.get_by_text("Welcome,").wait_for()
    wait_idle(page)
    wait_session_cookie(page)
    return user


def purpose_box(page: Page) -> Locator:
    """The justification's Purpose picker, wherever the form puts it."""
    return page.get_by_test_id("stSelectbox").filter(has=page.get_by_text("Purpose", exact=True))


def choose_purpose(page: Page, purpose: str) -> None:
    """Pick the justification's purpose once the page has settled (a picker drawn again by a
    late rerun is detached), scrolled into view first: the dropdown closes if the page scrolls
    under it."""
    wait_idle(page)
    box = purpose_box(page)
    box.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(500)
    box.click()
    page.get_by_role("option", name=purpose).click()


def open_canvass_at(page: Page, incident: str = "Shooting") -> None:
    """Open the Canvass page from the sidebar with the scene at the demo's incident."""
    page.get_by_test_id("stSidebar").get_by_text("Canvass").click()
    wait_idle(page)
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option").filter(has_text=incident).first.click()
    wait_idle(page)


def start_monitoring_alerts(page: Page) -> None:
    """Open the alerts page and state why alerts are monitored this shift."""
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Alerts").click()
    wait_idle(page)
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="Stolen vehicle").click()
    page.get_by_label("Incident description (when there is no number yet)").fill(
        "Monitoring stolen vehicle hot-list alerts for beat 3, day shift today"
    )
    page.get_by_role("button", name="Start monitoring").click()
    wait_idle(page)


def alert_rows(page: Page) -> Locator:
    """The alerts list: one row (a button) per alert, unreviewed first."""
    return page.locator(".st-key-alerts_queue").get_by_test_id("stButton")


def open_alert(page: Page, row: Locator) -> Locator:
    """Pick an alert in the list: its review opens beside the list."""
    row.click()
    wait_idle(page)
    review = page.locator(".st-key-alert_review")
    expect(review).to_be_visible()
    return review


def assert_whole_on_page(page: Page, element: Locator, what: str) -> None:
    """``element`` (a table) ends within the page's main block and hides nothing behind a
    sideways scroll: every column is on screen."""
    element.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    main = page.get_by_test_id("stMainBlockContainer").bounding_box()
    box = element.bounding_box()
    assert main is not None and box is not None
    overflow = box["x"] + box["width"] - (main["x"] + main["width"])
    assert overflow <= 1, f"{what} runs {overflow:.0f} px past the page"
    hidden = element.evaluate(
        "e => Math.max(...[e, ...e.querySelectorAll('*')].map(n => n.scrollWidth - n.clientWidth))"
    )
    # A table taller than its frame scrolls down, and its scroll bar covers the last pixels of
    # its right-most column: a bar's width of it is hidden, never a column.
    scrolls_down = element.evaluate(
        "e => [...e.querySelectorAll('.dvn-scroller')].some(n => n.scrollHeight > n.clientHeight)"
    )
    allowed = SCROLL_BAR_PX if scrolls_down else 1
    assert hidden <= allowed, f"{hidden} px of {what} hidden behind a sideways scroll"
