"""What a detective does with a result: open a read with its images, correct a misread
(R53), export the result (CSV, printable PDF). Each is an access under the justification
of the search that produced it, recorded in the access log."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fpdf import FPDF
from sqlalchemy import select
from sqlalchemy.orm import Session

from alpr.data.models import Incident, Plate, Read, ReadCorrection, Search
from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import Answer, Request, governed
from alpr.governance.investigations.queries import ReadRow, reads_of_plates
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


@dataclass(frozen=True)
class IncidentEntry:
    id: int
    case_number: str
    title: str
    kind: str
    lat: float
    lon: float
    occurred_at: datetime


def _search_justification(rt: Runtime, principal: Principal, search_id: int) -> Justification:
    with rt.transaction() as session:
        search = session.get(Search, search_id)
        if search is None or search.user_id != principal.user_id or search.purpose is None:
            raise Refusal(
                RefusalKind.JUSTIFICATION,
                "Open reads from one of your own justified searches.",
            )
        if search.refused_reason:
            raise Refusal(RefusalKind.JUSTIFICATION, "That search was refused.")
        return Justification(search.purpose, search.case_number, search.description, search.exigent)


def _read_by_id(session: Session, read_id: int) -> ReadRow:
    plate = session.execute(select(Read.plate).where(Read.id == read_id)).scalar_one_or_none()
    if plate is None:
        raise InvalidInput(f"no read {read_id}")
    rows = reads_of_plates(session, [plate], start=None, end=None)
    return next(r for r in rows if r.id == read_id)


def read_detail(rt: Runtime, *, principal: Principal, search_id: int, read_id: int) -> ReadDetail:
    """One read with its plate crop and full frame, from a search of the same person."""
    justification = _search_justification(rt, principal, search_id)

    def run(session: Session) -> Answer[ReadDetail]:
        row = _read_by_id(session, read_id)
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
    justification = _search_justification(rt, principal, search_id)

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
            session.add(
                Plate(
                    plate=plate,
                    confusion_key=confusion_key(plate),
                    first_seen=read.captured_at,
                    last_seen=read.captured_at,
                )
            )
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


_CSV_FIELDS = (
    "read_id",
    "plate",
    "corrected_plate",
    "captured_at_utc",
    "camera",
    "lat",
    "lon",
    "distance_m",
    "confidence",
)


def _csv(rows: list[ReadRow]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_CSV_FIELDS)
    for r in rows:
        writer.writerow(
            [
                r.id,
                r.plate,
                r.corrected_plate or "",
                r.captured_at.isoformat(),
                r.camera_name,
                f"{r.lat:.6f}",
                f"{r.lon:.6f}",
                "" if r.distance_m is None else r.distance_m,
                f"{r.confidence:.3f}",
            ]
        )
    return buffer.getvalue().encode()


def _pdf(
    rows: list[ReadRow], *, search: Search, title: str, tz_name: str, map_png: bytes | None
) -> bytes:
    pdf = FPDF(orientation="L", format="Letter")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    lines = [
        f"Search #{search.id} run {search.created_at:%Y-%m-%d %H:%M} UTC ({search.kind})",
        f"Purpose: {search.purpose.value if search.purpose else ''}   Case: "
        f"{search.case_number or '-'}   Exigent: {'yes' if search.exigent else 'no'}",
        f"Description: {search.description or '-'}",
        f"Query: {search.params}",
        f"Reads: {len(rows)}   Times in UTC; agency zone {tz_name}.",
        "LAW ENFORCEMENT SENSITIVE - ALPR data (Civil Code 1798.90.5). Not for public release.",
    ]
    for line in lines:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    if map_png:
        pdf.image(io.BytesIO(map_png), w=120)
    pdf.ln(2)
    widths = (18, 24, 24, 48, 70, 24, 24, 20, 18)
    pdf.set_font("Helvetica", "B", 8)
    for width, name in zip(widths, _CSV_FIELDS, strict=True):
        pdf.cell(width, 6, name, border=1)
    pdf.ln()
    pdf.set_font("Helvetica", size=8)
    for r in rows:
        values = (
            str(r.id),
            r.plate,
            r.corrected_plate or "",
            f"{r.captured_at:%Y-%m-%d %H:%M:%S}",
            r.camera_name[:40],
            f"{r.lat:.5f}",
            f"{r.lon:.5f}",
            "" if r.distance_m is None else f"{r.distance_m:.0f}",
            f"{r.confidence:.2f}",
        )
        for width, value in zip(widths, values, strict=True):
            pdf.cell(width, 5, value, border=1)
        pdf.ln()
    return bytes(pdf.output())


def export_reads(
    rt: Runtime,
    *,
    principal: Principal,
    search_id: int,
    rows: list[ReadRow],
    fmt: str,
    map_png: bytes | None = None,
) -> bytes:
    """A result set as CSV or a printable PDF report, audited as an export."""
    if fmt not in ("csv", "pdf"):
        raise InvalidInput("export as csv or pdf")
    justification = _search_justification(rt, principal, search_id)

    def run(session: Session) -> Answer[bytes]:
        search = session.get(Search, search_id)
        assert search is not None
        if fmt == "csv":
            data = _csv(rows)
        else:
            data = _pdf(
                rows,
                search=search,
                title="ALPR search report",
                map_png=map_png,
                tz_name=rt.settings.timezone,
            )
        return Answer(data, read_ids=[r.id for r in rows], plates=sorted({r.plate for r in rows}))

    return governed(
        rt,
        Request(
            principal=principal,
            permission=Permission.EXPORT_READS,
            kind="export",
            params={"format": fmt, "rows": len(rows)},
            justification=justification,
            event=Event.EXPORT,
            search_id=search_id,
            detail=f"{fmt} export of search {search_id}",
        ),
        run,
    ).result


def list_incidents(rt: Runtime, *, principal: Principal) -> list[IncidentEntry]:
    """Incidents to start a canvass from (no ALPR data: case, place and time only)."""
    if not principal.can(Permission.SEARCH_READS):
        raise Refusal(RefusalKind.PERMISSION, "Incidents are listed for investigators.")
    with rt.transaction() as session:
        return [
            IncidentEntry(i.id, i.case_number, i.title, i.kind, i.lat, i.lon, i.occurred_at)
            for i in session.execute(
                select(Incident).order_by(Incident.occurred_at.desc())
            ).scalars()
        ]
