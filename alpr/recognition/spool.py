"""A durable spool on disk for reads the database could not take yet. A read is acknowledged
once it is in the spool (written and fsync'd); the spool is replayed in order when the database
is back; a read is stored once however often it is replayed (a read is one pass: camera,
instant and plate), so a replay after a crash is harmless. A segment is written to a ``.tmp``
file, fsync'd and renamed: one a crash left behind is kept when it is whole, else removed
(its reads were never acknowledged, and their source gives them again)."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from alpr.recognition.ingest import ReadRecord

LOG = logging.getLogger("alpr.worker")


class Spool:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        for tmp in sorted(folder.glob("segment-*.tmp")):
            self._recover(tmp)

    def _recover(self, tmp: Path) -> None:
        try:
            lines = [line for line in tmp.read_text().splitlines() if line.strip()]
            for line in lines:
                ReadRecord.from_json(json.loads(line))
        except (ValueError, TypeError, KeyError):
            LOG.warning("spool: %s was cut short by a crash; removed", tmp.name)
            tmp.unlink()
            return
        LOG.info("spool: %s was complete when the worker stopped; kept", tmp.name)
        os.replace(tmp, tmp.with_suffix(".jsonl"))
        self._sync()

    def _sync(self) -> None:
        directory = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

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
        self._sync()

    def pending(self) -> Iterator[tuple[Path, list[ReadRecord]]]:
        """Segments in the order they were written, each with its reads."""
        for path in self._segments():
            lines = [line for line in path.read_text().splitlines() if line.strip()]
            yield path, [ReadRecord.from_json(json.loads(line)) for line in lines]

    @staticmethod
    def done(path: Path) -> None:
        path.unlink(missing_ok=True)

    def waiting(self) -> bool:
        """Whether reads wait in the spool."""
        return bool(self._segments())

    def size(self) -> int:
        return sum(len(records) for _, records in self.pending())
