"""Alert notifications to CAD / in-car systems: a JSON POST per alert, retried with backoff,
failures recorded."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import select, update

from alpr.data.models import HotList, Priority, WebhookDelivery
from alpr.governance import hotlists
from alpr.governance.runtime import Runtime
from alpr.recognition.ingest import Ingestor, ReadRecord
from alpr.recognition.webhooks import deliver_due
from tests.conftest import Clock
from tests.integration.builders import World


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[dict[str, object]]]]:
    received: list[dict[str, object]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(json.loads(body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/cad", received
    server.shutdown()


def test_alert_is_posted_and_failures_are_retried_later(
    rt: Runtime, clock: Clock, receiver: tuple[str, list[dict[str, object]]]
) -> None:
    url, received = receiver
    hotlists.ensure_list(rt, actor=None, name="SVS", kind="stolen_vehicle")
    hotlists.add_entry(
        rt,
        actor=None,
        list_name="SVS",
        pattern="7ABC123",
        reason="Stolen",
        case_number="26-00001",
        priority="high",
    )
    with rt.transaction() as session:
        session.execute(update(HotList).values(webhook_url=url, webhook_min_priority=Priority.HIGH))
    camera = World(rt).camera("cam", 37.7, -122.4)
    Ingestor(rt.engine, rt.images).store(
        [
            ReadRecord(
                camera_id=camera,
                captured_at=clock.now,
                plate="7ABC123",
                confidence=0.9,
                lat=37.7,
                lon=-122.4,
            )
        ],
        now=clock.now,
    )
    assert deliver_due(rt.engine, now=clock.now) == (1, 0)
    assert received[0]["plate"] == "7ABC123" and received[0]["priority"] == "high"
    assert "CLETS" in str(received[0]["notice"])

    with rt.transaction() as session:
        session.execute(update(HotList).values(webhook_url="http://127.0.0.1:9/closed"))
    Ingestor(rt.engine, rt.images).store(
        [
            ReadRecord(
                camera_id=camera,
                captured_at=clock.now + timedelta(minutes=5),
                plate="7ABC123",
                confidence=0.9,
                lat=37.7,
                lon=-122.4,
            )
        ],
        now=clock.now + timedelta(minutes=5),
    )
    later = clock.now + timedelta(minutes=5)
    assert deliver_due(rt.engine, now=later, timeout_s=1) == (0, 1)
    assert deliver_due(rt.engine, now=later, timeout_s=1) == (0, 0)  # backing off
    with rt.transaction() as session:
        failed = session.execute(
            select(WebhookDelivery).where(WebhookDelivery.delivered_at.is_(None))
        ).scalar_one()
        assert failed.attempts == 1 and failed.last_error
