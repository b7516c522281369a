"""Hand-built cameras and reads whose answers are known, for both databases, and what the
access log says of a person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select

from alpr.data.dialect import ensure_partitions, month_start
from alpr.data.models import AccessRecord, Camera, CameraKind, Plate, Read
from alpr.governance.runtime import Runtime
from alpr.plates import confusion_key
from alpr.vehicles import VehicleColour, VehicleType


class World:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.cameras: dict[str, int] = {}

    def camera(
        self,
        name: str,
        lat: float | None,
        lon: float | None,
        *,
        mobile: bool = False,
        place: str | None = None,
        source: str | None = None,
    ) -> int:
        with self.rt.transaction() as session:
            camera = Camera(
                name=name,
                kind=CameraKind.MOBILE if mobile else CameraKind.FIXED,
                lat=lat,
                lon=lon,
                location_name=place,
                source_url=source,
            )
            session.add(camera)
            session.flush()
            self.cameras[name] = camera.id
            return camera.id

    def read(
        self,
        plate: str,
        camera: str,
        at: datetime,
        lat: float,
        lon: float,
        *,
        confidence: float = 0.95,
        mobile: bool = False,
        retained: bool = False,
        vehicle: tuple[VehicleColour, VehicleType] | None = None,
    ) -> int:
        with self.rt.engine.begin() as conn:
            ensure_partitions(conn, [month_start(at.date())])
            read_id = conn.execute(
                insert(Read).returning(Read.id),
                {
                    "captured_at": at,
                    "camera_id": self.cameras[camera],
                    "plate": plate,
                    "confidence": confidence,
                    "lat": lat,
                    "lon": lon,
                    "is_mobile": mobile,
                    "retained": retained,
                    **(
                        {"vehicle_colour": int(vehicle[0]), "vehicle_type": int(vehicle[1])}
                        if vehicle
                        else {}
                    ),
                },
            ).scalar_one()
        with self.rt.transaction() as session:
            if session.get(Plate, plate) is None:
                session.add(Plate(plate=plate, confusion_key=confusion_key(plate)))
        return int(read_id)


def access_details(rt: Runtime, username: str) -> list[tuple[str, str, str]]:
    """(event, outcome, detail) of every access record naming ``username``, oldest first."""
    with rt.transaction() as session:
        return [
            (r.event, r.outcome, r.detail or "")
            for r in session.execute(
                select(AccessRecord)
                .where(AccessRecord.username == username)
                .order_by(AccessRecord.id)
            ).scalars()
        ]
