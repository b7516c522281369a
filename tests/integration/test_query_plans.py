"""On Postgres the searches use the intended indexes and prune partitions (EXPLAIN on the
seeded demo agency): exact plate, time window, the plate dictionary for partial plates, and
the camera-first canvass."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from alpr.config import Deployment
from alpr.data.demo import seed_demo_data
from alpr.data.engine import make_engine
from alpr.data.images import ImageStore
from alpr.governance.gateway import JustificationInput
from alpr.governance.investigations import searches
from alpr.governance.runtime import Runtime
from alpr.plates import PlatePattern
from tests.conftest import TestUser, pg_clone

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def seeded_template(pg_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo agency rt once for the module, with a dictionary the size of a mid-size
    agency's year (about 100,000 more plates) and its statistics; each test gets a copy."""
    with pg_clone(pg_template) as url:
        data_dir = tmp_path_factory.mktemp("plans")
        engine = make_engine(url)
        template = Runtime(
            settings=Deployment(data_dir=data_dir, database_url=url),  # type: ignore[arg-type]
            engine=engine,
            images=ImageStore(data_dir / "images"),
        )
        seed_demo_data(engine, image_store=template.images, reads=20000, seed=7, now=NOW)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO plates (plate, confusion_key) SELECT p, p FROM ("
                    " SELECT DISTINCT upper(substr(md5(i::text), 1, 7)) AS p"
                    " FROM generate_series(1, 100000) AS i) AS s ON CONFLICT DO NOTHING"
                )
            )
            conn.execute(text("ANALYZE"))
        engine.dispose()
        yield str(make_url(url).database)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest) -> Iterator[str]:
    if backend != "postgres":
        pytest.skip("query plans are a Postgres concern; SQLite answers with plain indexes")
    with pg_clone(request.getfixturevalue("seeded_template")) as url:
        yield url


def _plan(rt: Runtime, sql: str, *, forbid_seqscan: bool = True, **params: object) -> str:
    with rt.engine.begin() as conn:
        if forbid_seqscan:
            conn.execute(text("SET LOCAL enable_seqscan = off"))
        rows = conn.execute(text("EXPLAIN " + sql), params).scalars()
        return "\n".join(rows)


def test_exact_plate_uses_plate_index(rt: Runtime) -> None:
    plan = _plan(rt, "SELECT id FROM reads WHERE plate = :p ORDER BY captured_at DESC", p="7KQM482")
    assert "plate_captured_at_idx" in plan
    assert "Seq Scan" not in plan


def test_time_window_prunes_partitions(rt: Runtime) -> None:
    start = NOW - timedelta(days=3)
    plan = _plan(
        rt,
        "SELECT count(*) FROM reads WHERE captured_at >= :s AND captured_at < :e",
        s=start,
        e=NOW,
    )
    months = {f"{(NOW - timedelta(days=40)):%Y_%m}", f"{(NOW + timedelta(days=40)):%Y_%m}"}
    assert f"reads_standard_{NOW:%Y_%m}" in plan
    assert not any(f"reads_standard_{m}" in plan for m in months - {f"{NOW:%Y_%m}"})


def test_camera_first_canvass_uses_camera_time_index(rt: Runtime) -> None:
    plan = _plan(
        rt,
        "SELECT id FROM reads WHERE camera_id = ANY(:cams) AND captured_at >= :s "
        "AND captured_at <= :e",
        cams=[1, 2, 3],
        s=NOW - timedelta(hours=2),
        e=NOW,
    )
    assert "camera_id_captured_at_plate_retained_idx" in plan
    assert f"reads_standard_{NOW:%Y_%m}" in plan and "2026_09" not in plan


@pytest.mark.parametrize("pattern", ["7KQ_48_", "%KQM4%", "_KQM48_"])
def test_partial_plate_goes_through_the_trigram_dictionary(rt: Runtime, pattern: str) -> None:
    plan = _plan(
        rt, "SELECT plate FROM plates WHERE plate LIKE :p", forbid_seqscan=False, p=pattern
    )
    assert "ix_plates_plate_trgm" in plan and "reads" not in plan


