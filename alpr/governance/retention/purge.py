"""Automatic purge by category (R30, R31): reads that produced no hit, reads that did, image
files and the snapshots they were read from (kept by the worker's folders, a camera's or a
back-fill's), alerts with their reviews, expired hot-list entries, release requests and the
access log, each after its own retention period; the corrections and other readings of purged
reads go with them, and the plate dictionary keeps only the plates that reads, their other
readings or corrections still name.
Held reads are never purged, nor the snapshots of their pass. On Postgres a whole month of
ordinary reads past retention goes by dropping its partition, with the partition of their
other readings; otherwise rows go in batches that do not lock out ingest.
The run is recorded with counts per category, never plate numbers; a real purge runs only on
an access log that verifies, and ends with a signed checkpoint of it."""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import Connection, delete, exists, func, select, text
from sqlalchemy.orm import Session

from alpr.data.dialect import add_months, partition_name, prune_plates
from alpr.data.models import (
    AccessRecord,
    Alert,
    AlertReview,
    Camera,
    HotListEntry,
    Image,
    LegalHold,
    LegalHoldRead,
    PurgeRun,
    Read,
    ReadAlternative,
    ReadCorrection,
    ReadVehicleCorrection,
    User,
    WebhookDelivery,
)
from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput
from alpr.governance.gateway import Act, Actor, Done, administered_job
from alpr.governance.oversight.checkpoints import (
    ChainBroken,
    Checkpoint,
    verify_chain,
    write_checkpoint,
)
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.retention.release_records import purge_release_records, remove_folders
from alpr.governance.runtime import Runtime
from alpr.policy import limit_of
from alpr.recognition.snapshot_folders import remembered_folders
from alpr.recognition.sources import finished_snapshots, is_stream

BATCH = 5000
ACCESS_LOG_FLOOR_DAYS = 365


# Each category as people count it: one, and more than one.
CATEGORIES: dict[str, tuple[str, str]] = {
    "reads_nonhit": ("read without a hit", "reads without a hit"),
    "reads_hit": ("read with a hit", "reads with a hit"),
    "read_corrections": ("correction of a misread", "corrections of misreads"),
    "read_alternatives": ("other reading of a purged read", "other readings of purged reads"),
    "read_vehicle_corrections": (
        "correction of a vehicle description",
        "corrections of vehicle descriptions",
    ),
    "plates": ("plate no longer read", "plates no longer read"),
    "images": ("image", "images"),
    "snapshots": ("camera snapshot", "camera snapshots"),
    "alerts": ("alert", "alerts"),
    "hotlist_entries_expired": ("expired hot-list entry", "expired hot-list entries"),
    "access_records": ("access-log record", "access-log records"),
    "release_requests": ("request for data", "requests for data"),
}


def found_in_words(counts: Mapping[str, int]) -> str:
    """What a purge removed or a preview counted, as people say it: "31 reads without a hit,
    1 image"; "nothing" when every count is zero."""

    def counted(key: str, n: int) -> str:
        one, many = CATEGORIES.get(key, (key.replace("_", " "),) * 2)
        return f"{n:,} {one if n == 1 else many}"

    return ", ".join(counted(k, n) for k, n in counts.items() if n) or "nothing"


@dataclass
class PurgeReport:
    as_of: datetime
    dry_run: bool
    run_by: str
    counts: dict[str, int] = field(default_factory=dict)
    methods: dict[str, object] = field(default_factory=dict)
    # reads (removing them), other readings, plates (naming the plates of what went, and the
    # dictionary prune)
    seconds: dict[str, float] = field(default_factory=dict)
    run_id: int | None = None
    checkpoint: Checkpoint | None = None  # the access log's, signed after a real purge


def _held(session: Session) -> set[int]:
    return set(
        session.execute(
            select(LegalHoldRead.read_id)
            .join(LegalHold, LegalHold.id == LegalHoldRead.hold_id)
            .where(LegalHold.released_at.is_(None))
        ).scalars()
    )


