"""The access log review page (R23): the per-person table counts every access to ALPR data a
person made, refused attempts of every kind included, as the searches view lists them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from alpr.data.models import AccessRecord
from alpr.governance import alerts
from alpr.governance.access_log import Event
from alpr.governance.errors import Refusal
from alpr.governance.gateway import JustificationInput
from alpr.governance.oversight.review import DATA_EVENTS
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from tests.conftest import Clock, TestUser

SHIFT = "Stolen vehicles (10851 VC), Beat 3, day watch from 07:00"


def _today(rt: Runtime, clock: Clock) -> date:
    clock.now = datetime.now(UTC)  # the page reviews the last days by the real clock
    return clock.now.astimezone(rt.settings.tz).date()


def _watch(rt: Runtime, officer: Principal, description: str) -> None:
    alerts.start_monitoring(
        rt,
        principal=officer,
        justification=JustificationInput("stolen_vehicle", description=description),
    )


def test_a_patrol_officer_who_watched_alerts_is_counted_with_the_refusals(
    app_env: Runtime,
    clock: Clock,
    make_user: Callable[..., TestUser],
    app_as: Callable[..., AppTest],
) -> None:
    today = _today(app_env, clock)
    officer = make_user("chen", "patrol", trained_on=today).principal
    for _ in range(2):
        with pytest.raises(Refusal):
            _watch(app_env, officer, "Patrol shift")
        _watch(app_env, officer, SHIFT)
    sergeant = make_user("brooks", "sergeant", trained_on=today)
    at = app_as(sergeant, "app_pages/access_review.py")
    assert not at.exception
    table = at.dataframe[0].value
    [row] = table[table["Person"] == "Chen (chen)"].to_dict("records")
    assert row["Refused"] == 2
    assert row["Searches"] == 0 and row["Other looks"] == 2
    assert row["Purposes"] == "Stolen vehicle (2)"


def test_the_records_name_the_person_as_the_per_person_table_does(
    app_env: Runtime,
    clock: Clock,
    make_user: Callable[..., TestUser],
    app_as: Callable[..., AppTest],
) -> None:
    """R23: the searches and the other acts name each record's person as the table per person
    does, by name with the account in brackets, not by the account alone."""
    today = _today(app_env, clock)
    _watch(app_env, make_user("chen", "patrol", trained_on=today).principal, SHIFT)
    sergeant = make_user("brooks", "sergeant", trained_on=today)
    at = app_as(sergeant, "app_pages/access_review.py")
    named = {}
    for view in ("Per person", "Searches", "Sign-ins and other acts"):
        at.session_state["review_view"] = view
        at.run()
        assert not at.exception
        table = at.dataframe[0].value
        assert "User" not in table.columns
        named[view] = set(table["Person"])
    assert named["Per person"] == named["Searches"] == {"Chen (chen)"}
    assert named["Sign-ins and other acts"] <= {"Chen (chen)", "Brooks (brooks)"}


def _exports(rt: Runtime, username: str) -> list[AccessRecord]:
    with rt.transaction() as session:
        records = list(
            session.execute(
                select(AccessRecord).where(
                    AccessRecord.username == username, AccessRecord.event == Event.EXPORT
                )
            ).scalars()
        )
        session.expunge_all()
        return records


def _downloads(at: AppTest) -> list[str]:
    return [d.proto.label for d in at.get("download_button")]


def test_the_rows_csv_is_recorded_when_prepared_and_never_by_showing_the_page(
    app_env: Runtime,
    clock: Clock,
    make_user: Callable[..., TestUser],
    app_as: Callable[..., AppTest],
) -> None:
    """R20, R23: showing the searches offers no file; preparing the CSV records an export
    naming exactly the records on the page, and only then is the download offered."""
    today = _today(app_env, clock)
    _watch(app_env, make_user("chen", "patrol", trained_on=today).principal, SHIFT)
    sergeant = make_user("brooks", "sergeant", trained_on=today)
    at = app_as(sergeant, "app_pages/access_review.py")
    at.session_state["review_view"] = "Searches"
    at.run()
    assert not at.exception
    assert "Download these rows (CSV)" not in _downloads(at)
    at.run()
    assert _exports(app_env, "brooks") == []
    [prepare] = [b for b in at.button if b.label == "Prepare a CSV of these rows"]
    prepare.click().run()

    assert not at.exception
    assert "Download these rows (CSV)" in _downloads(at)
    [record] = _exports(app_env, "brooks")
    with app_env.transaction() as session:
        on_page = list(
            session.execute(
                select(AccessRecord.id)
                .where(AccessRecord.event.in_(DATA_EVENTS), AccessRecord.id < record.id)
                .order_by(AccessRecord.id.desc())
            ).scalars()
        )
    assert on_page and (record.query or {})["record_ids"] == on_page
    at.run()
    assert len(_exports(app_env, "brooks")) == 1  # looking again exports nothing more
