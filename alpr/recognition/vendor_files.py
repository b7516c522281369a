"""Reads recognised elsewhere (cameras that read plates on board, back-fills): CSV with a
header or JSON lines with ``plate, captured_at, lat, lon`` and optional ``confidence, image``.
A file with any bad row is refused whole, with the line numbers of every problem."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any

from alpr.data.images import ImageStore
from alpr.plates import PlateError, require_plate
from alpr.recognition.ingest import ReadRecord
from alpr.textinput import InputRefused, csv_rows, load_json

REQUIRED = ("plate", "captured_at", "lat", "lon")
CAPTURE_YEARS = range(2000, 2101)


class FileRefused(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("file refused, nothing was stored: " + "; ".join(problems))
        self.problems = problems


def _rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    text = path.read_text(encoding="utf-8-sig")
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


def parse_reads(
    path: Path, *, camera_id: int, is_mobile: bool, images: ImageStore
) -> list[ReadRecord]:
    if not path.is_file():
        raise FileRefused([f"{path}: no such file"])
    records, problems = [], []
    images_to_keep: dict[str, Path] = {}
    for number, row in _rows(path):
        try:
            plate = require_plate(str(row.get("plate") or ""))
            at = datetime.fromisoformat(str(row["captured_at"]))
            if at.tzinfo is None:
                raise ValueError("captured_at needs a time zone offset (ISO 8601)")
            if at.year not in CAPTURE_YEARS:
                raise ValueError(
                    f"captured_at must fall between {CAPTURE_YEARS.start} and "
                    f"{CAPTURE_YEARS.stop - 1}"
                )
            lat, lon = float(row["lat"]), float(row["lon"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError("lat/lon out of range")
            confidence = float(row.get("confidence") or 1.0)
            if not 0 <= confidence <= 1:
                raise ValueError("confidence must be between 0 and 1")
            image_sha = None
            if row.get("image"):
                image_path = (path.parent / str(row["image"])).resolve()
                if not image_path.is_file():
                    raise ValueError(f"image {row['image']} not found")
                image_sha = hashlib.sha256(image_path.read_bytes()).hexdigest()
                images_to_keep[image_sha] = image_path
        except (KeyError, ValueError, TypeError, PlateError) as exc:
            problems.append(f"line {number}: {exc}")
            continue
        records.append(
            ReadRecord(
                camera_id=camera_id,
                captured_at=at,
                plate=plate,
                confidence=confidence,
                lat=lat,
                lon=lon,
                is_mobile=is_mobile,
                plate_raw=str(row.get("plate")),
                image_sha256=image_sha,
            )
        )
    if problems:
        raise FileRefused(problems)
    # Only a file accepted whole puts anything in the image store.
    for sha256, image_path in images_to_keep.items():
        if images.put(image_path.read_bytes()) != sha256:
            raise FileRefused([f"image {image_path.name} changed while the file was read"])
    return records
