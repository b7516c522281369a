"""Everything that differs between Postgres/PostGIS and SQLite, in one place: the reads table
(partitioned on Postgres), the search indexes, append-only triggers and partition upkeep."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, delete, func, insert, inspect, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from alpr.data.base import Base
from alpr.data.models import Plate, PlatePrune, PlateStoredDuringPrune, Read

APPEND_ONLY_TABLES = ("access_records", "alert_reviews", "release_decisions", "policy_changes")
# Access records and alert reviews older than the CJIS minimum may be purged by retention
# (each table: the column that dates a record); nothing younger can ever be deleted, and no
# record can ever be updated.
ACCESS_LOG_MIN_AGE_DAYS = 365
PURGEABLE_AFTER_MIN_AGE = {"access_records": "at", "alert_reviews": "reviewed_at"}


ACCESS_CHAIN_LOCK = 7274261

# The hash the next access record follows, under the chain lock (held until commit): the last
# record's, or after retention purged every record, the anchor its purge run kept.
PG_CHAIN_HEAD_FUNCTION = f"""
CREATE FUNCTION alpr_access_chain_head() RETURNS text LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
    head text;
BEGIN
    PERFORM pg_advisory_xact_lock({ACCESS_CHAIN_LOCK});
    SELECT hash INTO head FROM access_records ORDER BY id DESC LIMIT 1;
    IF head IS NULL THEN
        SELECT methods ->> 'access_log_anchor' INTO head FROM purge_runs
        WHERE NOT dry_run AND methods ->> 'access_log_anchor' IS NOT NULL
        ORDER BY id DESC LIMIT 1;
    END IF;
    RETURN coalesce(head, repeat('0', 64));
END
$fn$"""


DICTIONARY_LOCK = 7274262  # per transaction: shared by ingest batches, exclusive by a prune
PRUNING_LOCK = 7274263  # per session: held by a prune from its start to its end

# Ingest takes this first in each batch: the latest prune of the plate dictionary (so that the
# ingestor forgets the plates it remembers as stored if one was pruned since), and whether a
# prune is looking for unused plates right now (the batch then names its plates for it to keep).
PG_PLATE_EPOCH_FUNCTION = f"""
CREATE FUNCTION alpr_plate_epoch(OUT epoch integer, OUT pruning boolean)
LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
    PERFORM pg_advisory_xact_lock_shared({DICTIONARY_LOCK});
    pruning := NOT pg_try_advisory_xact_lock_shared({PRUNING_LOCK});
    epoch := coalesce((SELECT max(id) FROM plate_prunes), 0);
