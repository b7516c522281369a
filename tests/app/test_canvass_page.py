"""R11: a canvass opened without an incident looks at the last two hours, ending now in the
agency's zone (not in the future, where no read can be). Its form is kept with the session, so
a refresh shows it as it was asked, and a sergeant's password typed into it never is."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from streamlit.testing.v1 import AppTest

from alpr.governance.runtime import Runtime, default_runtime
from alpr.ui.session import _desks
from tests.app.conftest import ROOT
from tests.conftest import TestUser


def test_without_an_incident_the_window_is_the_last_two_hours(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    at = app_as(make_user("rivera", "investigator"), "app_pages/canvass.py")
    assert not at.exception
    tz = app_env.settings.tz
    days = {d.label: d.value for d in at.date_input}
    times = {t.label: t.value for t in at.time_input}
    end = datetime.combine(days["To (date)"], times["To (time)"], tzinfo=tz)
    start = datetime.combine(days["From (date)"], times["From (time)"], tzinfo=tz)
    assert abs(end - default_runtime().now()) < timedelta(minutes=2)
    assert end - start == timedelta(hours=2)


def test_the_form_is_kept_for_a_refresh_but_never_a_sergeants_password(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R21, R50: the justification typed into the canvass form is back in a tab opened on the
    same session; the supervisor's password and code, typed into the same form, are kept
    nowhere."""
    at = app_as(make_user("rivera", "investigator"), "app.py")
    at.switch_page("app_pages/canvass.py").run()
    description = "Shots fired at Main St & Oak Ave, two vehicles leaving north"
    at.text_input(key="canvass_0_description").set_value(description)
    at.text_input(key="canvass_appr_user").set_value("sgt_park")
    at.text_input(key="canvass_appr_pw").set_value("Sergeant-Passphrase-41")
    at.text_input(key="canvass_appr_code").set_value("123456")
    at.radio(key="canvass_mode").set_value("Polygon: WKT")
    [search] = [b for b in at.button if b.label == "Search"]
    search.click().run()  # refused: a polygon is wanted; what was typed is submitted all the same
    assert not at.exception and at.error
    [desk] = _desks().values()
    assert desk["canvass_0_description"] == description
    assert desk["canvass_mode"] == "Polygon: WKT"
    kept = repr(desk)
    assert "Sergeant-Passphrase-41" not in kept and "123456" not in kept
    assert not {"canvass_appr_user", "canvass_appr_pw", "canvass_appr_code"} & set(desk)

    refreshed = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    refreshed.session_state["alpr_session"] = at.session_state["alpr_session"]
    refreshed.switch_page("app_pages/canvass.py").run()
    assert not refreshed.exception
    assert refreshed.text_input(key="canvass_0_description").value == description
    assert refreshed.radio(key="canvass_mode").value == "Polygon: WKT"
    assert refreshed.text_input(key="canvass_appr_pw").value == ""
