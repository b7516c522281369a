"""The session cookie's routes and the session logic behind them, on both databases (R01, CJIS):
a one-time handoff becomes an HttpOnly, SameSite=Strict cookie (Secure with the ``__Host-``
prefix over TLS), once, within a minute, and only for a request from the dashboard itself; the
cookie's session is restored only within the Policy's idle and absolute limits; signing out or
an Administrator's disable ends it, and the end route then clears the cookie (and keeps a
cookie whose session is still open)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from alpr.data.models import SessionEnd
from alpr.governance import users
from alpr.governance.auth.sessions import (
    BROWSER,
    SessionEnded,
    end_session,
    issue_handoff,
    open_session,
    redeem_handoff,
    resume_session,
    session_open,
    terminal,
)
from alpr.governance.runtime import Runtime
from alpr.ui.session_routes import COOKIE, SECURE_COOKIE, MediaNeedsSession, session_routes
from tests.conftest import Clock, TestUser

HOST = "alpr.test:8501"
SAME_ORIGIN = {"origin": f"http://{HOST}"}


def _call(
    app: ASGIApp,
    method: str,
    path: str,
    *,
    body: object = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, list[tuple[bytes, bytes]]]:
    """One request through a real ASGI app (as the dashboard's server runs it), on a loop of its
    own thread: the browser tests' Playwright keeps an event loop running in this one."""
    sent = {"host": HOST, "content-type": "application/json", **(headers or {})}
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.encode(), v.encode()) for k, v in sent.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("alpr.test", 8501),
    }
    payload = json.dumps(body).encode() if body is not None else b""
    messages: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": payload, "more_body": False}

    async def send(message: dict[str, object]) -> None:
        messages.append(message)

    with ThreadPoolExecutor(max_workers=1) as own_loop:
        own_loop.submit(asyncio.run, app(scope, receive, send)).result()  # type: ignore[arg-type]
    start = messages[0]
    return int(start["status"]), list(start["headers"])  # type: ignore[call-overload]


def _post(
    rt: Runtime, path: str, *, body: object = None, headers: dict[str, str] | None = None
) -> tuple[int, SimpleCookie]:
    """One POST through the real cookie routes."""
    app = Starlette(routes=session_routes(lambda: rt))
    status, answered = _call(app, "POST", path, body=body, headers=headers)
    cookie: SimpleCookie = SimpleCookie()
    for name, value in answered:
        if name == b"set-cookie":
            cookie.load(value.decode())
    return status, cookie


@pytest.fixture
def rivera(rt: Runtime, make_user: Callable[..., TestUser]) -> tuple[TestUser, str]:
    user = make_user("rivera", "investigator")
    return user, open_session(rt, principal=user.principal, holder=BROWSER)


def test_a_handoff_sets_the_cookie_once_from_the_dashboard_only(
    rt: Runtime, rivera: tuple[TestUser, str], clock: Clock
) -> None:
    user, token = rivera
    handoff = issue_handoff(rt, token=token)
    status, _ = _post(
        rt, "/_alpr/session", body={"handoff": handoff}, headers={"origin": "https://evil.example"}
    )
    assert status == 403
    status, cookie = _post(rt, "/_alpr/session", body={"handoff": handoff}, headers=SAME_ORIGIN)
    assert status == 204
    morsel = cookie[COOKIE]
    assert morsel.value == token
    assert morsel["httponly"] and morsel["samesite"].lower() == "strict" and morsel["path"] == "/"
    assert not morsel["secure"] and not morsel["max-age"]  # ends with the browser
    assert resume_session(rt, token=morsel.value, holder=BROWSER).username == user.username
    status, cookie = _post(rt, "/_alpr/session", body={"handoff": handoff}, headers=SAME_ORIGIN)
    assert status == 400 and not cookie  # used once

    late = issue_handoff(rt, token=token)
    clock.advance(seconds=61)
    assert _post(rt, "/_alpr/session", body={"handoff": late}, headers=SAME_ORIGIN)[0] == 400
    assert _post(rt, "/_alpr/session", body={"nothing": 1}, headers=SAME_ORIGIN)[0] == 400


def test_over_tls_the_cookie_is_secure_and_host_bound(
    rt: Runtime, rivera: tuple[TestUser, str]
) -> None:
    _, token = rivera
    status, cookie = _post(
        rt,
        "/_alpr/session",
        body={"handoff": issue_handoff(rt, token=token)},
        headers={"origin": f"https://{HOST}", "x-forwarded-proto": "https"},
    )
    assert status == 204 and COOKIE not in cookie
    morsel = cookie[SECURE_COOKIE]
    assert morsel.value == token and morsel["secure"] and morsel["httponly"]


