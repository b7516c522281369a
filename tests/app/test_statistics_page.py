"""Usage statistics name each camera by its place, as command staff know the city, and count
each day as the agency's day."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import select
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from alpr.data.models import AccessRecord, Purpose
from alpr.governance import access_log
from alpr.governance.access_log import Event, Outcome
from alpr.governance.justification import Justification
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser
from tests.integration.builders import World


def _frames(at: AppTest) -> list[pd.DataFrame]:
    """The data of every chart on the page."""
    frames = []
    for chart in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart"):
        arrows = [chart.proto.data.data] + [d.data.data for d in chart.proto.datasets]
        frames += [convert_arrow_bytes_to_pandas_df(a) for a in arrows if a]
    return frames


def _searched(rt: Runtime, who: TestUser, *, at: datetime) -> None:
    """A search for a stolen vehicle in the access log, at ``at``."""
    with rt.transaction() as session:
        access_log.append(
            session,
            at=at,
            event=Event.SEARCH,
            outcome=Outcome.ALLOWED,
            principal=who.principal,
            justification=Justification(Purpose.STOLEN_VEHICLE, "26-01001", None, False),
        )


def test_an_evening_search_counts_on_the_agencys_day(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R24: a search at 17:10 in the agency's zone, the next day already in UTC, is counted
    on its own date."""
    tz = app_env.settings.tz
    yesterday = datetime.now(tz).date() - timedelta(days=1)
    evening = datetime.combine(yesterday, time(17, 10), tzinfo=tz)
    assert evening.astimezone(UTC).date() > yesterday
    _searched(app_env, make_user("rivera", "investigator"), at=evening)
    at = app_as(make_user("park", "command"), "app_pages/usage_statistics.py")
    assert not at.exception
    [searches] = [f for f in _frames(at) if "Purpose" in f.columns]
    assert searches.to_dict("records") == [
        {"Day": yesterday.isoformat(), "Purpose": "Stolen vehicle", "Searches": 1}
    ]


