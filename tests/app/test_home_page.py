"""Home tells each person what waits for them, with the page where it is done; roles that
others' acts never wait on are not given an empty section."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from streamlit.testing.v1 import AppTest

from alpr.governance.gateway import JustificationInput
from alpr.governance.investigations.searches import canvass
from alpr.governance.oversight.audits import (
    audit_detail,
    audit_status,
    draw_audit,
    mark_sample,
    record_plan,
)
from alpr.governance.releases.requests import file_request
from alpr.governance.runtime import Runtime
from alpr.ui.registry import PAGES, pages_for
from tests.conftest import TestUser
from tests.integration.builders import World
from tests.integration.release_desk import form, make_desk, plates_scope


def test_the_commander_is_told_of_a_request_to_decide_and_where(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    desk = make_desk(app_env, make_user)
    file_request(app_env, principal=desk.clerk.principal, form=form(scope=plates_scope("7KQM482")))
    at = app_as(desk.commander)
    assert not at.exception
    assert [w.value for w in at.warning] == ["1 request for data awaits your decision."]
    links = [(link.proto.label, link.proto.page) for link in at.get("page_link")]
    assert links[0] == ("Decide requests for data", "releases")  # the page's address

    clerk = app_as(desk.clerk)
    assert not clerk.exception and not clerk.warning
    assert "Nothing waits for you." in [c.value for c in clerk.caption]


def test_a_detective_home_has_no_waiting_section(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    at = app_as(make_user("rivera", "investigator"))
    assert not at.exception
    assert "Waiting for you" not in [h.value for h in at.subheader]


def test_the_sergeant_is_told_of_an_audit_whose_records_await_verdicts(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R24: an audit drawn and not yet marked is the sergeant's work: home says so and links to
    the Audits page, instead of "Nothing waits for you"; once every record is marked, it no
    longer waits."""
    detective = make_user("rivera", "investigator")
    sergeant = make_user("brooks", "sergeant")
    make_user("ellis", "command")
    World(app_env).camera("geneva", 37.6963, -122.4607)
    now = app_env.now()
    canvass(
        app_env,
        principal=detective.principal,
        justification=JustificationInput("major_crime_canvass", "26-04711"),
        start=now - timedelta(hours=1),
        end=now,
        lat=37.6963,
        lon=-122.4607,
        radius_m=300,
    )
    record_plan(
        app_env,
        principal=make_user("okafor", "administrator").principal,
        frequency_days=30,
        sample_size=5,
        auditor="brooks",
        approver="ellis",
    )
    today = now.astimezone(app_env.settings.tz).date()
    draw_audit(app_env, principal=sergeant.principal, period_start=today, period_end=today)
    at = app_as(sergeant)
    assert not at.exception
    assert [w.value for w in at.warning] == ["1 audit awaits verdicts on the records it sampled."]
    links = [(link.proto.label, link.proto.page) for link in at.get("page_link")]
    assert ("Mark the sampled records", "audits") in links

    [audit] = audit_status(app_env, principal=sergeant.principal)
    for sample in audit_detail(app_env, principal=sergeant.principal, audit_id=audit.id).samples:
        mark_sample(
            app_env,
            principal=sergeant.principal,
            sample_id=sample.sample_id,
            appropriate=True,
            note="",
        )
    at = app_as(sergeant)
    assert not at.exception and not at.warning
    assert "Nothing waits for you." in [c.value for c in at.caption]


def test_home_says_what_each_of_the_persons_pages_is_for(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """Home is where a person lands: each page their role opens is listed with a line on what
    it is for, not only its name as in the sidebar; pages the role cannot open are not."""
    detective = make_user("rivera", "investigator")
    at = app_as(detective)
    assert not at.exception
    captions = [c.value for c in at.caption]
    theirs = [p for p in pages_for(detective.principal) if p.path != "app_pages/home.py"]
    assert {p.title for p in theirs} >= {"Canvass", "Plate search"}
    for spec in theirs:
        assert spec.summary and spec.summary in captions, spec.title
    assert all(p.summary not in captions for p in PAGES if p not in theirs)
    assert len({p.summary for p in PAGES if p.summary}) == len(PAGES) - 1  # all but Home
