"""The Cameras page shows the camera network on a map, each camera by how it stands now."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from alpr.data.models import Camera, CameraStatus
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser
from tests.integration.builders import World


def test_the_map_colours_cameras_by_their_health_now(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    world = World(app_env)
    for name in ("up", "silent", "down"):
        world.camera(name, 37.7, -122.4, source=f"rtsp://127.0.0.1:8554/{name}")
    world.camera("imported", 37.7, -122.4)  # its reads arrive by import: not watched
    world.camera("Unit 21", None, None, mobile=True)
    now = datetime.now(UTC)  # the page's own clock
    with app_env.transaction() as session:
        for name, status, heard in (
            ("up", CameraStatus.UP, now),
            ("silent", CameraStatus.UP, now - timedelta(hours=3)),
            ("down", CameraStatus.DOWN, now),
            ("imported", CameraStatus.UP, now - timedelta(hours=3)),
        ):
            session.execute(
                update(Camera)
                .where(Camera.name == name)
                .values(status=status, last_heartbeat_at=heard)
            )
    at = app_as(make_user("chen", "patrol"), "app_pages/cameras.py")
    assert not at.exception
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    [layer] = [layer for layer in deck["layers"] if layer["id"] == "cameras"]
    shown = {d["name"]: d["status"] for d in layer["data"]}
    table = at.dataframe[0].value.set_index("Camera")  # the unit has no place on the map
    assert shown == {  # the map's tooltip says what the table says
        "up": "Up",
        "silent": "Down",
        "down": "Down",
        "imported": "No stream (not watched)",
    }
    assert shown == {name: table.loc[name, "Status"].split(":")[0] for name in shown}
    assert table.loc["silent", "Status"] == "Down: no heartbeat"  # with the cause reported


def test_without_any_stream_the_page_says_no_camera_is_watched(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """Cameras whose reads are imported are not watched: no alarm that they are down, no
    claim that none is down, and a word on why."""
    world = World(app_env)
    for name in ("DC-001", "DC-002"):
        world.camera(name, 37.7, -122.4)
    at = app_as(make_user("chen", "patrol"), "app_pages/cameras.py")
    assert not at.exception
    assert any("No camera has a video stream registered" in i.value for i in at.info)
    assert not at.error and not at.success and not at.warning
    statuses = set(at.dataframe[0].value["Status"])
    assert statuses == {"No stream (not watched)"}


def test_the_administrator_registers_a_cameras_stream_on_the_page(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R04: the page that said "an administrator registers its stream" lets the ALPR
    Administrator do it (the address, credentials and all, is typed as a secret and shown with
    them removed); patrol sees the state but no form."""
    world = World(app_env)
    world.camera("DC-001", 37.7, -122.4, place="Mission St & Geneva Ave")
    patrol = app_as(make_user("chen", "patrol"), "app_pages/cameras.py")
    assert not patrol.exception and not patrol.text_input
    at = app_as(make_user("okafor", "administrator"), "app_pages/cameras.py")
    assert any("registers its stream below" in i.value for i in at.info)
    at.selectbox[0].select("DC-001")
    at.text_input[0].input("ftp://10.20.0.31/stream")
    at.button[[b.label for b in at.button].index("Register the stream")].click().run()
    assert any("rtsp://" in e.value for e in at.error)
    at.text_input[0].input("rtsp://cam:s3cret@10.20.0.31:554/stream1")
    at.button[[b.label for b in at.button].index("Register the stream")].click().run()
    assert not at.exception and not at.error
    assert any("stream registered" in s.value for s in at.success)
    table = at.dataframe[0].value.set_index("Camera")
    assert "s3cret" not in table.loc["DC-001", "Stream"]
    assert table.loc["DC-001", "Stream"].endswith("10.20.0.31:554/stream1")
    with app_env.transaction() as session:
        stored = session.execute(select(Camera.source_url).where(Camera.name == "DC-001"))
        assert stored.scalar_one() == "rtsp://cam:s3cret@10.20.0.31:554/stream1"


def test_every_camera_shows_its_reads_of_the_last_hour_and_a_plain_dash_for_frames(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R52: a camera whose reads are imported shows the reads it stored in the last hour as a
    watched camera does, and a plain dash, explained below the table, for the frames per second
    only the plate-reading service measures; nothing says "not reported"."""
    world = World(app_env)
    world.camera("watched", 37.7, -122.4, source="rtsp://127.0.0.1:8554/watched")
    world.camera("imported", 37.7, -122.4)
    now = datetime.now(UTC)  # the page's own clock
    for minutes_ago in (2, 20, 90):
        world.read(
            f"7ABC{minutes_ago:03d}", "imported", now - timedelta(minutes=minutes_ago), 37.7, -122.4
        )
    with app_env.transaction() as session:
        session.execute(
            update(Camera)
            .where(Camera.name == "watched")
            .values(status=CameraStatus.UP, last_heartbeat_at=now, frames_per_second=9.46)
        )
    at = app_as(make_user("chen", "patrol"), "app_pages/cameras.py")
    assert not at.exception
    table = at.dataframe[0].value.set_index("Camera")
    assert table.loc["imported", "Reads/h"] == 2
    assert table.loc["watched", "Reads/h"] == 0
    assert (table.loc["imported", "Frames/s"], table.loc["watched", "Frames/s"]) == ("—", "9.5")
    assert "not reported" not in table.to_string()
    assert any("— for a camera it does not watch" in c.value for c in at.caption)
