"""A camera's stream is registered, changed or removed by the ALPR Administrator alone (R04),
in the access log with its credentials removed, and the plate-reading service follows the
registry while it runs: a stream registered later is watched, one changed is reconnected, one
removed stops."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from alpr.data.models import Camera
from alpr.governance.cameras import list_cameras, set_camera_source
from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.runtime import Runtime
from tests.conftest import SignedCli, TestUser
from tests.integration.builders import World, access_details

SECRET_URL = "rtsp://cam:s3cret@10.20.0.31:554/stream1"


def _source(rt: Runtime, name: str) -> str | None:
    with rt.transaction() as session:
        return session.execute(select(Camera.source_url).where(Camera.name == name)).scalar_one()


def test_the_administrator_registers_changes_and_removes_a_stream(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    admin = make_user("okafor", "administrator")
    World(rt).camera("DC-001", 37.7, -122.4)
    set_camera_source(rt, actor=admin.principal, name="DC-001", source_url=f" {SECRET_URL} ")
    assert _source(rt, "DC-001") == SECRET_URL
    [shown] = list_cameras(rt, principal=admin.principal)
    assert shown.source is not None and "s3cret" not in shown.source
    set_camera_source(rt, actor=admin.principal, name="DC-001", source_url=None)
    assert _source(rt, "DC-001") is None
    logged = [d for _, o, d in access_details(rt, "okafor") if "stream" in d]
    assert len(logged) == 2 and not any("s3cret" in d for d in logged)
    assert logged[-1] == "camera DC-001: stream removed, not watched"


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://10.20.0.31/stream", "rtsp://"),
        ("/etc/passwd", "rtsp://"),
        ("rtsp://10.20.0.31/x", "no camera named 'DC-404'"),
    ],
)
def test_a_stream_that_is_no_stream_or_a_camera_that_is_none_is_bad_input(
    rt: Runtime, make_user: Callable[..., TestUser], url: str, why: str
) -> None:
    admin = make_user("okafor", "administrator")
    World(rt).camera("DC-001", 37.7, -122.4)
    name = "DC-404" if "no camera" in why else "DC-001"
    with pytest.raises(InvalidInput, match=why):
        set_camera_source(rt, actor=admin.principal, name=name, source_url=url)
    assert _source(rt, "DC-001") is None


def test_only_the_administrator_registers_a_stream(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R04: a sergeant or a detective cannot point a camera at a stream of their choosing."""
    World(rt).camera("DC-001", 37.7, -122.4)
    for role in ("sergeant", "investigator", "command"):
        user = make_user(f"u_{role}", role)
        with pytest.raises(Refusal):
            set_camera_source(rt, actor=user.principal, name="DC-001", source_url=SECRET_URL)
    assert _source(rt, "DC-001") is None


def test_the_command_line_registers_and_removes_a_stream(
    rt: Runtime, make_user: Callable[..., TestUser], signed_cli: SignedCli
) -> None:
    admin = make_user("okafor", "administrator")
    World(rt).camera("DC-001", 37.7, -122.4)
    run = signed_cli({"okafor": admin})
    code, said = run("cameras", "stream", "DC-001", SECRET_URL, as_user="okafor")
    assert code == 0, said
    assert "s3cret" not in said and _source(rt, "DC-001") == SECRET_URL
    code, said = run("cameras", "stream", "DC-001", as_user="okafor")
    assert code == 2 and "--remove" in said
    code, said = run("cameras", "stream", "DC-001", "--remove", as_user="okafor")
    assert code == 0 and _source(rt, "DC-001") is None


def test_the_service_follows_the_registry_while_it_runs(
    rt: Runtime, make_user: Callable[..., TestUser], tmp_path: Path
) -> None:
    """A camera given a stream after the service started is watched at the next sync, its
    thread reconnects when the stream changes, and stops when the stream is removed."""
    from alpr.recognition.worker import CameraThreads

    if not os.environ.get("ALPR_MODEL_DIR"):
        pytest.skip("the plate models are needed to watch a camera (ALPR_MODEL_DIR)")
    admin = make_user("okafor", "administrator")
    camera_id = World(rt).camera("DC-001", 37.7, -122.4)
    settings = rt.settings.model_copy(update={"model_dir": Path(os.environ["ALPR_MODEL_DIR"])})
    threads = CameraThreads(engine=rt.engine, settings=settings)
    try:
        threads.sync()
        assert threads.watching == {}
        first, second = tmp_path / "first", tmp_path / "second"
        first.mkdir()
        second.mkdir()
        with rt.transaction() as session:  # a snapshot folder, as `cameras add --source` takes
            session.get_one(Camera, camera_id).source_url = str(first)
        threads.sync()
        watching = threads.watching[camera_id]
        assert watching.thread.is_alive() and watching.source == str(first)
        with rt.transaction() as session:
            session.get_one(Camera, camera_id).source_url = str(second)
        threads.sync()
        assert not watching.thread.is_alive()
        assert threads.watching[camera_id].source == str(second)
        set_camera_source(rt, actor=admin.principal, name="DC-001", source_url=None)
        before = threads.watching[camera_id].thread
        threads.sync()
        time.sleep(0.1)
        assert threads.watching == {} and not before.is_alive()
    finally:
        threads.join()


def test_the_frame_rate_given_to_the_service_reaches_every_camera(
    cli_database: Runtime, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`alpr worker run --rate N` caps the frames each watched camera analyses (it was taken
    only with --source, and every camera ran at 5 a second whatever was given); a rate of 0 or
    below, which would analyse every frame, is bad input and starts nothing."""
    from typer.testing import CliRunner

    from alpr.cli import app
    from alpr.commands import recognition as command
    from alpr.recognition import worker

    camera_id = World(cli_database).camera("DC-001", 37.7, -122.4)
    with cli_database.transaction() as session:
        session.get_one(Camera, camera_id).source_url = str(tmp_path)
    rates: list[float] = []
    monkeypatch.setattr(worker, "Recognizer", SimpleNamespace(from_dir=lambda *_, **__: None))
    monkeypatch.setattr(
        worker, "VehicleDescriber", SimpleNamespace(if_available=lambda *_, **__: None)
    )
    monkeypatch.setattr(worker, "run_forever", lambda camera, *_: rates.append(camera.rate_fps))
    stopped = threading.Event()
    stopped.set()  # the service stops at its first heartbeat, once every camera has started
    monkeypatch.setattr(command, "_stop_on_signals", lambda: stopped)
    result = CliRunner().invoke(app, ["worker", "run", "--rate", "2"])
    assert result.exit_code == 0, result.output
    assert rates == [2.0]
    for rate in ("0", "-1"):
        result = CliRunner().invoke(app, ["worker", "run", "--rate", rate])
        assert result.exit_code == 2 and "--rate" in result.stderr
    assert rates == [2.0]
