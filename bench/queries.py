"""Query and ingest benchmark on Postgres/PostGIS through the governance services the UI
calls (justification check and access record included). Loads N synthetic reads with the
project's own schema, each with other readings of one changed character scored as the reader
scores those of the dev photos (the 15 % scored 1 % or more are searched, as the worker's are),
then prints p50/p95 over random queries, ingest rates with hot-list matching, the purge of
one month, and the naive baseline beside each figure. JSON to stdout (and --out).

    python bench/queries.py --url postgresql+psycopg://postgres@127.0.0.1/postgres --reads 1000000

``--workers 1,2,4`` adds the aggregate ingest of that many worker processes storing at once
(two of them replaying the same spool), with the reads lost and stored twice counted in the
database. ``--standby`` runs on a primary and hot standby of its own (Debian's postgresql-15
binaries) instead of ``--url``: the queries on the primary, then through the replica, and the
workers' ingest with the standby streaming and with it stopped.
"""

from __future__ import annotations

import argparse
import gc
import io
import itertools
import json
import math
import multiprocessing
import os
import random
import shutil
import statistics
import string
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alpr.config import Deployment
from alpr.data import schema
from alpr.data.dialect import add_months, ensure_partitions, months_around
from alpr.data.engine import make_engine
from alpr.data.images import ImageStore
from alpr.data.models import (
    Agency,
    HotListKind,
    RoleCode,
    TrainingRecord,
    User,
)
from alpr.governance.bootstrap import bootstrap
from alpr.governance.gateway import JustificationInput
from alpr.governance.identity import principal_for
from alpr.governance.investigations import searches
from alpr.governance.investigations.descriptions import Description
from alpr.governance.investigations.queries import (
    Area,
    cameras_in,
    corrected_like,
    reads_in_area,
    reads_of_plates,
)
from alpr.governance.investigations.results import Scene
from alpr.governance.investigations.searches import HISTORY_PAGE
from alpr.governance.policy import policy_in_force
from alpr.governance.principal import Principal
from alpr.governance.retention.purge import purge
from alpr.governance.runtime import Runtime, build_runtime
from alpr.plates import CONFUSION_CLASSES
from alpr.recognition.ingest import Ingestor, ReadRecord
from alpr.vehicles import VehicleColour, VehicleType
from tests.integration.streaming import start_pair

T = TypeVar("T")
CENTRE = (37.6879, -122.4702)
# alpr.plates.confusion_key in SQL, for the dictionary built after the bulk load
CONFUSABLE = "".join(CONFUSION_CLASSES)
CANONICAL = "".join(group[0] * len(group) for group in CONFUSION_CLASSES)
WHY = JustificationInput("major_crime_canvass", "26-04711")
END = datetime(2026, 11, 1, tzinfo=UTC)
START = END - timedelta(days=365)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": ms(statistics.median(ordered)),
        "p95_ms": ms(ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]),
        "n": len(ordered),
    }


# The reader's other readings, scored as it scores those of the dev photos: four after each
# plate, of which 15 % score 1 % or more (OTHER_READING_MIN_SCORE: searched and matched) and
# the rest less (kept in the read's ledger only).
READINGS_PER_READ = 4
SEARCHED_SHARE = 0.15
# The characters a reader takes each character for (its other readings are look-alikes).
LOOK_ALIKES = {
    "0": "DQ8", "1": "IL7", "2": "Z", "3": "8", "4": "A", "5": "S6", "6": "G5", "7": "1T",
    "8": "B3", "9": "8", "A": "4", "B": "83", "C": "G", "D": "0", "E": "F", "F": "PE",
    "G": "6C", "H": "MN", "I": "1", "J": "I", "K": "X", "L": "1", "M": "HN", "N": "MH",
    "O": "0", "P": "F", "Q": "0", "R": "B", "S": "5", "T": "7", "U": "V", "V": "UY",
    "W": "V", "X": "K", "Y": "V", "Z": "2",
}  # fmt: skip
# One look-alike per character for the bulk load in SQL: the first, and the last.
LOOK_FROM = "".join(LOOK_ALIKES)
LOOK_FIRST = "".join(options[0] for options in LOOK_ALIKES.values())
LOOK_LAST = "".join(options[-1] for options in LOOK_ALIKES.values())


def misread(rng: random.Random, plate: str) -> str:
    """The plate with one character taken for a look-alike, as a reader's other reading."""
    index = rng.randrange(len(plate))
    return plate[:index] + rng.choice(LOOK_ALIKES[plate[index]]) + plate[index + 1 :]


def plate(rng: random.Random) -> str:
    letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(3))
    return f"{rng.randint(1, 9)}{letters}{rng.randint(0, 999):03d}"


class Traffic:
    """Plates as the cameras see them: a population read with commuter-like (Zipf) frequency,
    plus a share of plates never seen before."""

    def __init__(self, rng: random.Random, size: int) -> None:
        self.rng = rng
        self.population = [plate(rng) for _ in range(size)]
        self.weights = list(itertools.accumulate(1 / (i + 1) ** 0.8 for i in range(size)))

    def plates(self, k: int, *, new_share: float = 0.0) -> list[str]:
        known = self.rng.choices(self.population, cum_weights=self.weights, k=k)
        return [plate(self.rng) if self.rng.random() < new_share else p for p in known]


