"""Alert notifications to CAD / in-car systems on both databases: a JSON POST per alert, retried
with backoff, failures kept. An alert sent out is ALPR data leaving the department (R40, R20):
only the ALPR Administrator sets where a list's alerts go (R04), only to the department itself
or a California law enforcement agency with an agreement in force (R40, R43, R44, R47), weighed
again before every delivery, and so is the alert (its list, its entry, its review, its priority);
every delivery sent is recorded as a release naming the alert, the plate and the agency, every
attempt that failed is recorded as one with no confirmed receipt (the alert may have reached
the receiver), and every one refused is recorded and kept as a problem. The address is bound to
the agency: its host must be one the register names for it, kept by the records desk and not by
the Administrator who sets webhooks (R04, R40, R47)."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer

import pytest
from sqlalchemy import select, update

from alpr.data.models import AccessRecord, Agency, Alert, Disposition, HotList, WebhookDelivery
from alpr.governance import alerts, hotlist_entries, hotlist_webhooks, hotlists
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.oversight.usage import public_figures
from alpr.governance.permissions import ROLE_CATALOGUE, Permission
from alpr.governance.releases import receiving_hosts, registry
from alpr.governance.runtime import Runtime
from alpr.recognition.ingest import Ingestor, ReadRecord
from alpr.recognition.webhooks import MAX_ATTEMPTS
from tests.conftest import Clock, SignedCli, TestUser
from tests.integration.builders import World

Receiver = tuple[str, list[dict[str, object]]]
OAKLAND = "Oakland Police Department"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
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


def _list_wanting(
    rt: Runtime,
    name: str,
    kind: str,
    reason: str,
    case_number: str,
    *,
    priority: str = "high",
    expires: date | None = None,
) -> str:
    """A hot list whose one entry, of high priority unless told, is 7ABC123."""
    hotlists.ensure_list(rt, actor=None, name=name, kind=kind)
    hotlists.add_entry(
        rt,
        actor=None,
        list_name=name,
        pattern="7ABC123",
        reason=reason,
        case_number=case_number,
        priority=priority,
        expires=expires,
    )
    return name


@pytest.fixture
def svs(rt: Runtime) -> str:
    return _list_wanting(rt, "SVS", "stolen_vehicle", "Stolen", "26-00001")


@pytest.fixture
def admin(make_user: Callable[..., TestUser]) -> TestUser:
    return make_user("ruiz", "administrator")


def _home_name(rt: Runtime) -> str:
    with rt.transaction() as session:
        return session.execute(select(Agency.name).where(Agency.is_home.is_(True))).scalar_one()


def _agency(
    rt: Runtime,
    name: str,
    kind: str = "ca_local_le",
    state: str = "CA",
    agreement: tuple[date, date | None] | None = (date(2025, 7, 1), date(2027, 6, 30)),
) -> int | None:
    """An agency in the register, with an agreement over ``agreement`` (start, end) if given;
    returns the agreement's id."""
    registry.add_agency(rt, actor=None, name=name, kind=kind, state=state)
    if agreement is None:
        return None
    return registry.add_agreement(
        rt,
        actor=None,
        agency_name=name,
        kind="mou",
        title=f"{name} ALPR sharing MOU",
        scope="Hot-list alerts and reads for criminal investigations",
        starts_on=agreement[0],
        ends_on=agreement[1],
        document_name="mou.pdf",
        document=b"%PDF-1.7 signed " + name.encode(),
    ).id


def _read(rt: Runtime, clock: Clock, camera: int) -> None:
    at = clock.now
    Ingestor(rt.engine, rt.images).store(
        [
            ReadRecord(
                camera_id=camera,
                captured_at=at,
                plate="7ABC123",
                confidence=0.9,
                lat=37.7,
                lon=-122.4,
            )
        ],
        now=at,
    )


def _releases(rt: Runtime) -> list[AccessRecord]:
    with rt.transaction() as session:
        records = session.execute(
            select(AccessRecord).where(AccessRecord.event == "release").order_by(AccessRecord.id)
        ).scalars()
        return list(records)


SENT = "hot-list alerts sent"
ATTEMPTED = "hot-list alerts attempted, no confirmed receipt"
REFUSED = "hot-list alerts refused, not sent"


def _said(record: AccessRecord) -> str:
    """What a release record of alerts says happened to them: sent, attempted or refused."""
    return (record.detail or "").split(":")[0]


def _changes(rt: Runtime, username: str, event: str = "hotlist_change") -> list[tuple[str, str]]:
    """The outcome and detail of each access record of ``username``'s acts of ``event``."""
    with rt.transaction() as session:
        return [
            (r.outcome, r.detail or "")
            for r in session.execute(
                select(AccessRecord)
                .where(AccessRecord.event == event, AccessRecord.username == username)
                .order_by(AccessRecord.id)
            ).scalars()
        ]


def _webhook(rt: Runtime, name: str) -> tuple[str | None, int | None]:
    with rt.transaction() as session:
        hot_list = session.execute(select(HotList).where(HotList.name == name)).scalar_one()
        return hot_list.webhook_url, hot_list.webhook_agency_id


