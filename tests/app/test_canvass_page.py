"""R11: a canvass opened without an incident looks at the last two hours, ending now in the
agency's zone (not in the future, where no read can be)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from streamlit.testing.v1 import AppTest

from alpr.governance.runtime import Runtime, default_runtime
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
