"""Notification of alerts to CAD or in-car systems: a delivery queued per alert for the hot
list's webhook and the agency it names, the JSON each one carries, and the POST. Which
deliveries may be sent, and the record of those sent, is the governance's
(``alpr.governance.hotlist_webhooks.deliver_due``); failures stay visible (hot lists page)."""

from __future__ import annotations

import base64
import json
import logging
import urllib.request
from datetime import datetime, timedelta
from http.client import HTTPException
from urllib.error import URLError
from urllib.parse import unquote, urlsplit, urlunsplit

from sqlalchemy import select
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
        select(
            Alert.id,
            Alert.priority,
            HotList.webhook_url,
            HotList.webhook_agency_id,
            HotList.webhook_min_priority,
        )
        .join(HotList, HotList.id == Alert.hot_list_id)
        .where(Alert.id.in_(alert_ids), HotList.webhook_url.is_not(None))
    ).all()
    queued = 0
    for alert_id, priority, url, agency_id, minimum in rows:
        if high_enough(priority, minimum):
            session.add(
                WebhookDelivery(
                    alert_id=alert_id,
                    url=url,
                    agency_id=agency_id,
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                )
            )
            queued += 1
    return queued


def high_enough(priority: Priority, minimum: Priority | None) -> bool:
    """Whether an alert of ``priority`` goes to a webhook that sends ``minimum`` and above
    (every alert when ``minimum`` is None)."""
    return minimum is None or RANK[priority] >= RANK[minimum]


def payload(session: Session, alert: Alert) -> bytes:
    """What the destination receives about one alert."""
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


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is the endpoint's answer, not a new destination: the alert goes to the
    address the governance allowed and nowhere else."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect())


def _target(url: str) -> tuple[str, dict[str, str]]:
    """The address without its user name and password, and the headers that carry them (HTTP
    basic authentication): ``urllib`` would take them for part of the host name."""
    parts = urlsplit(url)
    headers = {"Content-Type": "application/json"}
    if "@" not in parts.netloc:
        return url, headers
    userinfo, _, host = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    pair = f"{unquote(user)}:{unquote(password)}".encode()
    headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment)), headers


def post(url: str, body: bytes, *, timeout_s: float) -> None:
    """POST one alert; raises ``URLError`` (or ``OSError``) unless the endpoint took it with a
    2xx answer. A redirect is not followed and counts as not delivered, and so does an answer
    that is not HTTP."""
    address, headers = _target(url)
    request = urllib.request.Request(  # noqa: S310  (a destination the governance allowed)
        address, data=body, headers=headers, method="POST"
    )
    try:
        with _OPENER.open(request, timeout=timeout_s) as response:
            if not 200 <= response.status < 300:
                raise URLError(f"HTTP {response.status}")
    except (HTTPException, ValueError) as exc:
        raise URLError(f"{type(exc).__name__}: not an HTTP answer") from None


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=2**attempts * 5)


def warn_failed(alert_id: int, url: str, attempts: int, exc: Exception) -> None:
    LOG.warning(
        "webhook for alert %s to %s failed (attempt %d): %s",
        alert_id,
        redact_url(url),
        attempts,
        exc,
    )
