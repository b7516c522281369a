"""Cameras as people see and manage them: registering a camera is an administered act (in the
access log), and the camera list never shows stream credentials."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from alpr.data.models import Camera, CameraKind, CameraStatus
from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput
from alpr.governance.gateway import Act, Actor, Done, administered
from alpr.governance.investigations.geo import check_point
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from alpr.recognition.sources import redact_url


def in_service(*, enabled: bool, status: CameraStatus) -> bool:
    """The one rule for a camera in service, on the Cameras page and the public page alike:
    enabled, and up at its last health report."""
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
    frames_per_second: float | None
    reads_last_hour: int | None
    last_error: str | None
    source: str | None

    @property
    def in_service(self) -> bool:
        return in_service(enabled=self.enabled, status=CameraStatus(self.status))


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


def list_cameras(rt: Runtime, *, principal: Principal) -> list[CameraView]:
    def run(session: Session, _who: Actor) -> Done[list[CameraView]]:
        return Done(
            [
                CameraView(
                    c.id,
                    c.name,
                    c.kind.value,
                    c.location_name,
                    c.lat,
                    c.lon,
                    c.enabled,
                    c.status.value,
                    c.last_heartbeat_at,
                    c.frames_per_second,
                    c.reads_last_hour,
                    c.last_error,
                    redact_url(c.source_url) if c.source_url else None,
                )
                for c in session.execute(select(Camera).order_by(Camera.name)).scalars()
            ]
        )

    return administered(
        rt, Act(principal, Permission.VIEW_CAMERAS, Event.SYSTEM, "camera list", view=True), run
    )