def test_an_alert_sent_to_the_departments_cad_is_recorded_and_failures_retried_later(
    rt: Runtime, clock: Clock, receiver: Receiver, svs: str, admin: TestUser
) -> None:
    """R20, R40: the alert reaches the department's own CAD over HTTP, and the access log holds
    a release naming the alert, the plate and the agency; an endpoint that is down is retried
    with backoff, not recorded as sent: the attempt is recorded as one with no confirmed
    receipt, as every failed attempt is, a refused connection (which sent nothing) included."""
    url, received = receiver
    home = _home_name(rt)
    hotlist_webhooks.set_webhook(
        rt, actor=admin.principal, list_name=svs, url=url, agency_name=home, min_priority="high"
    )
    outcome, detail = _changes(rt, "ruiz")[-1]
    assert outcome == "success" and url in detail and home in detail
    camera = World(rt).camera("cam", 37.7, -122.4)
    _read(rt, clock, camera)

    assert hotlist_webhooks.deliver_due(rt) == (1, 0, 0)
    assert received[0]["plate"] == "7ABC123" and received[0]["priority"] == "high"
    assert "CLETS" in str(received[0]["notice"])
    [sent] = _releases(rt)
    assert (sent.outcome, sent.username, sent.plates) == ("allowed", "system", ["7ABC123"])
    assert sent.result_ids == [received[0]["alert_id"]]
    assert sent.query is not None and sent.query["agencies"] == [home]
    assert f"alert {received[0]['alert_id']} (7ABC123, SVS)" in (sent.detail or "")
    assert hotlist_webhooks.deliver_due(rt) == (0, 0, 0)  # nothing due: nothing recorded
    assert len(_releases(rt)) == 1

    hotlist_webhooks.set_webhook(
        rt, actor=admin.principal, list_name=svs, url="http://127.0.0.1:9/closed", agency_name=home
    )
    clock.advance(minutes=5)
    _read(rt, clock, camera)
    assert hotlist_webhooks.deliver_due(rt, timeout_s=1) == (0, 1, 0)
    assert hotlist_webhooks.deliver_due(rt, timeout_s=1) == (0, 0, 0)  # backing off
    with rt.transaction() as session:
        failed = session.execute(
            select(WebhookDelivery).where(WebhookDelivery.delivered_at.is_(None))
        ).scalar_one()
        assert failed.attempts == 1 and failed.last_error and failed.refused_at is None
    attempt = _releases(rt)[-1]
    assert (attempt.outcome, attempt.plates, _said(attempt)) == ("allowed", ["7ABC123"], ATTEMPTED)
    assert "Connection refused" in (attempt.detail or "") and "127.0.0.1:9" in (
        attempt.detail or ""
    )
    assert len(_releases(rt)) == 2


@pytest.mark.parametrize("role", ["sergeant", "patrol", "records_clerk", "command"])
def test_only_the_administrator_sets_or_clears_where_alerts_go(
    rt: Runtime,
    make_user: Callable[..., TestUser],
    receiver: Receiver,
    svs: str,
    admin: TestUser,
    role: str,
) -> None:
    """R04: setting or clearing a list's webhook is the ALPR Administrator's, who manages hot
    lists; anyone else is refused, the refusal recorded, and the list unchanged."""
    url, _ = receiver
    other = make_user("other", role)
    home = _home_name(rt)
    with pytest.raises(Refusal) as refused:
        hotlist_webhooks.set_webhook(
            rt, actor=other.principal, list_name=svs, url=url, agency_name=home
        )
    assert refused.value.kind is RefusalKind.PERMISSION
    assert _webhook(rt, svs) == (None, None)
    hotlist_webhooks.set_webhook(
        rt, actor=admin.principal, list_name=svs, url=url, agency_name=home
    )
    with pytest.raises(Refusal) as refused:
        hotlist_webhooks.clear_webhook(rt, actor=other.principal, list_name=svs)
    assert refused.value.kind is RefusalKind.PERMISSION
    assert _webhook(rt, svs)[0] == url
    assert [o for o, _ in _changes(rt, "other")] == ["refused", "refused"]
    assert hotlist_webhooks.clear_webhook(rt, actor=admin.principal, list_name=svs)
    assert _webhook(rt, svs) == (None, None)
    outcome, detail = _changes(rt, "ruiz")[-1]
    assert outcome == "success" and "cleared" in detail and url in detail and home in detail


@pytest.mark.parametrize(
    ("name", "kind", "state", "agreement", "why"),
    [
        ("Reno Police Department", "out_of_state", "NV", True, "1798.90.55"),
        ("United States Marshals Service", "federal", "US", True, "1798.90.55"),
        ("Bay Area Towing Co", "non_government", "CA", True, "not a law enforcement"),
        ("Hayward Police Department", "ca_local_le", "CA", False, "none is on file"),
        ("Fremont Police Department", "ca_local_le", "CA", "lapsed", "expired on 2026-06-30"),
        ("Alameda County Parks", "ca_public_other", "CA", True, "no commander reviewing"),
    ],
)
def test_a_destination_the_law_does_not_allow_is_refused_and_recorded(
    rt: Runtime,
    admin: TestUser,
    svs: str,
    name: str,
    kind: str,
    state: str,
    agreement: bool | str,
    why: str,
) -> None:
    """R40, R44, R45, R47: an agency outside California, federal or private, or one with no
    agreement in force, is refused as a destination by the release rules, whatever its
    agreement; the refusal names the destination and the agency in the access log."""
    span = (date(2025, 7, 1), date(2026, 6, 30)) if agreement == "lapsed" else None
    _agency(
        rt,
        name,
        kind,
        state,
        agreement=span or ((date(2025, 7, 1), None) if agreement else None),
    )
    with pytest.raises(Refusal) as refused:
        hotlist_webhooks.set_webhook(
            rt,
            actor=admin.principal,
            list_name=svs,
            url="https://cad.example.org/alerts",
            agency_name=name,
        )
    assert refused.value.kind is RefusalKind.RULE and why in refused.value.message
    assert _webhook(rt, svs) == (None, None)
    outcome, detail = _changes(rt, "ruiz")[-1]
    assert outcome == "refused" and "https://cad.example.org/alerts" in detail and name in detail
    assert name not in hotlist_webhooks.eligible_agencies(rt, principal=admin.principal)


