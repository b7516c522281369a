"""Alerts and the review before action (R13): nothing is "confirmed" until a person has
compared the plate characters in the image with the hot-list entry and confirmed through
CLETS/NCIC that the entry is still active; every review is in the access log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alpr.data.models import (
    Alert,
    AlertReview,
    Camera,
    CameraKind,
    Disposition,
    HotList,
    HotListEntry,
    Priority,
    Read,
)
from alpr.governance.access_log import Event
from alpr.governance.camera_names import camera_label
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import (
    Act,
    Actor,
    Answer,
    Done,
    JustificationInput,
    Request,
    administered,
    governed,
)
from alpr.governance.investigations.descriptions import described
from alpr.governance.justification import Justification
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from alpr.recognition.certainty import certainty


@dataclass(frozen=True)
class AlertView:
    id: int
    created_at: datetime
    plate: str
    read_id: int
    captured_at: datetime
    camera: str
    confidence: float
    match_kind: str
    priority: str
    is_retro: bool
    list_name: str
    list_stale: bool
    entry_pattern: str
    entry_state: str | None
    reason: str
    case_number: str | None
    vehicle: str
    crop_jpeg: bytes | None
    frame_jpeg: bytes | None
    disposition: str | None
    muted: bool
    # The reader's other reading that matched the hot-list entry, when the plate as read did
    # not, with the reader's score for it.
    alternative: str | None = None
    alternative_score: float | None = None
    # Where the read was taken, in words (see ``_place``); None for a camera with no location.
    place: str | None = None
    # The read's vehicle as the models described it ("white pickup truck"), to set beside the
    # vehicle the hot-list record describes; empty when the read was never described.
    read_vehicle: str = ""

    @property
    def certainty(self) -> str:
        return certainty(self.alternative)

    @property
    def where(self) -> str:
        """The place first and the camera after, as patrol needs them: "DC-003" alone says
        nowhere to go."""
        return camera_label(self.camera, self.place)


def _place(camera: Camera, read: Read | None) -> str | None:
    """Where a read was taken: a fixed camera's location, or an in-car unit with the read's
    own position (the unit moves)."""
    if camera.kind is CameraKind.MOBILE and read is not None:
        return f"{camera.location_name or camera.name}, at {read.lat:.5f}, {read.lon:.5f}"
    return camera.location_name


def latest_dispositions(session: Session, alert_ids: Sequence[int]) -> dict[int, str]:
    """Each alert's disposition from its newest review; alerts never reviewed are absent."""
    latest: dict[int, str] = {}
    if not alert_ids:
        return latest
    for alert_id, disposition in session.execute(
        select(AlertReview.alert_id, AlertReview.disposition)
        .where(AlertReview.alert_id.in_(alert_ids))
        .order_by(AlertReview.id)
    ):
        latest[alert_id] = disposition.value
    return latest


# What hot-list feeds put in a make or model field they do not know.
_NOT_KNOWN = {"", "unknown", "unk", "none", "n/a", "na", "-", "?"}


def listed_vehicle(entry: HotListEntry) -> str:
    """The hot-list record's vehicle in words ("dark grey sedan"), leaving out the placeholders
    feeds use for a field they do not know ("Unknown", "UNK")."""
    parts = (entry.vehicle_color, entry.vehicle_make, entry.vehicle_model)
    return " ".join(p.strip() for p in parts if p and p.strip().lower() not in _NOT_KNOWN)


