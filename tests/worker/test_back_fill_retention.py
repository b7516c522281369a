"""R30, R31, R48: a back-fill's snapshots follow the retention of their reads. Real models,
real dev photos, the ``alpr`` command in a subprocess: the worker reads a folder that is no
camera's source, and the daily purge then removes the snapshots it kept in done/ with the
images of their time, except those of a held read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from alpr.data.models import Read
from alpr.governance.retention.holds import place_hold
from alpr.governance.retention.purge import purge
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser
from tests.worker.conftest import alpr_cli
from tests.worker.test_worker_crashes import CAMERA, reads_of, snapshots

pytestmark = pytest.mark.models


def test_a_back_fill_s_snapshots_go_with_the_images_of_their_time_but_a_held_read_s_stay(
    rt: Runtime, env: dict[str, str], tmp_path: Path, make_user: Callable[..., TestUser]
) -> None:
    """The purge knew only the cameras' watched folders: a back-fill (`alpr worker run
    --source FOLDER --once`) kept its photos in FOLDER/done for ever, outside retention, holds
    and the access log. The worker now remembers the folder and the purge removes them; the
    snapshot a held read was read from stays."""
    folder = tmp_path / "sd-card"
    taken = rt.now() - timedelta(days=400)
    dropped = snapshots(folder, 3, first=taken.timestamp())
    result = alpr_cli(
        "worker", "run", "--source", str(folder), "--camera", CAMERA, "--once", env=env
    )
    assert result.returncode == 0, result.stderr
    done = folder / "done"
    assert sorted(p.name for p in done.glob("*.jpg")) == [p.name for p in dropped]
    reads = reads_of(rt.engine, CAMERA)
    assert len(reads) >= 2  # a photo may show no readable plate
    first_at, _ = reads[0]
    with rt.transaction() as session:
        first = session.execute(select(Read.id).order_by(Read.captured_at).limit(1)).scalar_one()
    hold = {"case_number": "26-04711", "reason": "Evidence in the Geneva Ave homicide"}
    place_hold(
        rt, principal=make_user("rivera", "investigator").principal, read_ids=[first], **hold
    )
    report = purge(rt, as_of=rt.now())
    assert report.counts["snapshots"] == 2
    [kept] = done.glob("*.jpg")
    assert abs(kept.stat().st_mtime - first_at.timestamp()) < 1  # the one it was read from
    assert reads_of(rt.engine, CAMERA) == [reads[0]]
