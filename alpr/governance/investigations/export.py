"""A search's result set as CSV (for analysis) or as a printable PDF report (case number,
justification, query, a map of the reads and the table), audited as an export under the
justification of the search that found the reads."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from fpdf import FPDF
from sqlalchemy.orm import Session

from alpr.data.models import Search
from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput
from alpr.governance.gateway import Answer, Request, governed
from alpr.governance.investigations.follow_up import covering_justification
from alpr.governance.investigations.queries import ReadRow
from alpr.governance.investigations.snapshot import map_png
from alpr.governance.investigations.wording import purpose_in_words, query_in_words
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime

CSV_FIELDS = (
    "read_id",
    "plate",
    "corrected_plate",
    "captured_at",
    "camera",
    "lat",
    "lon",
    "distance_m",
    "confidence",
    "matched_alternative",
    "alternative_score",
)
_PDF_COLUMNS = (
    ("read", 18),
    ("plate", 24),
    ("corrected", 24),
    ("time", 44),
    ("camera", 40),
    ("lat", 22),
    ("lon", 22),
    ("dist. m", 20),
    ("conf.", 18),
    ("alternative reading", 30),
)


def _header(search: Search, tz: Any) -> list[str]:
    """What the report is, in words: the search, why, for which case, what it asked."""
    return [
        f"Search #{search.id} run {search.created_at.astimezone(tz):%Y-%m-%d %H:%M %Z}",
        f"Purpose: {purpose_in_words(search.purpose)}   Case: {search.case_number or 'none'}"
        + ("   Exigent: life-safety emergency, reviewed afterwards" if search.exigent else ""),
        f"Description: {search.description or 'none'}",
        f"Query: {query_in_words(search.kind, search.params, tz)}",
    ]


def _csv(rows: Sequence[ReadRow], *, search: Search, tz: Any) -> bytes:
    """The reads with times in the agency's zone (ISO 8601 with the offset), after comment
    lines (``#``) that say what the search was."""
    buffer = io.StringIO()
    for line in [*_header(search, tz), f"Times in the agency's zone ({tz})."]:
        buffer.write(f"# {line}\n")
    writer = csv.writer(buffer)
    writer.writerow(CSV_FIELDS)
    for r in rows:
        writer.writerow(
            [
                r.id,
                r.plate,
                r.corrected_plate or "",
                r.captured_at.astimezone(tz).isoformat(),
                r.camera_name,
                f"{r.lat:.6f}",
                f"{r.lon:.6f}",
                "" if r.distance_m is None else r.distance_m,
                f"{r.confidence:.3f}",
                r.alternative or "",
                "" if r.alternative_score is None else f"{r.alternative_score:.3f}",
            ]
        )
    return buffer.getvalue().encode()


def _circle(search: Search) -> tuple[float, float, float] | None:
    """The searched circle of a radius canvass, drawn on the report's map."""
    params = search.params
    if (
        search.kind in ("canvass", "vehicle")
        and not params.get("polygon")
        and params.get("radius_m")
    ):
        return float(params["lat"]), float(params["lon"]), float(params["radius_m"])
    return None


def _places_in_words(search: Search) -> list[str]:
    """The addresses the search was made around, as the detective chose them."""
    params = search.params
    scenes = [params, *(params.get("scenes") or [])]
    return [
        f"Scene {'' if len(scenes) == 1 else f'{n} '}at: {scene['address']}"
        for n, scene in enumerate(scenes)
        if scene.get("address")
    ]


def _pdf(rows: Sequence[ReadRow], *, search: Search, tz: Any) -> bytes:
    pdf = FPDF(orientation="L", format="Letter")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 9, f"ALPR search report - case {search.case_number or '-'}")
    pdf.ln()
    pdf.set_font("Helvetica", size=9)
    lines = [
        *_header(search, tz),
        *_places_in_words(search),
        f"Reads: {len(rows)}   Times in the agency's zone ({tz}).",
        "LAW ENFORCEMENT SENSITIVE - ALPR data (Civil Code 1798.90.5). Not for public release.",
    ]
    for line in lines:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    if rows:
        snapshot = map_png(
            [(r.lat, r.lon) for r in rows],
            times=[r.captured_at for r in rows],
            circle=_circle(search),
        )
        pdf.image(io.BytesIO(snapshot), w=150)
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 8)
    for name, width in _PDF_COLUMNS:
        pdf.cell(width, 6, name, border=1)
    pdf.ln()
    pdf.set_font("Helvetica", size=8)
    for r in rows:
        values = (
            str(r.id),
            r.plate,
            r.corrected_plate or "",
            f"{r.captured_at.astimezone(tz):%Y-%m-%d %H:%M:%S}",
            r.camera_name[:26],
            f"{r.lat:.5f}",
            f"{r.lon:.5f}",
            "" if r.distance_m is None else f"{r.distance_m:.0f}",
            f"{r.confidence:.2f}",
            f"{r.alternative} ({r.alternative_score or 0:.2f})" if r.alternative else "",
        )
        for (_, width), value in zip(_PDF_COLUMNS, values, strict=True):
            pdf.cell(width, 5, value, border=1)
        pdf.ln()
    return bytes(pdf.output())


def export_reads(
    rt: Runtime,
    *,
    principal: Principal,
    search_id: int,
    rows: Sequence[ReadRow],
    fmt: str,
) -> bytes:
    """A result set of one's own search as CSV or a printable PDF report."""
    if fmt not in ("csv", "pdf"):
        raise InvalidInput("export as csv or pdf")
    justification = covering_justification(
        principal, search_id=search_id, read_ids=[r.id for r in rows]
    )

    def run(session: Session) -> Answer[bytes]:
        search = session.get(Search, search_id)
        assert search is not None
        tz = rt.settings.tz
        data = (
            _csv(rows, search=search, tz=tz) if fmt == "csv" else _pdf(rows, search=search, tz=tz)
        )
        shown = {r.plate for r in rows} | {r.alternative for r in rows if r.alternative}
        return Answer(data, read_ids=[r.id for r in rows], plates=sorted(shown))

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
