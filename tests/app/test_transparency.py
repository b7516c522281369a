"""The public page (R52): renders without a session and shows no plate-shaped string from the
database, on the demo agency; it lists every authorized job title (R02), the Administrator and
designee (R06), how use is monitored (R24), the sharing rule in force (R44) and banded
figures."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from alpr.data.demo import seed_demo_data
from alpr.data.models import Camera, CameraKind, Purpose, Read
from alpr.governance import access_log
from alpr.governance.access_log import Event, Outcome
from alpr.governance.justification import Justification
from alpr.governance.permissions import ROLE_CATALOGUE
from alpr.governance.policy import set_policy
from alpr.governance.runtime import Runtime
from tests.app.conftest import ROOT
from tests.conftest import TestUser


def test_public_page_without_session_has_no_plates(app_env: Runtime) -> None:
    rt = app_env
    seed_demo_data(
        rt.engine,
        image_store=rt.images,
        reads=6000,
        seed=7,
        now=datetime(2026, 11, 20, 18, tzinfo=UTC),
    )
    at = AppTest.from_file(str(ROOT / "app_pages" / "transparency.py"), default_timeout=60).run()
    assert not at.exception
    texts = [str(e.value) for e in (*at.markdown, *at.title, *at.caption, *at.header)]
    texts += [f"{m.label} {m.value}" for m in at.metric]
    texts += [t.value.to_csv() for t in at.table]
    page = "\n".join(texts)
    assert "Hot-list hits" in page and "Who is responsible" in page
    with rt.transaction() as session:
        plates = set(session.execute(select(Read.plate)).scalars())
    assert not {token for token in re.findall(r"[A-Z0-9]{4,8}", page) if token in plates}


def test_the_public_page_counts_the_cameras_deployed_and_says_what_the_number_means(
    app_env: Runtime,
) -> None:
    """R52: the demo's cameras have no stream (their reads are imported), so none is "in
    service" on the Cameras page at this minute; the public is told how many cameras the
    department has deployed, fixed and in patrol cars, and how many read plates in the last
    30 days, not a "0" that says nothing true."""
    rt = app_env
    seed_demo_data(rt.engine, image_store=rt.images, reads=3000, seed=7, now=rt.now())
    with rt.transaction() as session:
        kinds = Counter(session.execute(select(Camera.kind).where(Camera.enabled)).scalars())
        today = rt.now().astimezone(rt.settings.tz).date()  # the period: 30 agency days
        since = datetime.combine(today - timedelta(days=29), time(0), tzinfo=rt.settings.tz)
        reading = session.execute(
            select(func.count(func.distinct(Read.camera_id))).where(Read.captured_at >= since)
        ).scalar_one()
    fixed, patrol = kinds[CameraKind.FIXED], kinds[CameraKind.MOBILE]
    assert fixed and patrol and reading
    at = AppTest.from_file(str(ROOT / "app_pages" / "transparency.py"), default_timeout=60).run()
    assert not at.exception
    [deployed] = [m for m in at.metric if m.label == "Cameras deployed"]
    assert deployed.value == str(fixed + patrol)
    assert (
        f"in use today: {fixed} fixed cameras and {patrol} readers in patrol cars. "
        f"{reading} cameras read plates in the last 30 days." in _page(at)
    )


def _page(at: AppTest) -> str:
    texts = [str(e.value) for e in (*at.markdown, *at.title, *at.caption, *at.header)]
    texts += [f"{m.label} {m.value}" for m in at.metric]
    texts += [t.value.to_csv() for t in at.table]
    return "\n".join(texts)


def test_the_public_page_states_who_may_use_it_who_is_responsible_and_how_use_is_monitored(
    app_env: Runtime, make_user: Callable[..., TestUser]
) -> None:
    rt = app_env
    for key, value in (
        ("administrator_title", "Operations Support Bureau Commander"),
        ("administrator_name", "Capt. Ana Ruiz"),
        ("designee_title", "Lieutenant, ALPR Program"),
        ("designee_name", "Lt. Sam Park"),
    ):
        set_policy(rt, actor=None, key=key, value=value, legal_basis="Chief's designation")
    detective = make_user("rivera", "investigator")
    for n in range(3):
        with rt.transaction() as session:
            access_log.append(
                session,
                at=datetime.now(UTC),  # the page counts the last 30 days by the real clock
                event=Event.SEARCH,
                outcome=Outcome.ALLOWED,
                principal=detective.principal,
                justification=Justification(Purpose.STOLEN_VEHICLE, f"26-0100{n}", None, False),
            )
    page = _page(AppTest.from_file(str(ROOT / "app_pages" / "transparency.py")).run())
    for role in ROLE_CATALOGUE:  # R02: every authorized job title
        for title in role.job_titles.split("; "):
            assert title in page, title
    # R06: the Administrator and the current designee, by title and name.
    assert "Operations Support Bureau Commander: Capt. Ana Ruiz" in page
    assert "Lieutenant, ALPR Program: Lt. Sam Park" in page
    # R24: how use is monitored.
    for words in (
        "Every access to ALPR data is recorded",
        "cannot be edited",
        "review every search made as a life-safety emergency",
        "audits drawn from a written audit plan",
    ):
        assert words in page, words
    assert "Stolen vehicle,fewer than 10" in page  # three searches, banded (R52)
    assert "never shared with out-of-state or federal agencies" in page
    set_policy(
        rt, actor=None, key="allow_out_of_state_exception", value=True, legal_basis="457.6 (g)"
    )
    page = _page(AppTest.from_file(str(ROOT / "app_pages" / "transparency.py")).run())
    assert "unless an exigent circumstance or a court order requires it" in page


def test_the_public_page_states_retention_in_years_with_their_days(app_env: Runtime) -> None:
    """R52: the public reads how long each kind of data is kept as a person says it, 5 years
    rather than 1825 under a heading in days."""
    at = AppTest.from_file(str(ROOT / "app_pages" / "transparency.py")).run()
    assert not at.exception
    [kept] = [t.value for t in at.table if "Kept for" in t.value.columns]
    rows = dict(zip(kept["Data"], kept["Kept for"], strict=True))
    assert rows["Reads that matched no hot list"] == "1 year (365 days)"
    assert rows["Reads that matched a hot list"] == "2 years (730 days)"
    assert any(v == "5 years (1,825 days)" for v in rows.values())
