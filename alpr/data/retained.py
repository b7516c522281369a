"""A read's ``retained`` flag, kept in step on the read and on its other readings: on Postgres
both tables are partitioned by it, and an update moves the rows to the retained partitions
(a hit, a legal hold) or back (a hold released), into the month's partition, created again
when a purge dropped it while the read was held."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, tuple_, update
from sqlalchemy.orm import Session

from alpr.data.dialect import ensure_partitions, month_start
from alpr.data.models import Read, ReadAlternative

CHUNK = 1000


def mark_retained(session: Session, *, reads: list[tuple[int, datetime]], retained: bool) -> None:
    """Set the flag of the reads named by ``(id, captured_at)`` and of their other readings."""
    if not retained and reads:
        ensure_partitions(session.connection(), {month_start(at.date()) for _, at in reads})
    for offset in range(0, len(reads), CHUNK):
        chunk = reads[offset : offset + CHUNK]
        passes = select(Read.camera_id, Read.captured_at, Read.plate).where(
            tuple_(Read.id, Read.captured_at).in_(chunk)
        )
        session.execute(
            update(ReadAlternative)
            .where(
                tuple_(
                    ReadAlternative.camera_id,
                    ReadAlternative.captured_at,
                    ReadAlternative.read_plate,
                ).in_(passes),
                ReadAlternative.retained.is_not(retained),
            )
            .values(retained=retained)
        )
        session.execute(
            update(Read)
            .where(tuple_(Read.id, Read.captured_at).in_(chunk), Read.retained.is_not(retained))
            .values(retained=retained)
        )
