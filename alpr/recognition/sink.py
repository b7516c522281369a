"""Where the worker's reads go: first the durable spool (the read is then acknowledged), then
the database in order; while the database is unreachable reads wait in the spool, and are
replayed as soon as it is back (the worker retries on a timer), not only when the next read
comes. Replays are one at a time. ``keep`` only spools and ``drain`` stores, so a caller can
store from another thread (the worker's frame loop must not wait for the database)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import DBAPIError, OperationalError

from alpr.recognition.ingest import Ingestor, ReadRecord, UnknownCameras
from alpr.recognition.spool import Spool

LOG = logging.getLogger("alpr.worker")


class SpoolingSink:
    def __init__(self, ingestor: Ingestor, spool: Spool, clock: Callable[[], datetime]) -> None:
        self.ingestor = ingestor
        self.spool = spool
        self.clock = clock
        self.stored = 0
        self.alerts = 0
        self.database_down = False
        self._draining = threading.Lock()

    def keep(self, records: Sequence[ReadRecord]) -> None:
        """Make the reads durable in the spool; the next ``drain`` stores them."""
        self.spool.append(list(records))

    def drain(self) -> bool:
        """Replay the spool into the database; False while the database is unreachable."""
        with self._draining:
            return self._replay()

    def _replay(self) -> bool:
        """Segments are stored in order, the next one prepared while the database stores the
        one before (``Ingestor.store_all``); each leaves the spool once committed."""
        segments: list[Path] = []

        def batches() -> Iterator[list[ReadRecord]]:
            for path, records in self.spool.pending():
                segments.append(path)
                yield records

        try:
            results = self.ingestor.store_all(batches(), clock=self.clock)
            for index, result in enumerate(results):
                self.spool.done(segments[index])
                self.stored += result.stored
                self.alerts += result.alerts
                if self.database_down:
                    LOG.info("database reachable again; spooled reads replayed")
                    self.database_down = False
        except (OperationalError, DBAPIError) as exc:
            if not self.database_down:
                LOG.error(
                    "database unreachable (%s); reads are kept in the spool", type(exc).__name__
                )
            self.database_down = True
            return False
        except UnknownCameras as exc:
            LOG.error("%s; reads are kept in the spool", exc)
            return False
        return True