def test_a_california_agency_with_an_agreement_in_force_receives_alerts_over_https(
    rt: Runtime, admin: TestUser, svs: str
) -> None:
    """R40, R47, R50, R20: a California police department with an agreement in force may
    receive a list's alerts, at an https address of a host registered for it only; an address
    not on this machine over plain http, or not a web address at all, is refused and the
    refusal recorded; an agency not in the register is refused before anything changes."""
    _agency(rt, OAKLAND)
    receiving_hosts.add_host(rt, actor=None, agency_name=OAKLAND, host="cad.oakland.example")
    bad = ("http://cad.oakland.example/alerts", "ftp://cad.oakland.example", "cad", "http://[x")
    for url in bad:
        with pytest.raises(Refusal) as refused:
            hotlist_webhooks.set_webhook(
                rt, actor=admin.principal, list_name=svs, url=url, agency_name=OAKLAND
            )
        assert refused.value.kind is RefusalKind.RULE
    recorded = _changes(rt, "ruiz")
    assert [o for o, _ in recorded] == ["refused"] * len(bad)
    assert "must use https" in recorded[0][1] and "not a web address" in recorded[2][1]
    with pytest.raises(InvalidInput, match="register"):
        hotlist_webhooks.set_webhook(
            rt,
            actor=admin.principal,
            list_name=svs,
            url="https://cad.example.org/alerts",
            agency_name="Nowhere PD",
        )
    assert _webhook(rt, svs) == (None, None)
    done = hotlist_webhooks.set_webhook(
        rt,
        actor=admin.principal,
        list_name=svs,
        url="https://user:secret@cad.oakland.example/alerts",
        agency_name=OAKLAND,
        min_priority="medium",
    )
    assert done.agency == OAKLAND and "secret" not in done.url
    assert _webhook(rt, svs)[0] == "https://user:secret@cad.oakland.example/alerts"
    assert OAKLAND in hotlist_webhooks.eligible_agencies(rt, principal=admin.principal)
    [shown] = hotlist_webhooks.destinations(rt, principal=admin.principal)
    assert (shown.agency, shown.problem) == (OAKLAND, None)
    assert not any("secret" in d for _, d in _changes(rt, "ruiz"))


def test_a_delivery_whose_agreement_ended_is_not_sent_and_stays_a_problem(
    rt: Runtime, clock: Clock, receiver: Receiver, svs: str, admin: TestUser
) -> None:
    """R47, R20: the agency is weighed again when a delivery is due. Once its agreement has
    ended the alert is not sent, the refusal is recorded naming the plate and the agency, it
    stays on the Hot lists page as refused, and it is not tried again; while the agreement
    stood, the alert sent counted among the agencies shared with on the public page (R52)."""
    url, received = receiver
    agreement = _agency(rt, OAKLAND)
    assert agreement is not None
    hotlist_webhooks.set_webhook(
        rt, actor=admin.principal, list_name=svs, url=url, agency_name=OAKLAND
    )
    camera = World(rt).camera("cam", 37.7, -122.4)
    assert public_figures(rt).agencies_shared_with == "0"
    _read(rt, clock, camera)
    assert hotlist_webhooks.deliver_due(rt) == (1, 0, 0)
    assert public_figures(rt).agencies_shared_with == "fewer than 10"
    assert _releases(rt)[-1].query["agencies"] == [OAKLAND]  # type: ignore[index]

    registry.end_agreement(
        rt, actor=None, agreement_id=agreement, ended_on=clock.now.date(), reason="Withdrawn"
    )
    clock.advance(minutes=5)
    _read(rt, clock, camera)
    assert hotlist_webhooks.deliver_due(rt) == (0, 0, 1)
    assert len(received) == 1
    refused = _releases(rt)[-1]
    assert (refused.outcome, refused.plates) == ("refused", ["7ABC123"])
    assert OAKLAND in (refused.detail or "") and "was ended" in (refused.detail or "")
    [problem] = hotlists.webhook_problems(rt, principal=admin.principal)
    assert problem.refused and "Not sent" in problem.last_error
    clock.advance(hours=1)
    assert hotlist_webhooks.deliver_due(rt) == (0, 0, 0)
    [shown] = hotlist_webhooks.destinations(rt, principal=admin.principal)
    assert shown.problem is not None and "was ended" in shown.problem


def test_a_webhook_written_straight_into_the_database_sends_nothing(
    rt: Runtime, clock: Clock, receiver: Receiver, svs: str, admin: TestUser
) -> None:
    """R40, R50: a list's webhook that names no agency from the register (set by hand in the
    database, or before destinations were checked) sends nothing; its alerts are refused and
    recorded, and a destination changed after an alert was queued does not receive it."""
    url, received = receiver
    with rt.transaction() as session:
        session.execute(update(HotList).values(webhook_url=url))
    camera = World(rt).camera("cam", 37.7, -122.4)
    _read(rt, clock, camera)
    assert hotlist_webhooks.deliver_due(rt) == (0, 0, 1)
    assert received == []
    assert _releases(rt)[-1].outcome == "refused"

    hotlist_webhooks.set_webhook(
        rt, actor=admin.principal, list_name=svs, url=url, agency_name=_home_name(rt)
    )
    clock.advance(minutes=5)
    _read(rt, clock, camera)
    with rt.transaction() as session:
        session.execute(update(HotList).values(webhook_url="http://127.0.0.1:9/elsewhere"))
    assert hotlist_webhooks.deliver_due(rt) == (0, 0, 1)
    assert received == []
    assert "changed or cleared" in (_releases(rt)[-1].detail or "")