def test_mobile_canvass_uses_partial_gist(rt: Runtime) -> None:
    plan = _plan(
        rt,
        "SELECT id FROM reads WHERE is_mobile AND geom && "
        "ST_MakeEnvelope(-122.47, 37.69, -122.46, 37.70, 4326) AND captured_at >= :s "
        "AND captured_at <= :e",
        s=NOW - timedelta(hours=2),
        e=NOW,
    )
    assert "geom_captured_at_idx" in plan


def _explain_sent(rt: Runtime, source: str, search: Callable[[], object]) -> str:
    """EXPLAIN of the one statement a service itself sends to ``source``, not a copy of it."""
    sent: list[tuple[str, Any]] = []

    def capture(*args: Any) -> None:
        statement, parameters = args[2], args[3]
        if statement.lstrip().startswith("SELECT") and f"FROM {source}" in statement:
            sent.append((statement, parameters))

    event.listen(rt.engine, "before_cursor_execute", capture)
    try:
        search()
    finally:
        event.remove(rt.engine, "before_cursor_execute", capture)
    [(statement, parameters)] = sent
    with rt.engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        return "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + statement, parameters))


def test_the_canvass_service_is_camera_first_with_the_mobile_gist(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    detective = make_user("rivera", "investigator").principal
    plan = _explain_sent(
        rt,
        "reads",
        lambda: searches.canvass(
            rt,
            principal=detective,
            justification=JustificationInput("major_crime_canvass", "26-04711"),
            lat=37.6879,
            lon=-122.4702,
            radius_m=800,
            start=NOW - timedelta(hours=3),
            end=NOW,
        ),
    )
    assert "camera_id_captured_at_plate_retained_idx" in plan and "geom_captured_at_idx" in plan
    assert "Seq Scan on reads" not in plan and "2026_09" not in plan


@pytest.mark.parametrize(
    ("pattern", "index"),
    [("7?B?4?2", "ix_plates_positions"), ("7KQ?48?", "ix_plates_plate_trgm")],
)
def test_partial_plates_without_three_known_in_a_row_go_by_position(
    rt: Runtime, make_user: Callable[..., TestUser], pattern: str, index: str
) -> None:
    """Scattered known characters give trigrams nothing to search: the plate search service
    goes to the positions index instead of scanning the dictionary."""
    detective = make_user("rivera", "investigator").principal
    plan = _explain_sent(
        rt,
        "plates",
        lambda: searches.plate_search(
            rt,
            principal=detective,
            justification=JustificationInput("major_crime_canvass", "26-04711"),
            pattern=pattern,
            start=NOW - timedelta(days=30),
            end=NOW,
        ),
    )
    assert index in plan and "Seq Scan" not in plan


def test_plate_positions_in_the_database_are_the_patterns_tokens(rt: Runtime) -> None:
    plates = ["7KQM482", "AB1", "X", "1234567890"]
    with rt.engine.begin() as conn:
        stored = [
            conn.execute(text("SELECT alpr_plate_positions(:p)"), {"p": p}).scalar_one()
            for p in plates
        ]
    assert stored == [PlatePattern(p).position_tokens() for p in plates]


def test_a_plate_history_is_planned_once_per_connection(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """A history spans every month's partition, and planning that costs more than running it:
    its look-ups of the plate (reads, other readings) are planned once per connection for any
    plate, and the connection goes back to planning each statement for its own parameters."""
    detective = make_user("rivera", "investigator").principal
    with rt.engine.connect() as conn:
        plates = list(conn.execute(text("SELECT DISTINCT plate FROM reads LIMIT 3")).scalars())
    rt.engine.dispose()
    for plate in plates:
        searches.plate_history(
            rt,
            principal=detective,
            justification=JustificationInput("major_crime_canvass", "26-04711"),
            plate=plate,
        )
    with rt.engine.connect() as conn:
        assert conn.execute(text("SHOW plan_cache_mode")).scalar_one() == "force_custom_plan"
        planned = conn.execute(
            text(
                "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements "
                "WHERE statement LIKE '%FROM reads %' OR statement LIKE '%FROM read_alternatives %'"
            )
        ).all()
    assert len(planned) == 2, planned
    assert all(custom == 0 and generic == len(plates) for _, generic, custom in planned), planned