def test_cameras_are_named_by_their_place(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    world = World(app_env)
    world.camera("DC-003", 37.7, -122.4, place="Mission St & Crocker Ave")
    world.read("7ABC123", "DC-003", datetime.now(UTC) - timedelta(hours=1), 37.7, -122.4)
    at = app_as(make_user("park", "command"), "app_pages/usage_statistics.py")
    assert not at.exception
    labels: set[str] = set()
    for frame in _frames(at):
        if "Camera" in frame.columns:
            labels |= set(frame["Camera"])
    assert "Mission St & Crocker Ave (DC-003)" in labels


def test_a_day_chart_spans_the_whole_period_whatever_days_have_counts(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """One day of searches in a 30-day period is one bar among thirty days, not a bar across
    the chart: the axis runs from the period's first day to today, in the agency's days."""
    _searched(app_env, make_user("rivera", "investigator"), at=datetime.now(UTC))
    at = app_as(make_user("park", "command"), "app_pages/usage_statistics.py")
    assert not at.exception
    today = datetime.now(app_env.settings.tz).date()
    first, after = today - timedelta(days=29), today + timedelta(days=1)
    charts = at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")
    specs = [json.loads(c.proto.spec) for c in charts]
    [searches] = [s for s in specs if s["encoding"].get("color", {}).get("field") == "Purpose"]
    assert [
        (d["year"], d["month"], d["date"]) for d in searches["encoding"]["x"]["scale"]["domain"]
    ] == [(first.year, first.month, first.day), (after.year, after.month, after.day)]
    assert searches["encoding"]["color"]["legend"]["labelLimit"] == 0


def test_a_figures_csv_is_recorded_when_prepared_and_never_by_showing_the_page(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R20: drawing the figures offers no file and records no export; preparing the CSV of
    the reads and hits per camera, which names the cameras' places, records its export, and
    only then is its download offered."""
    world = World(app_env)
    world.camera("DC-003", 37.7, -122.4, place="Mission St & Crocker Ave")
    world.read("7ABC123", "DC-003", datetime.now(UTC) - timedelta(hours=1), 37.7, -122.4)
    at = app_as(make_user("park", "command"), "app_pages/usage_statistics.py")
    assert not at.exception
    assert [d.proto.label for d in at.get("download_button")] == []
    assert _exports(app_env) == []

    at.button(key="prepare_csv_reads-and-hits-per-camera").click().run()

    assert not at.exception
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels == ["Download reads and hits per fixed camera (CSV)"]
    [(username, query)] = _exports(app_env)
    assert username == "park"
    assert (query["figure"], query["days"]) == ("reads-and-hits-per-camera", 30)
    at.run()
    assert len(_exports(app_env)) == 1


def _exports(rt: Runtime) -> list[tuple[str, dict[str, Any]]]:
    with rt.transaction() as session:
        return [
            (r.username, dict(r.query or {}))
            for r in session.execute(
                select(AccessRecord).where(AccessRecord.event == Event.EXPORT)
            ).scalars()
        ]


def _looks(rt: Runtime) -> list[int]:
    """The periods of the looks at the statistics recorded, in order."""
    with rt.transaction() as session:
        queries = session.execute(
            select(AccessRecord.query)
            .where(AccessRecord.event == Event.VIEW_READ)
            .order_by(AccessRecord.id)
        ).scalars()
        return [q["days"] for q in queries if q and q.get("kind") == "statistics_view"]


def test_a_look_is_recorded_once_per_period_and_day_not_at_each_rerun(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R20: opening the page records the look at its 30 days; drawing it again records nothing
    more; another period records its own look, once a day; "Count again" counts and records
    anew. Fails if each rerun records, or if the page shows figures unrecorded."""
    at = app_as(make_user("park", "command"), "app_pages/usage_statistics.py")
    assert not at.exception
    assert _looks(app_env) == [30]
    at.run()
    assert _looks(app_env) == [30]
    [period] = at.select_slider
    period.set_value(7).run()
    assert not at.exception and _looks(app_env) == [30, 7]
    period.set_value(30).run()
    assert _looks(app_env) == [30, 7]
    [again] = [b for b in at.button if b.label == "Count again"]
    again.click().run()
    assert not at.exception and _looks(app_env) == [30, 7, 30]
    at.run()
    assert _looks(app_env) == [30, 7, 30]


def test_the_period_is_stated_as_dates_and_the_figures_as_people_count(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R24: command staff read which days the figures cover, the hits per 10,000 reads rather
    than a percentage of three decimals, and the audits as figures, not as a line of text."""
    world = World(app_env)
    world.camera("DC-003", 37.7, -122.4, place="Mission St & Crocker Ave")
    for minutes in range(4):
        world.read(
            f"7ABC12{minutes}",
            "DC-003",
            datetime.now(UTC) - timedelta(minutes=minutes),
            37.7,
            -122.4,
        )
    at = app_as(make_user("park", "command"), "app_pages/usage_statistics.py")
    assert not at.exception
    today = datetime.now(app_env.settings.tz).date()
    first = today - timedelta(days=29)
    since = f"{first:%a %b %-d}" + (f", {first.year}" if first.year != today.year else "")
    assert any(
        m.value.startswith(f"**{since} to {today:%a %b %-d, %Y}** — 30 days") for m in at.markdown
    )
    shown = {m.label: m.value for m in at.metric}
    assert shown["Plates read"] == "4" and shown["Hits per 10,000 reads"] == "0.0"
    assert (shown["Audits signed off"], shown["Audits open"]) == ("0", "0")
    assert not [m for m in at.markdown if m.value.startswith("Signed off:")]


def test_searches_are_counted_per_person_by_name_role_and_purpose(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R24: command staff see who searched by name and role, most searches first, with the
    purposes each stated, not an account's username with a bare count."""
    rivera, brooks = make_user("rivera", "investigator"), make_user("brooks", "sergeant")
    now = datetime.now(UTC)
    for who in (rivera, rivera, brooks):
        _searched(app_env, who, at=now)
    at = app_as(make_user("park", "command"), "app_pages/usage_statistics.py")
    assert not at.exception
    [people] = [t for t in at.table if "Person" in t.value.columns]
    assert people.value.to_dict("records") == [
        {
            "Person": "Rivera",
            "Role": "Investigator",
            "Searches": 2,
            "Purposes stated": "Stolen vehicle (2)",
        },
        {
            "Person": "Brooks",
            "Role": "Sergeant",
            "Searches": 1,
            "Purposes stated": "Stolen vehicle (1)",
        },
    ]