def test_the_command_line_sets_and_clears_a_webhook_as_the_administrator(
    rt: Runtime,
    signed_cli: SignedCli,
    make_user: Callable[..., TestUser],
    receiver: Receiver,
    svs: str,
) -> None:
    """R04, R40: ``alpr hotlist webhook set`` works for the Administrator and is refused (exit 3)
    for a sergeant and for an agency outside California."""
    url, _ = receiver
    run = signed_cli(
        {"ruiz": make_user("ruiz", "administrator"), "kim": make_user("kim", "sergeant")}
    )
    _agency(rt, "Reno Police Department", "out_of_state", "NV")
    home = _home_name(rt)
    args = ("hotlist", "webhook", "set", svs, "--url", url, "--agency", home)
    code, out = run(*args, as_user="kim")
    assert code == 3, out
    code, out = run(
        "hotlist",
        "webhook",
        "set",
        svs,
        "--url",
        "https://cad.reno.example/alerts",
        "--agency",
        "Reno Police Department",
        as_user="ruiz",
    )
    assert code == 3 and "1798.90.55" in out, out
    code, out = run(*args, "--min-priority", "high", as_user="ruiz")
    assert code == 0 and home in out, out
    code, shown = run("hotlist", "webhook", "list", "--json", as_user="kim")
    assert code == 0 and shown == [
        {"list_name": svs, "url": url, "agency": home, "min_priority": "high", "problem": None}
    ]
    code, out = run("hotlist", "webhook", "clear", svs, as_user="ruiz")
    assert code == 0 and _webhook(rt, svs) == (None, None), out


class Endpoint:
    """A receiving system on this machine whose answer depends on the path: ``/cad`` takes
    the alert, ``/moved`` answers with a redirect to ``/elsewhere``, ``/garbage`` answers
    with something that is not HTTP, ``/unavailable`` with 503, ``/hangup`` closes the
    connection without answering, ``/slow`` takes the alert once ``release`` is set."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, str | None]] = []
        self.arrived = threading.Event()
        self.release = threading.Event()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                endpoint.requests.append(
                    (self.command, self.path, self.headers.get("Authorization"))
                )
                if self.path == "/moved":
                    self.send_response(302)
                    self.send_header("Location", "/elsewhere")
                    self.end_headers()
                    return
                if self.path == "/garbage":
                    self.wfile.write(b"not http at all\r\n")
                    return
                if self.path == "/hangup":
                    self.close_connection = True
                    return
                if self.path == "/unavailable":
                    self.send_response(503)
                    self.end_headers()
                    return
                if self.path == "/slow":
                    endpoint.arrived.set()
                    endpoint.release.wait(20)
                self.send_response(204)
                self.end_headers()

            do_POST = _answer
            do_GET = _answer

            def log_message(self, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"127.0.0.1:{self.server.server_port}"

    def url(self, path: str) -> str:
        return f"http://{self.base}{path}"

    def posts(self, path: str) -> int:
        return sum(1 for method, p, _ in self.requests if (method, p) == ("POST", path))


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    shown = Endpoint()
    thread = threading.Thread(target=shown.server.serve_forever, daemon=True)
    thread.start()
    yield shown
    shown.release.set()
    shown.server.shutdown()


def _one_alert_sent_home(
    rt: Runtime, clock: Clock, admin: TestUser, list_name: str, url: str
) -> None:
    """The list's alerts sent to ``url`` for the department itself, and one alert of it."""
    hotlist_webhooks.set_webhook(
        rt, actor=admin.principal, list_name=list_name, url=url, agency_name=_home_name(rt)
    )
    _read(rt, clock, World(rt).camera("cam", 37.7, -122.4))


def test_a_redirect_is_not_followed_and_the_alert_is_not_counted_as_sent(
    rt: Runtime, clock: Clock, endpoint: Endpoint, svs: str, admin: TestUser
) -> None:
    """R40, R20: the alert goes to the address the Administrator set for the agency named, and
    nowhere else: an endpoint that redirects is not followed (urllib would follow it, as a GET,
    and the alert would be recorded as sent to the agency), the delivery counts as failed and
    is retried, and is recorded as an attempt with no confirmed receipt, not as sent."""
    _one_alert_sent_home(rt, clock, admin, svs, endpoint.url("/moved"))
    assert hotlist_webhooks.deliver_due(rt, timeout_s=2) == (0, 1, 0)
    assert [(m, p) for m, p, _ in endpoint.requests] == [("POST", "/moved")]
    [attempt] = _releases(rt)
    assert _said(attempt) == ATTEMPTED and "302" in (attempt.detail or "")
    with rt.transaction() as session:
        delivery = session.execute(select(WebhookDelivery)).scalar_one()
        assert delivery.delivered_at is None and "302" in (delivery.last_error or "")


def test_an_endpoint_that_does_not_answer_http_fails_alone(
    rt: Runtime, clock: Clock, endpoint: Endpoint, svs: str, admin: TestUser
) -> None:
    """R20, R50: an answer that is not HTTP is a failed delivery like a refused connection. It
    does not abort the round: the alert sent to another list's system in the same round stays
    sent and recorded, and is not sent again; each attempt at the other is recorded apart."""
    _list_wanting(rt, "WANTED", "wanted_person", "Wanted", "26-00002")
    home = _home_name(rt)
    hotlist_webhooks.set_webhook(
        rt, actor=admin.principal, list_name=svs, url=endpoint.url("/cad"), agency_name=home
    )
    hotlist_webhooks.set_webhook(
        rt,
        actor=admin.principal,
        list_name="WANTED",
        url=endpoint.url("/garbage"),
        agency_name=home,
    )
    _read(rt, clock, World(rt).camera("cam", 37.7, -122.4))
    assert hotlist_webhooks.deliver_due(rt, timeout_s=2) == (1, 1, 0)
    sent, attempt = _releases(rt)
    assert (sent.outcome, _said(sent), attempt.outcome, _said(attempt)) == (
        "allowed",
        SENT,
        "allowed",
        ATTEMPTED,
    )
    assert "SVS" in (sent.detail or "") and "WANTED" not in (sent.detail or "")
    assert "WANTED" in (attempt.detail or "") and "SVS" not in (attempt.detail or "")
    clock.advance(hours=1)
    assert hotlist_webhooks.deliver_due(rt, timeout_s=2) == (0, 1, 0)
    assert endpoint.posts("/cad") == 1
    assert [_said(r) for r in _releases(rt)] == [SENT, ATTEMPTED, ATTEMPTED]


