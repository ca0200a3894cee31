"""The cookie routes (web/auth.py) called with hand-made requests: origin checks, the cookie's
attributes, Secure behind an HTTPS proxy, single use, the sign-out clearing the cookie."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.requests import Request

from course.accounts.sessions import COOKIE_NAME, HandoffKind, Sessions
from course.store.csvstore import Store
from web.auth import REFUSED, routes, same_origin, session_cookie, signed_out

HOST = "course.example:8501"


def request(path: str, code: str, *, headers: dict[str, str], scheme: str = "http") -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in {"host": HOST, **headers}.items()]
    return Request(
        {
            "type": "http",
            "method": "GET",
            "scheme": scheme,
            "path": path,
            "query_string": f"code={code}".encode(),
            "headers": raw,
            "server": ("course.example", 8501),
        }
    )


@pytest.fixture
def sessions(data_dir: Path) -> Sessions:
    return Sessions(Store(data_dir))


def sign_in_code(sessions: Sessions, next_path: str = "/quizzes") -> tuple[str, str]:
    token, session = sessions.create("ada")
    return token, sessions.issue(HandoffKind.SIGN_IN, session.session_id, token, next_path)


def test_the_routes_are_the_ones_the_package_names() -> None:
    assert [r.path for r in routes()] == ["/auth/session", "/auth/signed-out"]


def test_origin_and_referer_must_name_this_host() -> None:
    def check(headers: dict[str, str]) -> bool:
        return same_origin(request("/auth/session", "x", headers=headers))

    assert check({"referer": f"http://{HOST}/account"})
    assert check({"origin": f"http://{HOST}"})
    assert not check({"referer": "http://evil.example/account"})
    assert not check({"origin": "http://evil.example", "referer": f"http://{HOST}/account"})
    assert not check({})  # neither header: refused


def test_a_sign_in_code_sets_an_httponly_lax_cookie_once(sessions: Sessions) -> None:
    token, code = sign_in_code(sessions)
    same_site = {"referer": f"http://{HOST}/account"}
    response = session_cookie(request("/auth/session", code, headers=same_site))
    assert response.status_code == 303 and response.headers["location"] == "/quizzes"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}={token};")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie and "Secure" not in cookie
    assert response.headers["cache-control"] == "no-store"
    again = session_cookie(request("/auth/session", code, headers=same_site))
    assert again.headers["location"] == REFUSED and "set-cookie" not in again.headers


def test_the_cookie_is_secure_over_https_or_behind_an_https_proxy(sessions: Sessions) -> None:
    for scheme, headers in (("https", {}), ("http", {"x-forwarded-proto": "https"})):
        _, code = sign_in_code(sessions)
        response = session_cookie(
            request("/auth/session", code, headers={"referer": f"https://{HOST}/account", **headers}, scheme=scheme)
        )
        assert "Secure" in response.headers["set-cookie"]


def test_a_cross_site_or_revoked_hand_off_sets_no_cookie(sessions: Sessions) -> None:
    _, code = sign_in_code(sessions)
    response = session_cookie(request("/auth/session", code, headers={"referer": "http://evil.example/"}))
    assert response.headers["location"] == REFUSED and "set-cookie" not in response.headers
    token, session = sessions.create("ada")
    code = sessions.issue(HandoffKind.SIGN_IN, session.session_id, token)
    sessions.revoke(session.session_id)
    response = session_cookie(request("/auth/session", code, headers={"referer": f"http://{HOST}/"}))
    assert "set-cookie" not in response.headers


def test_sign_out_clears_the_cookie_only_with_its_code(sessions: Sessions) -> None:
    _, session = sessions.create("ada")
    code = sessions.issue(HandoffKind.SIGN_OUT, session.session_id, None, "/account")
    refused = signed_out(request("/auth/signed-out", "0" * 64, headers={"referer": f"http://{HOST}/"}))
    assert "set-cookie" not in refused.headers
    response = signed_out(request("/auth/signed-out", code, headers={"referer": f"http://{HOST}/"}))
    assert response.headers["location"] == "/account"
    assert f'{COOKIE_NAME}="";' in response.headers["set-cookie"] and "Max-Age=0" in response.headers["set-cookie"]