def _views(session: Session, rt: Runtime, alerts: list[Alert]) -> list[AlertView]:
    views = []
    dispositions = latest_dispositions(session, [alert.id for alert in alerts])
    for alert in alerts:
        entry = session.get(HotListEntry, alert.entry_id)
        hot_list = session.get(HotList, alert.hot_list_id)
        camera = session.get(Camera, alert.camera_id)
        read = session.execute(
            select(Read).where(Read.id == alert.read_id, Read.captured_at == alert.read_captured_at)
        ).scalar_one_or_none()
        assert entry is not None and hot_list is not None and camera is not None
        views.append(
            AlertView(
                id=alert.id,
                created_at=alert.created_at,
                plate=alert.plate,
                read_id=alert.read_id,
                captured_at=alert.read_captured_at,
                camera=camera.name,
                confidence=read.confidence if read else 0.0,
                match_kind=alert.match_kind.value,
                priority=alert.priority.value,
                is_retro=alert.is_retro,
                list_name=hot_list.name,
                list_stale=alert.list_was_stale,
                entry_pattern=entry.pattern,
                entry_state=entry.state,
                reason=entry.reason,
                case_number=entry.case_number,
                vehicle=listed_vehicle(entry),
                crop_jpeg=rt.images.get(read.crop_sha256) if read and read.crop_sha256 else None,
                frame_jpeg=rt.images.get(read.image_sha256) if read and read.image_sha256 else None,
                disposition=dispositions.get(alert.id),
                muted=alert.muted_at is not None,
                alternative=alert.alternative,
                alternative_score=alert.alternative_score,
                place=_place(camera, read),
                read_vehicle=described(read.vehicle_colour, read.vehicle_type) if read else "",
            )
        )
    return views


def start_monitoring(
    rt: Runtime, *, principal: Principal, justification: JustificationInput | Justification
) -> None:
    """The reason for watching alerts this shift, checked and recorded once when watching
    starts, whether or not an alert is waiting: a reason the polls would refuse is refused
    here, before the person relies on a screen that shows nothing."""
    governed(
        rt,
        Request(
            principal=principal,
            permission=Permission.VIEW_ALERTS,
            kind="alerts",
            params={"start": True},
            justification=justification,
            event=Event.VIEW_READ,
            detail="alert monitoring started",
        ),
        lambda _session: Answer(None, read_ids=[]),
    )


def poll_alerts(
    rt: Runtime,
    *,
    principal: Principal,
    justification: JustificationInput | Justification,
    after_id: int = 0,
    since: datetime | None = None,
    limit: int = 50,
) -> list[AlertView]:
    """Alerts newer than ``after_id``; an access record is written only when alerts (and so
    ALPR data) are returned."""

    def newer(session: Session, _who: Actor) -> Done[list[int]]:
        query = select(Alert.id).where(Alert.id > after_id)
        if since is not None:
            query = query.where(Alert.created_at >= since)
        return Done(list(session.execute(query.order_by(Alert.id.desc()).limit(limit)).scalars()))

    fresh = administered(
        rt,
        Act(principal, Permission.VIEW_ALERTS, Event.VIEW_READ, "poll for new alerts", view=True),
        newer,
    )
    if not fresh:
        return []

    def run(session: Session) -> Answer[list[AlertView]]:
        alerts = list(
            session.execute(
                select(Alert).where(Alert.id.in_(fresh)).order_by(Alert.id.desc())
            ).scalars()
        )
        views = _views(session, rt, alerts)
        shown = {v.plate for v in views} | {v.alternative for v in views if v.alternative}
        return Answer(views, read_ids=[v.read_id for v in views], plates=sorted(shown))

    return governed(
        rt,
        Request(
            principal=principal,
            permission=Permission.VIEW_ALERTS,
            kind="alerts",
            params={"after_id": after_id, "since": since.isoformat() if since else None},
            justification=justification,
            event=Event.VIEW_READ,
        ),
        run,
    ).result


