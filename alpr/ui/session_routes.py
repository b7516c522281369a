"""The two HTTP routes that keep the session cookie beside the Streamlit app (``server.py``):
``POST /_alpr/session`` turns the sign-in page's one-time handoff into an HttpOnly,
SameSite=Strict cookie holding the session token (Secure, and named with the ``__Host-`` prefix,
when the request came over TLS); ``POST /_alpr/session/end`` clears the cookie once its session
has ended. Both answer only requests whose Origin is the dashboard itself.

``MediaNeedsSession`` guards the files Streamlit serves at ``/media/...`` (a read's images, a
download such as a release package or a search's export): only to a browser whose cookie is
of an open session. Streamlit itself serves them to any request naming one, so a link copied
from the browser's list of downloads, or kept past a sign-out or an idle lock, fetched the
file without a session and without an access record."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from streamlit import config

from alpr.governance.auth.sessions import BROWSER, redeem_handoff, session_open
from alpr.governance.runtime import Runtime

COOKIE = "alpr_session"
SECURE_COOKIE = "__Host-alpr_session"


def _under_base(path: str) -> str:
    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}{path}" if base else path


def route_path(name: str) -> str:
    """The route's path, under the server's base URL path if one is set."""
    return _under_base(f"/_alpr/{name}")


def cookie_token(cookies: Mapping[str, str]) -> str | None:
    return cookies.get(SECURE_COOKIE) or cookies.get(COOKIE) or None


def _over_tls(request: Request) -> bool:
    # A forged X-Forwarded-Proto can only make the cookie stricter (Secure), never looser.
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


def _refused_origin(request: Request) -> Response | None:
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc == request.headers.get("host"):
        return None
    return PlainTextResponse("Refused: the request did not come from this dashboard.", 403)


def session_routes(runtime: Callable[[], Runtime]) -> list[Route]:
    async def open_cookie(request: Request) -> Response:
        refused = _refused_origin(request)
        if refused is not None:
            return refused
        try:
            body = await request.json()
        except ValueError:
            body = None
        handoff = body.get("handoff") if isinstance(body, dict) else None
        token = (
            await run_in_threadpool(lambda: redeem_handoff(runtime(), handoff=handoff))
            if isinstance(handoff, str)
            else None
        )
        if token is None:
            return PlainTextResponse("This handoff is unknown, used or expired: sign in.", 400)
        secure = _over_tls(request)
        response = Response(status_code=204)
        response.set_cookie(
            SECURE_COOKIE if secure else COOKIE,
            token,
            path="/",
            secure=secure,
            httponly=True,
            samesite="strict",
        )
        return response

    async def end_cookie(request: Request) -> Response:
        refused = _refused_origin(request)
        if refused is not None:
            return refused
        response = Response(status_code=204)
        token = cookie_token(request.cookies)
        if token is not None and await run_in_threadpool(
            lambda: session_open(runtime(), token=token, holder=BROWSER)
        ):
            return response  # signed in again meanwhile (in another tab): that cookie stays
        for name in (COOKIE, SECURE_COOKIE):
            response.delete_cookie(
                name, path="/", secure=name == SECURE_COOKIE, httponly=True, samesite="strict"
            )
        return response

    return [
        Route(route_path("session"), open_cookie, methods=["POST"]),
        Route(route_path("session/end"), end_cookie, methods=["POST"]),
    ]


class MediaNeedsSession:
    """The files of ``/media/...`` served only to a browser whose cookie is of an open session
    (ASGI middleware, in front of Streamlit's own)."""

    def __init__(self, app: ASGIApp, *, runtime: Callable[[], Runtime]) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(_under_base("/media/")):
            token = cookie_token(Request(scope).cookies)
            if token is None or not await run_in_threadpool(
                lambda: session_open(self.runtime(), token=token, holder=BROWSER)
            ):
                refused = PlainTextResponse("Sign in to see this file.", 403)
                await refused(scope, receive, send)
                return
        await self.app(scope, receive, send)


def media_guard(runtime: Callable[[], Runtime]) -> Middleware:
    return Middleware(MediaNeedsSession, runtime=runtime)
