"""Files the oversight pages hand to a person (R20): the access log's rows, as CSV or a signed
PDF, and the usage statistics' figures as CSV. Each file is made inside the governed call that
records its export, and that record names the file and its SHA-256, so the log says exactly
which file left the system, and a page has no way to the bytes except through that call."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ExportedFile:
    file_name: str
    data: bytes
    mime: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def described(self, fmt: str) -> dict[str, str]:
        """What the export record says of the file."""
        return {"format": fmt, "file": self.file_name, "sha256": self.sha256}


# A spreadsheet opening the file runs a cell that starts so as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """The value as the file holds it: text that a spreadsheet would run as a formula (a
    search's description typed as ``=HYPERLINK(...)`` opened by the reviewing sergeant) is
    kept as text, behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode()
