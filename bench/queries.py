"""Query and ingest benchmark on Postgres/PostGIS through the governance services the UI
calls (justification check and access record included). Loads N synthetic reads with the
project's own schema, then prints p50/p95 over random queries, ingest rates with hot-list
matching, the purge of one month, and the naive baseline beside each figure. JSON to stdout
(and --out).

    python bench/queries.py --url postgresql+psycopg://postgres@127.0.0.1/postgres --reads 1000000
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import statistics
import string
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from alpr.config import Settings
from alpr.data import schema
from alpr.data.dialect import ensure_partitions, months_around
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
from alpr.governance.investigations.results import Scene
from alpr.governance.principal import Principal
from alpr.governance.retention.purge import purge
from alpr.governance.runtime import Runtime, build_runtime
from alpr.recognition.ingest import Ingestor, ReadRecord

CENTRE = (37.6879, -122.4702)
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


def plate(rng: random.Random) -> str:
    letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(3))
    return f"{rng.randint(1, 9)}{letters}{rng.randint(0, 999):03d}"


def cameras(rng: random.Random, count: int) -> list[tuple[float, float]]:
    return [
        (CENTRE[0] + rng.uniform(-0.06, 0.06), CENTRE[1] + rng.uniform(-0.06, 0.06))
        for _ in range(count)
    ]


def create_database(admin_url: str, name: str) -> str:
    url = make_url(admin_url)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    target = url.set(database=name)
    with psycopg.connect(
        target.set(drivername="postgresql").render_as_string(hide_password=False), autocommit=True
    ) as conn:
        for ext in ("postgis", "pg_trgm", "btree_gist"):
            conn.execute(f"CREATE EXTENSION IF NOT EXISTS {ext}")
    return target.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def load(
    rt: Runtime, rng: random.Random, n: int, sites: list[tuple[float, float]]
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
    population = [plate(rng) for _ in range(max(1000, n // 5))]
    weights = [1 / (i + 1) ** 0.8 for i in range(len(population))]
    span = (END - START).total_seconds()
    started = time.perf_counter()
    raw = rt.engine.raw_connection()
    try:
        cursor = raw.cursor()
        chosen = rng.choices(population, weights=weights, k=n)
        with cursor.copy(
            "COPY reads (captured_at, camera_id, confidence, lat, lon, plate,"
            " idempotency_key) FROM STDIN"
        ) as copy:
            for i, p in enumerate(chosen):
                camera = rng.randrange(len(sites))
                lat, lon = sites[camera]
                at = START + timedelta(seconds=rng.random() * span)
                copy.write_row(
                    (
                        at,
                        camera + 1,
                        0.9,
                        lat + rng.uniform(-5e-5, 5e-5),
                        lon + rng.uniform(-5e-5, 5e-5),
                        p,
                        f"b{i}",
                    )
                )
        cursor.execute(
            "INSERT INTO plates (plate, confusion_key) SELECT DISTINCT plate, "
            "translate(plate, 'ODQILTBSZG', '0001118526') FROM reads"
        )
        raw.commit()
    finally:
        raw.close()
    loaded = time.perf_counter() - started
    with rt.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return {
        "reads": n,
        "distinct_plates": len(set(population)),
        "load_seconds": round(loaded, 1),
        "load_reads_per_s": round(n / loaded),
    }


def bench_user(rt: Runtime) -> Principal:
    with rt.transaction() as session:
        agency = session.query(Agency).filter(Agency.is_home.is_(True)).one()
        user = User(
            username=f"bench_{uuid.uuid4().hex[:6]}",
            full_name="Benchmark",
            agency_id=agency.id,
            role_code=RoleCode.SERGEANT,
            created_at=rt.now(),
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
        sample = [
            r[0]
            for r in conn.execute(
                text("SELECT plate FROM plates TABLESAMPLE SYSTEM (5) LIMIT 2000")
            )
        ]
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
        ("partial_3_consecutive", partial_consecutive),
        ("partial_scattered", partial_scattered),
        ("fuzzy", fuzzy),
        ("history", history),
        ("common_3_scenes", common),
        ("convoy", convoy),
    ):
        fn()
        results[name] = summary(timed(fn, runs))
    return results


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


def seq_scan_rate(rt: Runtime) -> dict[str, Any]:
    with rt.engine.connect() as conn:
        t0 = time.perf_counter()
        rows = conn.execute(
            text("SELECT count(*) FROM reads WHERE confidence < 0 OR true")
        ).scalar_one()
        elapsed = time.perf_counter() - t0
    return {"rows": rows, "seconds": round(elapsed, 2), "rows_per_s": round(rows / elapsed)}


def ingest(rt: Runtime, rng: random.Random, sites: list[tuple[float, float]]) -> dict[str, Any]:
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
    ingestor = Ingestor(rt.engine, rt.images)
    results: dict[str, Any] = {"hotlist_entries": len(entries)}
    now = END + timedelta(days=1)
    for size in (1000, 10_000):
        records = [
            ReadRecord(
                camera_id=rng.randrange(len(sites)) + 1,
                captured_at=END - timedelta(seconds=rng.random() * 86400),
                plate=plate(rng),
                confidence=0.9,
                lat=sites[0][0],
                lon=sites[0][1],
            )
            for _ in range(size * 3)
        ]
        ingestor.store(records[:size], now=now)
        t0 = time.perf_counter()
        ingestor.store(records[size:], now=now)
        elapsed = time.perf_counter() - t0
        results[f"batch_{size}"] = {"reads_per_s": round(2 * size / elapsed)}
    return results


def purge_comparison(
    rt: Runtime, rng: random.Random, sites: list[tuple[float, float]]
) -> dict[str, Any]:
    """The oldest month by partition drop (the purge), the next month by batched DELETE, and
    the ingest rate measured while each runs."""
    ingestor = Ingestor(rt.engine, rt.images)
    stop = threading.Event()
    ingested: list[int] = []

    def ingest_loop() -> None:
        while not stop.is_set():
            batch = [
                ReadRecord(
                    camera_id=rng.randrange(len(sites)) + 1,
                    captured_at=END - timedelta(seconds=rng.random() * 86400),
                    plate=plate(rng),
                    confidence=0.9,
                    lat=sites[0][0],
                    lon=sites[0][1],
                )
                for _ in range(1000)
            ]
            ingestor.store(batch, now=END)
            ingested.append(len(batch))

    def measured(work: Callable[[], Any]) -> tuple[float, float, Any]:
        ingested.clear()
        stop.clear()
        thread = threading.Thread(target=ingest_loop)
        thread.start()
        t0 = time.perf_counter()
        outcome = work()
        elapsed = time.perf_counter() - t0
        stop.set()
        thread.join()
        return elapsed, sum(ingested) / max(elapsed, 1e-6), outcome

    drop_s, drop_ingest, report = measured(
        lambda: purge(rt, as_of=START + timedelta(days=365 + 31), run_by="bench")
    )
    second = START + timedelta(days=31)

    def batched_delete() -> int:
        removed = 0
        while True:
            with rt.engine.begin() as conn:
                count = conn.execute(
                    text(
                        "DELETE FROM reads WHERE (id, captured_at) IN (SELECT id, captured_at "
                        "FROM reads WHERE captured_at < :end AND NOT retained LIMIT 5000)"
                    ),
                    {"end": second + timedelta(days=31)},
                ).rowcount
            removed += count
            if count == 0:
                return removed

    delete_s, delete_ingest, deleted = measured(batched_delete)
    return {
        "partition_drop": {
            "seconds": round(drop_s, 2),
            "reads": report.counts.get("reads_nonhit"),
            "method": report.methods.get("reads_nonhit"),
            "ingest_reads_per_s_meanwhile": round(drop_ingest),
        },
        "batched_delete": {
            "seconds": round(delete_s, 2),
            "reads": deleted,
            "ingest_reads_per_s_meanwhile": round(delete_ingest),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--reads", type=int, default=10_000_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--cameras", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", action="store_true", help="Keep the benchmark database.")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    name = f"alpr_bench_{args.reads}"
    url = create_database(args.url, name)
    rt = build_runtime(Settings(database_url=url, data_dir=Path(tempfile.gettempdir()) / name))
    schema.upgrade(rt.engine)
    bootstrap(rt)
    sites = cameras(rng, args.cameras)
    result: dict[str, Any] = {"database": name, "load": load(rt, rng, args.reads, sites)}
    who = bench_user(rt)
    result["queries_through_governance"] = queries(rt, who, rng, sites, args.queries)
    with rt.engine.connect() as conn:
        sample = [r[0] for r in conn.execute(text("SELECT plate FROM plates LIMIT 2000"))]
    result["naive_baseline"] = baseline(rt, rng, sites, min(args.queries, 50), sample)
    result["ratio_naive_over_ours_p95"] = {
        "canvass": round(
            result["naive_baseline"]["canvass_gist_on_reads"]["p95_ms"]
            / max(result["queries_through_governance"]["canvass"]["p95_ms"], 0.01),
            1,
        ),
        "partial": round(
            result["naive_baseline"]["partial_trigram_on_reads"]["p95_ms"]
            / max(result["queries_through_governance"]["partial_3_consecutive"]["p95_ms"], 0.01),
            1,
        ),
    }
    result["seq_scan"] = seq_scan_rate(rt)
    result["ingest_with_hotlist_matching"] = ingest(rt, rng, sites)
    result["purge_one_month"] = purge_comparison(rt, rng, sites)
    text_out = json.dumps(result, indent=2, default=str)
    print(text_out)
    if args.out:
        args.out.write_text(text_out)
    rt.engine.dispose()
    if not args.keep:
        create_database(args.url, name)


if __name__ == "__main__":
    main()