def test_a_webhook_with_a_user_and_password_authenticates_and_keeps_them_out_of_records(
    rt: Runtime, clock: Clock, endpoint: Endpoint, svs: str, admin: TestUser
) -> None:
    """R50, R20: an address with a user name and password (which ``set_webhook`` accepts)
    delivers with them as HTTP basic authentication to that host, where urllib would have
    taken them for part of the host name and failed, quoting the password; the records and
    the delivery's state never hold the password."""
    url = f"http://cad:s3cret@{endpoint.base}/cad"
    _one_alert_sent_home(rt, clock, admin, svs, url)
    assert hotlist_webhooks.deliver_due(rt, timeout_s=2) == (1, 0, 0)
    [(method, path, auth)] = endpoint.requests
    assert (method, path) == ("POST", "/cad")
    assert auth == "Basic " + base64.b64encode(b"cad:s3cret").decode()
    with rt.transaction() as session:
        details = [r.detail or "" for r in session.execute(select(AccessRecord)).scalars()]
        delivery = session.execute(select(WebhookDelivery)).scalar_one()
        assert delivery.last_error is None
    assert details and not any("s3cret" in d for d in details)


def test_two_rounds_at_once_send_an_alert_once(
    rt: Runtime, clock: Clock, endpoint: Endpoint, svs: str, admin: TestUser
) -> None:
    """R20, R40: the worker delivers from every camera thread and its heartbeat at once; a
    delivery one round is sending is not taken by another, so the agency gets the alert once
    and the access log has one release of it."""
    _one_alert_sent_home(rt, clock, admin, svs, endpoint.url("/slow"))
    outcomes: dict[str, object] = {}

    def round_(name: str) -> None:
        outcomes[name] = hotlist_webhooks.deliver_due(rt, timeout_s=30)

    first = threading.Thread(target=round_, args=("first",))
    first.start()
    assert endpoint.arrived.wait(10)
    second = threading.Thread(target=round_, args=("second",))
    second.start()
    second.join(3)  # Postgres: skips the delivery held; SQLite: waits for the write lock
    endpoint.release.set()
    first.join(30)
    second.join(30)
    assert outcomes == {"first": (1, 0, 0), "second": (0, 0, 0)}
    assert endpoint.posts("/slow") == 1
    assert len(_releases(rt)) == 1


DALY_CITY = "Daly City Police Department"


@pytest.mark.parametrize(
    ("url", "agency"),
    [
        ("https://collector.example.com/alerts", DALY_CITY),
        ("https://cad.dalycity.org.evil.example/alerts", DALY_CITY),
        ("https://evil.example/cad.dalycity.org", DALY_CITY),
        ("https://evil.example/alerts?to=cad.dalycity.org", DALY_CITY),
        ("https://cad.dalycity.org@evil.example/alerts", DALY_CITY),
        ("https://cad.dalycity.org:pw@evil.example/alerts", DALY_CITY),
        ("https://evil.example\\@cad.dalycity.org/alerts", DALY_CITY),
        ("https://dalycity.org/alerts", DALY_CITY),
        ("https://x.cad.dalycity.org/alerts", DALY_CITY),
        ("https://cad.dalycity.org./alerts", DALY_CITY),
        ("https://cad.internal.example/alerts", DALY_CITY),  # the department's host
        ("https://cad.dalycity.org/alerts", None),  # Daly City's host, for the department
        ("https://collector.example.com/alerts", None),
    ],
)
def test_an_address_at_a_host_not_registered_for_its_agency_is_refused_and_recorded(
    rt: Runtime, admin: TestUser, svs: str, url: str, agency: str | None
) -> None:
    """R40, R47, R20: the address is bound to the agency named. Its host must be one the
    register names for that agency, the whole host compared: a host that only starts with,
    ends with or contains a registered one, one named in the path, the query or as a user
    name, or another agency's host, is refused, the refusal recorded and the list unchanged,
    for an eligible agency and for the department itself alike."""
    _agency(rt, DALY_CITY)
    receiving_hosts.add_host(rt, actor=None, agency_name=DALY_CITY, host="cad.dalycity.org")
    home = _home_name(rt)
    receiving_hosts.add_host(rt, actor=None, agency_name=home, host="cad.internal.example")
    with pytest.raises(Refusal) as refused:
        hotlist_webhooks.set_webhook(
            rt, actor=admin.principal, list_name=svs, url=url, agency_name=agency or home
        )
    assert refused.value.kind is RefusalKind.RULE
    assert _webhook(rt, svs) == (None, None)
    [(outcome, detail)] = _changes(rt, "ruiz")
    assert outcome == "refused" and (agency or home) in detail
    assert "not a host" in detail or "not a web address" in detail


