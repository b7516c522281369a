"""The Audits page as the sergeant who marks the sample and the commander who signs it off
meet it (R23): the audit that waits for them comes first, each sampled record names the person
and the place searched in words, and each audit says when its sign-off is due."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from streamlit.testing.v1 import AppTest

from alpr.governance.gateway import JustificationInput
from alpr.governance.investigations.searches import canvass
from alpr.governance.oversight.audits import draw_audit, record_plan
from alpr.governance.runtime import Runtime
from alpr.ui.dates import cell_date
from tests.conftest import TestUser
from tests.integration.builders import World

SCENE = (37.6963, -122.4607)


def _people(make_user: Callable[..., TestUser]) -> dict[str, TestUser]:
    return {
        "detective": make_user("rivera", "investigator"),
        "sergeant": make_user("brooks", "sergeant"),
        "chief": make_user("ellis", "command"),
        "admin": make_user("okafor", "administrator"),
    }


def _canvass_audited(rt: Runtime, people: dict[str, TestUser]) -> None:
    """A detective's canvass at a named corner, then the plan and the audit that samples it."""
    world = World(rt)
    world.camera("geneva", *SCENE)
    now = rt.now()
    world.read("7CAN001", "geneva", now - timedelta(minutes=30), *SCENE)
    canvass(
        rt,
        principal=people["detective"].principal,
        justification=JustificationInput("major_crime_canvass", "26-04711"),
        start=now - timedelta(hours=1),
        end=now,
        lat=SCENE[0],
        lon=SCENE[1],
        radius_m=300,
        address="Mission St & Crocker Ave",
    )
    record_plan(
        rt,
        principal=people["admin"].principal,
        frequency_days=30,
        sample_size=5,
        auditor="brooks",
        approver="ellis",
    )
    today = now.astimezone(rt.settings.tz).date()
    draw_audit(rt, principal=people["sergeant"].principal, period_start=today, period_end=today)


def test_the_audit_to_mark_comes_before_drawing_another(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """The sergeant opens the page to mark the sample: the audit and its records come first,
    drawing another is folded away below; the record names the detective and the corner
    searched, not an account code and coordinates."""
    people = _people(make_user)
    _canvass_audited(app_env, people)
    at = app_as(people["sergeant"], "app_pages/audits.py")
    assert not at.exception
    headings = [s.value for s in at.subheader]
    assert headings[0] == "Audits drawn" and headings[1].startswith("Audit 1: ")
    [draw] = [e for e in at.expander if e.label == "Draw an audit"]
    assert not draw.proto.expanded
    [sample] = [m.value for m in at.markdown if "Area canvass" in m.value]
    assert "**Rivera** (rivera)" in sample
    assert "300 m around Mission St & Crocker Ave" in sample
    assert "37.69" not in sample
    due = app_env.now().astimezone(app_env.settings.tz).date() + timedelta(days=30)
    assert at.dataframe[0].value["State"][0] == f"Open, due {cell_date(due)}"
    assert any(c.value.startswith(f"Open, due {cell_date(due)} · auditor") for c in at.caption)


def test_before_any_audit_the_sergeant_is_told_to_draw_one(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    people = _people(make_user)
    record_plan(
        app_env,
        principal=people["admin"].principal,
        frequency_days=30,
        sample_size=5,
        auditor="brooks",
        approver="ellis",
    )
    at = app_as(people["sergeant"], "app_pages/audits.py")
    assert not at.exception and not at.dataframe
    assert any(i.value.startswith("No audit has been drawn yet. A sergeant") for i in at.info)
    [draw] = [e for e in at.expander if e.label == "Draw an audit"]
    assert draw.proto.expanded
    chief = app_as(people["chief"], "app_pages/audits.py")
    assert [i.value for i in chief.info] == [
        "No audit has been drawn yet: a sergeant draws each period's sample."
    ]
    assert not [e for e in chief.expander if e.label == "Draw an audit"]


def test_the_plan_form_opens_only_while_no_plan_is_recorded(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    people = _people(make_user)
    at = app_as(people["admin"], "app_pages/audits.py")
    [plan] = [e for e in at.expander if e.label == "Audit plan"]
    assert plan.proto.expanded and at.warning
    _canvass_audited(app_env, people)
    at = app_as(people["admin"], "app_pages/audits.py")
    [plan] = [e for e in at.expander if e.label == "Audit plan"]
    assert not plan.proto.expanded and not at.warning