def _standard_months_before(conn: Connection, cutoff: datetime) -> list[date]:
    """The months of ordinary reads and readings wholly past ``cutoff``: those attached, and
    any a purge detached and did not get to drop (stopped in between), which no search sees
    any more and which would otherwise stay for ever."""
    names = conn.execute(
        text(
            "SELECT relname FROM pg_class WHERE relkind = 'r' "
            "AND relname ~ '^(reads|read_alternatives)_standard_[0-9]{4}_[0-9]{2}$'"
        )
    ).scalars()
    months = set()
    for name in names:
        year, month = name.rsplit("_", 2)[-2:]
        start = date(int(year), int(month), 1)
        end = datetime.combine(add_months(start, 1), datetime.min.time(), tzinfo=cutoff.tzinfo)
        if end <= cutoff:
            months.add(start)
    return sorted(months)


class MonthsDropped(NamedTuple):
    reads: int = 0
    readings: int = 0
    naming_seconds: float = 0.0
    boundary: datetime | None = None  # where the months dropped end


def _drop_partitions(
    rt: Runtime, report: PurgeReport, cutoff: datetime, plates: set[str]
) -> MonthsDropped:
    """Drop whole months of ordinary reads past retention, each with its month of other
    readings, and add the plates they named to ``plates``. The months of reads and those of
    readings are dropped side by side, on two connections: each detach waits for the
    transactions under way. Naming the plates of a month is the dictionary prune's work, and
    its time is returned apart."""
    with rt.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for parent, name in conn.execute(_PENDING_DETACH).all():
            conn.execute(text(f"ALTER TABLE {parent} DETACH PARTITION {name} FINALIZE"))
        months = _standard_months_before(conn, cutoff)
    if not months:
        return MonthsDropped()
    parents = ["reads_standard"] if report.dry_run else [*_STANDARD_PARENTS]
    with ThreadPoolExecutor(len(parents)) as pool:
        dropped = list(
            pool.map(
                lambda parent: _drop_months(rt, parent, months, dry_run=report.dry_run), parents
            )
        )
    for month in dropped:
        plates.update(month.plates)
    report.methods["reads_nonhit_partitions_dropped"] = [
        partition_name("reads_standard", start) for start in months
    ]
    return MonthsDropped(
        reads=dropped[0].rows,
        readings=sum(month.rows for month in dropped[1:]),
        naming_seconds=max(month.naming_seconds for month in dropped),
        boundary=datetime.combine(
            add_months(months[-1], 1), datetime.min.time(), tzinfo=cutoff.tzinfo
        ),
    )


_STANDARD_PARENTS = ("reads_standard", "read_alternatives_standard")


@dataclass
class _Dropped:
    rows: int = 0
    plates: set[str] = field(default_factory=set)
    naming_seconds: float = 0.0


def _drop_months(rt: Runtime, parent: str, months: list[date], *, dry_run: bool) -> _Dropped:
    """Detach each month of ``parent`` CONCURRENTLY (outside a transaction, which never blocks
    ingest or searches), count it and name its plates in one scan, and drop it; a dry run
    only counts."""
    dropped = _Dropped()
    with rt.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for month in months:
            name = partition_name(parent, month)
            attached = conn.execute(
                text("SELECT relispartition FROM pg_class WHERE relname = :name AND relkind = 'r'"),
                {"name": name},
            ).scalar()
            if attached is None:
                continue
            if dry_run:
                dropped.rows += int(conn.execute(text(f"SELECT count(*) FROM {name}")).scalar_one())
                continue
            if attached:
                conn.execute(text(f"ALTER TABLE {parent} DETACH PARTITION {name} CONCURRENTLY"))
            naming = time.monotonic()
            for plate, count in conn.execute(
                text(f"SELECT plate, count(*) FROM {name} GROUP BY plate")
            ):
                dropped.plates.add(plate)
                dropped.rows += count
            dropped.naming_seconds += time.monotonic() - naming
            conn.execute(text(f"DROP TABLE {name}"))
    return dropped


# A detach interrupted earlier is finalized before anything else.
_PENDING_DETACH = text(
    "SELECT p.relname, c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
    "JOIN pg_class p ON p.oid = i.inhparent "
    f"WHERE p.relname IN {_STANDARD_PARENTS} AND i.inhdetachpending"
)


