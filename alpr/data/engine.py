"""Engine and session factory for Postgres/PostGIS or the embedded SQLite file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
from psycopg.types.json import set_json_dumps, set_json_loads
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from alpr.data.limits import refuse_nul_parameters


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # Take the write lock at BEGIN so concurrent writers queue instead of failing on upgrade.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _json_loads(data: bytes | str) -> Any:
    """orjson, or the standard library's reader for a number orjson refuses (one no float
    holds, such as 1e400, which Postgres keeps): a value written straight into a table is
    read, for the code that judges it, instead of failing the statement."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


def _fast_json(dbapi_connection: Any, _record: Any) -> None:
    # Ingest copies two JSON values a read (its readings, its vehicle's box): the standard
    # library's encoder cost the worker more than the rest of the read's row.
    set_json_dumps(orjson.dumps, context=dbapi_connection)
    set_json_loads(_json_loads, context=dbapi_connection)


def make_engine(url: str, *, connect_timeout: int | None = None) -> Engine:
    """An engine whose errors never quote statement parameters (they carry secrets and rows);
    ``connect_timeout`` (seconds, Postgres) bounds the wait for a server that does not answer,
    so that a lost read replica is skipped, not waited on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, hide_parameters=True, connect_args={"timeout": 30, "isolation_level": None}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "before_cursor_execute", refuse_nul_parameters)
        return engine
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    # On two cores, starting parallel workers costs more than an indexed interactive query;
    # searches are planned for their own time window and plates, never with a generic plan
    # (psycopg prepares repeated statements, and a generic plan cannot see the window).
    connect_args: dict[str, Any] = {
        "options": "-c max_parallel_workers_per_gather=0 -c timezone=UTC "
        "-c plan_cache_mode=force_custom_plan"
    }
    if connect_timeout is not None:
        connect_args["connect_timeout"] = connect_timeout
    engine = create_engine(
        parsed, pool_pre_ping=True, hide_parameters=True, connect_args=connect_args
    )
    event.listen(engine, "connect", _fast_json)
    event.listen(engine, "before_cursor_execute", refuse_nul_parameters)
    return engine


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    return make_engine(url)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work commits together or not at all."""
    with session_factory(engine)() as session, session.begin():
        yield session
