"""What differs between Postgres/PostGIS and SQLite at run time, in one place: partition
upkeep, bulk writes of reads and plates, pruning the plate dictionary, looking inside a JSON
array, and the agency's calendar day of a stored time. The DDL of each database (the reads
table, the search indexes, the append-only triggers and the functions the code calls) is
written out in the migration that creates it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

import orjson
import psycopg
from psycopg.types.string import BytesBinaryDumper
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    bindparam,
    case,
    delete,
    exists,
    func,
    insert,
    inspect,
    select,
    text,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import QueryableAttribute

from alpr.data.base import Base
from alpr.data.models import Plate, PlatePrune, PlateStoredDuringPrune, Read, ReadAlternative

# Per transaction: shared by ingest batches (alpr_plate_epoch(), migration 0006), exclusive by a
# prune.
DICTIONARY_LOCK = 7274262
PRUNING_LOCK = 7274263  # per session: held by a prune from its start to its end


def is_postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


@contextmanager
def planned_once(conn: Connection) -> Iterator[None]:
    """Postgres: the statements run inside are prepared at once and planned once per
    connection for any parameters (a generic plan, whose partitions are pruned when it runs).
    For statements over one plate in every month: planning them over every partition costs more
    than running them, and their best plan does not depend on the plate. Everywhere else a
    statement is planned for its own parameters (``engine.make_engine``)."""
    if not is_postgres(conn):
        yield
        return
    raw = cast(psycopg.Connection[Any], conn.connection.dbapi_connection)
    threshold = raw.prepare_threshold
    conn.execute(text("SET LOCAL plan_cache_mode = force_generic_plan"))
    raw.prepare_threshold = 0
    try:
        yield
    finally:
        raw.prepare_threshold = threshold
    conn.execute(text("RESET plan_cache_mode"))


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_around(day: date, *, back: int, ahead: int) -> list[date]:
    first = month_start(day)
    return [add_months(first, offset) for offset in range(-back, ahead + 1)]


def partition_name(parent: str, month: date) -> str:
    return f"{parent}_{month:%Y_%m}"


def ensure_partitions(conn: Connection, months: Iterable[date]) -> list[str]:
    """Create the monthly partitions (standard and retained) of reads and of their other
    readings that do not exist yet, as the owner of the tables (``alpr_ensure_read_partitions``,
    migrations 0011 and 0016): the app's role needs no ownership for it."""
    if not is_postgres(conn):
        return []
    wanted = sorted({month_start(m) for m in months})
    return list(
        conn.execute(
            text("SELECT * FROM alpr_ensure_read_partitions(CAST(:months AS date[]))"),
            {"months": wanted},
        ).scalars()
    )


def insert_ignoring_duplicates(
    conn: Connection, model: type[Base], rows: Sequence[Mapping[str, object]]
) -> list[Any]:
    """Insert rows, skipping those that collide with a unique key; returns the primary keys
    of the rows inserted (the model has a one-column primary key)."""
    if not rows:
        return []
    insert = pg_insert if is_postgres(conn) else sqlite_insert
    (key,) = inspect(model).primary_key
    statement = insert(model).on_conflict_do_nothing().returning(key)
    return list(conn.execute(statement, list(rows)).scalars())


def json_array_has(
    column: ColumnElement[Any] | QueryableAttribute[Any], value: str, *, postgres: bool
) -> ColumnElement[bool]:
    """Whether a JSON array column holds ``value``, worked out by the database: ``@>`` on
    Postgres' JSONB, ``json_each`` on SQLite."""
    if postgres:
        return type_coerce(column, JSONB).contains([value])
    items = func.json_each(column).table_valued("value")
    return exists(select(items.c.value).where(items.c.value == value))


def _offset_s(tz: ZoneInfo, second: int) -> int:
    offset = datetime.fromtimestamp(second, UTC).astimezone(tz).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _offsets(tz: ZoneInfo, *, since: datetime, until: datetime) -> list[tuple[datetime, int]]:
    """The zone's offset from UTC in seconds at ``since``, then at each change (daylight
    saving) up to ``until``: (the instant it takes effect, the offset)."""
    second, last = int(since.timestamp()), int(until.timestamp()) + 1
    found = [(since, _offset_s(tz, second))]
    while second < last:
        following = min(second + 86_400, last)
        if _offset_s(tz, following) != found[-1][1]:
            low, high = second, following  # one change a day at most, found to the second
            while high - low > 1:
                middle = (low + high) // 2
                if _offset_s(tz, middle) == found[-1][1]:
                    low = middle
                else:
                    high = middle
            found.append((datetime.fromtimestamp(high, UTC), _offset_s(tz, high)))
        second = following
    return found