def _delete_reads(
    rt: Runtime,
    report: PurgeReport,
    *,
    retained: bool,
    cutoff: datetime,
    held: set[int],
    plates: set[str],
    after: datetime | None = None,
) -> tuple[int, set[str]]:
    """Delete in batches, one short transaction each, so ingest is never locked out; returns
    the reads and images deleted, and adds the plates they named to ``plates``."""
    with rt.transaction() as session:
        query = select(
            Read.id, Read.image_sha256, Read.crop_sha256, Read.vehicle_crop_sha256, Read.plate
        ).where(Read.retained.is_(retained), Read.captured_at < cutoff)
        if after is not None:
            query = query.where(Read.captured_at >= after)
        rows = [r for r in session.execute(query).all() if r.id not in held]
    images = {d for r in rows for d in (r.image_sha256, r.crop_sha256, r.vehicle_crop_sha256) if d}
    plates.update(r.plate for r in rows)
    if not report.dry_run:
        for offset in range(0, len(rows), BATCH):
            with rt.transaction() as session:
                session.execute(
                    delete(Read).where(
                        Read.id.in_([r.id for r in rows[offset : offset + BATCH]]),
                        Read.retained.is_(retained),
                        Read.captured_at < cutoff,
                    )
                )
    return len(rows), images


def _purge_alerts(
    session: Session, *, cutoff: datetime, review_floor: datetime, held: set[int], dry_run: bool
) -> int:
    """Alerts past the alert retention go with their reviews and CAD deliveries, except the
    alerts of held reads (R31) and those reviewed within the last year (the reviews are
    accountability records the database keeps at least that long)."""
    recent_review = select(AlertReview.id).where(
        AlertReview.alert_id == Alert.id, AlertReview.reviewed_at >= review_floor
    )
    doomed = [
        alert_id
        for alert_id, read_id in session.execute(
            select(Alert.id, Alert.read_id).where(Alert.created_at < cutoff, ~exists(recent_review))
        )
        if read_id not in held
    ]
    if not dry_run:
        for offset in range(0, len(doomed), BATCH):
            chunk = doomed[offset : offset + BATCH]
            session.execute(delete(AlertReview).where(AlertReview.alert_id.in_(chunk)))
            session.execute(delete(WebhookDelivery).where(WebhookDelivery.alert_id.in_(chunk)))
            session.execute(delete(Alert).where(Alert.id.in_(chunk)))
    return len(doomed)


# A held read's snapshot is kept with those of its camera taken this close to it: the tracker
# ends a pass after three seconds without its plate.
HELD_PASS_MARGIN = timedelta(seconds=3)


def _purge_snapshots(rt: Runtime, session: Session, *, cutoff: datetime, dry_run: bool) -> int:
    """The snapshots the worker's folders keep after reading them (or failing to), captured
    before ``cutoff``: images of every vehicle that passed, held outside the image store, go
    when the images of their time do. The folders are the cameras' watched folders and every
    folder the worker has read snapshots from (back-fills); those of a held read's pass stay
    (R31)."""
    cameras: dict[Path, set[int]] = {}
    sources = session.execute(
        select(Camera.id, Camera.source_url).where(Camera.source_url.is_not(None))
    ).all()
    for camera_id, source in sources:
        if source and not is_stream(source):
            cameras.setdefault(Path(source).resolve(), set()).add(camera_id)
    for remembered in remembered_folders(rt.settings.data_dir):
        cameras.setdefault(remembered.folder.resolve(), set()).add(remembered.camera_id)
    held = _held_times(session)
    doomed = []
    for folder, camera_ids in sorted(cameras.items()):
        if not folder.is_dir():
            continue
        times = sorted(t for camera_id in camera_ids for t in held.get(camera_id, ()))
        for snapshot in finished_snapshots(folder):
            taken = datetime.fromtimestamp(snapshot.stat().st_mtime, cutoff.tzinfo)
            if taken < cutoff and not _near(times, taken):
                doomed.append(snapshot)
    if not dry_run:
        for snapshot in doomed:
            snapshot.unlink(missing_ok=True)
    return len(doomed)


