"""Usage statistics for command staff (counts, never plates) and the public figures of the
transparency page, where small counts are shown as bands (R52). A period is the agency's
calendar days, today the last, and a count per day is per the agency's day. Each look at the
figures is recorded (``command_statistics``), and a figure leaves as a file only through
``statistics_csv``, which records the export."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, case, exists, func, select, union
from sqlalchemy.orm import QueryableAttribute, Session

from alpr.data.dialect import local_day
from alpr.data.models import (
    AccessRecord,
    Agency,
    Alert,
    AlertReview,
    Audit,
    Camera,
    CameraHeartbeat,
    CameraKind,
    CameraStatus,
    Disposition,
    HotList,
    Read,
    ReleasePackage,
    ReleaseRequest,
    User,
    WebhookDelivery,
)
from alpr.governance.access_log import Event
from alpr.governance.camera_names import camera_label
from alpr.governance.errors import InvalidInput
from alpr.governance.gateway import Act, Actor, Done, administered
from alpr.governance.justification import PURPOSE_LABELS
from alpr.governance.oversight.exports import ExportedFile, csv_bytes
from alpr.governance.permissions import Permission, role_definition
from alpr.governance.principal import Principal
from alpr.governance.releases.labels import AGENCY_KINDS, RULES_DECISIONS
from alpr.governance.runtime import Runtime
from alpr.recognition.health import HEARTBEAT_S

DISPOSITIONS = {
    Disposition.CONFIRMED: "Confirmed",
    Disposition.MISREAD: "Misread",
    Disposition.WRONG_STATE: "Wrong state",
    Disposition.VEHICLE_MISMATCH: "Vehicle does not match",
    Disposition.ENTRY_INACTIVE: "Entry no longer active",
    Disposition.DISMISSED: "Dismissed",
}


@dataclass(frozen=True)
class CameraFigures:
    """One camera's period: reads, hot-list hits and, when the worker reported its health,
    the share of the period it was up."""

    camera: str
    place: str | None  # the camera's location, in words
    mobile: bool
    reads: int
    hits: int
    uptime_percent: float | None
    health_reports: int

    @property
    def where(self) -> str:
        """The camera as people name it: its place, then its code."""
        return camera_label(self.camera, self.place)


@dataclass(frozen=True)
class PersonSearches:
    """One person's searches of the period, by name and role, with the purposes they stated,
    most searched first."""

    name: str
    role: str
    searches: int
    purposes: list[tuple[str, int]]  # purpose in words, searches


@dataclass(frozen=True)
class CommandStatistics:
    reads_per_day: list[tuple[str, int]]
    cameras: list[CameraFigures]
    hits_per_list: list[tuple[str, int, int]]  # list, hits, confirmed
    hits: int
    hit_ratio: float
    dispositions_per_day: list[tuple[str, str, int]]  # day, disposition in words, alerts
    minutes_to_review_per_day: list[tuple[str, float]]  # day, median minutes
    median_minutes_to_review: float | None
    searches_per_day: list[tuple[str, str, int]]  # day, purpose in words, searches
    searches_by_person: list[PersonSearches]  # most searches first
    releases: list[tuple[str, str, int]]  # requester's kind, the law's decision, requests
    audits_signed_off: int
    audits_open: int

    @property
    def reads(self) -> int:
        return sum(n for _, n in self.reads_per_day)


def _since(rt: Runtime, days: int) -> datetime:
    """The start of the last ``days`` calendar days in the agency's zone, today included:
    midnight there, whatever UTC's date."""
    tz = rt.settings.tz
    first = rt.now().astimezone(tz).date() - timedelta(days=days - 1)
    return datetime.combine(first, time(0), tzinfo=tz)


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 1)


def _purpose(purpose: str | None) -> str:
    return str(PURPOSE_LABELS.get(purpose, purpose)) if purpose else "none"  # type: ignore[call-overload]


def _most(counted: tuple[str, int]) -> tuple[int, str]:
    """Most first, then by name."""
    return -counted[1], counted[0]