END
$fn$"""


# Each character of a plate with its position and the plate's length (``7.3B``), for the
# GIN index that finds plates by scattered known characters (``7?B?1?3``), where trigrams
# have nothing to search; ``PlatePattern.position_tokens`` builds the same tokens.
PG_PLATE_POSITIONS_FUNCTION = """
CREATE FUNCTION alpr_plate_positions(plate text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
    n integer := length(plate);
    tokens text[] := '{}';
BEGIN
    FOR i IN 1..n LOOP
        tokens := tokens || (n || '.' || i || substr(plate, i, 1));
    END LOOP;
    RETURN tokens;
END
$fn$"""


def is_postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


# The reads table as the first migration creates it; later migrations change it (see
# alpr/data/migrations/versions).
_PG_READS = """
CREATE SEQUENCE reads_id_seq CACHE 100;
CREATE TABLE reads (
    id bigint NOT NULL DEFAULT nextval('reads_id_seq'),
    captured_at timestamptz NOT NULL,
    camera_id integer NOT NULL REFERENCES cameras (id),
    confidence real NOT NULL,
    heading smallint,
    retained boolean NOT NULL DEFAULT false,
    is_mobile boolean NOT NULL DEFAULT false,
    lat double precision NOT NULL,
    lon double precision NOT NULL,
    plate varchar(10) COLLATE "C" NOT NULL CHECK (plate ~ '^[A-Z0-9]{1,10}$'),
    plate_raw varchar(32),
    region varchar(32),
    image_sha256 varchar(64),
    crop_sha256 varchar(64),
    idempotency_key varchar(40) NOT NULL,
    char_confidences jsonb,
    alternatives jsonb,
    geom geometry(Point, 4326)
        GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
    CONSTRAINT pk_reads PRIMARY KEY (id, captured_at, retained)
) PARTITION BY LIST (retained);
ALTER SEQUENCE reads_id_seq OWNED BY reads.id;
CREATE TABLE reads_standard PARTITION OF reads FOR VALUES IN (false)
    PARTITION BY RANGE (captured_at);
CREATE TABLE reads_retained PARTITION OF reads FOR VALUES IN (true)
    PARTITION BY RANGE (captured_at);
CREATE INDEX ix_reads_camera_captured ON reads (camera_id, captured_at);
CREATE INDEX ix_reads_plate_captured ON reads (plate, captured_at);
CREATE INDEX ix_reads_captured_brin ON reads USING brin (captured_at);
CREATE INDEX ix_reads_mobile_geom ON reads USING gist (geom, captured_at) WHERE is_mobile;
CREATE UNIQUE INDEX uq_reads_idempotency ON reads (idempotency_key, captured_at, retained);
CREATE INDEX ix_plates_plate_trgm ON plates USING gin (plate gin_trgm_ops);
CREATE INDEX ix_plates_confusion_trgm ON plates USING gin (confusion_key gin_trgm_ops);
"""

_SQLITE_READS = """
CREATE TABLE reads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    captured_at DATETIME NOT NULL,
    camera_id INTEGER NOT NULL REFERENCES cameras (id),
    confidence FLOAT NOT NULL,
    heading SMALLINT,
    retained BOOLEAN NOT NULL DEFAULT 0,
    is_mobile BOOLEAN NOT NULL DEFAULT 0,
    lat FLOAT NOT NULL,
    lon FLOAT NOT NULL,
    plate VARCHAR(10) NOT NULL,
    plate_raw VARCHAR(32),
    region VARCHAR(32),
    image_sha256 VARCHAR(64),
    crop_sha256 VARCHAR(64),
    idempotency_key VARCHAR(40) NOT NULL,
    char_confidences JSON,
    alternatives JSON
);
CREATE INDEX ix_reads_camera_captured ON reads (camera_id, captured_at);
CREATE INDEX ix_reads_plate_captured ON reads (plate, captured_at);
CREATE INDEX ix_reads_captured ON reads (captured_at);
CREATE INDEX ix_reads_latlon ON reads (lat, lon);
CREATE UNIQUE INDEX uq_reads_idempotency ON reads (idempotency_key);
"""


def _run_script(conn: Connection, script: str) -> None:
    for statement in script.split(";\n"):
        if statement.strip():
            conn.execute(text(statement))


def create_reads(conn: Connection) -> None:
    if is_postgres(conn):
        for extension in ("postgis", "pg_trgm", "btree_gist"):
            conn.execute(text(f"CREATE EXTENSION IF NOT EXISTS {extension}"))
        _run_script(conn, _PG_READS)
        today = datetime.now(UTC).date()
        ensure_partitions(conn, months_around(today, back=1, ahead=3))
    else:
        _run_script(conn, _SQLITE_READS)


def drop_reads(conn: Connection) -> None:
    conn.execute(text("DROP TABLE reads"))
    if is_postgres(conn):
        conn.execute(text("DROP INDEX IF EXISTS ix_plates_plate_trgm"))
        conn.execute(text("DROP INDEX IF EXISTS ix_plates_confusion_trgm"))


def _pg_append_only(table: str) -> str:
    return f"""
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION alpr_refuse_change();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION alpr_refuse_change()"""


def pg_refuse_function(purgeable: dict[str, str]) -> str:
    """The trigger function behind every append-only table; ``purgeable`` names the tables
    whose records retention may delete once older than the minimum, by their date column."""
    allowed = "".join(
        f"""
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = '{table}' THEN
        IF OLD.{column} < now() - interval '{ACCESS_LOG_MIN_AGE_DAYS} days' THEN
            RETURN OLD;
        END IF;
    END IF;"""
        for table, column in purgeable.items()
    )
    return f"""