def _held_times(session: Session) -> dict[int, list[datetime]]:
    """When each camera's held reads were captured."""
    times: dict[int, list[datetime]] = {}
    for camera_id, at in session.execute(
        select(Read.camera_id, Read.captured_at)
        .join(
            LegalHoldRead,
            (LegalHoldRead.read_id == Read.id)
            & (LegalHoldRead.read_captured_at == Read.captured_at),
        )
        .join(LegalHold, LegalHold.id == LegalHoldRead.hold_id)
        .where(LegalHold.released_at.is_(None))
    ):
        times.setdefault(camera_id, []).append(at)
    return times


def _near(times: list[datetime], at: datetime) -> bool:
    """Whether one of the sorted ``times`` is within the margin of a pass of ``at``."""
    index = bisect_left(times, at - HELD_PASS_MARGIN)
    return index < len(times) and times[index] <= at + HELD_PASS_MARGIN


def _purge_corrections(session: Session, plates: set[str]) -> int:
    """Corrections whose read is gone: they name its plates, time and camera's read. The
    plates they corrected to are added to ``plates``."""
    orphans = ~exists(
        select(Read.id).where(
            Read.id == ReadCorrection.read_id, Read.captured_at == ReadCorrection.read_captured_at
        )
    )
    corrected = list(
        session.execute(
            delete(ReadCorrection).where(orphans).returning(ReadCorrection.corrected_plate)
        ).scalars()
    )
    plates.update(corrected)
    return len(corrected)


def _purge_other_readings(
    rt: Runtime, *, retained: bool, before: datetime, plates: set[str]
) -> int:
    """The other readings (retained or not) whose read is gone (read before ``before``), a day
    of reads at a time, one short transaction each; the plates they named are added to
    ``plates``."""
    removed = 0
    oldest = _oldest_reading(rt, retained=retained, since=None)
    while oldest is not None and oldest < before:
        until = min(oldest + timedelta(days=1), before)
        orphans = ~exists(
            select(Read.id).where(
                Read.camera_id == ReadAlternative.camera_id,
                Read.captured_at == ReadAlternative.captured_at,
                Read.plate == ReadAlternative.read_plate,
            )
        )
        with rt.transaction() as session:
            gone = session.execute(
                delete(ReadAlternative)
                .where(
                    ReadAlternative.retained.is_(retained),
                    ReadAlternative.captured_at >= oldest,
                    ReadAlternative.captured_at < until,
                    orphans,
                )
                .returning(ReadAlternative.plate)
            ).scalars()
            for plate in gone:
                plates.add(plate)
                removed += 1
        oldest = _oldest_reading(rt, retained=retained, since=until)
    return removed


def _oldest_reading(rt: Runtime, *, retained: bool, since: datetime | None) -> datetime | None:
    """When the oldest read with other readings kept (retained or not, since ``since``) was
    taken."""
    query = select(func.min(ReadAlternative.captured_at)).where(
        ReadAlternative.retained.is_(retained)
    )
    if since is not None:
        query = query.where(ReadAlternative.captured_at >= since)
    with rt.transaction() as session:
        oldest: datetime | None = session.execute(query).scalar_one()
        return oldest


def _purge_vehicle_corrections(session: Session) -> int:
    """Vehicle corrections whose read is gone."""
    orphans = ~exists(
        select(Read.id).where(
            Read.id == ReadVehicleCorrection.read_id,
            Read.captured_at == ReadVehicleCorrection.read_captured_at,
        )
    )
    return len(
        session.execute(
            delete(ReadVehicleCorrection).where(orphans).returning(ReadVehicleCorrection.id)
        ).all()
    )