def test_an_address_at_a_registered_host_is_accepted_whatever_its_case_and_port(
    rt: Runtime, admin: TestUser, svs: str
) -> None:
    """R40, R47: the host is compared without regard to case or port, so the address the
    agency gave is accepted for it, and for no other agency."""
    _agency(rt, DALY_CITY)
    _agency(rt, OAKLAND)
    receiving_hosts.add_host(rt, actor=None, agency_name=DALY_CITY, host="CAD.DalyCity.org")
    url = "https://CAD.dalycity.ORG:8443/alerts"
    done = hotlist_webhooks.set_webhook(
        rt, actor=admin.principal, list_name=svs, url=url, agency_name=DALY_CITY
    )
    assert done.agency == DALY_CITY and _webhook(rt, svs)[0] == url
    [shown] = hotlist_webhooks.destinations(rt, principal=admin.principal)
    assert shown.problem is None
    with pytest.raises(Refusal, match="not a host where Oakland"):
        hotlist_webhooks.set_webhook(
            rt, actor=admin.principal, list_name=svs, url=url, agency_name=OAKLAND
        )


@pytest.mark.parametrize("role", ["administrator", "sergeant", "patrol", "command", "investigator"])
def test_only_the_records_desk_registers_where_an_agency_receives_data(
    rt: Runtime, make_user: Callable[..., TestUser], role: str
) -> None:
    """R04: the Administrator, who sets where alerts go, cannot also say where an agency
    receives them: registering or removing a host is the records desk's, anyone else is
    refused and the refusal recorded; no role holds both. The clerk's changes are recorded."""
    _agency(rt, DALY_CITY)
    other = make_user("other", role).principal
    clerk = make_user("nguyen", "records_clerk").principal
    with pytest.raises(Refusal) as refused:
        receiving_hosts.add_host(
            rt, actor=other, agency_name=DALY_CITY, host="collector.example.com"
        )
    assert refused.value.kind is RefusalKind.PERMISSION
    receiving_hosts.add_host(rt, actor=clerk, agency_name=DALY_CITY, host="cad.dalycity.org")
    with pytest.raises(Refusal) as refused:
        receiving_hosts.remove_host(rt, actor=other, agency_name=DALY_CITY, host="cad.dalycity.org")
    assert refused.value.kind is RefusalKind.PERMISSION
    assert [h.host for h in receiving_hosts.list_hosts(rt, actor=clerk)] == ["cad.dalycity.org"]
    assert [o for o, _ in _changes(rt, "other", "registry_change")] == ["refused", "refused"]
    [(outcome, detail)] = _changes(rt, "nguyen", "registry_change")
    assert outcome == "success" and "cad.dalycity.org" in detail and DALY_CITY in detail
    both = {Permission.MANAGE_HOTLISTS, Permission.REGISTER_HOSTS}
    assert not [r.name for r in ROLE_CATALOGUE if both <= r.permissions]


def test_a_host_removed_from_the_register_stops_its_deliveries(
    rt: Runtime, clock: Clock, svs: str, admin: TestUser, make_user: Callable[..., TestUser]
) -> None:
    """R40, R47, R20: the host is weighed again when a delivery is due. While it is registered
    the alert is tried (here an endpoint that is down: failed, retried); once the records desk
    removes it, the alert queued and those after it are refused, never sent, recorded as
    refused with the reason, and the destination shows why."""
    home = _home_name(rt)
    clerk = make_user("nguyen", "records_clerk").principal
    receiving_hosts.add_host(rt, actor=clerk, agency_name=home, host="127.0.0.2")
    _one_alert_sent_home(rt, clock, admin, svs, "https://127.0.0.2:9/cad")
    assert hotlist_webhooks.deliver_due(rt, timeout_s=1) == (0, 1, 0)

    receiving_hosts.remove_host(rt, actor=clerk, agency_name=home, host="127.0.0.2")
    clock.advance(hours=1)
    assert hotlist_webhooks.deliver_due(rt, timeout_s=1) == (0, 0, 1)
    refused = _releases(rt)[-1]
    assert (refused.outcome, refused.plates) == ("refused", ["7ABC123"])
    assert "127.0.0.2 is not a host" in (refused.detail or "")
    with rt.transaction() as session:
        delivery = session.execute(select(WebhookDelivery)).scalar_one()
        assert delivery.refused_at is not None and delivery.attempts == 1
    [shown] = hotlist_webhooks.destinations(rt, principal=admin.principal)
    assert shown.problem is not None and "not a host" in shown.problem


def test_a_webhook_set_before_hosts_were_registered_sends_nothing_until_its_host_is(
    rt: Runtime, clock: Clock, svs: str, admin: TestUser, make_user: Callable[..., TestUser]
) -> None:
    """R40, R47: a webhook set before the register named hosts (its address and agency
    written as an earlier version allowed) is refused at delivery, and is tried again once the
    records desk registers its host."""
    home = _home_name(rt)
    with rt.transaction() as session:
        home_id = session.execute(select(Agency.id).where(Agency.is_home.is_(True))).scalar_one()
        session.execute(
            update(HotList).values(webhook_url="https://127.0.0.2:9/cad", webhook_agency_id=home_id)
        )
    camera = World(rt).camera("cam", 37.7, -122.4)
    _read(rt, clock, camera)
    assert hotlist_webhooks.deliver_due(rt, timeout_s=1) == (0, 0, 1)
    receiving_hosts.add_host(
        rt, actor=make_user("nguyen", "records_clerk").principal, agency_name=home, host="127.0.0.2"
    )
    clock.advance(minutes=5)
    _read(rt, clock, camera)
    assert hotlist_webhooks.deliver_due(rt, timeout_s=1) == (0, 1, 0)


@pytest.mark.parametrize(
    "host",
    [
        "",
        "https://cad.dalycity.org",
        "cad.dalycity.org/alerts",
        "cad.dalycity.org:443",
        "*.dalycity.org",
        "cad.dalycity.org.",
        "user@cad.dalycity.org",
        "cad..dalycity.org",
        "-cad.dalycity.org",
        "10.1.1.010",
    ],
)
def test_a_host_is_registered_only_as_a_whole_host_name(rt: Runtime, host: str) -> None:
    """R40: the register holds whole host names (or IP addresses), compared exactly: a URL,
    a port, a path, a wildcard or a name written otherwise is bad input, and nothing is
    added."""
    _agency(rt, DALY_CITY)
    with pytest.raises(InvalidInput):
        receiving_hosts.add_host(rt, actor=None, agency_name=DALY_CITY, host=host)
    assert receiving_hosts.list_hosts(rt, actor=None) == []


