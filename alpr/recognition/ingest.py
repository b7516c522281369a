"""Writing reads: one transaction per batch; a read is one pass (camera, instant, plate), so a
replayed batch never stores a read twice; the plate dictionary kept current, images in the
content-addressed store, and hot-list matching before the read is stored (a read that hits
is stored as retained and raises an alert)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass
from datetime import date, datetime
from operator import attrgetter
from typing import Any

import psycopg
from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from alpr.data.dialect import (
    READ_COLUMNS,
    add_plates,
    copy_alternatives,
    copy_reads,
    copy_reads_unless_stored,
    ensure_partitions,
    keep_plates,
    plate_epoch,
    read_copy_row,
)
from alpr.data.images import ImageStore
from alpr.data.models import Camera, Read
from alpr.plates import PLATE_RE, confusion_key
from alpr.recognition.hotlist_match import HotListMatcher, Match, ReadRef, create_alerts

_RECORD_VALUES = attrgetter(*READ_COLUMNS[:-1])
_IDENTITY = attrgetter("camera_id", "captured_at", "plate")
assert READ_COLUMNS[-1] == "retained"
Pass = tuple[int, datetime, str]  # camera, instant, plate: unique among stored reads


OTHER_READINGS_KEPT = 4  # the reader's best readings after the plate, searched and matched
# A reading the reader scores under this is kept in the read's ledger (``reads.alternatives``)
# but not searched or matched: on the dev photos 85 % of the other readings score under 1 %,
# and the right plates among those were O/0 confusions, which the confusion-aware searches find
# anyway. Searching them would cost every read's ingest and grow the plate dictionary for
# nothing (bench/queries.py loads readings scored as the dev photos' are).
OTHER_READING_MIN_SCORE = 0.01
KNOWN_PLATES_KEPT = 2_000_000  # about 150 MB of the worker's memory
STORE_ATTEMPTS = 5
# What a concurrent ingester of the same reads (two replaying one spool), or of the same new
# month's partition, can cause; a batch is stored once whatever the order, so it is tried again.
_CONCURRENT_WRITE = (
    psycopg.errors.DeadlockDetected,
    psycopg.errors.SerializationFailure,
    psycopg.errors.UniqueViolation,
    psycopg.errors.DuplicateTable,
)


def other_readings(plate: str, alternatives: Iterable[Any] | None) -> tuple[tuple[str, float], ...]:
    """A read's other readings with their scores, best first: at most ``OTHER_READINGS_KEPT``,
    each a plate other than the one read and scored at least ``OTHER_READING_MIN_SCORE`` (what
    is not a plate, or not scored, is left out)."""
    readings: list[tuple[str, float]] = []
    seen = {plate}
    for item in alternatives or ():
        try:
            text, score = item[0], float(item[1])
        except (TypeError, ValueError, IndexError, KeyError):
            continue
        if not score >= OTHER_READING_MIN_SCORE or not isinstance(text, str) or text in seen:
            continue
        if not PLATE_RE.match(text):
            continue
        seen.add(text)
        readings.append((text, score))
        if len(readings) == OTHER_READINGS_KEPT:
            break
    return tuple(readings)


def _dictionary_rows(plates: Iterable[str]) -> list[tuple[str, str]]:
    """Dictionary rows in plate order: concurrent ingesters then lock the plates they share in
    the same order, and never wait on each other in a circle."""
    return [(p, confusion_key(p)) for p in sorted(plates)]


class UnknownCameras(ValueError):
    """Reads name cameras that are not registered: they wait until the camera is."""


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
    # The vehicle (``alpr.vehicles`` codes, confidences in percent); None when not described.
    vehicle_type: int | None = None
    vehicle_colour: int | None = None
    vehicle_type_confidence: int | None = None
    vehicle_colour_confidence: int | None = None
    vehicle_box: list[int] | None = None
    vehicle_crop_sha256: str | None = None

    def identity(self) -> Pass:
        """What makes a read one read: a replayed read has the same identity."""
        return _IDENTITY(self)

    def row(self, *, retained: bool) -> tuple[object, ...]:
        """The read as a row of ``reads``, in ``READ_COLUMNS`` order."""
        return (*_RECORD_VALUES(self), retained)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["captured_at"] = self.captured_at.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReadRecord:
        return cls(**{**data, "captured_at": datetime.fromisoformat(data["captured_at"])})


@dataclass(frozen=True)
class _Batch:
    """A batch made ready for its transaction (``Ingestor._prepare``)."""

    reads: dict[Pass, ReadRecord]
    given: int
    now: datetime
    found: dict[Pass, list[Match]]
    others: dict[Pass, tuple[tuple[str, float], ...]]
    stale_list_ids: set[int]
    rows: dict[Pass, tuple[object, ...]]
    cameras: set[int]
    months: set[date]
    plates: set[str]  # as read and as read otherwise
    read_plates: set[str]
    first: datetime | None
    last: datetime | None


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
        self.cameras: set[int] = set()
        self.known_plates: set[str] = set()
        self.plate_epoch = 0
        self._dictionary_writer = ThreadPoolExecutor(1, thread_name_prefix="alpr-dictionary")
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="alpr-ingest")
        self.matcher: HotListMatcher | None = None
        self.matcher_loaded: datetime | None = None
        self.matcher_ttl_s = matcher_ttl_s

    def _matcher(self, now: datetime) -> HotListMatcher:
        age = (now - self.matcher_loaded).total_seconds() if self.matcher_loaded else None
        if self.matcher is None or age is None or age > self.matcher_ttl_s:
            with Session(self.engine) as session:
                self.matcher = HotListMatcher.load(session, now=now)
            self.matcher_loaded = now
        return self.matcher

    def store(self, records: Sequence[ReadRecord], *, now: datetime) -> IngestResult:
        """Store a batch in one transaction. Another ingester storing the same reads or plates
        at the same time may make the database end one of the two transactions (a deadlock
        or a read stored meanwhile): the batch is then tried again, and finds what the other
        one stored."""
        return self._write(self._prepare(records, now=now))

    def store_all(
        self, batches: Iterable[Sequence[ReadRecord]], *, clock: Callable[[], datetime]
    ) -> Iterator[IngestResult]:
        """Store batches in order, each in a transaction of its own as ``store`` does, while
        the next one is prepared (its repeats dropped, matched against the hot lists, its rows
        made): the database's work on one batch and the worker's on the next overlap. Each
        batch's result is given once the batch is committed, so whoever holds the batch lets
        it go only then; a batch that fails stops the run, and the batches after it are not
        stored."""
        stored: Future[IngestResult] | None = None
        try:
            for records in batches:
                prepared = self._prepare(records, now=clock())
                if stored is not None:
                    yield stored.result()
                stored = self._writer.submit(self._write, prepared)
            if stored is not None:
                yield stored.result()
        finally:
            if stored is not None:
                wait([stored])

    def _prepare(self, records: Sequence[ReadRecord], *, now: datetime) -> _Batch:
        """What a batch's transaction needs that the database does not tell: one record per
        pass (in pass order: workers storing the same reads take their index entries in one
        order), the hot-list entries each read matches and the rows of the reads that match
        none."""
        ordered = sorted(records, key=_IDENTITY)
        reads: dict[Pass, ReadRecord] = {}
        for key, record in zip(map(_IDENTITY, ordered), ordered, strict=True):
            reads.setdefault(key, record)
        encoded = read_copy_row if self.engine.dialect.name == "postgresql" else tuple
        found: dict[Pass, list[Match]] = {}
        others: dict[Pass, tuple[tuple[str, float], ...]] = {}
        rows: dict[Pass, tuple[object, ...]] = {}
        cameras: set[int] = set()
        months: set[tuple[int, int]] = set()
        read_plates: set[str] = set()
        plates: set[str] = set()
        stale: set[int] = set()
        if reads:
            matcher = self._matcher(now)
            stale = matcher.stale_list_ids
            for key, r in reads.items():
                readings = others[key] = other_readings(r.plate, r.alternatives)
                hits = found[key] = matcher.match_read(r.plate, readings)
                if not hits:
                    rows[key] = encoded(r.row(retained=False))
                cameras.add(r.camera_id)
                months.add((r.captured_at.year, r.captured_at.month))
                read_plates.add(r.plate)
                for other, _ in readings:
                    plates.add(other)
        instants = [at for _, at, _ in reads]
        return _Batch(
            reads=reads,
            given=len(records),
            now=now,
            found=found,
            others=others,
            stale_list_ids=stale,
            rows=rows,
            cameras=cameras,
            months={date(year, month, 1) for year, month in months},
            plates=plates | read_plates,
            read_plates=read_plates,
            first=min(instants, default=None),
            last=max(instants, default=None),
        )

    def _write(self, batch: _Batch) -> IngestResult:
        if not batch.reads:
            return IngestResult(0, 0, 0)
        for attempt in range(1, STORE_ATTEMPTS + 1):
            try:
                return self._store(batch)
            except DBAPIError as exc:
                if attempt == STORE_ATTEMPTS or not isinstance(exc.orig, _CONCURRENT_WRITE):
                    raise
                time.sleep(random.uniform(0.05, 0.2) * attempt)
        raise AssertionError("unreachable")

    def _store(self, batch: _Batch) -> IngestResult:
        found = batch.found
        with Session(self.engine) as session, session.begin():
            connection = session.connection()
            # Everything that may refuse the batch comes before the dictionary is written.
            self._check_cameras(connection, batch.cameras)
            months = batch.months - self.months
            if months:
                ensure_partitions(connection, months)
            new_plates = self._new_plates(connection, batch.plates)
            # On Postgres the dictionary is written on a second connection while this one
            # stores the reads; it commits first, so a search never finds a read whose plate it
            # lacks.
            dictionary = (
                self._dictionary_writer.submit(self._add_plates, new_plates)
                if self.engine.dialect.name == "postgresql"
                else None
            )
            if dictionary is None:
                add_plates(connection, _dictionary_rows(new_plates))
            fresh = self._copy_fresh(session, batch)
            copy_alternatives(
                connection,
                [
                    (r.captured_at, r.camera_id, r.plate, other, score, bool(found[key]))
                    for key, r in fresh.items()
                    for other, score in batch.others[key]
                ],
            )
            matched = [(key, r, found[key]) for key, r in fresh.items() if found[key]]
            alerts = self._store_hits(session, matched, now=batch.now, stale=batch.stale_list_ids)
            self._record_images(session, fresh.values())
            if dictionary is not None:
                dictionary.result()
        self.months |= months
        self._remember(new_plates)
        return IngestResult(len(fresh), batch.given - len(fresh), alerts)

    def _add_plates(self, plates: set[str]) -> None:
        with self.engine.begin() as connection:
            add_plates(connection, _dictionary_rows(plates))

    @staticmethod
    def _store_hits(
        session: Session,
        matched: Sequence[tuple[Pass, ReadRecord, list[Match]]],
        *,
        now: datetime,
        stale: set[int],
    ) -> int:
        """Reads that hit a hot list are stored as retained, each with its alerts."""
        if not matched:
            return 0
        rows = [dict(zip(READ_COLUMNS, r.row(retained=True), strict=True)) for _, r, _ in matched]
        ids = session.execute(
            Read.__table__.insert().returning(  # type: ignore[attr-defined]
                Read.id, sort_by_parameter_order=True
            ),
            rows,
        ).scalars()
        hits = [
            (ReadRef(read_id, r.captured_at, r.plate, r.camera_id), found)
            for read_id, (_, r, found) in zip(ids, matched, strict=True)
        ]
        return create_alerts(session, hits=hits, now=now, stale_list_ids=stale)

    def _check_cameras(self, connection: Connection, camera_ids: set[int]) -> None:
        if camera_ids <= self.cameras:
            return
        self.cameras = set(connection.execute(select(Camera.id)).scalars())
        unknown = camera_ids - self.cameras
        if unknown:
            raise UnknownCameras(
                f"reads name camera id(s) {', '.join(map(str, sorted(unknown)))}, which are not "
                "registered; register the camera first (its reads wait until then)"
            )

    def _copy_fresh(self, session: Session, batch: _Batch) -> dict[Pass, ReadRecord]:
        """Copies the batch's reads that are not stored yet and hit no hot list; returns every
        read of the batch not stored yet. On Postgres the pass index finds a replayed read
        during the COPY itself, so only the retained partitions (where a retro-hit moves a
        stored read) and the hits are looked up first; the whole batch is looked up only when
        the COPY is refused."""
        connection = session.connection()
        reads = batch.reads

        def unstored(stored: set[Pass]) -> tuple[dict[Pass, ReadRecord], list[tuple[object, ...]]]:
            """The reads not stored yet, and the rows of those among them that hit nothing."""
            if not stored:
                return reads, list(batch.rows.values())
            fresh = {key: r for key, r in reads.items() if key not in stored}
            return fresh, [row for key, row in batch.rows.items() if key in fresh]

        if self.engine.dialect.name == "postgresql":
            hits = {key: reads[key] for key, matches in batch.found.items() if matches}
            fresh, rows = unstored(
                self._retained_passes(session, batch) | self._stored_passes(session, hits)
            )
            if copy_reads_unless_stored(connection, rows):
                return fresh
        fresh, rows = unstored(self._stored_passes(session, reads))
        copy_reads(connection, rows)
        return fresh

    @staticmethod
    def _retained_passes(session: Session, batch: _Batch) -> set[Pass]:
        """Postgres: the batch's reads already in the retained partitions. These hold a small
        share of the reads, so the retained reads of the batch's plates within its time span
        are fetched and those of the batch kept: cheaper than a look-up of every read."""
        # Plates hold no comma: one joined string is far cheaper to send than an array.
        statement = text(
            "SELECT camera_id, captured_at, plate FROM reads_retained "
            "WHERE plate = ANY(string_to_array(:plates, ',')) "
            "AND captured_at >= :first AND captured_at <= :last"
        ).bindparams(plates=",".join(batch.read_plates), first=batch.first, last=batch.last)
        reads = batch.reads
        return {(c, at, p) for c, at, p in session.execute(statement) if (c, at, p) in reads}

    @staticmethod
    def _stored_passes(session: Session, batch: Mapping[Pass, ReadRecord]) -> set[Pass]:
        """The batch's reads already stored, looked up on the unique pass index within the
        batch's time span: in one statement on Postgres, in chunks on SQLite."""
        if not batch:
            return set()
        first = min(r.captured_at for r in batch.values())
        last = max(r.captured_at for r in batch.values())
        columns = (Read.camera_id, Read.captured_at, Read.plate)
        if session.get_bind().dialect.name == "postgresql":
            # Camera ids, ISO instants and plates hold no comma: one joined string per column
            # is far cheaper to send than an array parameter.
            statement = (
                text(
                    "SELECT r.camera_id, r.captured_at, r.plate FROM reads r JOIN unnest("
                    "CAST(string_to_array(:cameras, ',') AS integer[]), "
                    "CAST(string_to_array(:instants, ',') AS timestamptz[]), "
                    "string_to_array(:plates, ',')) AS wanted (camera_id, captured_at, plate) "
                    "ON r.camera_id = wanted.camera_id AND r.captured_at = wanted.captured_at "
                    "AND r.plate = wanted.plate "
                    "WHERE r.captured_at >= :first AND r.captured_at <= :last"
                )
                .bindparams(
                    cameras=",".join(str(c) for c, _, _ in batch),
                    instants=",".join(at.isoformat() for _, at, _ in batch),
                    plates=",".join(p for _, _, p in batch),
                    first=first,
                    last=last,
                )
                .columns(*columns)
            )
            # Planned for this batch's keys and window every time, as every session is
            # (engine.make_engine): a generic plan (unknown list, unknown span) scans the partition.
            return {(c, at, p) for c, at, p in session.execute(statement)}
        stored: set[Pass] = set()
        plates = sorted({p for _, _, p in batch})
        for offset in range(0, len(plates), 500):
            stored |= {
                (c, at, p)
                for c, at, p in session.execute(
                    select(*columns).where(
                        Read.captured_at >= first,
                        Read.captured_at <= last,
                        Read.plate.in_(plates[offset : offset + 500]),
                    )
                )
            }
        return stored & batch.keys()

    def _record_images(self, session: Session, records: Iterable[ReadRecord]) -> None:
        digests = sorted(
            {
                d
                for r in records
                for d in (r.image_sha256, r.crop_sha256, r.vehicle_crop_sha256)
                if d
            }
        )
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

    def _new_plates(self, connection: Connection, plates: set[str]) -> set[str]:
        """The batch's plates (as read and as read otherwise) not known to be in the
        dictionary yet. Stored plates are remembered (up to KNOWN_PLATES_KEPT) and not sent
        again until retention prunes the dictionary; while a prune runs, the batch names all
        its plates for it to keep."""
        epoch, pruning = plate_epoch(connection)
        if epoch != self.plate_epoch:
            self.known_plates.clear()
            self.plate_epoch = epoch
        if pruning:
            keep_plates(connection, sorted(plates))
        return plates - self.known_plates

    def _remember(self, plates: Iterable[str]) -> None:
        if len(self.known_plates) > KNOWN_PLATES_KEPT:
            self.known_plates.clear()
        self.known_plates.update(plates)