def purge(
    rt: Runtime,
    *,
    actor: Principal | None = None,
    as_of: datetime | None = None,
    dry_run: bool = False,
) -> PurgeReport:
    """Purge what is past retention as of ``as_of`` (now by default), or count it (``dry_run``);
    an administered act of the ALPR Administrator, or of the system's daily job (no actor).

    Destruction only when due: a purge as of a date after now is only ever a preview, and a
    purge never removes anything younger than the law's retention floors, measured by the
    database's clock, whatever the date it is given."""
    if not dry_run and as_of is not None and as_of > rt.now():
        raise InvalidInput(
            f"--as-of {as_of:%Y-%m-%d} is after today: a purge as of a future date is only a "
            "preview (--dry-run)"
        )

    def run(who: Actor) -> Done[PurgeReport]:
        if not dry_run:  # nothing is destroyed from a log that does not verify
            with rt.transaction() as session:
                chain = verify_chain(rt, session).report
            if not chain.ok:
                raise ChainBroken(chain.problem or "the access log does not verify")
        report = _purge(rt, as_of=as_of, dry_run=dry_run, run_by=who.name)
        if not dry_run:
            report.checkpoint = write_checkpoint(rt, reason="purge", purge_run=report.run_id)
        return Done(
            report,
            detail=("purge preview" if dry_run else "purge")
            + f" as of {report.as_of:%Y-%m-%d}: {found_in_words(report.counts)}",
        )

    return administered_job(
        rt,
        Act(
            actor,
            Permission.MANAGE_RETENTION,
            Event.PURGE,
            "purge preview" if dry_run else "purge",
        ),
        run,
    )


