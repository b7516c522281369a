"""Destruction only when due (R30, R31), on both databases: a purge as of a date after today
is refused (exit 2, one line) and destroys nothing unless it is a preview; whatever date or
clock a purge is given, nothing younger than the law's floors goes; the report names who ran
it, a signed-in Administrator or the system's daily job."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from alpr.data.models import AccessRecord, HotList, HotListEntry, HotListKind, Image, Priority, Read
from alpr.governance.retention.purge import purge
from alpr.governance.runtime import Runtime
from tests.conftest import CliRun, Clock, SignedCli, TestUser
from tests.integration.builders import World


def _young_world(rt: Runtime, now: datetime) -> None:
    """Reads 0-30 days old, half with an image, and hot-list entries that expired lately."""
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    for day in range(31):
        read_id = world.read(f"YNG{day:04d}", "cam", now - timedelta(days=day), 37.7, -122.4)
        if day % 2:
            digest = rt.images.put(f"jpeg {day}".encode())
            with rt.engine.begin() as conn:
                rt.images.record(conn, sha256=digest, size_bytes=6, width=None, height=None)
                conn.execute(
                    Read.__table__.update()
                    .where(Read.id == read_id)  # type: ignore[attr-defined]
                    .values(image_sha256=digest)
                )
    with rt.transaction() as session:
        hot_list = HotList(name="Custom", kind=HotListKind.CUSTOM, created_at=now)
        session.add(hot_list)
        session.flush()
        for day in range(1, 11):
            session.add(
                HotListEntry(
                    hot_list_id=hot_list.id,
                    pattern=f"7HOT{day:03d}",
                    reason="Stolen",
                    priority=Priority.HIGH,
                    expires_at=now - timedelta(days=day),
                )
            )


def _counts(rt: Runtime) -> tuple[int, int, int]:
    with rt.transaction() as session:
        return tuple(  # type: ignore[return-value]
            session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Read, Image, HotListEntry)
        )


@pytest.fixture
def cli(signed_cli: SignedCli, make_user: Callable[..., TestUser]) -> CliRun:
    return signed_cli({"okafor": make_user("okafor", "administrator")})


def test_a_future_as_of_destroys_nothing_unless_previewed(rt: Runtime, cli: CliRun) -> None:
    """R30: `purge --as-of` two years ahead is refused with one line and exit 2, counted
    before and after; as a preview it names what that date would remove, and removes nothing."""
    _young_world(rt, datetime.now(UTC))
    before = _counts(rt)
    assert before == (31, 15, 10)
    code, out = cli("purge", "--as-of", "2028-06-01", as_user="okafor")
    assert code == 2 and out.count("\n") == 1 and "after today" in out
    assert _counts(rt) == before
    code, out = cli("purge", "--as-of", "2028-06-01", "--dry-run", "--json", as_user="okafor")
    assert code == 0
    preview = out
    assert preview["run_by"] == "okafor" and preview["dry_run"]
    assert preview["counts"]["reads_nonhit"] == 31
    assert _counts(rt) == before
    with rt.transaction() as session:
        recorded = session.execute(
            select(AccessRecord.detail)
            .where(AccessRecord.event == "purge", AccessRecord.outcome == "success")
            .order_by(AccessRecord.id.desc())
            .limit(1)
        ).scalar_one()
    # The supervisor reviewing the log reads what the preview counted, in words.
    assert recorded.startswith("purge preview as of 2028-06-01: 31 reads without a hit, ")
    assert "images" in recorded and "reads_nonhit" not in recorded
    code, out = cli("purge", as_user="okafor")
    assert code == 0 and "(run by okafor)" in out and _counts(rt) == before
    code, out = cli("purge", "--dry-run")
    assert code == 3 and out.startswith("refused (sign_in)") and "--as USER" in out


def test_the_daily_job_runs_as_the_system(rt: Runtime, cli: CliRun) -> None:
    """R30: `alpr db maintain` is the scheduled purge; its report names the system's job."""
    code, out = cli("db", "maintain", "--json")
    assert code == 0 and out["run_by"] == "system"


def test_a_clock_years_ahead_still_keeps_what_the_law_keeps(rt: Runtime, clock: Clock) -> None:
    """R30: with the run's clock three years ahead (and so its as-of date), reads younger than
    the law's one year by the database's clock stay; only a preview looks that far."""
    now = datetime.now(UTC)
    _young_world(rt, now)
    clock.now = now + timedelta(days=3 * 365)
    assert purge(rt, dry_run=True).counts["reads_nonhit"] == 31
    report = purge(rt)
    assert report.counts["reads_nonhit"] == 0 and report.run_by == "system"
    assert _counts(rt)[0] == 31