CREATE OR REPLACE FUNCTION alpr_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN{allowed}
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$fn$"""


_PG_SIGNED_AUDITS = [
    """
CREATE FUNCTION alpr_refuse_signed_audit() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_TABLE_NAME = 'audits' THEN
        IF OLD.signed_off_at IS NOT NULL THEN
            RAISE EXCEPTION 'audit % is signed off and cannot be changed', OLD.id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSIF EXISTS (
        SELECT 1 FROM audits WHERE id = OLD.audit_id AND signed_off_at IS NOT NULL) THEN
        RAISE EXCEPTION 'audit % is signed off and cannot be changed', OLD.audit_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$fn$""",
    """CREATE TRIGGER audits_signed_off BEFORE UPDATE OR DELETE ON audits
    FOR EACH ROW EXECUTE FUNCTION alpr_refuse_signed_audit()""",
    """CREATE TRIGGER audit_samples_signed_off BEFORE UPDATE OR DELETE ON audit_samples
    FOR EACH ROW EXECUTE FUNCTION alpr_refuse_signed_audit()""",
]


def sqlite_append_only(table: str, purgeable: dict[str, str]) -> list[str]:
    column = purgeable.get(table)
    delete_guard = (
        f"WHEN OLD.{column} >= datetime('now', '-{ACCESS_LOG_MIN_AGE_DAYS} days') "
        if column
        else ""
    )
    return [
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} {delete_guard}"
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END",
    ]


def _sqlite_signed_audits() -> list[str]:
    refuse = "BEGIN SELECT RAISE(ABORT, 'audit is signed off and cannot be changed'); END"
    sample_signed = "(SELECT signed_off_at FROM audits WHERE id = OLD.audit_id) IS NOT NULL"
    return [
        f"CREATE TRIGGER audits_signed_off_{op.lower()} BEFORE {op} ON audits "
        f"WHEN OLD.signed_off_at IS NOT NULL {refuse}"
        for op in ("UPDATE", "DELETE")
    ] + [
        f"CREATE TRIGGER audit_samples_signed_off_{op.lower()} BEFORE {op} ON audit_samples "
        f"WHEN {sample_signed} {refuse}"
        for op in ("UPDATE", "DELETE")
    ]


def create_guards(conn: Connection) -> None:
    """Triggers that make the records of accountability impossible to edit through SQL."""
    if is_postgres(conn):
        conn.execute(text(pg_refuse_function(PURGEABLE_AFTER_MIN_AGE)))
        for table in APPEND_ONLY_TABLES:
            _run_script(conn, _pg_append_only(table))
        for statement in _PG_SIGNED_AUDITS:
            conn.execute(text(statement))
    else:
        statements = [
            s
            for table in APPEND_ONLY_TABLES
            for s in sqlite_append_only(table, PURGEABLE_AFTER_MIN_AGE)
        ]
        for statement in statements + _sqlite_signed_audits():
            conn.execute(text(statement))


def drop_guards(conn: Connection) -> None:
    if is_postgres(conn):
        for table in APPEND_ONLY_TABLES:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"))
            conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}"))
        conn.execute(text("DROP TRIGGER IF EXISTS audits_signed_off ON audits"))
        conn.execute(text("DROP TRIGGER IF EXISTS audit_samples_signed_off ON audit_samples"))
        conn.execute(text("DROP FUNCTION IF EXISTS alpr_refuse_change()"))
        conn.execute(text("DROP FUNCTION IF EXISTS alpr_refuse_signed_audit()"))


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
    """Create the monthly partitions (standard and retained) that do not exist yet."""
    if not is_postgres(conn):
        return []
    created = []
    existing = set(
        conn.execute(
            text(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "JOIN pg_class p ON p.oid = i.inhparent "
                "WHERE p.relname IN ('reads_standard', 'reads_retained')"
            )
        ).scalars()
    )
    for month in sorted({month_start(m) for m in months}):
        for parent in ("reads_standard", "reads_retained"):
            name = partition_name(parent, month)
            if name in existing:
                continue
            conn.execute(
                text(
                    f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {parent} "
                    f"FOR VALUES FROM ('{month.isoformat()}') "
                    f"TO ('{add_months(month, 1).isoformat()}')"
                )
            )
            created.append(name)
    return created


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
    "retained": "bool",
}
READ_COLUMNS = tuple(READ_COLUMN_TYPES)
_COPY_READS = f"COPY reads ({', '.join(READ_COLUMNS)}) FROM STDIN (FORMAT BINARY)"


def copy_reads(conn: Connection, rows: Sequence[Sequence[object]]) -> None:
    """Bulk-write reads given as tuples in ``READ_COLUMNS`` order: COPY on Postgres (the fast
    path of ingest), executemany on SQLite."""
    if not rows:
        return
    if not is_postgres(conn):
        table = Read.__table__
        conn.execute(table.insert(), [dict(zip(READ_COLUMNS, row, strict=True)) for row in rows])  # type: ignore[attr-defined]
        return
    _copy(conn, rows)


def copy_reads_unless_stored(conn: Connection, rows: Sequence[Sequence[object]]) -> bool:
    """Postgres: COPY the reads in a savepoint. False, with nothing written, when the pass
    index finds one of them stored already (a replayed batch), so that the caller can look up
    which."""
    if not rows:
        return True
    try:
        with conn.begin_nested():
            _copy(conn, rows)
    except psycopg.errors.UniqueViolation:
        return False
    return True


def _copy(conn: Connection, rows: Sequence[Sequence[object]]) -> None:
    raw = conn.connection.dbapi_connection
    assert raw is not None
    with raw.cursor().copy(_COPY_READS) as copy:
        copy.set_types(list(READ_COLUMN_TYPES.values()))
        for row in rows:
            copy.write_row(row)


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
_UNUSED = f"NOT EXISTS (SELECT 1 FROM reads r WHERE r.plate = p.plate) AND {_NOT_CORRECTED_TO}"


def _lock(conn: Connection, function: str, lock: int) -> None:
    conn.execute(text(f"SELECT {function}(:lock)"), {"lock": lock})


def _recorded(conn: Connection, removed: int, *, at: datetime) -> int:
    if removed:
        conn.execute(insert(PlatePrune).values(pruned_at=at, removed=removed))
    return removed


def unused_plates(conn: Connection) -> list[str]:
    """The plates no read and no correction names."""
    return list(conn.execute(text(f"SELECT p.plate FROM plates AS p WHERE {_UNUSED}")).scalars())


def _prune_postgres(conn: Connection, *, at: datetime) -> int:
    with conn.begin():
        _lock(conn, "pg_advisory_xact_lock", DICTIONARY_LOCK)
        conn.execute(delete(PlateStoredDuringPrune))  # left by a prune that failed
        _lock(conn, "pg_advisory_lock", PRUNING_LOCK)
    with conn.begin():
        found = ",".join(unused_plates(conn))
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


def prune_plates(engine: Engine, *, at: datetime) -> int:
    """Remove the plates no read and no correction names any more; returns how many.

    On Postgres ingest never waits for the search itself (seconds at tens of millions of
    reads): a first short step waits for the batches being stored and marks the prune as
    running; batches stored while it runs name their plates; a second short step removes the
    plates found unused except those. Ingestors then see the prune and forget what they
    remembered. SQLite runs it as one exclusive transaction."""
    with engine.connect() as conn:
        if not is_postgres(conn):
            with conn.begin():
                removed = conn.execute(text(f"DELETE FROM plates AS p WHERE {_UNUSED}")).rowcount
                return _recorded(conn, int(removed), at=at)
        try:
            return _prune_postgres(conn, at=at)
        except BaseException:
            conn.invalidate()  # the server ends the session, and the prune's lock with it
            raise
