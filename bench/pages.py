"""How fast the dashboard answers a person, measured in Debian's Chromium: the demo agency
seeded into a fresh SQLite database, the dashboard started on it, then for an investigator, a
patrol officer and the Administrator each page of their navigation opened from the sidebar
(time from the click until the page has settled: the script finished and no element left
loading), and a canvass of 10,000 reads around the demo's latest incident (time from the click
on Search until the results map and table are drawn). JSON to stdout (and --out).

    python bench/pages.py --reads 200000

The 10,000 reads are added to the seeded data at the incident's cameras in its default
window, so that the canvass stays within the agency's bounds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyotp
from playwright.sync_api import Page, sync_playwright
from sqlalchemy import insert, select

from alpr.config import Deployment
from alpr.data.dialect import ensure_partitions, month_start
from alpr.data.models import Plate, Read, User
from alpr.governance.identity import principal_for
from alpr.governance.investigations.incidents import IncidentEntry, list_incidents
from alpr.governance.investigations.queries import Area, cameras_in
from alpr.governance.policy import policy_in_force
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime, build_runtime
from alpr.governance.users import create_user, record_training
from alpr.plates import confusion_key
from alpr.ui.registry import pages_for

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Bench-Passphrase-2026-pages"
ROLES = ("investigator", "patrol", "administrator")
CANVASS_READS = 10_000
WATCH = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    window.__ran = false;
    new MutationObserver((_, observer) => {
        if (app.dataset.testScriptState === 'running') {
            window.__ran = true;
            observer.disconnect();
        }
    }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""
SETTLED = """() => window.__ran
    && document.querySelector('[data-testid="stApp"]').dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stSkeleton"]')"""


@dataclass(frozen=True)
class Account:
    username: str
    secret: str
    principal: Principal