LOAD_SLICE = 1_000_000  # reads generated, sorted by time and copied at a time

# Ingest after the load: one read in five is of a plate the dictionary does not hold yet (the
# share of distinct plates in the loaded year).
NEW_PLATE_SHARE = 0.2
# The worker runs for days: rates are measured after this many reads, once its plate memory is
# as warm as in service.
WARM_UP_READS = 100_000
# Each rate is the median of rounds of 100,000 reads: on a shared two-core VM one round can
# differ from the next by a sixth.
INGEST_ROUNDS = 3


def cameras(rng: random.Random, count: int) -> list[tuple[float, float]]:
    return [
        (CENTRE[0] + rng.uniform(-0.06, 0.06), CENTRE[1] + rng.uniform(-0.06, 0.06))
        for _ in range(count)
    ]


def drop_database(admin_url: str, name: str) -> None:
    conninfo = (
        make_url(admin_url).set(drivername="postgresql").render_as_string(hide_password=False)
    )
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_database(admin_url: str, name: str) -> str:
    url = make_url(admin_url)
    drop_database(admin_url, name)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    target = url.set(database=name)
    with psycopg.connect(
        target.set(drivername="postgresql").render_as_string(hide_password=False), autocommit=True
    ) as conn:
        for ext in ("postgis", "pg_trgm", "btree_gist"):
            conn.execute(f"CREATE EXTENSION IF NOT EXISTS {ext}")
    return target.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def load(
    rt: Runtime, rng: random.Random, traffic: Traffic, n: int, sites: list[tuple[float, float]]
) -> dict[str, Any]:
    with rt.engine.begin() as conn:
        for index, (lat, lon) in enumerate(sites, start=1):
            conn.execute(
                text(
                    "INSERT INTO cameras (id, name, kind, lat, lon, enabled, status,"
                    " created_at) VALUES (:i, :n, 'fixed', :lat, :lon, true, 'up',"
                    " now())"
                ),
                {"i": index, "n": f"CAM-{index:03d}", "lat": lat, "lon": lon},
            )
        ensure_partitions(conn, months_around(END.date(), back=13, ahead=1))
    # In time order, as the worker stores them, a slice of the year at a time.
    slices = max(1, n // LOAD_SLICE)
    span = (END - START).total_seconds() / slices
    started = time.perf_counter()
    raw = rt.engine.raw_connection()
    try:
        cursor = raw.cursor()
        with cursor.copy(
            "COPY reads (captured_at, camera_id, confidence, lat, lon, plate, vehicle_colour,"
            " vehicle_type) FROM STDIN"
        ) as copy:
            for index in range(slices):
                count = n // slices + (n % slices if index == slices - 1 else 0)
                offsets = sorted(rng.random() * span for _ in range(count))
                first = START + timedelta(seconds=index * span)
                for offset, p in zip(offsets, traffic.plates(count), strict=True):
                    camera = rng.randrange(len(sites))
                    lat, lon = sites[camera]
                    copy.write_row(
                        (
                            first + timedelta(seconds=offset),
                            camera + 1,
                            0.9,
                            lat + rng.uniform(-5e-5, 5e-5),
                            lon + rng.uniform(-5e-5, 5e-5),
                            p,
                            *vehicle_codes(p),
                        )
                    )
        # The searched readings: one character taken for a look-alike (the first look-alike,
        # or the last), at a random place, as many as READINGS_PER_READ * SEARCHED_SHARE a read
        # on average.
        cursor.execute("SELECT setseed(0.11)")
        kept = READINGS_PER_READ * SEARCHED_SHARE / 2
        variants = [
            "SELECT r.captured_at, r.camera_id, r.plate AS read_plate, overlay(r.plate PLACING "
            f"translate(substr(r.plate, at.i, 1), '{LOOK_FROM}', '{looks}') FROM at.i FOR 1) "
            "AS plate, 0.01 + random() * 0.3 AS score, r.retained "
            "FROM reads AS r CROSS JOIN LATERAL "
            "(SELECT 1 + floor(random() * length(r.plate))::int AS i) AS at "
            f"WHERE random() < {kept}"
            for looks in (LOOK_FIRST, LOOK_LAST)
        ]
        cursor.execute(
            "INSERT INTO read_alternatives "
            "(captured_at, camera_id, read_plate, plate, score, retained) "
            "SELECT DISTINCT ON (captured_at, camera_id, read_plate, plate) * FROM ("
            + " UNION ALL ".join(variants)
            + ") AS other WHERE plate <> read_plate"
        )
        cursor.execute(
            "INSERT INTO plates (plate, confusion_key) SELECT DISTINCT plate, "
            f"translate(plate, '{CONFUSABLE}', '{CANONICAL}') FROM "
            "(SELECT plate FROM reads UNION SELECT plate FROM read_alternatives) AS named"
        )
        raw.commit()
    finally:
        raw.close()
    loaded = time.perf_counter() - started
    # What autovacuum would do after a bulk load, done now rather than during the measurements.
    with rt.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM (ANALYZE)"))
        conn.execute(text("CHECKPOINT"))
        distinct = conn.execute(text("SELECT count(*) FROM plates")).scalar_one()
        others = conn.execute(text("SELECT count(*) FROM read_alternatives")).scalar_one()
    return {
        "reads": n,
        "other_readings": others,
        "distinct_plates": distinct,
        "load_seconds": round(loaded, 1),
        "load_reads_per_s": round(n / loaded),
    }


def vehicle_codes(plate: str) -> tuple[int, int]:
    """The colour and type of the plate's vehicle (the same at every read), by their shares of
    US traffic."""
    draw = random.Random(plate)
    colour = draw.choices(range(1, 9), [25, 25, 22, 9, 9, 3, 2, 5])[0]
    kind = draw.choices(range(1, 6), [68, 17, 10, 2, 3])[0]
    return colour, kind


def bench_user(rt: Runtime) -> Principal:
    with rt.transaction() as session:
        agency = session.query(Agency).filter(Agency.is_home.is_(True)).one()
        user = User(
            username=f"bench_{uuid.uuid4().hex[:6]}",
            full_name="Benchmark",
            agency_id=agency.id,
            role_code=RoleCode.SERGEANT,
            created_at=rt.now(),
            activated_at=rt.now(),
        )
        session.add(user)
        session.flush()
        session.add(
            TrainingRecord(
                user_id=user.id,
                course="bench",
                completed_on=date(2026, 6, 1),
                topics=[],
                recorded_at=rt.now(),
            )
        )
        session.flush()
        return principal_for(session, user, authenticated_at=rt.now(), client_addr="bench")


def timed(fn: Callable[[], Any], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return samples


def queries(
    rt: Runtime,
    who: Principal,
    rng: random.Random,
    sites: list[tuple[float, float]],
    runs: int,
) -> dict[str, Any]:
    with rt.engine.connect() as conn:
        # Pages sampled at random; a small dictionary may have none sampled, so all of it.
        sample = list(
            conn.execute(text("SELECT plate FROM plates TABLESAMPLE SYSTEM (5) LIMIT 2000"))
            .scalars()
            .all()
            or conn.execute(text("SELECT plate FROM plates LIMIT 2000")).scalars().all()
        )
        # Plates that are only another reading of the reads that name them.
        others = list(
            conn.execute(
                text(
                    "SELECT plate FROM read_alternatives TABLESAMPLE SYSTEM (1) "
                    "WHERE captured_at >= :since LIMIT 2000"
                ),
                {"since": END - timedelta(days=90)},
            ).scalars()
            or conn.execute(text("SELECT plate FROM read_alternatives LIMIT 2000")).scalars()
        )
    rng.shuffle(sample)

    def when() -> datetime:
        return START + timedelta(days=30 + rng.random() * 300)

    def canvass() -> None:
        lat, lon = rng.choice(sites)
        end = when()
        searches.canvass(
            rt,
            principal=who,
            justification=WHY,
            lat=lat,
            lon=lon,
            radius_m=rng.uniform(200, 1000),
            start=end - timedelta(hours=rng.uniform(1, 24)),
            end=end,
        )

    def canvass_1km_24h() -> None:
        lat, lon = rng.choice(sites)
        end = when()
        searches.canvass(
            rt,
            principal=who,
            justification=WHY,
            lat=lat,
            lon=lon,
            radius_m=1000,
            start=end - timedelta(hours=24),
            end=end,
        )

    def description_1km_24h() -> None:
        lat, lon = rng.choice(sites)
        end = when()
        searches.description_search(
            rt,
            principal=who,
            justification=WHY,
            vehicle=Description(VehicleColour.WHITE, VehicleType.PICKUP_TRUCK),
            lat=lat,
            lon=lon,
            radius_m=1000,
            start=end - timedelta(hours=24),
            end=end,
        )

    def partial_consecutive() -> None:
        p = rng.choice(sample)
        searches.plate_search(
            rt,
            principal=who,
            justification=WHY,
            pattern=p[:4] + "*",
            start=END - timedelta(days=90),
            end=END,
        )

    def partial_scattered() -> None:
        p = rng.choice(sample)
        searches.plate_search(
            rt,
            principal=who,
            justification=WHY,
            pattern=f"{p[0]}?{p[2]}?{p[4]}?{p[6]}",
            start=END - timedelta(days=90),
            end=END,
        )

    def exact(plates: list[str]) -> Callable[[], None]:
        def run() -> None:
            searches.plate_search(
                rt,
                principal=who,
                justification=WHY,
                pattern=rng.choice(plates),
                start=END - timedelta(days=90),
                end=END,
            )

        return run

    def partial_of_other_reading() -> None:
        p = rng.choice(others)
        searches.plate_search(
            rt,
            principal=who,
            justification=WHY,
            pattern=p[:4] + "*",
            start=END - timedelta(days=90),
            end=END,
        )

    def fuzzy() -> None:
        searches.plate_search(
            rt,
            principal=who,
            justification=WHY,
            pattern=rng.choice(sample),
            fuzzy=True,
            start=END - timedelta(days=90),
            end=END,
        )

    def history() -> None:
        searches.plate_history(rt, principal=who, justification=WHY, plate=rng.choice(sample))

    def common() -> None:
        scenes = []
        for _ in range(3):
            lat, lon = rng.choice(sites)
            at = when()
            scenes.append(Scene(lat, lon, 300, at - timedelta(hours=1), at + timedelta(hours=1)))
        searches.common_plates(rt, principal=who, justification=WHY, scenes=scenes, min_scenes=2)

    def convoy() -> None:
        searches.convoy(
            rt, principal=who, justification=WHY, plate=rng.choice(sample), within_s=10, end=END
        )

    results = {}
    for name, fn in (
        ("canvass", canvass),
        ("canvass_1km_24h", canvass_1km_24h),
        ("description_1km_24h", description_1km_24h),
        ("partial_3_consecutive", partial_consecutive),
        ("partial_scattered", partial_scattered),
        ("exact_with_alternatives", exact(sample)),
        ("exact_of_other_reading", exact(others)),
        ("partial_of_other_reading", partial_of_other_reading),
        ("fuzzy", fuzzy),
        ("history", history),
        ("common_3_scenes", common),
        ("convoy", convoy),
    ):
        fn()
        results[name] = summary(timed(fn, runs))
    return results


def governance_overhead(
    rt: Runtime,
    who: Principal,
    rng: random.Random,
    sites: list[tuple[float, float]],
    runs: int,
    sample: list[str],
) -> dict[str, Any]:
    """The same history and canvass queries with and without the gateway (authorization,
    justification check, search row and hash-chained access record), interleaved so that
    both see the same cache and load; the overhead is the difference of the percentiles."""

    def history_pair() -> tuple[Callable[[], Any], Callable[[], Any]]:
        p = rng.choice(sample)

        def bare() -> None:
            with rt.transaction() as session:
                corrected_like(session, [p])
                reads_of_plates(
                    session,
                    [p],
                    start=None,
                    end=None,
                    limit=HISTORY_PAGE + 1,
                    alternatives=True,
                    plan_once=True,
                )

        return (
            lambda: searches.plate_history(rt, principal=who, justification=WHY, plate=p),
            bare,
        )

    def canvass_pair() -> tuple[Callable[[], Any], Callable[[], Any]]:
        lat, lon = rng.choice(sites)
        end = START + timedelta(days=30 + rng.random() * 300)
        start, radius = end - timedelta(hours=rng.uniform(1, 24)), rng.uniform(200, 1000)
        area = Area(lat, lon, radius)

        def bare() -> None:
            with rt.transaction() as session:
                cameras = [c[0] for c in cameras_in(session, area)]
                reads_in_area(session, area=area, start=start, end=end, camera_ids=cameras)

        return (
            lambda: searches.canvass(
                rt,
                principal=who,
                justification=WHY,
                lat=lat,
                lon=lon,
                radius_m=radius,
                start=start,
                end=end,
            ),
            bare,
        )

    out: dict[str, Any] = {}
    for name, pair in (("history", history_pair), ("canvass", canvass_pair)):
        governed_s: list[float] = []
        bare_s: list[float] = []
        for _ in range(runs):
            with_gateway, without = pair()
            bare_s += timed(without, 1)
            governed_s += timed(with_gateway, 1)
        governed, bare = summary(governed_s), summary(bare_s)
        out[name] = {
            "governed": governed,
            "bare": bare,
            "overhead_p50_ms": round(governed["p50_ms"] - bare["p50_ms"], 2),
            "overhead_p95_ms": round(governed["p95_ms"] - bare["p95_ms"], 2),
        }
    return out


def baseline(
    rt: Runtime, rng: random.Random, sites: list[tuple[float, float]], runs: int, sample: list[str]
) -> dict[str, Any]:
    with rt.engine.begin() as conn:
        conn.execute(text("CREATE INDEX bench_naive_geog ON reads USING gist ((geom::geography))"))
        conn.execute(text("CREATE INDEX bench_naive_trgm ON reads USING gin (plate gin_trgm_ops)"))
        conn.execute(text("ANALYZE reads"))

    def canvass() -> None:
        lat, lon = rng.choice(sites)
        end = START + timedelta(days=30 + rng.random() * 300)
        with rt.engine.connect() as conn:
            conn.execute(
                text(
                    "SELECT id FROM reads WHERE ST_DWithin(geom::geography, "
                    "ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography, :r) "
                    "AND captured_at BETWEEN :s AND :e"
                ),
                {
                    "lon": lon,
                    "lat": lat,
                    "r": rng.uniform(200, 1000),
                    "s": end - timedelta(hours=rng.uniform(1, 24)),
                    "e": end,
                },
            ).all()

    def partial() -> None:
        p = rng.choice(sample)
        with rt.engine.connect() as conn:
            conn.execute(
                text("SELECT id FROM reads WHERE plate LIKE :p AND captured_at >= :s"),
                {"p": p[:4] + "%", "s": END - timedelta(days=90)},
            ).all()

    out = {
        "canvass_gist_on_reads": summary(timed(canvass, runs)),
        "partial_trigram_on_reads": summary(timed(partial, runs)),
    }
    with rt.engine.begin() as conn:
        conn.execute(text("DROP INDEX bench_naive_geog"))
        conn.execute(text("DROP INDEX bench_naive_trgm"))
    return out


def prewarm(rt: Runtime) -> None:
    """Load the tables and indexes into shared buffers: the figures are for a warm cache."""
    with rt.engine.begin() as conn:
        # On a standby the extension comes from the primary (it cannot create it).
        known = text("SELECT 1 FROM pg_extension WHERE extname = 'pg_prewarm'")
        if conn.execute(known).first() is None:
            conn.execute(text("CREATE EXTENSION pg_prewarm"))
        conn.execute(
            text(
                "SELECT pg_prewarm(c.oid) FROM pg_class c WHERE c.relkind IN ('r', 'i') "
                "AND c.relnamespace = 'public'::regnamespace"
            )
        )


def server_settings(rt: Runtime) -> dict[str, str]:
    names = (
        "server_version",
        "shared_buffers",
        "effective_cache_size",
        "work_mem",
        "maintenance_work_mem",
        "random_page_cost",
        "max_wal_size",
        "synchronous_commit",
    )
    with rt.engine.connect() as conn:
        return {n: conn.execute(text(f"SHOW {n}")).scalar_one() for n in names}


def seq_scan_rate(rt: Runtime) -> dict[str, Any]:
    with rt.engine.connect() as conn:
        t0 = time.perf_counter()
        rows = conn.execute(
            text("SELECT count(*) FROM reads WHERE confidence < 0 OR true")
        ).scalar_one()
        elapsed = time.perf_counter() - t0
    return {"rows": rows, "seconds": round(elapsed, 2), "rows_per_s": round(rows / elapsed)}


def hot_list(rt: Runtime, rng: random.Random) -> int:
    """A stolen-vehicle list of 99,000 plates and 1,000 partial plates; returns its size."""
    with rt.engine.begin() as conn:
        list_id = conn.execute(
            text(
                "INSERT INTO hot_lists (name, kind, refreshed_at, enabled, created_at) "
                "VALUES ('bench', :k, now(), true, now()) RETURNING id"
            ),
            {"k": HotListKind.STOLEN_VEHICLE.value},
        ).scalar_one()
        entries = [(plate(rng), False) for _ in range(99_000)]
        entries += [(plate(rng)[:3] + "?" + plate(rng)[4:6] + "?", True) for _ in range(1000)]
        buffer = io.StringIO()
        for pattern, partial in entries:
            buffer.write(
                f"{list_id}\t{pattern}\t{'t' if partial else 'f'}\tf\tbench\thigh\t{END}\n"
            )
        raw = conn.connection.dbapi_connection
        assert raw is not None
        with raw.cursor().copy(
            "COPY hot_list_entries (hot_list_id, pattern, is_partial, "
            "match_confusions, reason, priority, created_at) FROM STDIN"
        ) as copy:
            copy.write(buffer.getvalue())
    return len(entries)


def ingest(
    rt: Runtime, rng: random.Random, traffic: Traffic, sites: list[tuple[float, float]]
) -> dict[str, Any]:
    entries = hot_list(rt, rng)
    ingestor = Ingestor(rt.engine, rt.images)
    results: dict[str, Any] = {
        "hotlist_entries": entries,
        "new_plate_share": NEW_PLATE_SHARE,
        "warm_up_reads": WARM_UP_READS,
    }
    now = END + timedelta(days=1)
    for _ in range(WARM_UP_READS // 10_000):
        ingestor.store(fresh_reads(rng, traffic, sites, 10_000), now=now)
    for size, count in ((1000, 100), (10_000, 10)):
        for name, store in (
            (f"batch_{size}", lambda batches: [ingestor.store(b, now=now) for b in batches]),
            (
                f"batch_{size}_pipelined",
                lambda batches: list(ingestor.store_all(batches, clock=lambda: now)),
            ),
        ):
            rates, cpu = [], 0.0
            for _ in range(INGEST_ROUNDS):
                batches = [fresh_reads(rng, traffic, sites, size) for _ in range(count)]
                # The round's reads are the benchmark's, made before the clock starts; a worker
                # holds one batch, so the collector's walk over the others is not ingest's cost.
                gc.collect()
                t0, c0 = time.perf_counter(), time.process_time()
                store(batches)
                rates.append(round(count * size / (time.perf_counter() - t0)))
                cpu += time.process_time() - c0
            results[name] = {
                "reads_per_s": statistics.median(rates),
                "rounds": rates,
                # the worker's own CPU (all its threads); the rest of the time is Postgres's
                "worker_cpu_us_per_read": round(cpu / (INGEST_ROUNDS * count * size) * 1e6, 1),
            }
    return results


def fresh_reads(
    rng: random.Random, traffic: Traffic, sites: list[tuple[float, float]], k: int
) -> list[ReadRecord]:
    """A batch of new reads from the last day, as the worker would send them."""
    reads = []
    for p in traffic.plates(k, new_share=NEW_PLATE_SHARE):
        camera = rng.randrange(len(sites))
        scores = sorted(
            (
                round(0.01 + rng.random() * 0.3, 3)
                if rng.random() < SEARCHED_SHARE
                else round(rng.random() * 0.0099, 4)
                for _ in range(READINGS_PER_READ)
            ),
            reverse=True,
        )
        others: list[list[Any]] = [[misread(rng, p), score] for score in scores]
        reads.append(
            ReadRecord(
                camera_id=camera + 1,
                captured_at=END - timedelta(seconds=rng.random() * 86400),
                plate=p,
                confidence=0.9,
                lat=sites[camera][0],
                lon=sites[camera][1],
                alternatives=[[p, 0.9], *others],
                vehicle_colour=(codes := vehicle_codes(p))[0],
                vehicle_type=codes[1],
                vehicle_colour_confidence=80,
                vehicle_type_confidence=90,
                vehicle_box=[120, 90, 1160, 700],
            )
        )
    return reads


class BackgroundIngest:
    """The worker, in its own process, storing batches of 1,000 fresh reads until stopped;
    each batch's completion time is reported so the rate during a window can be read."""

    def __init__(
        self, url: str, rng: random.Random, traffic: Traffic, sites: list[tuple[float, float]]
    ) -> None:
        context = multiprocessing.get_context("fork")
        self.stop = context.Event()
        self.done: multiprocessing.Queue[float] = context.Queue()
        self.process = context.Process(
            target=self._run, args=(url, rng, traffic, sites), daemon=True
        )

    def _run(
        self, url: str, rng: random.Random, traffic: Traffic, sites: list[tuple[float, float]]
    ) -> None:
        rng.seed()
        ingestor = Ingestor(make_engine(url), ImageStore(Path(tempfile.mkdtemp())))
        while not self.stop.is_set():
            ingestor.store(fresh_reads(rng, traffic, sites, 1000), now=END)
            self.done.put(time.monotonic())

    def __enter__(self) -> BackgroundIngest:
        self.process.start()
        time.sleep(3)  # past its first batches: the rate before is its steady state
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.process.join()

    def rates(self, start: float, end: float) -> dict[str, int]:
        """Reads per second in the 2 s before ``start`` and from ``start`` to ``end`` (at
        least 1 s)."""
        end = max(end, start + 1)
        times = []
        while not self.done.empty():
            times.append(self.done.get())
        before = sum(1000 for t in times if start - 2 <= t < start) / 2
        during = sum(1000 for t in times if start <= t < end) / (end - start)
        return {
            "ingest_reads_per_s_before": round(before),
            "ingest_reads_per_s_meanwhile": round(during),
        }


WORKER_BATCH = 1000


def _ingest_worker(
    url: str,
    batches: list[list[ReadRecord]],
    start: Any,
    stored: multiprocessing.Queue[tuple[int, str | None]],
) -> None:
    """One worker process: a first batch stored before the start (its hot-list matcher and
    connections warm), the rest after."""
    ingestor = Ingestor(make_engine(url), ImageStore(Path(tempfile.mkdtemp())))
    count, failure, started = 0, None, False
    try:
        count += ingestor.store(batches[0], now=END).stored
        start.wait()
        started = True
        for batch in batches[1:]:
            count += ingestor.store(batch, now=END).stored
    except Exception as exc:  # reported: the figures of a run with a failure are void
        failure = f"{type(exc).__name__}: {exc}"
        if not started:
            start.abort()
    stored.put((count, failure))


def ingest_workers(
    rt: Runtime,
    url: str,
    rng: random.Random,
    traffic: Traffic,
    sites: list[tuple[float, float]],
    counts: list[int],
    reads_per_worker: int,
    day: int,
) -> dict[str, Any]:
    """``n`` worker processes storing at once, each its own cameras, except the second, which
    replays the first one's spool (in reverse order): the aggregate rate counts each distinct
    read once. The database then says how many of the reads offered are missing and how many
    are stored twice. Each run writes its own day (``day`` days after the loaded year)."""
    context = multiprocessing.get_context("fork")
    out: dict[str, Any] = {"reads_per_worker": reads_per_worker, "batch": WORKER_BATCH}
    for offset, n in enumerate(counts):
        first = END + timedelta(days=day + offset)
        spools: list[list[list[ReadRecord]]] = []
        for index in range(n):
            if index == 1:
                spools.append(spools[0][:1] + spools[0][:0:-1])  # the same spool, replayed
                continue
            own = sites[index::n] or sites
            batches = []
            for _ in range(reads_per_worker // WORKER_BATCH):
                batch = []
                for p in traffic.plates(WORKER_BATCH, new_share=NEW_PLATE_SHARE):
                    camera = rng.randrange(len(own))
                    lat, lon = own[camera]
                    batch.append(
                        ReadRecord(
                            camera_id=sites.index(own[camera]) + 1,
                            captured_at=first + timedelta(seconds=rng.random() * 86_000),
                            plate=p,
                            confidence=0.9,
                            lat=lat,
                            lon=lon,
                        )
                    )
                batches.append(batch)
            spools.append(batches)
        distinct = {r.identity() for batches in spools for batch in batches for r in batch}
        measured = {r.identity() for b in spools for batch in b[1:] for r in batch} - {
            r.identity() for b in spools for r in b[0]
        }
        start = context.Barrier(n + 1)
        stored: multiprocessing.Queue[tuple[int, str | None]] = context.Queue()
        processes = [
            context.Process(target=_ingest_worker, args=(url, batches, start, stored))
            for batches in spools
        ]
        for process in processes:
            process.start()
        start.wait()
        t0 = time.perf_counter()
        reports = [stored.get() for _ in processes]
        seconds = time.perf_counter() - t0
        for process in processes:
            process.join()
        with rt.engine.connect() as conn:
            total, passes = conn.execute(
                text(
                    "SELECT count(*), count(DISTINCT (camera_id, captured_at, plate)) FROM reads "
                    "WHERE captured_at >= :first AND captured_at < :next"
                ),
                {"first": first, "next": first + timedelta(days=1)},
            ).one()
        out[f"workers_{n}"] = {
            "reads_offered": sum(len(batch) for batches in spools for batch in batches),
            "distinct_reads": len(distinct),
            "seconds": round(seconds, 2),
            "aggregate_reads_per_s": round(len(measured) / seconds),
            "stored_reported": sum(count for count, _ in reports),
            "duplicates": total - passes,
            "lost": len(distinct) - passes,
            "failures": [failure for _, failure in reports if failure],
        }
    return out


def purge_comparison(
    rt: Runtime,
    url: str,
    rng: random.Random,
    traffic: Traffic,
    sites: list[tuple[float, float]],
) -> dict[str, Any]:
    """The oldest month by the purge (a partition drop, then the plate dictionary pruned of
    the plates no read names any more), the next month by batched DELETE, each while the worker
    (another process) keeps ingesting; the ingest rates of the purge cover all of it."""

    def measured(work: Callable[[], Any]) -> tuple[float, dict[str, int], Any]:
        with BackgroundIngest(url, rng, traffic, sites) as ingest:
            t0 = time.monotonic()
            outcome = work()
            t1 = time.monotonic()
            time.sleep(max(0.0, t0 + 1.2 - t1))
        return t1 - t0, ingest.rates(t0, t1), outcome

    # The first month expires whole: the day after its last day passes retention.
    first_month_end = datetime.combine(add_months(START.date(), 1), datetime.min.time(), UTC)
    as_of = first_month_end + timedelta(days=policy_in_force(rt).retention_nonhit_days)
    drop_s, drop_ingest, report = measured(lambda: purge(rt, as_of=as_of))
    second_month_end = datetime.combine(add_months(START.date(), 2), datetime.min.time(), UTC)

    def batched_delete() -> int:
        removed = 0
        while True:
            with rt.engine.begin() as conn:
                count = conn.execute(
                    text(
                        "DELETE FROM reads WHERE (id, captured_at) IN (SELECT id, captured_at "
                        "FROM reads WHERE captured_at < :end AND NOT retained LIMIT 5000)"
                    ),
                    {"end": second_month_end},
                ).rowcount
            removed += count
            if count == 0:
                return removed

    delete_s, delete_ingest, deleted = measured(batched_delete)
    return {
        "whole_purge_seconds": round(drop_s, 2),
        "other_readings": {
            "seconds": report.seconds.get("read_alternatives"),
            "removed": report.counts.get("read_alternatives"),
        },
        "dictionary_prune": {
            "seconds": report.seconds.get("plates"),
            "plates_removed": report.counts.get("plates"),
        },
        "partition_drop": {
            "seconds": report.seconds["reads"],
            "reads": report.counts.get("reads_nonhit"),
            "method": report.methods.get("reads_nonhit"),
            "partitions_dropped": report.methods.get("reads_nonhit_partitions_dropped"),
            **drop_ingest,
        },
        "batched_delete": {"seconds": round(delete_s, 2), "reads": deleted, **delete_ingest},
    }


def phase(name: str, work: Callable[[], T]) -> T:
    """Run one phase, telling stderr when it starts and how long it took."""
    print(f"{time.strftime('%H:%M:%S')} {name}...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    outcome = work()
    print(f"  {name}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--reads", type=int, default=10_000_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--cameras", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", action="store_true", help="Keep the benchmark database.")
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--workers",
        type=lambda value: [int(n) for n in value.split(",")],
        help="Worker process counts whose concurrent ingest is measured, e.g. 1,2,4.",
    )
    parser.add_argument("--worker-reads", type=int, default=50_000, help="Reads per worker.")
    parser.add_argument(
        "--standby",
        action="store_true",
        help="Run on a primary and hot standby of its own, and compare the two (see above).",
    )
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        help="Skip the naive baseline (its two indexes take long to build at 50M reads).",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Measure the queries again on the database a --keep run left (no load, ingest or "
        "purge; that run's ingest and purge have changed it).",
    )
    args = parser.parse_args()
    if args.standby:
        pair = start_pair(settings="")
        try:
            replica_comparison(args, pair)
        finally:
            pair.close()
        return
    rng = random.Random(args.seed)
    name = f"alpr_bench_{args.reads}"
    url = existing_database(args.url, name) if args.reuse else create_database(args.url, name)
    rt = build_runtime(Deployment(database_url=url, data_dir=data_dir(name, fresh=not args.reuse)))
    schema.upgrade(rt.engine)
    bootstrap(rt)
    sites = cameras(rng, args.cameras)
    traffic = Traffic(rng, max(1000, args.reads // 5))
    result: dict[str, Any] = {
        "database": name,
        "reused": args.reuse,
        "machine": {"cpus": os.cpu_count(), "postgres": server_settings(rt)},
    }
    if not args.reuse:
        result["load"] = phase("load", lambda: load(rt, rng, traffic, args.reads, sites))
    who = bench_user(rt)
    phase("prewarm", lambda: prewarm(rt))
    result["queries_through_governance"] = phase(
        "queries", lambda: queries(rt, who, rng, sites, args.queries)
    )
    with rt.engine.connect() as conn:
        sample = [r[0] for r in conn.execute(text("SELECT plate FROM plates LIMIT 2000"))]
    result["governance_overhead"] = phase(
        "governance overhead",
        lambda: governance_overhead(rt, who, rng, sites, max(args.queries, 200), sample),
    )
    if args.reuse:
        result["seq_scan"] = phase("sequential scan", lambda: seq_scan_rate(rt))
        finish(result, args.out)
        return
    if not args.no_baseline:
        naive = phase(
            "naive baseline", lambda: baseline(rt, rng, sites, min(args.queries, 50), sample)
        )
        ours = result["queries_through_governance"]
        result["naive_baseline"] = naive
        result["ratio_naive_over_ours_p95"] = {
            "canvass": round(
                naive["canvass_gist_on_reads"]["p95_ms"] / max(ours["canvass"]["p95_ms"], 0.01), 1
            ),
            "partial": round(
                naive["partial_trigram_on_reads"]["p95_ms"]
                / max(ours["partial_3_consecutive"]["p95_ms"], 0.01),
                1,
            ),
        }
    result["seq_scan"] = phase("sequential scan", lambda: seq_scan_rate(rt))
    result["ingest_with_hotlist_matching"] = phase(
        "ingest", lambda: ingest(rt, rng, traffic, sites)
    )
    result["purge_one_month"] = phase(
        "purge", lambda: purge_comparison(rt, url, rng, traffic, sites)
    )
    if args.workers:
        result["ingest_workers"] = phase(
            "ingest workers",
            lambda: ingest_workers(
                rt, url, rng, traffic, sites, args.workers, args.worker_reads, day=3
            ),
        )
    finish(result, args.out)
    rt.engine.dispose()
    if not args.keep:
        drop_database(args.url, name)


def standby_transactions(pair: Any, name: str) -> int:
    """Transactions the standby has run on the bench database (its own statistics)."""
    return int(
        pair.standby.sql(f"SELECT xact_commit FROM pg_stat_database WHERE datname = '{name}'")
    )


def replica_comparison(args: argparse.Namespace, pair: Any) -> None:
    """The same load on a primary with a streaming hot standby: queries on the primary and
    through the replica, and the workers' ingest with the standby streaming, then stopped."""
    rng = random.Random(args.seed)
    name = f"alpr_bench_{args.reads}"
    url = create_database(pair.primary.url("postgres"), name)
    rt = build_runtime(Deployment(database_url=url, data_dir=data_dir(name, fresh=True)))
    schema.upgrade(rt.engine)
    bootstrap(rt)
    sites = cameras(rng, args.cameras)
    traffic = Traffic(rng, max(1000, args.reads // 5))
    result: dict[str, Any] = {
        "database": name,
        "machine": {"cpus": os.cpu_count(), "postgres": server_settings(rt)},
        "load": phase("load", lambda: load(rt, rng, traffic, args.reads, sites)),
    }
    who = bench_user(rt)
    result["hotlist_entries"] = hot_list(rt, rng)
    phase("prewarm", lambda: prewarm(rt))
    pair.replayed(timeout_s=600)
    replica = make_engine(pair.standby.url(name))
    with_replica = replace(rt, replicas=(replica,))
    phase("prewarm the standby", lambda: prewarm(replace(rt, engine=replica)))
    # Two rounds each, alternated: the load of the shared machine moves between rounds.
    served_before = standby_transactions(pair, name)
    for round_ in (1, 2):
        result[f"queries_on_primary_{round_}"] = phase(
            "queries on the primary", lambda: queries(rt, who, rng, sites, args.queries)
        )
        result[f"queries_through_replica_{round_}"] = phase(
            "queries through the replica",
            lambda: queries(with_replica, who, rng, sites, args.queries),
        )
    replica.dispose()  # its sessions end, and report what they did
    result["standby_transactions"] = standby_transactions(pair, name) - served_before
    counts = args.workers or [1, 2, 4]
    result["ingest_workers_standby_streaming"] = phase(
        "ingest workers, standby streaming",
        lambda: ingest_workers(rt, url, rng, traffic, sites, counts, args.worker_reads, day=3),
    )
    pair.standby.stop()
    result["ingest_workers_standby_stopped"] = phase(
        "ingest workers, standby stopped",
        lambda: ingest_workers(rt, url, rng, traffic, sites, counts, args.worker_reads, day=10),
    )
    rt.engine.dispose()
    finish(result, args.out)


def data_dir(name: str, *, fresh: bool) -> Path:
    """The bench database's files (images, the access log's checkpoints). A new database gets
    a new folder: checkpoints an earlier run left would name records it does not hold, and the
    purge, rightly, refuses to run on a log that does not verify."""
    folder = Path(tempfile.gettempdir()) / name
    if fresh:
        shutil.rmtree(folder, ignore_errors=True)
    return folder


def finish(result: dict[str, Any], out: Path | None) -> None:
    text_out = json.dumps(result, indent=2, default=str)
    print(text_out)
    if out:
        out.write_text(text_out)


def existing_database(admin_url: str, name: str) -> str:
    url = make_url(admin_url)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            sys.exit(f"--reuse: no database {name}; run once with --keep first")
    return url.set(database=name, drivername="postgresql+psycopg").render_as_string(
        hide_password=False
    )


if __name__ == "__main__":
    main()
