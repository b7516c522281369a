"""Read replicas: Postgres hot standbys fed by the primary's streaming replication, and how far
behind the primary each one is."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Connection, Engine, text

from alpr.data.engine import make_engine

# A replica that does not answer within this many seconds is skipped for the primary.
CONNECT_TIMEOUT_S = 2

# Where the primary's log ends now: a replica that has replayed up to here has everything the
# primary had committed.
PRIMARY_POSITION = text("SELECT CAST(pg_current_wal_insert_lsn() AS text)")

_REPLICA_STATE = text(
    "SELECT pg_is_in_recovery(), "
    "coalesce(pg_last_wal_replay_lsn() >= CAST(:position AS pg_lsn), false), "
    "EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())"
)


@lru_cache(maxsize=8)
def replica_engine_for(url: str) -> Engine:
    return make_engine(url, connect_timeout=CONNECT_TIMEOUT_S)


def lag_seconds(replica: Connection, *, primary_position: str) -> float | None:
    """How many seconds of the primary's commits ``replica`` has yet to replay: none when it
    has replayed up to ``primary_position``, otherwise the age of the last commit it replayed.
    None when it is not a standby at all (promoted, or not a replica): its data may have parted
    from the primary's, so it must not answer for it."""
    standby, caught_up, age = replica.execute(_REPLICA_STATE, {"position": primary_position}).one()
    if not standby:
        return None
    if caught_up:
        return 0.0
    return float("inf") if age is None else float(age)
