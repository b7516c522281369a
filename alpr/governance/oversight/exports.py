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


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return buffer.getvalue().encode()
