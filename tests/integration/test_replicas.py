"""Searches on a streaming read replica (R11, R12, R20): the query of a past window runs on a
hot standby close enough behind the primary, the search and its access record are written on
the primary, and nothing is shown unless the primary has recorded it. A replica stopped, or
lagging beyond the policy's bound, and a window reaching into that lag, leave the search to the
primary. The standby is a real one: ``pg_basebackup -R`` of a primary started for these tests."""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from alpr.config import Deployment
from alpr.data import schema
from alpr.data.engine import make_engine
from alpr.data.images import ImageStore
from alpr.data.models import AccessRecord, Search
from alpr.governance.bootstrap import bootstrap
from alpr.governance.gateway import JustificationInput
from alpr.governance.investigations import searches
from alpr.governance.policy import set_policy
from alpr.governance.runtime import Runtime
from tests.conftest import IN_CI, Clock, TestUser
from tests.integration.builders import World
from tests.integration.streaming import StreamingPair, missing_binaries, start_pair

WHY = JustificationInput(purpose="stolen_vehicle", case_number="26-04711")
LAT, LON = 37.7087, -122.4497
TEMPLATE = "alpr_replica_tpl"


@pytest.fixture(scope="module")
def pair() -> Iterator[StreamingPair]:
    missing = missing_binaries()
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        missing.append("runuser")
    if missing:
        message = f"a streaming replica needs Debian's postgresql-15: missing {missing}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    started = start_pair()
    try:
        started.primary.sql(f'CREATE DATABASE "{TEMPLATE}"')
        with psycopg.connect(started.primary.conninfo(TEMPLATE), autocommit=True) as conn:
            for ext in ("postgis", "pg_trgm", "btree_gist"):
                conn.execute(f"CREATE EXTENSION IF NOT EXISTS {ext}")
        url = started.primary.url(TEMPLATE)
        template = Runtime(
            settings=Deployment(database_url=url),
            engine=make_engine(url),
            images=None,  # type: ignore[arg-type]
        )
        schema.upgrade(template.engine)
        bootstrap(template)
        template.engine.dispose()
        yield started
    finally:
        started.close()