def review_alert(
    rt: Runtime,
    *,
    principal: Principal,
    alert_id: int,
    disposition: str,
    characters_compared: bool,
    clets_confirmed: bool,
    note: str,
    clets_confirmed_by: str | None = None,
    clets_confirmed_at: datetime | None = None,
    clets_reference: str | None = None,
) -> None:
    try:
        outcome = Disposition(disposition)
    except ValueError:
        raise InvalidInput(
            f"disposition is one of {', '.join(d.value for d in Disposition)}"
        ) from None
    if not note.strip():
        raise InvalidInput("every disposition needs a note")

    def run(session: Session, _who: Actor) -> Done[None]:
        _confirmable(
            outcome,
            characters_compared=characters_compared,
            clets=(clets_confirmed, clets_confirmed_by, clets_confirmed_at, clets_reference),
        )
        alert = session.get(Alert, alert_id)
        if alert is None:
            raise InvalidInput(f"no alert {alert_id}")
        session.add(
            AlertReview(
                alert_id=alert.id,
                reviewer_id=principal.user_id,
                characters_compared=characters_compared,
                clets_confirmed=clets_confirmed,
                clets_confirmed_by=clets_confirmed_by,
                clets_confirmed_at=clets_confirmed_at,
                clets_reference=clets_reference,
                disposition=outcome,
                note=note.strip(),
                reviewed_at=rt.now(),
            )
        )
        return Done(
            None,
            plates=[alert.plate],
            result_ids=[alert.read_id],
            detail=f"alert {alert.id} {outcome.value}: {note.strip()}"
            + (f" (CLETS {clets_reference} by {clets_confirmed_by})" if clets_confirmed else ""),
        )

    administered(
        rt,
        Act(principal, Permission.REVIEW_ALERTS, Event.ALERT_REVIEW, f"review alert {alert_id}"),
        run,
    )


def _confirmable(
    outcome: Disposition, *, characters_compared: bool, clets: tuple[object, ...]
) -> None:
    """R13: an alert is confirmed only after the visual comparison and the CLETS/NCIC check
    (who, when and the reference)."""
    if outcome is not Disposition.CONFIRMED:
        return
    missing = []
    if not characters_compared:
        missing.append("compare the plate characters in the image with the hot-list entry")
    if not all(clets):
        missing.append(
            "confirm through CLETS/NCIC that the entry is still active (who, when, reference)"
        )
    if missing:
        raise Refusal(
            RefusalKind.RULE,
            "An alert is confirmed only after you " + " and ".join(missing) + ".",
        )


def mute_alert(rt: Runtime, *, principal: Principal, alert_id: int) -> None:
    def run(session: Session, _who: Actor) -> Done[None]:
        alert = session.get(Alert, alert_id)
        if alert is None:
            raise InvalidInput(f"no alert {alert_id}")
        if alert.priority is Priority.HIGH:
            raise Refusal(RefusalKind.RULE, "High-priority alerts cannot be muted.")
        alert.muted_at = rt.now()
        alert.muted_by_id = principal.user_id
        return Done(None, detail=f"alert {alert.id} muted")

    administered(
        rt,
        Act(principal, Permission.REVIEW_ALERTS, Event.ALERT_REVIEW, f"mute alert {alert_id}"),
        run,
    )


@dataclass(frozen=True)
class AlertStatistics:
    reads: int
    alerts: int
    hit_ratio: float
    by_disposition: dict[str, int]
    by_list: dict[str, int]


def alert_statistics(rt: Runtime, *, principal: Principal) -> AlertStatistics:
    """Counts only (no plates): reads, hits, hit ratio, dispositions, per list."""

    def run(session: Session, _who: Actor) -> Done[AlertStatistics]:
        reads = session.execute(select(func.count()).select_from(Read)).scalar_one()
        alerts = session.execute(select(func.count()).select_from(Alert)).scalar_one()
        by_disposition = {
            d.value: n
            for d, n in session.execute(
                select(AlertReview.disposition, func.count()).group_by(AlertReview.disposition)
            ).all()
        }
        by_list = {
            name: n
            for name, n in session.execute(
                select(HotList.name, func.count())
                .join(Alert, Alert.hot_list_id == HotList.id)
                .group_by(HotList.name)
            ).all()
        }
        return Done(
            AlertStatistics(
                reads, alerts, round(alerts / reads, 6) if reads else 0.0, by_disposition, by_list
            )
        )

    return administered(
        rt,
        Act(principal, Permission.VIEW_STATISTICS, Event.SYSTEM, "alert statistics", view=True),
        run,
    )
