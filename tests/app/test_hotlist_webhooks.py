"""The Hot lists page's control of where a list's alerts are sent (R04, R40): the ALPR
Administrator picks among the agencies that may receive them and an https address at a host
the register names for the agency, sees the destination listed, and stops it; a sergeant sees
where alerts go but has no control."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from alpr.data.models import Agency, HotList
from alpr.governance import hotlists
from alpr.governance.releases import receiving_hosts, registry
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser

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
