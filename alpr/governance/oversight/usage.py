"""Usage statistics for command staff (counts, never plates) and the public figures of the
transparency page, where small counts are shown as bands (R52)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alpr.data.models import (
    AccessRecord,
    Alert,
    AlertReview,
    Audit,
    Camera,
    Read,
    ReleaseRequest,
)
from alpr.governance.access_log import Event
from alpr.governance.gateway import Act, Actor, Done, administered
from alpr.governance.justification import PURPOSE_LABELS
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime


@dataclass(frozen=True)
class CommandStatistics:
    reads_per_day: list[tuple[str, int]]
    reads_per_camera: list[tuple[str, int]]
    hits: int
    hit_ratio: float
    dispositions: dict[str, int]
    median_minutes_to_review: float | None
    searches_by_purpose: dict[str, int]
    searches_by_user: dict[str, int]
    releases: dict[str, int]
    audits_signed_off: int
    audits_open: int


def _since(rt: Runtime, days: int) -> datetime:
    return rt.now() - timedelta(days=days)


def command_statistics(rt: Runtime, *, principal: Principal, days: int = 30) -> CommandStatistics:
    since = _since(rt, days)

    def run(session: Session, _who: Actor) -> Done[CommandStatistics]:
        day = func.date(Read.captured_at)
        per_day = [
            (str(d), n)
            for d, n in session.execute(
                select(day, func.count())
                .where(Read.captured_at >= since)
                .group_by(day)
                .order_by(day)
            )
        ]
        per_camera = [
            (c, n)
            for c, n in session.execute(
                select(Camera.name, func.count())
                .join(Read, Read.camera_id == Camera.id)
                .where(Read.captured_at >= since)
                .group_by(Camera.name)
                .order_by(func.count().desc())
            )
        ]
        reads = sum(n for _, n in per_day)
        hits = session.execute(
            select(func.count()).where(Alert.read_captured_at >= since)
        ).scalar_one()
        dispositions = {
            d.value: n
            for d, n in session.execute(
                select(AlertReview.disposition, func.count()).group_by(AlertReview.disposition)
            )
        }
        delays = [
            (reviewed - created).total_seconds() / 60
            for created, reviewed in session.execute(
                select(Alert.created_at, func.min(AlertReview.reviewed_at))
                .join(AlertReview, AlertReview.alert_id == Alert.id)
                .group_by(Alert.id, Alert.created_at)
            )
        ]
        searches = list(
            session.execute(
                select(AccessRecord.purpose, AccessRecord.username).where(
                    AccessRecord.event == "search",
                    AccessRecord.outcome == "allowed",
                    AccessRecord.at >= since,
                )
            )
        )
        by_purpose: dict[str, int] = {}
        by_user: dict[str, int] = {}
        for purpose, username in searches:
            label = PURPOSE_LABELS.get(purpose, purpose) if purpose else "none"  # type: ignore[call-overload]
            by_purpose[str(label)] = by_purpose.get(str(label), 0) + 1
            by_user[username] = by_user.get(username, 0) + 1
        releases = {
            f"{k.value} / {d.value}": n
            for k, d, n in session.execute(
                select(
                    ReleaseRequest.requester_kind, ReleaseRequest.rules_decision, func.count()
                ).group_by(ReleaseRequest.requester_kind, ReleaseRequest.rules_decision)
            )
        }
        signed = session.execute(
            select(func.count()).where(Audit.signed_off_at.is_not(None))
        ).scalar_one()
        open_audits = session.execute(
            select(func.count()).where(Audit.signed_off_at.is_(None))
        ).scalar_one()
        delays.sort()
        return Done(
            CommandStatistics(
                per_day,
                per_camera,
                hits,
                round(hits / reads, 5) if reads else 0.0,
                dispositions,
                round(delays[len(delays) // 2], 1) if delays else None,
                by_purpose,
                by_user,
                releases,
                signed,
                open_audits,
            )
        )

    return administered(
        rt,
        Act(principal, Permission.VIEW_STATISTICS, Event.SYSTEM, "usage statistics", view=True),
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
    cameras: str
    reads: str
    hits: str
    searches_by_purpose: dict[str, str]
    agencies_shared_with: str
    audits_completed: str


def _public(session: Session, since: datetime) -> PublicFigures:
    cameras = session.execute(
        select(func.count()).select_from(Camera).where(Camera.enabled.is_(True))
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
        label = str(PURPOSE_LABELS.get(purpose, purpose)) if purpose else "none"  # type: ignore[call-overload]
        purposes[label] = purposes.get(label, 0) + 1
    shared = session.execute(
        select(func.count(func.distinct(ReleaseRequest.agency_id))).where(
            ReleaseRequest.status == "fulfilled", ReleaseRequest.filed_at >= since
        )
    ).scalar_one()
    audits = session.execute(select(func.count()).where(Audit.signed_off_at >= since)).scalar_one()
    return PublicFigures(
        str(cameras),
        band(reads),
        band(hits),
        {k: band(v) for k, v in sorted(purposes.items())},
        band(shared),
        str(audits),
    )


def public_figures(rt: Runtime) -> PublicFigures:
    """Aggregates for the last 30 days; no plate, image or location of a single read."""
    with rt.transaction() as session:
        return _public(session, _since(rt, 30))
