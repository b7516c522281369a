"""Signed PDF reports of the access log: the PDF is signed with the agency's Ed25519 key
(``alpr.governance.agency_keys``), and the detached signature lets anyone holding the public
key check that the report was not changed after it was produced."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fpdf import FPDF

from alpr.governance.agency_keys import signing_key
from alpr.governance.oversight.review import LogFilter, review_log
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime


@dataclass(frozen=True)
class SignedReport:
    pdf: bytes
    signature: str  # base64 Ed25519 signature of the PDF bytes
    public_key_pem: str


def _pdf(
    rows: list[dict[str, Any]],
    *,
    title: str,
    produced_by: str,
    produced_at: datetime,
    filters: LogFilter,
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
        f"Produced {produced_at:%Y-%m-%d %H:%M:%S} UTC by {produced_by}. "
        f"Filters: {filters.as_dict()}. {len(rows)} records.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    widths = (14, 34, 20, 16, 24, 30, 24, 60, 16, 30)
    names = (
        "id",
        "at",
        "event",
        "outcome",
        "username",
        "purpose",
        "case_number",
        "plates",
        "result_count",
        "client_addr",
    )
    pdf.set_font("Helvetica", "B", 7)
    for width, name in zip(widths, names, strict=True):
        pdf.cell(width, 5, name, border=1)
    pdf.ln()
    pdf.set_font("Helvetica", size=7)
    for row in rows:
        values = [str(row[n] if n != "plates" else ",".join(row[n] or []))[:40] for n in names]
        values[1] = row["at"].strftime("%Y-%m-%d %H:%M:%S.%f")[:-4]
        for width, value in zip(widths, values, strict=True):
            pdf.cell(width, 4, value.encode("latin-1", "replace").decode("latin-1"), border=1)
        pdf.ln()
    return bytes(pdf.output())


def signed_log_report(rt: Runtime, *, principal: Principal, filters: LogFilter) -> SignedReport:
    rows = review_log(rt, principal=principal, filters=filters)
    pdf = _pdf(
        rows,
        title="ALPR access log report",
        produced_by=principal.username,
        produced_at=rt.now(),
        filters=filters,
    )
    key = signing_key(rt.settings)
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return SignedReport(pdf, base64.b64encode(key.sign(pdf)).decode(), public.decode())


def verify_report(pdf: bytes, signature: str, public_key_pem: str) -> bool:
    key = serialization.load_pem_public_key(public_key_pem.encode())
    assert isinstance(key, Ed25519PublicKey)
    try:
        key.verify(base64.b64decode(signature), pdf)
    except (InvalidSignature, ValueError):
        return False
    return True