def test_a_handoff_of_a_session_ended_meanwhile_gives_no_cookie(
    rt: Runtime, rivera: tuple[TestUser, str]
) -> None:
    _, token = rivera
    handoff = issue_handoff(rt, token=token)
    end_session(rt, token=token, holder=BROWSER)
    assert redeem_handoff(rt, handoff=handoff) is None


def test_the_cookie_restores_the_session_only_within_the_policy_limits(
    rt: Runtime, make_user: Callable[..., TestUser], clock: Clock
) -> None:
    """CJIS: a restored session is the same server-side session, with its idle lock (30 minutes
    by default) and its absolute limit (12 hours)."""
    user = make_user("rivera", "investigator")
    idle = open_session(rt, principal=user.principal, holder=BROWSER)
    long = open_session(rt, principal=user.principal, holder=BROWSER)
    for _ in range(24):  # activity every 29 minutes keeps one of them open for 11.6 hours
        clock.advance(minutes=29)
        assert session_open(rt, token=long, holder=BROWSER)
        resume_session(rt, token=long, holder=BROWSER)
    assert not session_open(rt, token=idle, holder=BROWSER)
    with pytest.raises(SessionEnded) as ended:
        resume_session(rt, token=idle, holder=BROWSER)
    assert ended.value.reason is SessionEnd.IDLE
    clock.advance(minutes=25)
    with pytest.raises(SessionEnded) as expired:
        resume_session(rt, token=long, holder=BROWSER)
    assert expired.value.reason is SessionEnd.EXPIRED


def test_disable_revokes_the_cookie_session_and_the_end_route_clears_it(
    rt: Runtime, rivera: tuple[TestUser, str], make_user: Callable[..., TestUser]
) -> None:
    _, token = rivera
    admin = make_user("okafor", "administrator")
    signed_in = {"cookie": f"{COOKIE}={token}", **SAME_ORIGIN}
    status, cookie = _post(rt, "/_alpr/session/end", headers=signed_in)
    assert status == 204 and not cookie  # still open: kept
    assert _post(rt, "/_alpr/session/end", headers={"cookie": f"{COOKIE}={token}"})[0] == 403

    users.disable_user(rt, actor=admin.principal, username="rivera")
    with pytest.raises(SessionEnded) as ended:
        resume_session(rt, token=token, holder=BROWSER)
    assert ended.value.reason is SessionEnd.DISABLED
    status, cookie = _post(rt, "/_alpr/session/end", headers=signed_in)
    assert status == 204
    assert cookie[COOKIE].value == "" and cookie[COOKIE]["max-age"] == "0"
    assert cookie[SECURE_COOKIE]["secure"]


def test_a_page_s_files_are_served_only_to_a_browser_signed_in(
    rt: Runtime, rivera: tuple[TestUser, str], clock: Clock
) -> None:
    """R48, R50, R20: Streamlit serves what a page shows or offers for download (a read's
    images, a release package) at /media/..., to any request naming the file. A link copied from
    the browser's list of downloads fetched a plate-level package without a session, also after
    the clerk signed out, and left no access record. Only a browser whose cookie is of an open
    session gets one now: not a request without the cookie, nor one with a command-line
    session's token, an idle-locked session's or a signed-out one's."""
    user, token = rivera

    async def files(scope: Scope, receive: Receive, send: Send) -> None:
        await PlainTextResponse("package")(scope, receive, send)

    guarded = MediaNeedsSession(files, runtime=lambda: rt)

    def fetch(cookie: str | None, path: str = "/media/91d99d4c.zip") -> int:
        return _call(guarded, "GET", path, headers={"cookie": cookie} if cookie else None)[0]

    assert fetch(f"{COOKIE}={token}") == 200
    assert fetch(f"{SECURE_COOKIE}={token}") == 200
    assert fetch(None) == 403
    at_terminal = open_session(rt, principal=user.principal, holder=terminal("4242-1"))
    assert fetch(f"{COOKIE}={at_terminal}") == 403
    assert fetch(None, "/_stcore/health") == 200  # the rest of the server is not its business

    clock.advance(minutes=31)  # idle past the policy's 30 minutes
    assert fetch(f"{COOKIE}={token}") == 403
    later = open_session(rt, principal=user.principal, holder=BROWSER)
    assert fetch(f"{COOKIE}={later}") == 200
    end_session(rt, token=later, holder=BROWSER)
    assert fetch(f"{COOKIE}={later}") == 403