def test_the_command_line_registers_and_removes_hosts_as_the_records_desk(
    rt: Runtime, signed_cli: SignedCli, make_user: Callable[..., TestUser]
) -> None:
    """R04, R40: ``alpr agencies host add|list|remove`` works for a records clerk and is
    refused (exit 3) for the Administrator."""
    run = signed_cli(
        {"ruiz": make_user("ruiz", "administrator"), "nguyen": make_user("nguyen", "records_clerk")}
    )
    _agency(rt, DALY_CITY)
    args = ("agencies", "host", "add", DALY_CITY, "cad.dalycity.org")
    code, out = run(*args, as_user="ruiz")
    assert code == 3, out
    code, out = run(*args, as_user="nguyen")
    assert code == 0 and "cad.dalycity.org" in out, out
    code, shown = run("agencies", "host", "list", "--json", as_user="ruiz")
    assert code == 0 and [(h["agency"], h["host"], h["added_by"]) for h in shown] == [
        (DALY_CITY, "cad.dalycity.org", "nguyen")
    ]
    code, out = run("agencies", "host", "remove", DALY_CITY, "CAD.dalycity.org", as_user="nguyen")
    assert code == 0 and "removed" in out, out
    code, out = run("agencies", "host", "list", as_user="nguyen")
    assert code == 0 and "no hosts" in out, out


def _reviewed(disposition: Disposition) -> Callable[[Runtime, Clock, TestUser, TestUser], None]:
    def review(rt: Runtime, _clock: Clock, _admin: TestUser, officer: TestUser) -> None:
        alerts.review_alert(
            rt,
            principal=officer.principal,
            alert_id=_alert(rt).id,
            disposition=disposition.value,
            characters_compared=True,
            clets_confirmed=False,
            note="Compared the crop with the entry",
        )

    return review


def _disable(rt: Runtime, _clock: Clock, _admin: TestUser, _officer: TestUser) -> None:
    """No service disables a list; the matcher and the delivery honour the flag all the same."""
    with rt.transaction() as session:
        session.execute(update(HotList).values(enabled=False))


def _take_off(rt: Runtime, _clock: Clock, admin: TestUser, _officer: TestUser) -> None:
    hotlist_entries.take_off(
        rt, principal=admin.principal, entry_id=_alert(rt).entry_id, reason="Vehicle recovered"
    )


def _let_expire(_rt: Runtime, clock: Clock, _admin: TestUser, _officer: TestUser) -> None:
    clock.advance(days=2)


def _raise_minimum(rt: Runtime, _clock: Clock, admin: TestUser, _officer: TestUser) -> None:
    """The same address and agency, now for high-priority alerts only."""
    url, _agency_id = _webhook(rt, "SVS")
    assert url is not None
    hotlist_webhooks.set_webhook(
        rt,
        actor=admin.principal,
        list_name="SVS",
        url=url,
        agency_name=_home_name(rt),
        min_priority="high",
    )


def _alert(rt: Runtime) -> Alert:
    with rt.transaction() as session:
        alert = session.execute(select(Alert)).scalar_one()
        session.expunge(alert)
        return alert


WITHDRAWALS = {
    "list disabled": (_disable, "Hot list SVS is disabled"),
    "entry taken off": (_take_off, "The entry the plate matched was taken off SVS"),
    "entry expired": (_let_expire, "The entry the plate matched on SVS expired"),
    "priority raised": (_raise_minimum, "priority high and above; this alert's priority is medium"),
    **{
        f"reviewed {d.value}": (_reviewed(d), f"reviewed as {d.value.replace('_', ' ')}")
        for d in Disposition
        if d is not Disposition.CONFIRMED
    },
}


@pytest.mark.parametrize("withdrawal", list(WITHDRAWALS))
def test_an_alert_withdrawn_before_its_delivery_is_refused_for_good_and_recorded(
    rt: Runtime,
    clock: Clock,
    receiver: Receiver,
    admin: TestUser,
    make_user: Callable[..., TestUser],
    withdrawal: str,
) -> None:
    """R13, R14, R40, R20: an alert queued for the department's CAD is weighed again when its
    delivery is due. Once its list is disabled, the entry it matched is taken off or has
    expired, a person has reviewed it as anything but confirmed (a misread, a wrong state, a
    vehicle that does not match, an entry no longer active, dismissed), or the list's webhook
    now sends only a higher priority, it is never sent: refused for good, recorded as refused
    naming the plate and why, and kept as a problem on the Hot lists page."""
    url, received = receiver
    _list_wanting(
        rt,
        "SVS",
        "stolen_vehicle",
        "Stolen",
        "26-00001",
        priority="medium",
        expires=clock.now.date() + timedelta(days=1),
    )
    _one_alert_sent_home(rt, clock, admin, "SVS", url)
    withdraw, why = WITHDRAWALS[withdrawal]
    withdraw(rt, clock, admin, make_user("chen", "patrol"))

    assert hotlist_webhooks.deliver_due(rt) == (0, 0, 1)
    assert received == []
    refused = _releases(rt)[-1]
    assert (refused.outcome, refused.username, refused.plates) == ("refused", "system", ["7ABC123"])
    assert _said(refused) == REFUSED and why in (refused.detail or "")
    assert refused.result_ids == [_alert(rt).id]
    [problem] = hotlists.webhook_problems(rt, principal=admin.principal)
    assert problem.refused and problem.next_attempt_at is None and why in problem.last_error
    clock.advance(hours=1)
    assert hotlist_webhooks.deliver_due(rt) == (0, 0, 0)
    assert received == [] and len(_releases(rt)) == 1
    with rt.transaction() as session:
        delivery = session.execute(select(WebhookDelivery)).scalar_one()
        assert delivery.refused_at is not None and delivery.attempts == 0


