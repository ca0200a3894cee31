"""The two cookie routes: set the session cookie after a sign-in, clear it after a sign-out.

The page never handles the token: after a right password it stores a one-time code (see
:mod:`course.accounts.sessions`) and sends the browser to ``/auth/session?code=...``. This
route checks that the request comes from the course's own pages (``Origin``, else ``Referer``,
must name this host), redeems the code once, sets the HttpOnly cookie and answers
``303 See Other`` to a clean URL, so the code leaves the address bar at once and the token only
ever travels in ``Set-Cookie`` and ``Cookie`` headers. ``/auth/signed-out?code=...`` clears
the cookie of a session the page has already revoked. Everything is logic in ``course``; this
module only speaks HTTP.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from course.accounts.sessions import (
    COOKIE_NAME,
    LEARNER_LIFETIME,
    SIGN_IN_ROUTE,
    SIGN_OUT_ROUTE,
    HandoffKind,
    Sessions,
)
from course.store.base import StoreError
from course.store.factory import open_store

REFUSED = "/account?auth=refused"


def _sessions() -> Sessions:
    return Sessions(open_store())


def is_https(request: Request) -> bool:
    """Served over HTTPS, directly or behind a proxy that says so (``X-Forwarded-Proto``)."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def same_origin(request: Request) -> bool:
    """Whether ``Origin`` (or, when a browser sends none, ``Referer``) names this very host.

    A request with neither is refused: every browser sends a ``Referer`` on the same-origin
    navigation the page makes (the default policy keeps it for the same origin).
    """
    hosts = {request.headers.get("host", ""), request.headers.get("x-forwarded-host", "")} - {""}
    origin = request.headers.get("origin")
    source = origin if origin and origin != "null" else request.headers.get("referer")
    if not source:
        return False
    return urlsplit(source).netloc in hosts


def _redirect(to: str) -> RedirectResponse:
    response = RedirectResponse(to, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def session_cookie(request: Request) -> Response:
    """``GET /auth/session?code=...``: redeem a sign-in code, set the cookie, go to the page."""
    code = request.query_params.get("code", "")
    if not same_origin(request):
        return _redirect(REFUSED)
    sessions = _sessions()
    try:
        redeemed = sessions.redeem(code, HandoffKind.SIGN_IN)
    except StoreError:
        return _redirect(REFUSED)
    session = None if redeemed is None else sessions.by_id(redeemed.session_id)
    if redeemed is None or redeemed.token is None or session is None or session.revoked is not None:
        return _redirect(REFUSED)
    response = _redirect(redeemed.next)
    response.set_cookie(
        COOKIE_NAME,
        redeemed.token,
        max_age=int(LEARNER_LIFETIME.total_seconds()),  # the server ends tutor sessions sooner
        path="/",
        secure=is_https(request),
        httponly=True,
        samesite="lax",
    )
    return response


def signed_out(request: Request) -> Response:
    """``GET /auth/signed-out?code=...``: clear the cookie of a session just revoked."""
    code = request.query_params.get("code", "")
    if not same_origin(request):
        return _redirect(REFUSED)
    try:
        redeemed = _sessions().redeem(code, HandoffKind.SIGN_OUT)
    except StoreError:
        return _redirect(REFUSED)
    if redeemed is None:
        return _redirect(REFUSED)
    response = _redirect(redeemed.next)
    response.delete_cookie(COOKIE_NAME, path="/", secure=is_https(request), httponly=True, samesite="lax")
    return response


def routes() -> list[Route]:
    return [
        Route(SIGN_IN_ROUTE, session_cookie, methods=["GET"]),
        Route(SIGN_OUT_ROUTE, signed_out, methods=["GET"]),
    ]