def local_day(
    column: QueryableAttribute[datetime],
    *,
    tz: ZoneInfo,
    since: datetime,
    until: datetime,
    postgres: bool,
) -> ColumnElement[Any]:
    """The calendar day in ``tz`` of a stored time (a ``date`` on Postgres, its ISO text on
    SQLite), for counts per day of the agency's day rather than UTC's. Postgres converts with
    its own zone database; SQLite, which has none, shifts each time by the offset in force at
    it, among those from ``since`` to ``until`` (a change of daylight saving included)."""
    if postgres:
        # Inline, so that the expression in GROUP BY is the one selected.
        return func.date(
            func.timezone(bindparam("zone", tz.key, unique=True, literal_execute=True), column)
        )
    (_, first), *changes = _offsets(tz, since=since, until=until)
    if not changes:
        return func.date(column, _shift(first))
    before = [first, *(offset for _, offset in changes)]
    return func.date(
        column,
        case(
            *((column < at, _shift(before[n])) for n, (at, _) in enumerate(changes)),
            else_=_shift(before[-1]),
        ),
    )


def _shift(offset_s: int) -> str:
    return f"{offset_s:+d} seconds"  # an SQLite date modifier


# The columns of a read as ingest writes it, in the order of the tuples copy_reads takes, with
# their Postgres types: the binary COPY sends each value as that type, with no text to parse.
READ_COLUMN_TYPES = {
    "camera_id": "int4",
    "captured_at": "timestamptz",
    "plate": "varchar",
    "confidence": "float4",
    "lat": "float8",
    "lon": "float8",
    "is_mobile": "bool",
    "heading": "int2",
    "plate_raw": "varchar",
    "region": "varchar",
    "char_confidences": "jsonb",
    "alternatives": "jsonb",
    "image_sha256": "varchar",
    "crop_sha256": "varchar",
    "vehicle_type": "int2",
    "vehicle_colour": "int2",
    "vehicle_type_confidence": "int2",
    "vehicle_colour_confidence": "int2",
    "vehicle_box": "jsonb",
    "vehicle_crop_sha256": "varchar",
    "retained": "bool",
}
READ_COLUMNS = tuple(READ_COLUMN_TYPES)
_COPY_READS = f"COPY reads ({', '.join(READ_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
_JSONB_AT = tuple(i for i, kind in enumerate(READ_COLUMN_TYPES.values()) if kind == "jsonb")
# jsonb values reach the COPY encoded (``read_copy_row``): psycopg sends them as they are.
_READ_COPY_TYPES = ["bytea" if kind == "jsonb" else kind for kind in READ_COLUMN_TYPES.values()]


def read_copy_row(row: Sequence[object]) -> tuple[object, ...]:
    """A row of ``copy_reads`` on Postgres: its jsonb values encoded as the binary COPY sends
    them (jsonb's binary form is a version byte, 1, then the JSON text). The worker makes the
    rows while the database stores the batch before, so the COPY itself only sends bytes."""
    values = list(row)
    for at in _JSONB_AT:
        if values[at] is not None:
            values[at] = b"\x01" + orjson.dumps(values[at])
    return tuple(values)


def copy_reads(conn: Connection, rows: Sequence[Sequence[object]]) -> None:
    """Bulk-write reads given as tuples in ``READ_COLUMNS`` order (on Postgres as
    ``read_copy_row`` makes them): COPY on Postgres (the fast path of ingest), executemany on
    SQLite."""
    if not rows:
        return
    if not is_postgres(conn):
        table = Read.__table__
        conn.execute(table.insert(), [dict(zip(READ_COLUMNS, row, strict=True)) for row in rows])  # type: ignore[attr-defined]
        return
    _copy(conn, _COPY_READS, _READ_COPY_TYPES, rows)


