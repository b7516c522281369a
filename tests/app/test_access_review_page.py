"""The access log review page (R23): the per-person table counts every access to ALPR data a
person made, refused attempts of every kind included, as the searches view lists them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from streamlit.testing.v1 import AppTest

from alpr.governance import alerts
from alpr.governance.errors import Refusal
from alpr.governance.gateway import JustificationInput
from alpr.governance.runtime import Runtime
from tests.conftest import Clock, TestUser

SHIFT = "Stolen vehicles (10851 VC), Beat 3, day watch from 07:00"


def test_a_patrol_officer_who_watched_alerts_is_counted_with_the_refusals(
    app_env: Runtime,
    clock: Clock,
    make_user: Callable[..., TestUser],
    app_as: Callable[..., AppTest],
) -> None:
    clock.now = datetime.now(UTC)  # the page reviews the last days by the real clock
    today = clock.now.astimezone(app_env.settings.tz).date()
    officer = make_user("chen", "patrol", trained_on=today).principal
    for _ in range(2):
        with pytest.raises(Refusal):
            alerts.start_monitoring(
                app_env,
                principal=officer,
                justification=JustificationInput("stolen_vehicle", description="Patrol shift"),
            )
        alerts.start_monitoring(
            app_env,
            principal=officer,
            justification=JustificationInput("stolen_vehicle", description=SHIFT),
        )
    sergeant = make_user("brooks", "sergeant", trained_on=today)
    at = app_as(sergeant, "app_pages/access_review.py")
    assert not at.exception
    table = at.dataframe[0].value
    [row] = table[table["Person"] == "Chen (chen)"].to_dict("records")
    assert row["Refused"] == 2
    assert row["Searches"] == 0 and row["Other looks"] == 2
    assert row["Purposes"] == "Stolen vehicle (2)"
