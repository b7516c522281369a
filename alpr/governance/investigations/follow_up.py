"""What a detective does with a read found by a search: open it with its images, correct a
misread (R53). Each is an access under the justification of the search that produced it,
recorded in the access log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from alpr.data.models import (
    AccessRecord,
    Alert,
    Camera,
    HotList,
    HotListEntry,
    Plate,
    Read,
    ReadCorrection,
    ReadVehicleCorrection,
    Search,
)
from alpr.governance.access_log import Event, Outcome
from alpr.governance.alerts import latest_dispositions
from alpr.governance.camera_names import camera_label
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import Answer, JustifiedBy, Request, governed
from alpr.governance.investigations.descriptions import Description
from alpr.governance.investigations.queries import ReadRow, read_by_id
from alpr.governance.justification import Justification
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from alpr.plates import PlateError, PlatePattern, confusion_key, require_plate
from alpr.vehicles import VehicleColour, VehicleType


@dataclass(frozen=True)
class ReadDetail:
    read: ReadRow
    crop_jpeg: bytes | None
    frame_jpeg: bytes | None
    raw_text: str | None
    alternatives: list[Any] | None
    corrections: list[tuple[str, str, datetime]]
    vehicle_jpeg: bytes | None = None
    # (attribute, as the models gave it, corrected to, why, when), oldest first
    vehicle_corrections: list[tuple[str, str, str, str, datetime]] = field(default_factory=list)


def covering_justification(
    principal: Principal, *, search_id: int, read_ids: Sequence[int]
) -> JustifiedBy:
    """The justification of one of the principal's own allowed searches, which must have
    found the reads: a search cannot be used to open reads it did not return. The access
    record keeps every read a search returned, however many. Checked in the governed
    transaction, so that an attempt with another person's search, or on reads the search did
    not find, is in the access log too."""

    def check(session: Session) -> Justification:
        search = session.get(Search, search_id)
        if search is None or search.user_id != principal.user_id or search.purpose is None:
            raise Refusal(
                RefusalKind.JUSTIFICATION,
                "Only your own justified searches open, export or correct the reads they found.",
            )
        if search.refused_reason:
            raise Refusal(RefusalKind.JUSTIFICATION, "That search was refused.")
        found = session.execute(
            select(AccessRecord.result_ids).where(
                AccessRecord.search_id == search_id,
                AccessRecord.event == Event.SEARCH.value,
                AccessRecord.outcome == Outcome.ALLOWED.value,
            )
        ).scalar()
        if not set(read_ids) <= set(found or []):
            raise Refusal(
                RefusalKind.JUSTIFICATION,
                f"Search #{search_id} did not find these reads; run a search that does.",
            )
        return Justification(search.purpose, search.case_number, search.description, search.exigent)

    return check


def read_detail(rt: Runtime, *, principal: Principal, search_id: int, read_id: int) -> ReadDetail:
    """One read with its plate crop and full frame, from a search of the same person."""
    justification = covering_justification(principal, search_id=search_id, read_ids=[read_id])

    def run(session: Session) -> Answer[ReadDetail]:
        row = read_by_id(session, read_id)
        if row is None:
            raise InvalidInput(f"no read {read_id}")
        read = session.execute(select(Read).where(Read.id == read_id)).scalar_one()
        corrections = [
            (c.corrected_plate, c.reason, c.corrected_at)
            for c in session.execute(
                select(ReadCorrection).where(ReadCorrection.read_id == read_id)
            ).scalars()
        ]
        vehicle_corrections = [
            (
                c.attribute,
                _label(c.attribute, c.original),
                _label(c.attribute, c.corrected),
                c.reason,
                c.corrected_at,
            )
            for c in session.execute(
                select(ReadVehicleCorrection)
                .where(ReadVehicleCorrection.read_id == read_id)
                .order_by(ReadVehicleCorrection.corrected_at, ReadVehicleCorrection.id)
            ).scalars()
        ]
        detail = ReadDetail(
            read=row,
            crop_jpeg=rt.images.get(row.crop_sha256) if row.crop_sha256 else None,
            frame_jpeg=rt.images.get(row.image_sha256) if row.image_sha256 else None,
            raw_text=read.plate_raw,
            alternatives=read.alternatives,
            corrections=corrections,
            vehicle_jpeg=(
                rt.images.get(row.vehicle_crop_sha256) if row.vehicle_crop_sha256 else None
            ),
            vehicle_corrections=vehicle_corrections,
        )
        return Answer(detail, read_ids=[read_id], plates=[row.plate])

    return governed(
        rt,
        Request(
            principal=principal,
            permission=Permission.VIEW_READ,
            kind="read_detail",
            params={"read_id": read_id},
            justification=justification,
            event=Event.VIEW_READ,
            search_id=search_id,
        ),
        run,
    ).result


def correct_read(
    rt: Runtime,
    *,
    principal: Principal,
    search_id: int,
    read_id: int,
    corrected_plate: str,
    reason: str,
) -> None:
    """Flag a misread and record the correct plate (R53): the original read stays as it was;
    the correction, who made it and why are recorded, and searches find both plates."""
    try:
        plate = require_plate(corrected_plate)
    except PlateError as exc:
        raise InvalidInput(str(exc)) from None
    if len(reason.strip()) < 10:
        raise InvalidInput("say why the read is wrong (what the image shows)")
    justification = covering_justification(principal, search_id=search_id, read_ids=[read_id])

    def run(session: Session) -> Answer[None]:
        read = session.execute(select(Read).where(Read.id == read_id)).scalar_one_or_none()
        if read is None:
            raise InvalidInput(f"no read {read_id}")
        if read.plate == plate:
            raise InvalidInput("the corrected plate is the same as the read")
        session.add(
            ReadCorrection(
                read_id=read.id,
                read_captured_at=read.captured_at,
                original_plate=read.plate,
                corrected_plate=plate,
                reason=reason.strip(),
                corrected_by_id=principal.user_id,
                corrected_at=rt.now(),
            )
        )
        if session.get(Plate, plate) is None:
            session.add(Plate(plate=plate, confusion_key=confusion_key(plate)))
        return Answer(None, read_ids=[read_id], plates=[read.plate, plate])

    governed(
        rt,
        Request(
            principal=principal,
            permission=Permission.CORRECT_READS,
            kind="correct_read",
            params={"read_id": read_id, "corrected_plate": plate, "reason": reason.strip()},
            justification=justification,
            event=Event.VIEW_READ,
            search_id=search_id,
            detail=f"misread corrected to {plate}",
        ),
        run,
    )


def _label(attribute: str, code: int | None) -> str:
    if code is None:
        return "not described"
    kind = VehicleColour if attribute == "colour" else VehicleType
    return kind(code).label.replace("_", " ")


def correct_vehicle(
    rt: Runtime,
    *,
    principal: Principal,
    search_id: int,
    read_id: int,
    reason: str,
    colour: str | None = None,
    kind: str | None = None,
) -> None:
    """Correct a read's vehicle colour and/or body type as its image shows them (R53), the
    way a misread plate is corrected: the read keeps what the models said; each correction,
    who made it and why are recorded, and searches use the corrected description."""
    wanted = Description.parse(colour=colour, kind=kind)
    if wanted is None:
        raise InvalidInput("give the correct colour, body type or both")
    if len(reason.strip()) < 10:
        raise InvalidInput("say why the description is wrong (what the image shows)")
    justification = covering_justification(principal, search_id=search_id, read_ids=[read_id])
    changes = [
        (attribute, value)
        for attribute, value in (("colour", wanted.colour), ("type", wanted.type))
        if value is not None
    ]

    def run(session: Session) -> Answer[None]:
        row = read_by_id(session, read_id)  # the description as last corrected
        if row is None:
            raise InvalidInput(f"no read {read_id}")
        current = {"colour": row.vehicle_colour, "type": row.vehicle_type}
        if all(current[attribute] == value for attribute, value in changes):
            raise InvalidInput("the read is already described so")
        for attribute, value in changes:
            if current[attribute] == value:
                continue
            session.add(
                ReadVehicleCorrection(
                    read_id=row.id,
                    read_captured_at=row.captured_at,
                    attribute=attribute,
                    original=current[attribute],
                    corrected=int(value),
                    reason=reason.strip(),
                    corrected_by_id=principal.user_id,
                    corrected_at=rt.now(),
                )
            )
        return Answer(None, read_ids=[read_id], plates=[row.plate])

    words = " ".join(value.label.replace("_", " ") for _, value in changes)
    governed(
        rt,
        Request(
            principal=principal,
            permission=Permission.CORRECT_READS,
            kind="correct_vehicle",
            params={
                "read_id": read_id,
                **{attribute: value.label for attribute, value in changes},
                "reason": reason.strip(),
            },
            justification=justification,
            event=Event.VIEW_READ,
            search_id=search_id,
            detail=f"vehicle description corrected to {words}",
        ),
        run,
    )


def read_thumbnails(
    rt: Runtime,
    *,
    principal: Principal,
    search_id: int,
    read_ids: Sequence[int],
    vehicles: bool = False,
) -> dict[int, bytes]:
    """The stored plate crops (with ``vehicles``, the vehicle crops) of reads a search of the
    same person found, by read id (reads without one are left out): the thumbnails of a
    result table, one recorded view."""
    wanted = sorted(set(read_ids))
    if not wanted:
        return {}
    justification = covering_justification(principal, search_id=search_id, read_ids=wanted)
    column = Read.vehicle_crop_sha256 if vehicles else Read.crop_sha256

    def run(session: Session) -> Answer[dict[int, bytes]]:
        stored = session.execute(
            select(Read.id, column).where(Read.id.in_(wanted), column.is_not(None))
        ).all()
        crops = {read_id: rt.images.get(sha) for read_id, sha in stored if sha}
        shown = {read_id: jpeg for read_id, jpeg in crops.items() if jpeg}
        return Answer(shown, read_ids=sorted(shown))

    return governed(
        rt,
        Request(
            principal=principal,
            permission=Permission.VIEW_READ,
            kind="thumbnails",
            params={"reads": len(wanted)},
            justification=justification,
            event=Event.VIEW_READ,
            search_id=search_id,
            detail=(
                f"{'vehicle' if vehicles else 'plate'} crops of {len(wanted)} reads "
                f"of search {search_id}"
            ),
        ),
        run,
    ).result


@dataclass(frozen=True)
class WatchEntry:
    """A hot-list entry that matches the plate, current or not."""

    list_name: str
    pattern: str
    priority: str
    reason: str
    case_number: str | None
    vehicle: str
    entered_at: datetime
    expires_at: datetime | None
    active: bool


@dataclass(frozen=True)
class PlateAlert:
    id: int
    captured_at: datetime
    camera: str
    list_name: str
    priority: str
    is_retro: bool
    disposition: str | None
    place: str | None = None  # the camera's location, in words

    @property
    def where(self) -> str:
        """The camera as the result tables name it: its place, then its code."""
        return camera_label(self.camera, self.place)


@dataclass(frozen=True)
class PlateWatch:
    """What the agency's hot lists say of a plate: the entries that match it and the alerts
    its reads raised, newest first."""

    plate: str
    entries: list[WatchEntry]
    alerts: list[PlateAlert]


def _entry_matches(entry: HotListEntry, plate: str) -> bool:
    if entry.pattern == plate:
        return True
    pattern = PlatePattern.parse(entry.pattern)
    if pattern.matches(plate):
        return True
    return entry.match_confusions and pattern.confusion_pattern().matches(confusion_key(plate))


def plate_watch(rt: Runtime, *, principal: Principal, search_id: int) -> PlateWatch:
    """The hot-list entries and alerts of the plate a history search of the same person asked
    for, under that search's justification and recorded as a view of it."""
    justification = covering_justification(principal, search_id=search_id, read_ids=[])

    def run(session: Session) -> Answer[PlateWatch]:
        search = session.get(Search, search_id)
        if search is None or search.kind != "history":
            raise InvalidInput("open the hot-list record from a plate history search")
        plate = str(search.params["plate"])
        now = rt.now()
        candidates = session.execute(
            select(HotListEntry, HotList.name)
            .join(HotList, HotList.id == HotListEntry.hot_list_id)
            .where(
                or_(
                    HotListEntry.pattern == plate,
                    HotListEntry.is_partial.is_(True),
                    HotListEntry.match_confusions.is_(True),
                )
            )
        ).all()
        entries = [
            WatchEntry(
                list_name=name,
                pattern=entry.pattern,
                priority=entry.priority.value,
                reason=entry.reason,
                case_number=entry.case_number,
                vehicle=" ".join(
                    v for v in (entry.vehicle_color, entry.vehicle_make, entry.vehicle_model) if v
                ),
                entered_at=entry.created_at,
                expires_at=entry.expires_at,
                active=entry.removed_at is None
                and (entry.expires_at is None or entry.expires_at > now),
            )
            for entry, name in candidates
            if _entry_matches(entry, plate)
        ]
        entries.sort(key=lambda e: (not e.active, -e.entered_at.timestamp()))
        rows = session.execute(
            select(Alert, HotList.name, Camera.name, Camera.location_name)
            .join(HotList, HotList.id == Alert.hot_list_id)
            .join(Camera, Camera.id == Alert.camera_id)
            .where(Alert.plate == plate)
            .order_by(Alert.read_captured_at.desc(), Alert.id.desc())
        ).all()
        latest = latest_dispositions(session, [alert.id for alert, *_ in rows])
        alerts = [
            PlateAlert(
                id=alert.id,
                captured_at=alert.read_captured_at,
                camera=camera,
                list_name=list_name,
                priority=alert.priority.value,
                is_retro=alert.is_retro,
                disposition=latest.get(alert.id),
                place=place,
            )
            for alert, list_name, camera, place in rows
        ]
        return Answer(
            PlateWatch(plate, entries, alerts),
            read_ids=[alert.read_id for alert, *_ in rows],
            plates=[plate],
        )

    return governed(
        rt,
        Request(
            principal=principal,
            permission=Permission.VIEW_READ,
            kind="plate_watch",
            params={"search_id": search_id},
            justification=justification,
            event=Event.VIEW_READ,
            search_id=search_id,
            detail=f"hot-list entries and alerts of the plate of search {search_id}",
        ),
        run,
    ).result