def copy_reads_unless_stored(conn: Connection, rows: Sequence[Sequence[object]]) -> bool:
    """Postgres: COPY the reads in a savepoint. False, with nothing written, when the pass
    index finds one of them stored already (a replayed batch), so that the caller can look up
    which."""
    if not rows:
        return True
    try:
        with conn.begin_nested():
            _copy(conn, _COPY_READS, _READ_COPY_TYPES, rows)
    except IntegrityError as exc:
        if isinstance(exc.orig, psycopg.errors.UniqueViolation):
            return False
        raise
    return True


def _copy(
    conn: Connection, statement: str, types: Sequence[str], rows: Sequence[Sequence[object]]
) -> None:
    """COPY ``rows`` on the connection's own psycopg connection. What the database refuses is
    raised as SQLAlchemy raises it for any other statement (``DBAPIError`` and its kinds), so
    that callers who handle a refused or lost database handle this one too."""
    raw = conn.connection.dbapi_connection
    assert raw is not None
    cursor = raw.cursor()
    # The bytea type is sent by the DB-API's dumper, written in Python to accept its Binary
    # wrapper too; the rows' jsonb values are plain bytes, which psycopg's own dumper sends.
    cursor.adapters.register_dumper(bytes, BytesBinaryDumper)
    try:
        with cursor.copy(statement) as copy:
            copy.set_types(list(types))
            for row in rows:
                copy.write_row(row)
    except psycopg.Error as exc:
        raise DBAPIError.instance(
            statement, None, exc, psycopg.Error, hide_parameters=True
        ) from exc


# The columns of a read's other reading, in the order of the tuples copy_alternatives takes.
ALTERNATIVE_COLUMN_TYPES = {
    "captured_at": "timestamptz",
    "camera_id": "int4",
    "read_plate": "varchar",
    "plate": "varchar",
    "score": "float8",
    "retained": "bool",
}
ALTERNATIVE_COLUMNS = tuple(ALTERNATIVE_COLUMN_TYPES)
_COPY_ALTERNATIVES = (
    f"COPY read_alternatives ({', '.join(ALTERNATIVE_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
)


def copy_alternatives(conn: Connection, rows: Sequence[Sequence[object]]) -> None:
    """Bulk-write reads' other readings given as tuples in ``ALTERNATIVE_COLUMNS`` order: COPY
    on Postgres, executemany on SQLite."""
    if not rows:
        return
    if not is_postgres(conn):
        table = ReadAlternative.__table__
        conn.execute(
            table.insert(),  # type: ignore[attr-defined]
            [dict(zip(ALTERNATIVE_COLUMNS, row, strict=True)) for row in rows],
        )
        return
    _copy(conn, _COPY_ALTERNATIVES, list(ALTERNATIVE_COLUMN_TYPES.values()), rows)


def add_plates(conn: Connection, plates: Sequence[tuple[str, str]]) -> None:
    """Add plates to the dictionary, each with its confusion key; known plates are left as
    they are."""
    if not plates:
        return
    if is_postgres(conn):
        # Plates and keys are [A-Z0-9]: each column goes as one comma-joined string, far
        # cheaper to send than an array parameter.
        conn.execute(
            text(
                "INSERT INTO plates (plate, confusion_key) "
                "SELECT * FROM unnest(string_to_array(:p, ','), string_to_array(:k, ',')) "
                "ON CONFLICT DO NOTHING"
            ),
            {"p": ",".join(p for p, _ in plates), "k": ",".join(k for _, k in plates)},
        )
        return
    insert_ignoring_duplicates(conn, Plate, [{"plate": p, "confusion_key": k} for p, k in plates])


def plate_epoch(conn: Connection) -> tuple[int, bool]:
    """The latest prune of the plate dictionary (0 if none), and whether a prune is running.
    On Postgres this holds off a prune's two short steps until the transaction ends; SQLite
    transactions are exclusive."""
    if is_postgres(conn):
        epoch, pruning = conn.execute(text("SELECT * FROM alpr_plate_epoch()")).one()
        return int(epoch), bool(pruning)
    return int(conn.execute(select(func.coalesce(func.max(PlatePrune.id), 0))).scalar_one()), False


def keep_plates(conn: Connection, plates: Iterable[str]) -> None:
    """Name the plates a batch stores while a prune runs (Postgres), for the prune to keep."""
    conn.execute(
        text(
            "INSERT INTO plates_stored_during_prune (plate) "
            "SELECT unnest(string_to_array(:plates, ',')) ON CONFLICT DO NOTHING"
        ),
        {"plates": ",".join(plates)},
    )