def _aware(moment: datetime | None, now: datetime) -> datetime:
    """A stored time in the runtime's zone (SQLite keeps it naive, in UTC); none is now."""
    if moment is None:
        return now
    return moment if moment.tzinfo else moment.replace(tzinfo=now.tzinfo)


def _cameras(session: Session, rt: Runtime, since: datetime) -> list[CameraFigures]:
    """Uptime is measured from the camera's registration or its first report in the period,
    whichever is earlier: the reports it sent up, at the worker's interval, over that time."""
    reads = dict(
        session.execute(
            select(Read.camera_id, func.count())
            .where(Read.captured_at >= since)
            .group_by(Read.camera_id)
        ).all()
    )
    hits = dict(
        session.execute(
            select(Alert.camera_id, func.count())
            .where(Alert.read_captured_at >= since)
            .group_by(Alert.camera_id)
        ).all()
    )
    up = CameraHeartbeat.status == CameraStatus.UP
    health = {
        camera_id: (int(reports), int(up_reports or 0), first)
        for camera_id, reports, up_reports, first in session.execute(
            select(
                CameraHeartbeat.camera_id,
                func.count(),
                func.sum(case((up, 1), else_=0)),
                func.min(CameraHeartbeat.at),
            )
            .where(CameraHeartbeat.at >= since)
            .group_by(CameraHeartbeat.camera_id)
        )
    }
    now = rt.now()
    figures = []
    for camera in session.execute(select(Camera).order_by(Camera.name)).scalars():
        reports, up_reports, first = health.get(camera.id, (0, 0, None))
        observed = (
            now - max(since, min(_aware(camera.created_at, now), _aware(first, now)))
        ).total_seconds()
        uptime = (
            round(min(100.0, 100 * up_reports * HEARTBEAT_S / observed), 1)
            if reports and observed > 0
            else None
        )
        figures.append(
            CameraFigures(
                camera.name,
                camera.location_name,
                camera.kind is CameraKind.MOBILE,
                int(reads.get(camera.id, 0)),
                int(hits.get(camera.id, 0)),
                uptime,
                reports,
            )
        )
    return figures


