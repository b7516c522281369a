"""What a detective does with a read found by a search: open it with its images, correct a
misread (R53). Each is an access under the justification of the search that produced it,
recorded in the access log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alpr.data.models import AccessRecord, Plate, Read, ReadCorrection, Search
from alpr.governance.access_log import Event, Outcome
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import Answer, Request, governed
from alpr.governance.investigations.queries import ReadRow, read_by_id
from alpr.governance.justification import Justification
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from alpr.plates import PlateError, confusion_key, require_plate


@dataclass(frozen=True)
class ReadDetail:
    read: ReadRow
    crop_jpeg: bytes | None
    frame_jpeg: bytes | None
    raw_text: str | None
    alternatives: list[Any] | None
    corrections: list[tuple[str, str, datetime]]


def covering_justification(
    rt: Runtime, principal: Principal, *, search_id: int, read_ids: Sequence[int]
) -> Justification:
    """The justification of one of the principal's own allowed searches, which must have
    found the reads: a search cannot be used to open reads it did not return. (When a search
    returned more reads than the access log keeps ids for, the reads beyond are not
    checked.)"""
    with rt.transaction() as session:
        search = session.get(Search, search_id)
        if search is None or search.user_id != principal.user_id or search.purpose is None:
            raise Refusal(
                RefusalKind.JUSTIFICATION,
                "Open reads from one of your own justified searches.",
            )
        if search.refused_reason:
            raise Refusal(RefusalKind.JUSTIFICATION, "That search was refused.")
        found = session.execute(
            select(AccessRecord.result_ids, AccessRecord.result_count).where(
                AccessRecord.search_id == search_id,
                AccessRecord.event == Event.SEARCH.value,
                AccessRecord.outcome == Outcome.ALLOWED.value,
            )
        ).first()
        ids, count = (found[0] or [], found[1] or 0) if found else ([], 0)
        if len(ids) >= count and not set(read_ids) <= set(ids):
            raise Refusal(
                RefusalKind.JUSTIFICATION,
                f"Search #{search_id} did not find these reads; run a search that does.",
            )
        return Justification(search.purpose, search.case_number, search.description, search.exigent)


def read_detail(rt: Runtime, *, principal: Principal, search_id: int, read_id: int) -> ReadDetail:
    """One read with its plate crop and full frame, from a search of the same person."""
    justification = covering_justification(rt, principal, search_id=search_id, read_ids=[read_id])

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
        detail = ReadDetail(
            read=row,
            crop_jpeg=rt.images.get(row.crop_sha256) if row.crop_sha256 else None,
            frame_jpeg=rt.images.get(row.image_sha256) if row.image_sha256 else None,
            raw_text=read.plate_raw,
            alternatives=read.alternatives,
            corrections=corrections,
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
    justification = covering_justification(rt, principal, search_id=search_id, read_ids=[read_id])

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