def _run(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "alpr", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def _accounts(rt: Runtime) -> dict[str, Account]:
    with rt.transaction() as session:
        admin_user = session.execute(select(User).where(User.username == "admin")).scalar_one()
        admin = principal_for(session, admin_user, authenticated_at=rt.now(), client_addr=None)
    accounts = {}
    for role in ROLES:
        made = create_user(
            rt,
            actor=admin,
            username=f"bench_{role}",
            full_name=f"Bench {role.title()}",
            role=role,
            agency_name=policy_in_force(rt).agency_name,
            password=PASSWORD,
            temporary_password=False,
        )
        record_training(
            rt,
            actor=None,
            username=made.username,
            course="ALPR operator course",
            completed_on=date.today().replace(day=1),
        )
        secret = re.search(r"secret=([A-Z2-7]+)", made.provisioning_uri)
        assert secret is not None
        with rt.transaction() as session:
            user = session.execute(select(User).where(User.username == made.username)).scalar_one()
            principal = principal_for(session, user, authenticated_at=rt.now(), client_addr=None)
        accounts[role] = Account(made.username, secret.group(1), principal)
    return accounts


def _crowd_the_scene(rt: Runtime, incident: IncidentEntry, *, count: int) -> int:
    """``count`` reads at the cameras within 400 m of the incident, in its default canvass
    window (an hour either side), as plates passing by."""
    rng = random.Random(19)
    with rt.transaction() as session:
        cameras = cameras_in(session, Area(incident.lat, incident.lon, 400.0))
    assert cameras, "the demo incident has no camera near it"
    plates = [
        rng.choice("5678")
        + "".join(rng.choices(string.ascii_uppercase, k=3))
        + "".join(rng.choices(string.digits, k=3))
        for _ in range(count // 3)
    ]
    start = incident.occurred_at - timedelta(minutes=55)
    rows = []
    for _ in range(count):
        camera_id, _name, _distance, lat, lon = rng.choice(cameras)
        rows.append(
            {
                "captured_at": start + timedelta(seconds=rng.uniform(0, 110 * 60)),
                "camera_id": camera_id,
                "plate": rng.choice(plates),
                "confidence": round(rng.uniform(0.8, 0.99), 3),
                "lat": lat,
                "lon": lon,
                "is_mobile": False,
                "retained": False,
            }
        )
    with rt.engine.begin() as conn:
        ensure_partitions(conn, [month_start(start.date())])
        conn.execute(insert(Read), rows)
    with rt.transaction() as session:
        known = set(session.execute(select(Plate.plate).where(Plate.plate.in_(plates))).scalars())
        session.add_all(Plate(plate=p, confusion_key=confusion_key(p)) for p in set(plates) - known)
    return len(rows)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _settle(page: Page) -> None:
    """Wait for the run the last act started (``WATCH`` armed before it) to finish."""
    page.wait_for_function(SETTLED, timeout=120_000, polling=50)


def _act(page: Page, act: Callable[[], None]) -> None:
    page.evaluate(WATCH)
    act()
    _settle(page)


def _sign_in(page: Page, url: str, account: Account) -> None:
    page.goto(url)
    page.get_by_text("I acknowledge this notice").click()
    page.get_by_label("Username").fill(account.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label(f"Authenticator code for {account.username}").fill(
        pyotp.TOTP(account.secret).now()
    )
    page.get_by_role("button", name="Verify").click()
    page.get_by_text("Welcome,").wait_for()
    page.wait_for_timeout(500)


def _page_times(page: Page, account: Account, *, rounds: int) -> dict[str, float]:
    """Seconds from the sidebar click until the page settles, the median of ``rounds``."""
    titles = [spec.title for spec in pages_for(account.principal)]
    times: dict[str, list[float]] = {t: [] for t in titles}
    nav = page.get_by_test_id("stSidebarNavItems")
    for _ in range(rounds):
        for title in titles:
            link = nav.get_by_role("link", name=title, exact=True)
            page.evaluate(WATCH)
            started = time.perf_counter()
            link.click()
            _settle(page)
            times[title].append(time.perf_counter() - started)
    return {t: round(statistics.median(v), 3) for t, v in times.items()}


def _canvass_time(page: Page, incident: IncidentEntry) -> tuple[float, str]:
    _act(page, page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Canvass").click)
    page.get_by_test_id("stSelectbox").first.click()
    _act(page, page.get_by_role("option").filter(has_text=incident.case_number).first.click)
    purpose = page.get_by_test_id("stSelectbox").nth(1)
    purpose.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    purpose.click()
    page.get_by_role("option", name="Canvass around a major crime scene").click()
    page.evaluate(WATCH)
    started = time.perf_counter()
    page.get_by_test_id("stBaseButton-primaryFormSubmit").click()
    page.get_by_text("recorded in the access log").wait_for(timeout=120_000)
    _settle(page)
    page.get_by_test_id("stDeckGlJsonChart").nth(1).wait_for()
    elapsed = time.perf_counter() - started
    summary = page.get_by_text("recorded in the access log").inner_text()
    return round(elapsed, 3), summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=200_000, help="demo reads to seed")
    parser.add_argument("--rounds", type=int, default=3, help="visits of each page")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="alpr-bench-pages-"))
    env = {
        **os.environ,
        "ALPR_DATA_DIR": str(data_dir),
        "ALPR_DATABASE_URL": f"sqlite:///{data_dir / 'alpr.sqlite3'}",
        "PYTHONPATH": str(ROOT),
    }
    _run(env, "db", "upgrade")
    _run(env, "demo", "seed", "--reads", str(args.reads))
    rt = build_runtime(Deployment(data_dir=data_dir, database_url=env["ALPR_DATABASE_URL"]))
    accounts = _accounts(rt)
    incident = list_incidents(rt, principal=accounts["investigator"].principal)[0]
    added = _crowd_the_scene(rt, incident, count=CANVASS_READS)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    report: dict[str, Any] = {"demo_reads": args.reads, "rounds": args.rounds}
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.3)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("ALPR_CHROMIUM", "/usr/bin/chromium"),
                headless=True,
                args=["--no-sandbox", "--disable-gpu"],
            )
            report["pages_s"] = {}
            for role, account in accounts.items():
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                _sign_in(page, url, account)
                report["pages_s"][role] = _page_times(page, account, rounds=args.rounds)
                if role == "investigator":
                    seconds, summary = _canvass_time(page, incident)
                    report["canvass"] = {
                        "reads_added_at_scene": added,
                        "incident": incident.case_number,
                        "search_to_results_s": seconds,
                        "summary": summary,
                    }
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    slowest = max(
        (t, role, title) for role, pages in report["pages_s"].items() for title, t in pages.items()
    )
    report["slowest_page"] = {"seconds": slowest[0], "role": slowest[1], "page": slowest[2]}
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
