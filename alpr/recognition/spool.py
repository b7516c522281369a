"""A durable spool on disk for reads the database could not take yet. A read is acknowledged
once it is in the spool (written and fsync'd); the spool is replayed in order when the database
is back; a read is stored once however often it is replayed (a read is one pass: camera,
instant and plate), so a replay after a crash is harmless."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from alpr.recognition.ingest import ReadRecord


class Spool:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def _segments(self) -> list[Path]:
        return sorted(self.folder.glob("segment-*.jsonl"))

    def append(self, records: list[ReadRecord]) -> None:
        if not records:
            return
        segments = self._segments()
        number = int(segments[-1].stem.split("-")[1]) + 1 if segments else 1
        path = self.folder / f"segment-{number:09d}.jsonl"
        tmp = path.with_suffix(".tmp")
        with tmp.open("w") as handle:
            for record in records:
                handle.write(json.dumps(record.to_json()) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        directory = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def pending(self) -> Iterator[tuple[Path, list[ReadRecord]]]:
        """Segments in the order they were written, each with its reads."""
        for path in self._segments():
            lines = [line for line in path.read_text().splitlines() if line.strip()]
            yield path, [ReadRecord.from_json(json.loads(line)) for line in lines]

    @staticmethod
    def done(path: Path) -> None:
        path.unlink(missing_ok=True)

    def size(self) -> int:
        return sum(len(records) for _, records in self.pending())