_NOT_CORRECTED_TO = (
    "NOT EXISTS (SELECT 1 FROM read_corrections c WHERE c.corrected_plate = p.plate)"
)
_UNUSED = (
    "NOT EXISTS (SELECT 1 FROM reads r WHERE r.plate = p.plate) "
    "AND NOT EXISTS (SELECT 1 FROM read_alternatives a WHERE a.plate = p.plate) "
    f"AND {_NOT_CORRECTED_TO}"
)


def _lock(conn: Connection, function: str, lock: int) -> None:
    conn.execute(text(f"SELECT {function}(:lock)"), {"lock": lock})


def _recorded(conn: Connection, removed: int, *, at: datetime) -> int:
    if removed:
        conn.execute(insert(PlatePrune).values(pruned_at=at, removed=removed))
    return removed


def unused_plates(conn: Connection, among: Sequence[str] | None = None) -> list[str]:
    """The plates no read, other reading or correction names: of the dictionary, or of
    ``among`` only (Postgres)."""
    if among is None:
        statement = text(f"SELECT p.plate FROM plates AS p WHERE {_UNUSED}")
        return list(conn.execute(statement).scalars())
    return list(
        conn.execute(
            text(
                "SELECT p.plate FROM plates AS p "
                "JOIN unnest(string_to_array(:among, ',')) AS u (plate) ON p.plate = u.plate "
                f"WHERE {_UNUSED}"
            ),
            {"among": ",".join(among)},
        ).scalars()
    )


def _prune_postgres(conn: Connection, *, at: datetime, among: Sequence[str] | None) -> int:
    with conn.begin():
        _lock(conn, "pg_advisory_xact_lock", DICTIONARY_LOCK)
        conn.execute(delete(PlateStoredDuringPrune))  # left by a prune that failed
        _lock(conn, "pg_advisory_lock", PRUNING_LOCK)
    with conn.begin():
        found = ",".join(unused_plates(conn, among))
    with conn.begin():
        _lock(conn, "pg_advisory_xact_lock", DICTIONARY_LOCK)
        # Found unused, and still unused: not stored by a batch since, nor corrected to since.
        removed = conn.execute(
            text(
                "DELETE FROM plates AS p USING unnest(string_to_array(:found, ',')) AS u (plate) "
                "WHERE p.plate = u.plate "
                "AND p.plate NOT IN (SELECT plate FROM plates_stored_during_prune) "
                f"AND {_NOT_CORRECTED_TO}"
            ),
            {"found": found},
        ).rowcount
        conn.execute(delete(PlateStoredDuringPrune))
        _lock(conn, "pg_advisory_unlock", PRUNING_LOCK)
        return _recorded(conn, int(removed), at=at)


def prune_plates(engine: Engine, *, at: datetime, among: Iterable[str] | None = None) -> int:
    """Remove the plates no read, other reading of a read or correction names any more;
    returns how many. With
    ``among`` (the plates the purged reads and corrections named), only those are looked at:
    the work follows what the purge removed, not the size of the dictionary.

    On Postgres ingest never waits for the search itself (seconds at tens of millions of
    reads): a first short step waits for the batches being stored and marks the prune as
    running; batches stored while it runs name their plates; a second short step removes the
    plates found unused except those. Ingestors then see the prune and forget what they
    remembered. SQLite runs it as one exclusive transaction."""
    candidates = None if among is None else sorted(set(among))
    with engine.connect() as conn:
        if not is_postgres(conn):
            with conn.begin():
                if candidates is None:
                    statement = text(f"DELETE FROM plates AS p WHERE {_UNUSED}")
                    removed = conn.execute(statement).rowcount
                else:
                    statement = text(
                        f"DELETE FROM plates AS p WHERE p.plate IN :chunk AND {_UNUSED}"
                    ).bindparams(bindparam("chunk", expanding=True))
                    removed = sum(
                        conn.execute(statement, {"chunk": candidates[i : i + 500]}).rowcount
                        for i in range(0, len(candidates), 500)
                    )
                return _recorded(conn, int(removed), at=at)
        try:
            return _prune_postgres(conn, at=at, among=candidates)
        except BaseException:
            conn.invalidate()  # the server ends the session, and the prune's lock with it
            raise
