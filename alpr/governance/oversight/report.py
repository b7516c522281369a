"""Signed PDF reports of the access log: the PDF is signed with the agency's Ed25519 key
(``alpr.governance.agency_keys``), and the detached signature lets anyone holding the public
key check that the report was not changed after it was produced."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fpdf import FPDF

from alpr.governance.agency_keys import signing_key
from alpr.governance.oversight.exports import ExportedFile
from alpr.governance.oversight.review import LogFilter, LogRow, export_records
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime


@dataclass(frozen=True)
class SignedReport:
    pdf: bytes
    signature: str  # base64 Ed25519 signature of the PDF bytes
    public_key_pem: str
    file_name: str


PDF = "application/pdf"
_COLUMNS: tuple[tuple[str, int, Callable[[LogRow, tzinfo], str]], ...] = (
    ("Record", 14, lambda r, _tz: str(r.id)),
    ("When", 28, lambda r, tz: r.at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")),
    ("User", 22, lambda r, _tz: r.username),
    ("What", 32, lambda r, _tz: r.what),
    ("Outcome", 16, lambda r, _tz: r.outcome),
    ("Purpose", 32, lambda r, _tz: r.purpose),
    ("Case or reason", 40, lambda r, _tz: r.reason),
    ("Searched for", 48, lambda r, _tz: r.searched_for or r.detail),
    ("Results", 14, lambda r, _tz: "" if r.results is None else str(r.results)),
    ("Flags", 14, lambda r, _tz: str(len(r.flags)) if r.flags else ""),
)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    text = text.encode("latin-1", "replace").decode("latin-1")
    while text and pdf.get_string_width(text) > width - 1:
        text = text[:-1]
    return text


def _pdf(
    rows: Sequence[LogRow],
    *,
    title: str,
    produced_by: str,
    produced_at: datetime,
    described: str,
    tz: tzinfo,
) -> bytes:
    pdf = FPDF(orientation="L", format="Letter")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=8)
    pdf.multi_cell(
        0,
        4,
        (
            f"Produced {produced_at.astimezone(tz):%Y-%m-%d %H:%M:%S %Z} by {produced_by}. "
            f"Records shown for: {described}. {len(rows)} records, exactly as shown on screen."
        )
        .encode("latin-1", "replace")
        .decode("latin-1"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Helvetica", "B", 7)
    for name, width, _value in _COLUMNS:
        pdf.cell(width, 5, name, border=1)
    pdf.ln()
    pdf.set_font("Helvetica", size=7)
    for row in rows:
        for _name, width, value in _COLUMNS:
            pdf.cell(width, 4, _fit(pdf, value(row, tz), width), border=1)
        pdf.ln()
    return bytes(pdf.output())


def signed_log_report(
    rt: Runtime, *, principal: Principal, filters: LogFilter, record_ids: Sequence[int]
) -> SignedReport:
    """The signed PDF of exactly the records shown (``record_ids``, in that order), saying the
    filter that found them; recorded as an export, with the PDF's SHA-256, before it is handed
    back."""
    tz = rt.settings.tz

    def render(rows: list[LogRow], at: datetime) -> ExportedFile:
        pdf = _pdf(
            rows,
            title="ALPR access log report",
            produced_by=principal.username,
            produced_at=at,
            described=filters.describe(tz),
            tz=tz,
        )
        return ExportedFile(f"access-log-{at.astimezone(tz):%Y-%m-%d-%H%M%S}.pdf", pdf, PDF)

    exported = export_records(
        rt, principal=principal, filters=filters, record_ids=record_ids, fmt="pdf", render=render
    )
    key = signing_key(rt.settings)
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return SignedReport(
        exported.data,
        base64.b64encode(key.sign(exported.data)).decode(),
        public.decode(),
        exported.file_name,
    )


def verify_report(pdf: bytes, signature: str, public_key_pem: str) -> bool:
    key = serialization.load_pem_public_key(public_key_pem.encode())
    assert isinstance(key, Ed25519PublicKey)
    try:
        key.verify(base64.b64decode(signature), pdf)
    except (InvalidSignature, ValueError):
        return False
    return True
