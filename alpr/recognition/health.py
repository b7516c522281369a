"""Camera health: heartbeats with frames per second, the frames and reads the worker counted,
and the last error; a camera that stops sending is marked down (and shown so on the cameras
page). The reads of the last hour are counted from the reads themselves, for every camera
(``governance.cameras.list_cameras``)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import Engine, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from alpr.data.models import Camera, CameraHeartbeat, CameraStatus

LOG = logging.getLogger("alpr.worker")
HEARTBEAT_S = 30.0  # how often the worker reports each camera's health
SILENT_AFTER_S = 120  # a camera not heard from for this long is down
NO_HEARTBEAT = "no heartbeat"  # the cause given for a camera down by its silence


def status_now(
    status: CameraStatus, last_heartbeat_at: datetime | None, *, now: datetime, streamed: bool
) -> CameraStatus:
    """A camera's status as it stands at ``now``: down when it was up at its last report but
    has been silent for ``SILENT_AFTER_S`` since. The worker marks such cameras down itself;
    when the worker is not running nobody does, and the last "up" must not be shown as if it
    still held. A camera with no stream for the worker (one whose reads are imported) is not
    watched, so its status is unknown rather than down for a silence nobody could break."""
    if not streamed:
        return CameraStatus.UNKNOWN
    silent = last_heartbeat_at is None or now - last_heartbeat_at > timedelta(
        seconds=SILENT_AFTER_S
    )
    return CameraStatus.DOWN if status is CameraStatus.UP and silent else status


def heartbeat(
    engine: Engine,
    *,
    camera_id: int,
    now: datetime,
    status: CameraStatus,
    fps: float | None,
    frames: int,
    reads: int,
    error: str | None,
) -> None:
    """Record one health sample; a database outage only costs the sample."""
    try:
        with Session(engine) as session, session.begin():
            session.execute(
                update(Camera)
                .where(Camera.id == camera_id)
                .values(
                    status=status,
                    last_heartbeat_at=now,
                    frames_per_second=fps,
                    last_error=error,
                )
            )
            session.add(
                CameraHeartbeat(
                    camera_id=camera_id,
                    at=now,
                    status=status,
                    frames_per_second=fps,
                    frames=frames,
                    reads=reads,
                    error=error,
                )
            )
    except SQLAlchemyError as exc:
        LOG.warning("camera %s heartbeat not recorded: %s", camera_id, type(exc).__name__)


def mark_silent_cameras_down(engine: Engine, *, now: datetime) -> int:
    """Mark down the enabled cameras streamed to the worker that were up at their last report
    but silent since ``SILENT_AFTER_S``; returns how many."""
    with Session(engine) as session, session.begin():
        result = session.execute(
            update(Camera)
            .where(
                Camera.enabled.is_(True),
                Camera.source_url.is_not(None),
                Camera.status == CameraStatus.UP,
                Camera.last_heartbeat_at < now - timedelta(seconds=SILENT_AFTER_S),
            )
            .values(status=CameraStatus.DOWN, last_error=NO_HEARTBEAT)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
