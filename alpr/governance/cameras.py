"""Cameras as people see and manage them: registering a camera is an administered act (in the
access log), and the camera list never shows stream credentials."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alpr.data.models import Camera, CameraKind, CameraStatus, Read
from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput
from alpr.governance.gateway import Act, Actor, Done, administered
from alpr.governance.investigations.geo import check_point
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from alpr.recognition.health import NO_HEARTBEAT, SILENT_AFTER_S, status_now
from alpr.recognition.sources import is_stream, redact_url


def in_service(*, enabled: bool, status: CameraStatus) -> bool:
    """The one rule for a camera in service on the Cameras page: enabled, and up as its health
    stands now (``health.status_now``). The public page counts the cameras deployed instead
    (``oversight.usage.PublicFigures``): a camera whose reads are imported is never watched
    live, so "in service this minute" would say nothing true of it to the public."""
    return enabled and status is CameraStatus.UP


@dataclass(frozen=True)
class CameraView:
    id: int
    name: str
    kind: str
    location: str | None
    lat: float | None
    lon: float | None
    enabled: bool
    status: str
    last_heartbeat_at: datetime | None
    # Measured by the plate-reading service: None for a camera it does not watch (its reads
    # are imported) or that is not reporting.
    frames_per_second: float | None
    # Counted from the reads stored, whoever sent them: every camera has a number.
    reads_last_hour: int
    last_error: str | None
    source: str | None

    @property
    def in_service(self) -> bool:
        return in_service(enabled=self.enabled, status=CameraStatus(self.status))


@dataclass(frozen=True)
class Silence:
    """No enabled camera has reported for ``SILENT_AFTER_S``: the recognition worker is not
    running, or cannot reach the database. ``since`` is the last report of any camera (None
    if none ever reported)."""

    since: datetime | None


def worker_silence(cameras: Sequence[CameraView], *, now: datetime) -> Silence | None:
    """The silence of every enabled camera the worker streams, or None while one of them
    reports (or none has a stream)."""
    enabled = [c for c in cameras if c.enabled and c.source]
    heard = [c.last_heartbeat_at for c in enabled if c.last_heartbeat_at is not None]
    last = max(heard, default=None)
    if not enabled or (last is not None and (now - last).total_seconds() <= SILENT_AFTER_S):
        return None
    return Silence(last)


def add_camera(
    rt: Runtime,
    *,
    actor: Principal | None,
    name: str,
    lat: float | None,
    lon: float | None,
    heading: int | None = None,
    mobile: bool = False,
    source_url: str | None = None,
    location_name: str | None = None,
) -> int:
    if not name.strip():
        raise InvalidInput("name the camera")
    if not mobile:
        if lat is None or lon is None:
            raise InvalidInput("a fixed camera needs --lat and --lon")
        check_point(lat, lon)
    if heading is not None and not 0 <= heading < 360:
        raise InvalidInput("--heading is in degrees, 0 to 359")

    def run(session: Session, _who: Actor) -> Done[int]:
        if session.execute(select(Camera.id).where(Camera.name == name)).first():
            raise InvalidInput(f"a camera named {name!r} exists already")
        camera = Camera(
            name=name.strip(),
            kind=CameraKind.MOBILE if mobile else CameraKind.FIXED,
            location_name=location_name,
            lat=None if mobile else lat,
            lon=None if mobile else lon,
            heading=heading,
            source_url=source_url,
            enabled=True,
            status=CameraStatus.UNKNOWN,
            created_at=rt.now(),
        )
        session.add(camera)
        session.flush()
        return Done(
            camera.id,
            detail=f"camera {camera.name} registered"
            + (f" with source {redact_url(source_url)}" if source_url else ""),
        )

    return administered(
        rt, Act(actor, Permission.MANAGE_CAMERAS, Event.SYSTEM, f"register camera {name}"), run
    )


def set_camera_source(
    rt: Runtime, *, actor: Principal | None, name: str, source_url: str | None
) -> None:
    """Register the video stream the plate-reading service watches for camera ``name`` (an
    RTSP or HTTP(S) MJPEG URL; credentials in it are never shown or logged), or with None stop
    watching it (its reads then arrive by import only). The running service takes the change
    at its next heartbeat."""
    url = (source_url or "").strip() or None
    if url is not None and not is_stream(url):
        raise InvalidInput(
            "a camera's stream is an rtsp://, rtsps://, http:// or https:// address, e.g. "
            "rtsp://10.20.0.31:554/stream1"
        )

    def run(session: Session, _who: Actor) -> Done[None]:
        camera = session.execute(select(Camera).where(Camera.name == name)).scalar_one_or_none()
        if camera is None:
            raise InvalidInput(f"no camera named {name!r}")
        camera.source_url = url
        if url is None:
            camera.status = CameraStatus.UNKNOWN
        return Done(
            None,
            detail=f"camera {camera.name}: "
            + (f"stream {redact_url(url)} registered" if url else "stream removed, not watched"),
        )

    administered(
        rt, Act(actor, Permission.MANAGE_CAMERAS, Event.SYSTEM, f"camera {name} stream"), run
    )


def list_cameras(rt: Runtime, *, principal: Principal) -> list[CameraView]:
    """Every camera with its health as it stands now: a camera up at its last report but
    silent since is down, with "no heartbeat" as its cause; one without a stream is not
    watched, its status unknown (``health.status_now``). The reads each camera took in the
    last hour are counted from the reads stored, so a camera whose reads are imported has
    its count too."""
    now = rt.now()

    def view(c: Camera, reads_last_hour: int) -> CameraView:
        status = status_now(
            c.status, c.last_heartbeat_at, now=now, streamed=c.source_url is not None
        )
        silent = status is CameraStatus.DOWN and c.status is not CameraStatus.DOWN
        unwatched = c.source_url is None
        return CameraView(
            c.id,
            c.name,
            c.kind.value,
            c.location_name,
            c.lat,
            c.lon,
            c.enabled,
            status.value,
            c.last_heartbeat_at,
            None if silent or unwatched else c.frames_per_second,
            reads_last_hour,
            NO_HEARTBEAT if silent else None if unwatched else c.last_error,
            redact_url(c.source_url) if c.source_url else None,
        )

    def run(session: Session, _who: Actor) -> Done[list[CameraView]]:
        # Grouped by camera from the cameras: on SQLite each camera's last hour is a range of
        # the (camera, time) index; on Postgres the planner takes the last hour's reads by the
        # time index of the current month's partitions.
        counted = dict(
            session.execute(
                select(Camera.id, func.count(Read.camera_id))
                .outerjoin(
                    Read,
                    (Read.camera_id == Camera.id) & (Read.captured_at >= now - timedelta(hours=1)),
                )
                .group_by(Camera.id)
            ).all()
        )
        return Done(
            [
                view(c, counted.get(c.id, 0))
                for c in session.execute(select(Camera).order_by(Camera.name)).scalars()
            ]
        )

    return administered(
        rt, Act(principal, Permission.VIEW_CAMERAS, Event.SYSTEM, "camera list", view=True), run
    )