def _statistics(session: Session, rt: Runtime, days: int) -> CommandStatistics:
    since = _since(rt, days)
    tz = rt.settings.tz

    def day_of(column: QueryableAttribute[datetime]) -> ColumnElement[Any]:
        return local_day(column, tz=tz, since=since, until=rt.now(), postgres=rt.is_postgres)

    day = day_of(Read.captured_at)
    per_day = [
        (str(d), int(n))
        for d, n in session.execute(
            select(day, func.count()).where(Read.captured_at >= since).group_by(day).order_by(day)
        )
    ]
    cameras = _cameras(session, rt, since)
    reads = sum(n for _, n in per_day)
    hits = sum(c.hits for c in cameras)
    confirmed = func.sum(case((AlertReview.disposition == Disposition.CONFIRMED, 1), else_=0))
    per_list = [
        (name, int(n), int(c or 0))
        for name, n, c in session.execute(
            select(HotList.name, func.count(func.distinct(Alert.id)), confirmed)
            .join(Alert, Alert.hot_list_id == HotList.id)
            .outerjoin(AlertReview, AlertReview.alert_id == Alert.id)
            .where(Alert.read_captured_at >= since)
            .group_by(HotList.name)
            .order_by(func.count(func.distinct(Alert.id)).desc(), HotList.name)
        )
    ]
    review_day = day_of(AlertReview.reviewed_at)
    dispositions = [
        (str(d), DISPOSITIONS[disposition], int(n))
        for d, disposition, n in session.execute(
            select(review_day, AlertReview.disposition, func.count())
            .where(AlertReview.reviewed_at >= since)
            .group_by(review_day, AlertReview.disposition)
            .order_by(review_day)
        )
    ]
    delays: dict[str, list[float]] = {}
    for created, reviewed in session.execute(
        select(Alert.created_at, func.min(AlertReview.reviewed_at))
        .join(AlertReview, AlertReview.alert_id == Alert.id)
        .where(Alert.created_at >= since)
        .group_by(Alert.id, Alert.created_at)
    ):
        delays.setdefault(created.astimezone(tz).date().isoformat(), []).append(
            (reviewed - created).total_seconds() / 60
        )
    search_day = day_of(AccessRecord.at)
    searches = [
        (str(d), _purpose(purpose), int(n))
        for d, purpose, n in session.execute(
            select(search_day, AccessRecord.purpose, func.count())
            .where(
                AccessRecord.event == "search",
                AccessRecord.outcome == "allowed",
                AccessRecord.at >= since,
            )
            .group_by(search_day, AccessRecord.purpose)
            .order_by(search_day)
        )
    ]
    by_person: dict[str, tuple[str, str, list[tuple[str, int]]]] = {}
    for username, name, role, purpose, n in session.execute(
        select(
            AccessRecord.username,
            User.full_name,
            User.role_code,
            AccessRecord.purpose,
            func.count(),
        )
        .outerjoin(User, User.id == AccessRecord.user_id)
        .where(
            AccessRecord.event == "search",
            AccessRecord.outcome == "allowed",
            AccessRecord.at >= since,
        )
        .group_by(AccessRecord.username, User.full_name, User.role_code, AccessRecord.purpose)
    ):
        person = by_person.setdefault(
            username, (name or username, role_definition(role).name if role else "", [])
        )
        person[2].append((_purpose(purpose), int(n)))
    searchers = sorted(
        (
            PersonSearches(name, role, sum(n for _, n in purposes), sorted(purposes, key=_most))
            for name, role, purposes in by_person.values()
        ),
        key=lambda p: (-p.searches, p.name),
    )
    releases = [
        (AGENCY_KINDS[kind], RULES_DECISIONS[decision], int(n))
        for kind, decision, n in session.execute(
            select(
                ReleaseRequest.requester_kind, ReleaseRequest.rules_decision, func.count()
            ).group_by(ReleaseRequest.requester_kind, ReleaseRequest.rules_decision)
        )
    ]
    signed = session.execute(
        select(func.count()).where(Audit.signed_off_at.is_not(None))
    ).scalar_one()
    open_audits = session.execute(
        select(func.count()).where(Audit.signed_off_at.is_(None))
    ).scalar_one()
    every_delay = [m for values in delays.values() for m in values]
    return CommandStatistics(
        reads_per_day=per_day,
        cameras=cameras,
        hits_per_list=per_list,
        hits=hits,
        hit_ratio=round(hits / reads, 5) if reads else 0.0,
        dispositions_per_day=dispositions,
        minutes_to_review_per_day=[(d, _median(v)) for d, v in sorted(delays.items())],
        median_minutes_to_review=_median(every_delay) if every_delay else None,
        searches_per_day=searches,
        searches_by_person=searchers,
        releases=releases,
        audits_signed_off=signed,
        audits_open=open_audits,
    )


def command_statistics(rt: Runtime, *, principal: Principal, days: int = 30) -> CommandStatistics:
    """The period's figures for command staff: counts per camera, unit, list, purpose and day,
    never a plate; each look recorded in the transaction that counts them, with the period.

    Looking is recorded as an export is (``statistics_csv``): the figures are drawn from ALPR
    data and from the access log (who searched how often), and the policies promise a system
    "capable of documenting all access of information by name, date and time" (Accountability
    (a); R20), exempting no aggregate. No justification is asked: this is the monitoring of use
    the policies ask of command (R23, R24), not a query for a plate or a place."""
    period = _period(days)

    def run(session: Session, _who: Actor) -> Done[CommandStatistics]:
        return Done(
            _statistics(session, rt, period),
            query={
                "kind": "statistics_view",
                "days": period,
                "since": _since(rt, period).isoformat(),
            },
            detail=f"usage statistics over {period} days viewed",
        )

    return administered(
        rt, Act(principal, Permission.VIEW_STATISTICS, Event.VIEW_READ, "usage statistics"), run
    )