@pytest.fixture
def rt(pair: StreamingPair, tmp_path: Path, clock: Clock) -> Iterator[Runtime]:
    """A runtime on a fresh database of the primary, with the standby as its read replica."""
    name = f"alpr_r_{uuid.uuid4().hex[:8]}"
    pair.primary.sql(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
    pair.replayed()
    settings = Deployment(
        data_dir=tmp_path / "data",
        database_url=pair.primary.url(name),
        replica_urls=(pair.standby.url(name),),
    )
    runtime = Runtime(
        settings=settings,
        engine=make_engine(settings.database_url),
        images=ImageStore(settings.image_dir),
        clock=clock,
        replicas=tuple(make_engine(url, connect_timeout=2) for url in settings.replica_urls),
    )
    yield runtime
    for engine in (runtime.engine, *runtime.replicas):
        engine.dispose()
    if _running(pair):
        pair.standby.sql("SELECT pg_wal_replay_resume()")
    else:
        pair.standby.start()
    pair.primary.sql(f'DROP DATABASE "{name}" WITH (FORCE)')


def _running(pair: StreamingPair) -> bool:
    try:
        pair.standby.sql("SELECT 1")
    except psycopg.OperationalError:
        return False
    return True


def _scene(rt: Runtime) -> World:
    world = World(rt)
    world.camera("Geneva & Mission", LAT, LON)
    return world


def _canvass(rt: Runtime, user: TestUser, *, end: datetime) -> list[int]:
    found = searches.canvass(
        rt,
        principal=user.principal,
        justification=WHY,
        start=end - timedelta(hours=6),
        end=end,
        lat=LAT,
        lon=LON,
        radius_m=200,
    )
    return [read.id for read in found.result.reads]


def _recorded(rt: Runtime) -> list[tuple[str, list[int] | None]]:
    """What the primary recorded of each search: its kind and the read ids it showed."""
    with rt.transaction() as session:
        rows = session.execute(
            select(Search.kind, AccessRecord.result_ids)
            .join(AccessRecord, AccessRecord.search_id == Search.id)
            .order_by(AccessRecord.id)
        )
        return [(kind, ids) for kind, ids in rows]


def _pause_replay(pair: StreamingPair) -> None:
    pair.standby.sql("SELECT pg_wal_replay_pause()")
    while pair.standby.sql("SELECT pg_get_wal_replay_pause_state()") != "paused":
        time.sleep(0.02)


def test_a_past_window_is_searched_on_the_replica_and_recorded_on_the_primary(
    rt: Runtime, pair: StreamingPair, make_user: Callable[..., TestUser]
) -> None:
    """R11, R20: with replay paused, a read stored since on the primary is missing from the
    answer, which shows the query ran on the standby; the access record naming exactly what was
    shown is on the primary. Once replay resumes the replica answers with it too."""
    world = _scene(rt)
    end = rt.now() - timedelta(hours=1)
    first = world.read("7ABC123", "Geneva & Mission", end - timedelta(hours=2), LAT, LON)
    detective = make_user("rivera", "investigator")
    pair.replayed()
    _pause_replay(pair)
    later = world.read("8XYZ987", "Geneva & Mission", end - timedelta(hours=1), LAT, LON)

    assert _canvass(rt, detective, end=end) == [first]
    assert _recorded(rt) == [("canvass", [first])]

    pair.standby.sql("SELECT pg_wal_replay_resume()")
    pair.replayed()
    assert _canvass(rt, detective, end=end) == [first, later]
    assert _recorded(rt)[-1] == ("canvass", [first, later])


def test_a_window_reaching_into_the_lag_bound_and_a_history_stay_on_the_primary(
    rt: Runtime, pair: StreamingPair, make_user: Callable[..., TestUser]
) -> None:
    """R11, R12: reads of the last seconds may not be on a replica yet, so a canvass ending
    within the lag bound of now, and a plate's whole history, are answered by the primary."""
    world = _scene(rt)
    detective = make_user("rivera", "investigator")
    pair.replayed()
    _pause_replay(pair)
    just_now = world.read("7ABC123", "Geneva & Mission", rt.now() - timedelta(seconds=5), LAT, LON)

    assert _canvass(rt, detective, end=rt.now()) == [just_now]
    history = searches.plate_history(
        rt, principal=detective.principal, justification=WHY, plate="7ABC123"
    )
    assert [read.id for read in history.result.reads] == [just_now]


def test_a_replica_lagging_beyond_the_bound_is_skipped(
    rt: Runtime, pair: StreamingPair, make_user: Callable[..., TestUser]
) -> None:
    """R11: a standby whose last replayed commit is older than ``replica_max_lag_seconds``
    (while the primary has more) does not answer; the primary does, with the newest reads."""
    set_policy(rt, actor=None, key="replica_max_lag_seconds", value=1, legal_basis="test bound")
    world = _scene(rt)
    end = rt.now() - timedelta(hours=1)
    detective = make_user("rivera", "investigator")
    pair.replayed()
    _pause_replay(pair)
    stored = world.read("7ABC123", "Geneva & Mission", end - timedelta(hours=1), LAT, LON)
    time.sleep(1.5)

    assert _canvass(rt, detective, end=end) == [stored]
    assert _recorded(rt) == [("canvass", [stored])]


def test_searches_go_on_from_the_primary_with_the_replica_stopped(
    rt: Runtime, pair: StreamingPair, make_user: Callable[..., TestUser]
) -> None:
    """R11: an unreachable replica is skipped, not waited on."""
    world = _scene(rt)
    end = rt.now() - timedelta(hours=1)
    stored = world.read("7ABC123", "Geneva & Mission", end - timedelta(hours=1), LAT, LON)
    detective = make_user("rivera", "investigator")
    pair.standby.stop()

    started = time.monotonic()
    assert _canvass(rt, detective, end=end) == [stored]
    assert time.monotonic() - started < 10
    assert _recorded(rt) == [("canvass", [stored])]


def test_nothing_is_shown_when_the_primary_cannot_record_it(
    rt: Runtime, pair: StreamingPair, make_user: Callable[..., TestUser]
) -> None:
    """R20: the replica can answer, but the primary refuses writes: the search raises instead
    of returning a result no access record accounts for."""
    world = _scene(rt)
    end = rt.now() - timedelta(hours=1)
    world.read("7ABC123", "Geneva & Mission", end - timedelta(hours=1), LAT, LON)
    detective = make_user("rivera", "investigator")
    database = rt.engine.url.database
    pair.primary.sql(f'ALTER DATABASE "{database}" SET default_transaction_read_only = on')
    rt.engine.dispose()
    pair.replayed()
    try:
        with pytest.raises(DBAPIError, match="read-only transaction"):
            _canvass(rt, detective, end=end)
    finally:
        pair.primary.sql(f'ALTER DATABASE "{database}" RESET default_transaction_read_only')
        rt.engine.dispose()
    assert _recorded(rt) == []


def test_replicas_are_a_comma_list_of_postgres_standbys(monkeypatch: pytest.MonkeyPatch) -> None:
    """``ALPR_REPLICA_URLS`` names the standbys; they serve a Postgres primary only."""
    monkeypatch.setenv("ALPR_DATABASE_URL", "postgresql+psycopg://alpr@db-1/alpr")
    monkeypatch.setenv(
        "ALPR_REPLICA_URLS",
        "postgresql+psycopg://alpr@db-2/alpr, postgresql+psycopg://alpr@db-3/alpr",
    )
    assert Deployment().replica_urls == (
        "postgresql+psycopg://alpr@db-2/alpr",
        "postgresql+psycopg://alpr@db-3/alpr",
    )
    monkeypatch.setenv("ALPR_DATABASE_URL", "sqlite:///var/alpr.sqlite3")
    with pytest.raises(ValueError, match="need a Postgres primary"):
        Deployment()
    monkeypatch.setenv("ALPR_REPLICA_URLS", "sqlite:///var/copy.sqlite3")
    with pytest.raises(ValueError, match="replica URLs must be"):
        Deployment()
