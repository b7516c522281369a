"""The demo agency (issue: foundation): deterministic, exact counts, cameras fixed and mobile,
incidents whose tell-tale vehicles are in the reads where and when the scenes say."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pyotp
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from alpr.data import schema
from alpr.data.demo import seed_demo_data
from alpr.data.demo.scenario import Scene, distance_m
from alpr.data.engine import make_engine
from alpr.data.images import ImageStore
from alpr.data.models import (
    AccessRecord,
    Camera,
    CameraKind,
    HotListEntry,
    Incident,
    Plate,
    Read,
    ReadAlternative,
    ReleasePackage,
    User,
)
from alpr.governance.bootstrap import ensure_home_agency
from alpr.governance.demo import demo_codes, seed_demo
from alpr.governance.demo_history import seed_history
from alpr.governance.runtime import Runtime

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
N = 6000


def _reads(rt: Runtime) -> list[Read]:
    with rt.transaction() as session:
        return list(session.execute(select(Read).order_by(Read.captured_at, Read.id)).scalars())


def test_seed_is_exact_and_deterministic(rt: Runtime, tmp_path: Path) -> None:
    summary = seed_demo_data(rt.engine, image_store=rt.images, reads=N, seed=3, now=NOW)
    assert summary.reads == N
    reads = _reads(rt)
    assert len(reads) == N
    with rt.transaction() as session:
        kinds = Counter(session.execute(select(Camera.kind)).scalars())
        assert kinds[CameraKind.FIXED] >= 40 and kinds[CameraKind.MOBILE] == 3
        others = session.execute(select(ReadAlternative.read_plate, ReadAlternative.plate)).all()
        assert session.execute(select(func.count()).select_from(Plate)).scalar_one() == len(
            {r.plate for r in reads} | {plate for _, plate in others}
        )
        # Some reads keep a second reading; two reads of a listed plate are stored misread,
        # the listed plate their second reading.
        assert len(others) > N // 50
        listed = set(session.execute(select(HotListEntry.pattern)).scalars())
        assert len([1 for read_plate, plate in others if plate in listed]) >= 2
        assert (
            session.execute(
                select(func.count()).where(HotListEntry.is_partial.is_(True))
            ).scalar_one()
            >= 1
        )
        assert session.execute(select(func.count()).select_from(Incident)).scalar_one() == 4
    engine = make_engine(f"sqlite:///{tmp_path / 'again.sqlite3'}")
    schema.upgrade(engine)
    with Session(engine) as session, session.begin():
        ensure_home_agency(session, "Home PD")
    seed_demo_data(engine, image_store=ImageStore(tmp_path / "img"), reads=N, seed=3, now=NOW)
    with engine.connect() as conn:
        again = conn.execute(
            select(Read.plate, Read.captured_at).order_by(Read.captured_at, Read.id)
        ).all()
    assert [(r.plate, r.captured_at) for r in reads] == [tuple(row) for row in again]


def test_incident_scenes_hold_their_telltale_vehicles(rt: Runtime) -> None:
    summary = seed_demo_data(rt.engine, image_store=rt.images, reads=N, seed=7, now=NOW)
    reads = _reads(rt)

    def at_scene(scene: Scene) -> set[str]:
        return {
            r.plate
            for r in reads
            if scene.start <= r.captured_at <= scene.end
            and distance_m(r.lat, r.lon, scene.lat, scene.lon) <= scene.radius_m
        }

    assert summary.shooting.telltale_plate in at_scene(summary.shooting.scene)
    assert summary.shooting.convoy_plate in at_scene(summary.shooting.scene)
    everywhere = set.intersection(*(at_scene(s) for s in summary.burglaries.scenes))
    assert everywhere == {summary.burglaries.telltale_plate}
    mobile = [r for r in reads if r.is_mobile]
    assert mobile and len({(round(r.lat, 4), round(r.lon, 4)) for r in mobile}) > len(mobile) // 2
    recent = [r for r in reads if (NOW - r.captured_at).total_seconds() < 20 * 3600]
    assert recent and all(r.crop_sha256 and rt.images.get(r.crop_sha256) for r in recent)
    assert sum(r.retained for r in reads) == summary.hit_reads


def test_a_day_of_work_fills_the_oversight_pages_through_the_real_services(rt: Runtime) -> None:
    """`alpr demo seed --history` (as `scripts/run.sh` seeds): each demo account's day is done
    through the services the pages use, so it is in the access log as real use would be, and
    the request it files is approved and produced."""
    result = seed_demo(rt, reads=3000)
    seed_history(rt, summary=result.summary)
    with rt.transaction() as session:
        acts = Counter(
            (r.username, r.event, r.outcome)
            for r in session.execute(
                select(AccessRecord).where(AccessRecord.username != "system")
            ).scalars()
        )
        package = session.execute(select(ReleasePackage)).scalar_one()
    assert acts[("detective", "search", "allowed")] == 2
    assert acts[("officer", "view_read", "allowed")] >= 1
    assert acts[("officer", "alert_review", "success")] == 1
    assert acts[("clerk", "release", "success")] == 1  # filed
    assert acts[("commander", "release", "success")] == 1  # approved
    assert acts[("clerk", "release", "allowed")] == 1  # produced
    assert acts[("admin", "purge", "success")] == 1  # a preview
    assert acts[("admin", "audit", "success")] == 1  # the plan
    assert acts[("sergeant", "audit", "success")] == 1  # the week's audit, to sign off
    assert Path(package.path).is_dir() and package.reads


def test_the_demo_codes_are_those_of_the_accounts_seeded(rt: Runtime) -> None:
    """`alpr demo codes` gives each demo account's current code, which its stored second factor
    accepts; an account whose second factor was reset enrols anew, so it gets none."""
    seed_demo(rt, reads=1000)
    codes = demo_codes(rt)
    with rt.transaction() as session:
        secrets = {u.username: u.totp_secret for u in session.execute(select(User)).scalars()}
        session.execute(update(User).where(User.username == "officer").values(totp_secret=None))
    assert set(codes) == {"detective", "officer", "sergeant", "clerk", "commander", "admin"}
    assert all(pyotp.TOTP(secrets[name]).verify(code) for name, code in codes.items())
    assert set(demo_codes(rt)) == set(codes) - {"officer"}