def test_a_disabled_lists_destination_says_it_sends_nothing(
    rt: Runtime, signed_cli: SignedCli, make_user: Callable[..., TestUser], svs: str
) -> None:
    """R40: the Hot lists page and ``alpr hotlist webhook list`` show a disabled list's
    destination as sending nothing, and why, whatever the agency may receive."""
    admin = make_user("ruiz", "administrator")
    hotlist_webhooks.set_webhook(
        rt,
        actor=admin.principal,
        list_name=svs,
        url="http://127.0.0.1:9/cad",
        agency_name=_home_name(rt),
    )
    with rt.transaction() as session:
        session.execute(update(HotList).values(enabled=False))
    [shown] = hotlist_webhooks.destinations(rt, principal=admin.principal)
    assert shown.problem == "Hot list SVS is disabled: it raises no alerts and sends none queued."
    code, out = signed_cli({"ruiz": admin})("hotlist", "webhook", "list", as_user="ruiz")
    assert code == 0 and "NOT SENT: Hot list SVS is disabled" in out, out


def test_an_alert_confirmed_by_review_is_still_sent(
    rt: Runtime,
    clock: Clock,
    receiver: Receiver,
    svs: str,
    admin: TestUser,
    make_user: Callable[..., TestUser],
) -> None:
    """R13: a review that confirms the hit (characters compared, CLETS/NCIC checked) does not
    stop its delivery: only a review that finds it is not a hit does."""
    url, received = receiver
    _one_alert_sent_home(rt, clock, admin, svs, url)
    alerts.review_alert(
        rt,
        principal=make_user("chen", "patrol").principal,
        alert_id=_alert(rt).id,
        disposition="confirmed",
        characters_compared=True,
        clets_confirmed=True,
        clets_confirmed_by="Disp. Lee",
        clets_confirmed_at=clock.now,
        clets_reference="C123",
        note="Stolen, confirmed through CLETS",
    )
    assert hotlist_webhooks.deliver_due(rt) == (1, 0, 0)
    assert [r["plate"] for r in received] == ["7ABC123"]
    assert [_said(r) for r in _releases(rt)] == [SENT]


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("/unavailable", "HTTP Error 503"),
        ("/hangup", "not an HTTP answer"),
        ("/slow", "timed out"),
    ],
)
def test_an_attempt_that_may_have_reached_the_receiver_is_recorded(
    rt: Runtime,
    clock: Clock,
    endpoint: Endpoint,
    svs: str,
    admin: TestUser,
    path: str,
    error: str,
) -> None:
    """R20, R51: the receiver has the alert, yet answered 503, hung up without answering or
    did not answer in time. The alert may have left, so each attempt is in the access log: a
    release by the system naming the alert, the plate, the list, the address and the agency,
    allowed by the rules, with no confirmed receipt and the error; it is not counted as sent,
    and each retry is recorded again."""
    url = endpoint.url(path)
    _one_alert_sent_home(rt, clock, admin, svs, url)
    assert hotlist_webhooks.deliver_due(rt, timeout_s=1) == (0, 1, 0)
    assert endpoint.posts(path) == 1
    [attempt] = _releases(rt)
    alert = _alert(rt)
    assert (attempt.outcome, attempt.username, attempt.plates, attempt.result_ids) == (
        "allowed",
        "system",
        ["7ABC123"],
        [alert.id],
    )
    home = _home_name(rt)
    assert attempt.query is not None and attempt.query["agencies"] == [home]
    assert attempt.query["deliveries"][0]["attempt"] == 1
    assert _said(attempt) == ATTEMPTED
    assert f"alert {alert.id} (7ABC123, SVS) to {url} received by {home}: " in (
        attempt.detail or ""
    )
    assert error in (attempt.detail or "")
    clock.advance(hours=1)
    assert hotlist_webhooks.deliver_due(rt, timeout_s=1) == (0, 1, 0)
    assert [_said(r) for r in _releases(rt)] == [ATTEMPTED, ATTEMPTED]
    with rt.transaction() as session:
        delivery = session.execute(select(WebhookDelivery)).scalar_one()
        assert delivery.delivered_at is None and delivery.attempts == 2


def test_a_delivery_whose_attempts_ran_out_shows_no_next_attempt(
    rt: Runtime, clock: Clock, svs: str, admin: TestUser
) -> None:
    """R20: after the last attempt the delivery is not tried again, and the Hot lists page
    shows no time for a next attempt; every attempt is in the access log."""
    _one_alert_sent_home(rt, clock, admin, svs, "http://127.0.0.1:9/closed")
    for _ in range(MAX_ATTEMPTS):
        [waiting] = hotlists.webhook_problems(rt, principal=admin.principal) or [None]
        assert waiting is None or waiting.next_attempt_at is not None
        assert hotlist_webhooks.deliver_due(rt, timeout_s=1) == (0, 1, 0)
        clock.advance(days=1)
    assert hotlist_webhooks.deliver_due(rt, timeout_s=1) == (0, 0, 0)
    [problem] = hotlists.webhook_problems(rt, principal=admin.principal)
    assert (problem.attempts, problem.next_attempt_at, problem.refused) == (
        MAX_ATTEMPTS,
        None,
        False,
    )
    assert [_said(r) for r in _releases(rt)] == [ATTEMPTED] * MAX_ATTEMPTS
