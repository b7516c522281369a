"""Reads recognised elsewhere (cameras that read plates on board, back-fills): CSV with a
header or JSON lines with ``plate, captured_at, lat, lon`` and optional ``confidence, image``.
A file with any bad row is refused whole, with the line numbers of every problem, before
anything is written. An ``image`` is taken only from the deployment's import folder (after
following links) and only when it decodes as an image: an ingest file cannot make any other
local file show up as a read's image."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alpr.plates import PlateError, require_plate
from alpr.recognition.ingest import ReadRecord
from alpr.recognition.sources import read_image
from alpr.textinput import InputRefused, csv_rows, load_json, utf8_text

REQUIRED = ("plate", "captured_at", "lat", "lon")
EARLIEST_CAPTURE = datetime(2000, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(days=1)  # a camera clock ahead of ours
PLATE_RAW_MAX = 32  # reads.plate_raw
PROBLEMS_SHOWN = 5


class FileRefused(ValueError):
    def __init__(self, problems: list[str]) -> None:
        shown = "; ".join(problems[:PROBLEMS_SHOWN])
        more = len(problems) - PROBLEMS_SHOWN
        super().__init__(
            f"file refused, nothing was stored: {shown}"
            + (f"; and {more} more problem(s)" if more > 0 else "")
        )
        self.problems = problems


@dataclass
class VendorReads:
    """The reads of a vendor file and the images they name (by SHA-256), to be put in the
    image store only once the whole file is accepted; ``sources`` are the files of the import
    folder the images were taken from, with the SHA-256 of each."""

    records: list[ReadRecord] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)
    sources: dict[Path, str] = field(default_factory=dict)


def _rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    try:
        text = utf8_text(path.read_bytes(), what=path.name)
    except InputRefused as exc:
        raise FileRefused([str(exc)]) from None
    if path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    value = load_json(line, what=f"line {number}")
                except InputRefused as exc:
                    raise FileRefused([str(exc)]) from None
                rows.append((number, value if isinstance(value, dict) else {"_": value}))
        return rows
    try:
        header, rows = csv_rows(text, what=path.name)
    except InputRefused as exc:
        raise FileRefused([str(exc)]) from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise FileRefused([f"line 1: header lacks {', '.join(missing)}"])
    return list(rows)


def _number(row: dict[str, Any], key: str) -> float:
    value = row[key]
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{key} must be a number")
    try:
        number = float(value)
    except OverflowError:
        raise ValueError(f"{key} is out of range") from None
    if not math.isfinite(number):
        raise ValueError(f"{key} must be a finite number")
    return number


def _captured_at(row: dict[str, Any], now: datetime) -> datetime:
    value = row["captured_at"]
    if not isinstance(value, str):
        raise ValueError("captured_at must be an ISO 8601 date and time")
    at = datetime.fromisoformat(value)
    if at.tzinfo is None:
        raise ValueError("captured_at needs a time zone offset (ISO 8601)")
    latest = now + CLOCK_SKEW
    if not EARLIEST_CAPTURE.date() <= at.date() <= latest.date():
        raise ValueError(
            f"captured_at {at.date().isoformat()} is outside {EARLIEST_CAPTURE.date()} "
            f"to {latest.date()}"
        )
    return at


def _image(value: object, *, folder: Path, import_dir: Path) -> tuple[Path, bytes]:
    """The file (links followed) and bytes of an image under the import folder (a relative
    name is taken from ``folder``); anything else is refused."""
    if not isinstance(value, str) or "\x00" in value:
        raise ValueError("image must be a file name")
    path = (folder / value).resolve()
    if not path.is_relative_to(import_dir.resolve()):
        raise ValueError(f"image {value} is outside the import folder {import_dir}")
    if not path.is_file():
        raise ValueError(f"image {value} not found")
    read_image(path)  # raises ImageUnreadable, a ValueError, when it does not decode
    return path, path.read_bytes()


def parse_reads(
    path: Path, *, camera_id: int, is_mobile: bool, import_dir: Path, now: datetime
) -> VendorReads:
    """The reads of a vendor file, or ``FileRefused`` naming every bad line."""
    if not path.is_file():
        raise FileRefused([f"{path}: no such file"])
    # Images are named beside a file dropped in the import folder with them, or, for a file
    # kept elsewhere, in the import folder the images were copied to.
    beside = path.resolve().parent
    images_from = beside if beside.is_relative_to(import_dir.resolve()) else import_dir
    parsed, problems = VendorReads(), []
    for number, row in _rows(path):
        try:
            raw = row.get("plate")
            if not isinstance(raw, str) or len(raw) > PLATE_RAW_MAX:
                raise ValueError(f"plate must be text of at most {PLATE_RAW_MAX} characters")
            plate = require_plate(raw)
            at = _captured_at(row, now)
            lat, lon = _number(row, "lat"), _number(row, "lon")
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError("lat/lon out of range")
            given = row.get("confidence")
            confidence = 1.0 if given is None or given == "" else _number(row, "confidence")
            if not 0 <= confidence <= 1:
                raise ValueError("confidence must be between 0 and 1")
            image_sha = None
            if row.get("image"):
                source, data = _image(row["image"], folder=images_from, import_dir=import_dir)
                image_sha = hashlib.sha256(data).hexdigest()
                parsed.images[image_sha] = data
                parsed.sources[source] = image_sha
        except (KeyError, ValueError, TypeError, PlateError) as exc:
            problems.append(f"line {number}: {exc}")
            continue
        parsed.records.append(
            ReadRecord(
                camera_id=camera_id,
                captured_at=at,
                plate=plate,
                confidence=confidence,
                lat=lat,
                lon=lon,
                is_mobile=is_mobile,
                plate_raw=raw,
                image_sha256=image_sha,
            )
        )
    if problems:
        raise FileRefused(problems)
    return parsed
