"""Writing reads: one transaction per batch, an idempotency key per read so that a replayed
batch never stores a read twice, the plate dictionary kept current, images in the
content-addressed store, and hot-list matching before the read is stored (a read that hits
is stored as retained and raises an alert)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from alpr.data.dialect import (
    READ_COLUMNS,
    add_plates,
    copy_reads,
    ensure_partitions,
    month_start,
)
from alpr.data.images import ImageStore
from alpr.data.models import Read
from alpr.plates import confusion_key
from alpr.recognition.hotlist_match import HotListMatcher, ReadRef, create_alerts


@dataclass(frozen=True)
class ReadRecord:
    """A read ready to be stored (from the worker, a vendor file or a replayed spool)."""

    camera_id: int
    captured_at: datetime
    plate: str
    confidence: float
    lat: float
    lon: float
    is_mobile: bool = False
    heading: int | None = None
    plate_raw: str | None = None
    region: str | None = None
    char_confidences: list[float] | None = None
    alternatives: list[Any] | None = None
    image_sha256: str | None = None
    crop_sha256: str | None = None
    idempotency_key: str = field(default="")

    def keyed(self) -> ReadRecord:
        if self.idempotency_key:
            return self
        basis = f"{self.camera_id}|{self.captured_at.isoformat()}|{self.plate}"
        return replace(self, idempotency_key=hashlib.sha256(basis.encode()).hexdigest()[:40])

    def row(self, *, retained: bool) -> dict[str, Any]:
        """The read as a row of ``reads`` (a shallow copy, cheap for large batches)."""
        return {**{name: getattr(self, name) for name in READ_COLUMNS}, "retained": retained}

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["captured_at"] = self.captured_at.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReadRecord:
        return cls(**{**data, "captured_at": datetime.fromisoformat(data["captured_at"])})


@dataclass(frozen=True)
class IngestResult:
    stored: int
    duplicates: int
    alerts: int


class Ingestor:
    """Stores batches of reads; keeps the hot-list matcher and the known partitions."""

    def __init__(self, engine: Engine, images: ImageStore, *, matcher_ttl_s: float = 60) -> None:
        self.engine = engine
        self.images = images
        self.months: set[object] = set()
        self.matcher: HotListMatcher | None = None
        self.matcher_loaded: datetime | None = None
        self.matcher_ttl_s = matcher_ttl_s

    def _matcher(self, session: Session, now: datetime) -> HotListMatcher:
        age = (now - self.matcher_loaded).total_seconds() if self.matcher_loaded else None
        if self.matcher is None or age is None or age > self.matcher_ttl_s:
            self.matcher = HotListMatcher.load(session, now=now)
            self.matcher_loaded = now
        return self.matcher

    def store(self, records: Sequence[ReadRecord], *, now: datetime) -> IngestResult:
        if not records:
            return IngestResult(0, 0, 0)
        keyed = [r.keyed() for r in records]
        with Session(self.engine) as session, session.begin():
            months = {month_start(r.captured_at.date()) for r in keyed} - self.months
            if months:
                ensure_partitions(session.connection(), months)
                self.months |= months
            existing = self._existing_keys(session, keyed)
            fresh = [r for r in keyed if r.idempotency_key not in existing]
            fresh = list({r.idempotency_key: r for r in fresh}.values())
            matcher = self._matcher(session, now)
            matches = {r.idempotency_key: matcher.match(r.plate) for r in fresh}
            plain = [r.row(retained=False) for r in fresh if not matches[r.idempotency_key]]
            hit_rows = [r.row(retained=True) for r in fresh if matches[r.idempotency_key]]
            copy_reads(session.connection(), plain)
            stored = (
                session.execute(
                    Read.__table__.insert().returning(  # type: ignore[attr-defined]
                        Read.id, Read.idempotency_key, Read.captured_at
                    ),
                    hit_rows,
                ).all()
                if hit_rows
                else []
            )
            ids = {key: (read_id, at) for read_id, key, at in stored}
            hits = [
                (
                    ReadRef(ids[r.idempotency_key][0], r.captured_at, r.plate, r.camera_id),
                    matches[r.idempotency_key],
                )
                for r in fresh
                if matches[r.idempotency_key]
            ]
            alerts = (
                create_alerts(session, hits=hits, now=now, stale_list_ids=matcher.stale_list_ids)
                if hits
                else 0
            )
            self._update_dictionary(session, fresh)
            self._record_images(session, fresh)
        return IngestResult(len(fresh), len(keyed) - len(fresh), alerts)

    @staticmethod
    def _existing_keys(session: Session, records: Sequence[ReadRecord]) -> set[str]:
        """Keys already stored, looked up by key within the batch's time span."""
        first = min(r.captured_at for r in records)
        last = max(r.captured_at for r in records)
        keys = [r.idempotency_key for r in records]
        found: set[str] = set()
        for offset in range(0, len(keys), 5000):
            found |= set(
                session.execute(
                    select(Read.idempotency_key).where(
                        Read.captured_at >= first,
                        Read.captured_at <= last,
                        Read.idempotency_key.in_(keys[offset : offset + 5000]),
                    )
                ).scalars()
            )
        return found

    def _record_images(self, session: Session, records: Sequence[ReadRecord]) -> None:
        digests = {d for r in records for d in (r.image_sha256, r.crop_sha256) if d}
        for digest in digests:
            path = self.images.path_for(digest)
            if path.exists():
                self.images.record(
                    session.connection(),
                    sha256=digest,
                    size_bytes=path.stat().st_size,
                    width=None,
                    height=None,
                )

    @staticmethod
    def _update_dictionary(session: Session, records: Sequence[ReadRecord]) -> None:
        seen: dict[str, tuple[datetime, datetime]] = {}
        for r in records:
            first, last = seen.get(r.plate, (r.captured_at, r.captured_at))
            seen[r.plate] = (min(first, r.captured_at), max(last, r.captured_at))
        add_plates(
            session.connection(),
            [(p, confusion_key(p), first, last) for p, (first, last) in seen.items()],
        )
