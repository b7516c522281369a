"""Notification of alerts to CAD or in-car systems: a JSON POST per alert to the hot list's
webhook, retried with backoff; failures stay visible (hot lists page) until delivered."""

from __future__ import annotations

import json
import logging
import urllib.request
from datetime import datetime, timedelta
from urllib.error import URLError

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from alpr.data.models import Alert, Camera, HotList, HotListEntry, Priority, WebhookDelivery
from alpr.recognition.certainty import certainty
from alpr.recognition.sources import redact_url

LOG = logging.getLogger("alpr.worker")
RANK = {Priority.LOW: 0, Priority.MEDIUM: 1, Priority.HIGH: 2}
MAX_ATTEMPTS = 8


def enqueue(session: Session, *, alert_ids: list[int], now: datetime) -> int:
    """One delivery per new alert whose list has a webhook and whose priority is enough."""
    rows = session.execute(
        select(Alert.id, Alert.priority, HotList.webhook_url, HotList.webhook_min_priority)
        .join(HotList, HotList.id == Alert.hot_list_id)
        .where(Alert.id.in_(alert_ids), HotList.webhook_url.is_not(None))
    ).all()
    queued = 0
    for alert_id, priority, url, minimum in rows:
        if minimum is None or RANK[priority] >= RANK[minimum]:
            session.add(
                WebhookDelivery(
                    alert_id=alert_id, url=url, attempts=0, next_attempt_at=now, created_at=now
                )
            )
            queued += 1
    return queued


def _payload(session: Session, alert: Alert) -> bytes:
    entry = session.get(HotListEntry, alert.entry_id)
    camera = session.get(Camera, alert.camera_id)
    hot_list = session.get(HotList, alert.hot_list_id)
    assert entry is not None and camera is not None and hot_list is not None
    return json.dumps(
        {
            "alert_id": alert.id,
            "plate": alert.plate,
            "priority": alert.priority.value,
            "match": alert.match_kind.value,
            "alternative": alert.alternative,
            "alternative_score": alert.alternative_score,
            "certainty": certainty(alert.alternative),
            "captured_at": alert.read_captured_at.isoformat(),
            "camera": camera.name,
            "lat": camera.lat,
            "lon": camera.lon,
            "list": hot_list.name,
            "reason": entry.reason,
            "case_number": entry.case_number,
            "state": entry.state,
            "vehicle": " ".join(
                v for v in (entry.vehicle_color, entry.vehicle_make, entry.vehicle_model) if v
            ),
            "notice": "Verify visually and through CLETS/NCIC before any action.",
        }
    ).encode()


def deliver_due(engine: Engine, *, now: datetime, timeout_s: float = 5.0) -> tuple[int, int]:
    """Try every delivery that is due; returns (delivered, failed)."""
    delivered = failed = 0
    with Session(engine) as session, session.begin():
        due = list(
            session.execute(
                select(WebhookDelivery).where(
                    WebhookDelivery.delivered_at.is_(None),
                    WebhookDelivery.attempts < MAX_ATTEMPTS,
                    or_(
                        WebhookDelivery.next_attempt_at.is_(None),
                        WebhookDelivery.next_attempt_at <= now,
                    ),
                )
            ).scalars()
        )
        for delivery in due:
            alert = session.get(Alert, delivery.alert_id)
            assert alert is not None
            request = urllib.request.Request(  # noqa: S310  (agency-configured endpoint)
                delivery.url,
                data=_payload(session, alert),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            delivery.attempts += 1
            try:
                with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310
                    if response.status >= 300:
                        raise URLError(f"HTTP {response.status}")
                delivery.delivered_at = now
                delivery.last_error = None
                delivered += 1
            except (URLError, OSError) as exc:
                delivery.last_error = str(exc)[:500]
                delivery.next_attempt_at = now + timedelta(seconds=2**delivery.attempts * 5)
                failed += 1
                LOG.warning(
                    "webhook for alert %s to %s failed (attempt %d): %s",
                    alert.id,
                    redact_url(delivery.url),
                    delivery.attempts,
                    exc,
                )
    return delivered, failed