def _purge(rt: Runtime, *, as_of: datetime | None, dry_run: bool, run_by: str) -> PurgeReport:
    started = rt.now()
    as_of = as_of or started
    report = PurgeReport(as_of=as_of, dry_run=dry_run, run_by=run_by)
    with rt.transaction() as session:
        policy = rt.policy(session)
        db_now = session.execute(select(func.now())).scalar_one()
    db_now = db_now if db_now.tzinfo else db_now.replace(tzinfo=as_of.tzinfo)

    def cutoff(key: str) -> datetime:
        """Older than this goes: the policy's period back from ``as_of``, and never later than
        the law's floor for the category back from the database's now (a preview may look
        ahead; it deletes nothing)."""
        due = as_of - timedelta(days=getattr(policy, key))
        limit = limit_of(key)
        if dry_run or limit is None or limit.low is None:
            return due
        return min(due, db_now - timedelta(days=limit.low))

    nonhit_cutoff = cutoff("retention_nonhit_days")
    hit_cutoff = cutoff("retention_hit_days")
    image_cutoff = cutoff("retention_image_days")
    hotlist_cutoff = cutoff("retention_hotlist_expired_days")
    # The database refuses to delete accountability records younger than this, whatever the
    # clock of the run says.
    record_floor = db_now - timedelta(days=ACCESS_LOG_FLOOR_DAYS)
    audit_cutoff = min(cutoff("retention_audit_days"), record_floor)
    alert_cutoff = cutoff("retention_alert_days")
    release_cutoff = cutoff("retention_release_days")

    with rt.transaction() as session:
        held = _held(session)
    reads_started = time.monotonic()
    named: set[str] = set()  # the plates the purged reads and corrections named
    months = (
        _drop_partitions(rt, report, nonhit_cutoff, named) if rt.is_postgres else MonthsDropped()
    )
    deleted, old_images = _delete_reads(
        rt,
        report,
        retained=False,
        cutoff=nonhit_cutoff,
        held=held,
        plates=named,
        after=months.boundary,
    )
    report.counts["reads_nonhit"] = months.reads + deleted
    report.methods["reads_nonhit"] = (
        "partition drop + batched delete" if months.reads else "batched delete"
    )
    report.counts["reads_hit"], hit_images = _delete_reads(
        rt, report, retained=True, cutoff=hit_cutoff, held=held, plates=named
    )
    report.seconds["reads"] = round(time.monotonic() - reads_started - months.naming_seconds, 3)

    if not dry_run:  # what goes with the reads is counted as it goes
        with rt.transaction() as session:
            report.counts["read_corrections"] = _purge_corrections(session, named)
            report.counts["read_vehicle_corrections"] = _purge_vehicle_corrections(session)
        readings_started = time.monotonic()
        report.counts["read_alternatives"] = (
            months.readings
            + _purge_other_readings(rt, retained=False, before=nonhit_cutoff, plates=named)
            + _purge_other_readings(rt, retained=True, before=hit_cutoff, plates=named)
        )
        report.methods["read_alternatives"] = (
            "partition drop + batched delete" if months.readings else "batched delete"
        )
        report.seconds["read_alternatives"] = round(time.monotonic() - readings_started, 3)
        pruning_started = time.monotonic()
        report.counts["plates"] = prune_plates(rt.engine, at=rt.now(), among=named)
        report.methods["plates"] = f"{len(named)} plates named by what was purged, checked"
        report.seconds["plates"] = round(
            time.monotonic() - pruning_started + months.naming_seconds, 3
        )

    with rt.transaction() as session:
        stale = set(
            session.execute(select(Image.sha256).where(Image.stored_at < image_cutoff)).scalars()
        )
        candidates = sorted(stale | old_images | hit_images)
        kept: set[str] = set()
        for offset in range(0, len(candidates), BATCH):
            chunk = candidates[offset : offset + BATCH]
            for image, crop, vehicle, read_id, at in session.execute(
                select(
                    Read.image_sha256,
                    Read.crop_sha256,
                    Read.vehicle_crop_sha256,
                    Read.id,
                    Read.captured_at,
                ).where(
                    (Read.image_sha256.in_(chunk))
                    | (Read.crop_sha256.in_(chunk))
                    | (Read.vehicle_crop_sha256.in_(chunk))
                )
            ):
                if at >= image_cutoff or read_id in held:
                    kept |= {d for d in (image, crop, vehicle) if d}
        doomed = sorted(set(candidates) - kept)
        if not dry_run:
            for digest in doomed:
                rt.images.delete(digest)
            for offset in range(0, len(doomed), BATCH):
                session.execute(
                    delete(Image).where(Image.sha256.in_(doomed[offset : offset + BATCH]))
                )
        report.counts["images"] = len(doomed)
        report.counts["snapshots"] = _purge_snapshots(
            rt, session, cutoff=image_cutoff, dry_run=dry_run
        )

    with rt.transaction() as session:
        report.counts["alerts"] = _purge_alerts(
            session, cutoff=alert_cutoff, review_floor=record_floor, held=held, dry_run=dry_run
        )

    with rt.transaction() as session:
        report.counts["release_requests"], folders = purge_release_records(
            rt, session, cutoff=release_cutoff, dry_run=dry_run
        )
    remove_folders(folders)

    with rt.transaction() as session:
        expired = select(HotListEntry.id).where(HotListEntry.expires_at < hotlist_cutoff)
        report.counts["hotlist_entries_expired"] = len(session.execute(expired).all())
        if not dry_run:
            referenced = select(Alert.entry_id)
            session.execute(
                delete(HotListEntry).where(
                    HotListEntry.id.in_(expired), HotListEntry.id.not_in(referenced)
                )
            )

    with rt.transaction() as session:
        prefix = []
        for record_id, at, digest in session.execute(
            select(AccessRecord.id, AccessRecord.at, AccessRecord.hash).order_by(AccessRecord.id)
        ):
            if at >= audit_cutoff:
                break
            prefix.append((record_id, digest))
        report.counts["access_records"] = len(prefix)
        if prefix and not dry_run:
            # The run, with its anchor, is recorded first: the database deletes access records
            # only past an anchor.
            report.methods["access_log_anchor"] = prefix[-1][1]
            report.methods["access_log_through_id"] = prefix[-1][0]
        run = PurgeRun(
            started_at=started,
            finished_at=rt.now(),
            as_of=as_of,
            dry_run=dry_run,
            counts=report.counts,
            methods=report.methods,
            run_by=run_by,
        )
        session.add(run)
        session.flush()
        report.run_id = run.id
        if prefix and not dry_run:
            session.execute(delete(AccessRecord).where(AccessRecord.id <= prefix[-1][0]))
    return report


@dataclass(frozen=True)
class PurgeRunView:
    started_at: datetime
    as_of: datetime
    dry_run: bool
    counts: dict[str, int]
    run_by: str  # the person's name, or the system's for the nightly job


def recent_runs(rt: Runtime, *, limit: int = 20) -> list[PurgeRunView]:
    with rt.transaction() as session:
        return [
            PurgeRunView(
                r.started_at,
                r.as_of,
                r.dry_run,
                {k: int(n) for k, n in r.counts.items()},
                name or r.run_by,
            )
            for r, name in session.execute(
                select(PurgeRun, User.full_name)
                .outerjoin(User, User.username == PurgeRun.run_by)
                .order_by(PurgeRun.id.desc())
                .limit(limit)
            )
        ]