def _period(days: int) -> int:
    if days < 1:
        raise InvalidInput("the period is at least one day")
    return days


class Figure(StrEnum):
    """The figures of the statistics page, each drawn as a chart and downloadable as CSV."""

    CAMERA_UPTIME = "camera-uptime"
    READS_AND_HITS_PER_CAMERA = "reads-and-hits-per-camera"
    READS_AND_HITS_PER_UNIT = "reads-and-hits-per-unit"
    READS_PER_DAY = "reads-per-day"
    HITS_PER_LIST = "hits-per-list"
    DISPOSITIONS_PER_DAY = "alert-dispositions-per-day"
    MINUTES_TO_REVIEW_PER_DAY = "minutes-to-review-per-day"
    SEARCHES_PER_DAY = "searches-per-day-by-purpose"


@dataclass(frozen=True)
class FigureTable:
    """A figure's rows, as its chart draws them and its CSV holds them."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def _per_camera(stats: CommandStatistics, *, mobile: bool) -> FigureTable:
    return FigureTable(
        ("Camera", "Reads", "Hits"),
        [
            (c.where, c.reads, c.hits)
            for c in stats.cameras
            if c.mobile is mobile and (c.reads or c.hits)
        ],
    )


_TABLES: dict[Figure, Callable[[CommandStatistics], FigureTable]] = {
    Figure.CAMERA_UPTIME: lambda stats: FigureTable(
        ("Camera", "Kind", "Uptime (%)", "Health reports"),
        [
            (
                c.where,
                "In-car unit" if c.mobile else "Fixed camera",
                c.uptime_percent,
                c.health_reports,
            )
            for c in stats.cameras
            if c.uptime_percent is not None
        ],
    ),
    Figure.READS_AND_HITS_PER_CAMERA: lambda stats: _per_camera(stats, mobile=False),
    Figure.READS_AND_HITS_PER_UNIT: lambda stats: _per_camera(stats, mobile=True),
    Figure.READS_PER_DAY: lambda stats: FigureTable(("Day", "Reads"), list(stats.reads_per_day)),
    Figure.HITS_PER_LIST: lambda stats: FigureTable(
        ("List", "Hits", "Confirmed"), list(stats.hits_per_list)
    ),
    Figure.DISPOSITIONS_PER_DAY: lambda stats: FigureTable(
        ("Day", "Disposition", "Alerts"), list(stats.dispositions_per_day)
    ),
    Figure.MINUTES_TO_REVIEW_PER_DAY: lambda stats: FigureTable(
        ("Day", "Median minutes"), list(stats.minutes_to_review_per_day)
    ),
    Figure.SEARCHES_PER_DAY: lambda stats: FigureTable(
        ("Day", "Purpose", "Searches"), list(stats.searches_per_day)
    ),
}


def figure_table(stats: CommandStatistics, figure: Figure) -> FigureTable:
    return _TABLES[figure](stats)


def statistics_csv(rt: Runtime, *, principal: Principal, days: int, figure: Figure) -> ExportedFile:
    """One figure of the last ``days`` days as CSV, worked out and recorded as an export (the
    figure, the period, the file and its SHA-256) in one transaction before it is handed back;
    refused, and the refusal recorded, for a person who may not see the statistics.

    Every figure's CSV is recorded, counts included. The five policies promise a system
    "capable of documenting all access of information by name, date and time" (Accountability
    (a); R20) and exempt no aggregate; the figures per camera and per unit name places (a
    camera's location), the hot lists' figures name the lists, and counts leave the
    department only through the recorded records procedure (R45). Nothing in the policies
    lets a file of them leave unrecorded."""
    period = _period(days)

    def run(session: Session, _who: Actor) -> Done[ExportedFile]:
        table = figure_table(_statistics(session, rt, period), figure)
        today = rt.now().astimezone(rt.settings.tz).date()
        exported = ExportedFile(
            f"{figure.value}-{today.isoformat()}.csv",
            csv_bytes(table.columns, table.rows),
            "text/csv",
        )
        return Done(
            exported,
            query={
                "kind": "statistics_export",
                "figure": figure.value,
                "days": period,
                "since": _since(rt, period).isoformat(),
                **exported.described("csv"),
            },
            result_count=len(table.rows),
            detail=f"usage statistics, {figure.value} over {period} days, exported as CSV to "
            f"{exported.file_name}",
        )

    return administered(
        rt,
        Act(
            principal,
            Permission.VIEW_STATISTICS,
            Event.EXPORT,
            f"export of usage statistics ({figure.value})",
        ),
        run,
    )


def band(count: int) -> str:
    """Small numbers are shown as bands so that no individual can be singled out."""
    if count == 0:
        return "0"
    if count < 10:
        return "fewer than 10"
    if count < 100:
        return f"{count // 10 * 10}-{count // 10 * 10 + 9}"
    return f"about {round(count, -2):,}" if count < 10_000 else f"about {round(count, -3):,}"


@dataclass(frozen=True)
class PublicFigures:
    """The public page's figures. The cameras are counted as the public would count them: the
    fixed cameras and patrol-car readers the department has deployed (registered and switched
    on) today, whatever their health at this minute (that is the Cameras page's business, and
    a camera whose reads are imported is never watched live), and how many cameras read plates
    in the period."""

    fixed_cameras: int
    patrol_car_readers: int
    cameras_that_read: int
    reads: str
    hits: str
    searches_by_purpose: dict[str, str]
    agencies_shared_with: str
    audits_completed: str

    @property
    def cameras_deployed(self) -> int:
        return self.fixed_cameras + self.patrol_car_readers


def _public(session: Session, *, since: datetime) -> PublicFigures:
    deployed = dict(
        session.execute(
            select(Camera.kind, func.count()).where(Camera.enabled).group_by(Camera.kind)
        ).all()
    )
    read_in_period = exists().where(Read.camera_id == Camera.id, Read.captured_at >= since)
    cameras_that_read = session.execute(
        select(func.count()).select_from(Camera).where(read_in_period)
    ).scalar_one()
    reads = session.execute(select(func.count()).where(Read.captured_at >= since)).scalar_one()
    hits = session.execute(select(func.count()).where(Alert.read_captured_at >= since)).scalar_one()
    purposes: dict[str, int] = {}
    for (purpose,) in session.execute(
        select(AccessRecord.purpose).where(
            AccessRecord.event == "search",
            AccessRecord.outcome == "allowed",
            AccessRecord.at >= since,
        )
    ):
        purposes[_purpose(purpose)] = purposes.get(_purpose(purpose), 0) + 1
    # An agency was shared with when a package was produced for it (a request's stored status
    # stays as filed: a decided request is never edited; its decision and package say the
    # rest), or when a hot-list alert was sent to it (the department's own systems aside).
    agencies = union(
        select(ReleaseRequest.agency_id)
        .join(ReleasePackage, ReleasePackage.request_id == ReleaseRequest.id)
        .where(ReleasePackage.produced_at >= since, ReleaseRequest.agency_id.is_not(None)),
        select(WebhookDelivery.agency_id)
        .join(Agency, Agency.id == WebhookDelivery.agency_id)
        .where(WebhookDelivery.delivered_at >= since, Agency.is_home.is_(False)),
    ).subquery()
    shared = session.execute(select(func.count()).select_from(agencies)).scalar_one()
    audits = session.execute(select(func.count()).where(Audit.signed_off_at >= since)).scalar_one()
    return PublicFigures(
        int(deployed.get(CameraKind.FIXED, 0)),
        int(deployed.get(CameraKind.MOBILE, 0)),
        int(cameras_that_read),
        band(reads),
        band(hits),
        {k: band(v) for k, v in sorted(purposes.items())},
        band(shared),
        str(audits),
    )


def public_figures(rt: Runtime) -> PublicFigures:
    """Aggregates for the last 30 days; no plate, image or location of a single read."""
    with rt.transaction() as session:
        return _public(session, since=_since(rt, 30))
