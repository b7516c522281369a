"""The Hot lists page's control of where a list's alerts are sent (R04, R40): the ALPR
Administrator picks among the agencies that may receive them and an https address at a host
the register names for the agency, sees the destination listed, and stops it; a sergeant sees
where alerts go but has no control, and what became of the alerts not delivered."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from alpr.data.models import Agency, HotList
from alpr.governance import hotlist_webhooks, hotlists
from alpr.governance.releases import receiving_hosts, registry
from alpr.governance.runtime import Runtime
from alpr.recognition.webhooks import MAX_ATTEMPTS
from tests.conftest import Clock, TestUser
from tests.integration.builders import World

SEND = "Send alerts there"
STOP = "Stop sending its alerts"


def _home(rt: Runtime) -> str:
    with rt.transaction() as session:
        return session.execute(select(Agency.name).where(Agency.is_home.is_(True))).scalar_one()


def _webhook(rt: Runtime) -> str | None:
    with rt.transaction() as session:
        return session.execute(select(HotList.webhook_url)).scalar_one()


def _send(at: AppTest, agency: str, address: str) -> None:
    [agency_box] = [s for s in at.selectbox if s.label == "Agency that receives them"]
    agency_box.set_value(agency)
    [address_box] = [t for t in at.text_input if t.label.startswith("Address")]
    address_box.set_value(address)
    [send] = [b for b in at.button if b.label == SEND]
    send.click().run()


def test_the_administrator_sends_a_lists_alerts_to_an_agency_allowed_and_stops_them(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    hotlists.ensure_list(app_env, actor=None, name="SVS", kind="stolen_vehicle")
    registry.add_agency(
        app_env, actor=None, name="Reno Police Department", kind="out_of_state", state="NV"
    )
    home = _home(app_env)
    receiving_hosts.add_host(app_env, actor=None, agency_name=home, host="cad.example.org")
    at = app_as(make_user("admin1", "administrator"), "app_pages/hotlists.py")
    assert not at.exception
    assert any(f"{home}: cad.example.org" in c.value for c in at.caption)
    [agency] = [s for s in at.selectbox if s.label == "Agency that receives them"]
    assert agency.options == [home]  # an agency outside California is not offered
    _send(at, home, "http://cad.example.org/alerts")
    assert not at.exception and any("https" in e.value for e in at.error)
    assert _webhook(app_env) is None
    _send(at, home, "https://collector.example.com/alerts")  # a host not registered for it
    assert not at.exception and any("not a host where" in e.value for e in at.error)
    assert _webhook(app_env) is None
    _send(at, home, "https://cad.example.org/alerts")
    assert not at.exception
    assert _webhook(app_env) == "https://cad.example.org/alerts"
    assert "received by" in at.success[0].value
    [stop] = [b for b in at.button if b.label == STOP]
    stop.click().run()
    assert not at.exception and _webhook(app_env) is None


def test_a_sergeant_sees_where_alerts_go_without_the_control(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    hotlists.ensure_list(app_env, actor=None, name="SVS", kind="stolen_vehicle")
    at = app_as(make_user("kim", "sergeant"), "app_pages/hotlists.py")
    assert not at.exception
    assert any(s.value == "Where alerts are sent" for s in at.subheader)
    assert not [b for b in at.button if b.label in (SEND, STOP)]


def test_the_page_shows_a_disabled_list_and_a_delivery_whose_attempts_ran_out(
    app_env: Runtime,
    clock: Clock,
    make_user: Callable[..., TestUser],
    app_as: Callable[..., AppTest],
) -> None:
    """R40, R20: a destination whose list is disabled is shown as sending nothing, with why;
    a delivery whose every attempt failed shows no next attempt, where the page once showed a
    time that would never come."""
    hotlists.ensure_list(app_env, actor=None, name="SVS", kind="stolen_vehicle")
    hotlist_webhooks.set_webhook(
        app_env,
        actor=make_user("admin1", "administrator").principal,
        list_name="SVS",
        url="http://127.0.0.1:9/closed",
        agency_name=_home(app_env),
    )
    world = World(app_env)
    world.camera("cam", 37.7, -122.4)
    world.read("7ABC123", "cam", clock.now, 37.7, -122.4)
    hotlists.add_entry(
        app_env, actor=None, list_name="SVS", pattern="7ABC123", reason="Stolen", case_number=None
    )  # a retro-hit of the read: its alert is queued for the webhook
    for _ in range(MAX_ATTEMPTS):
        assert hotlist_webhooks.deliver_due(app_env, timeout_s=1).failed == 1
        clock.advance(days=1)
    with app_env.transaction() as session:
        session.execute(update(HotList).values(enabled=False))

    at = app_as(make_user("kim", "sergeant"), "app_pages/hotlists.py")
    assert not at.exception
    [destination] = [t.value for t in at.dataframe if "Sends now" in t.value.columns]
    assert list(destination["Sends now"]) == [
        "No: Hot list SVS is disabled: it raises no alerts and sends none queued."
    ]
    [failing] = [t.value for t in at.dataframe if "Next attempt" in t.value.columns]
    assert list(failing["Attempts"]) == [MAX_ATTEMPTS]
    assert list(failing["Next attempt"]) == ["none: every attempt failed"]
