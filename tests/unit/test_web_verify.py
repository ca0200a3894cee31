"""The verification route (web/verify.py) called with hand-made requests: genuine, revoked,
tampered and malformed codes, escaping, the security headers, the form's clean redirect, no
secret configured, and the rate limit per client (stored failures, in-process volume)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from starlette.requests import Request

from course.certificates import codes
from course.certificates.codes import make_code, new_id
from course.certificates.registry import Certificates, Scores
from course.certificates.registry import Request as CertificateRequest
from course.certificates.throttle import VerifyLimits
from course.store.csvstore import Store
from course.store.tables import VERIFY_TRIES
from tests.helpers.certificates import SECRET
from web import verify


def http(path: str, *, code: str | None = None, query: str = "", client: str = "203.0.113.7") -> Request:
    scope = {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "query_string": query.encode(),
        "headers": [(b"host", b"course.example")],
        "client": (client, 50000),
        "server": ("course.example", 80),
        "path_params": {} if code is None else {"code": code},
    }
    return Request(scope)


@pytest.fixture
def book(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Certificates:
    monkeypatch.setenv(codes.SECRET_ENV, SECRET)
    verify._store.cache_clear()
    verify._limits.cache_clear()
    return Certificates(Store(data_dir), SECRET.encode())


def issue(book: Certificates, name: str = "Ada Lovelace") -> str:
    certificate = book.issue(CertificateRequest("ada", name, "The course", "1.0", 455, Scores()))
    return book.code(certificate)


def page(code: str, client: str = "203.0.113.7"):
    response = verify.verify_code(http(f"/verify/{code}", code=code, client=client))
    return response, response.body.decode()


def test_the_routes() -> None:
    assert [r.path for r in verify.routes()] == ["/verify", "/verify/{code}"]


def test_a_genuine_code_names_the_learner_the_date_and_the_version(book: Certificates) -> None:
    code = issue(book)
    response, body = page(code)
    assert response.status_code == 200
    assert "Genuine certificate" in body and "Ada Lovelace" in body and "1.0" in body and code in body
    assert "7.6 hours" in body and "not competence to inject" in body
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"
    assert "<script" not in body


def test_a_name_is_shown_as_text_never_as_html(book: Certificates) -> None:
    code = issue(book, name='<img src=x onerror="alert(1)">Eve')
    _, body = page(code)
    assert "<img" not in body and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Eve" in body


def test_a_revoked_code_says_when_but_not_why(book: Certificates) -> None:
    code = issue(book)
    book.revoke(code, "tess", "Private reason")
    response, body = page(code)
    assert response.status_code == 200 and "Revoked certificate" in body
    assert "revoked it on" in body and "Private reason" not in body


def test_a_tampered_or_made_up_code_is_not_genuine(book: Certificates) -> None:
    code = issue(book)
    last = "0" if code[-1] != "0" else "1"
    for other in (code[:-1] + last, make_code(b"a forger's own secret, long enough", new_id())):
        response, body = page(other)
        assert response.status_code == 404 and "Not a genuine certificate" in body and "Ada" not in body


def test_text_that_is_not_a_code_is_escaped_back(book: Certificates) -> None:
    response, body = page("<b>hi</b>")
    assert response.status_code == 404 and "not a certificate code" in body
    assert "<b>hi</b>" not in body and "&lt;b&gt;hi&lt;/b&gt;" in body


def test_the_form_sends_a_typed_code_to_its_clean_address(book: Certificates) -> None:
    code = issue(book)
    typed = code.lower().replace("-", " ")
    response = verify.verify_form(http("/verify", query=f"code={typed.replace(' ', '+')}"))
    assert response.status_code == 303 and response.headers["location"] == f"/verify/{code}"
    empty = verify.verify_form(http("/verify"))
    assert empty.status_code == 200 and 'name="code"' in empty.body.decode()


def test_without_a_secret_the_page_says_how_to_set_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(codes.SECRET_ENV, raising=False)
    monkeypatch.setenv(codes.SECRETS_FILE_ENV, str(tmp_path / "absent.toml"))
    response, body = page("0" * 32)
    assert response.status_code == 503 and "MESO_CERT_SECRET" in body


def test_too_many_failed_lookups_from_one_client_must_wait(book: Certificates, data_dir: Path) -> None:
    code = issue(book)
    for i in range(10):
        assert page(f"{i:032d}", client="198.51.100.1")[0].status_code == 404
    refused, body = page(code, client="198.51.100.1")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1 and "wait" in body
    assert page(code, client="198.51.100.2")[0].status_code == 200  # another client is not held back
    rows = Store(data_dir).read(VERIFY_TRIES).frame
    assert len(rows) == 10  # the refused lookup was not written


def test_the_stored_limit_is_shared_and_waits_double(data_dir: Path) -> None:
    now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    clock = [now]
    store = Store(data_dir)
    one = VerifyLimits(store, clock=lambda: clock[0])
    for _ in range(10):
        one.looked_up("c", genuine=False)
    other = VerifyLimits(Store(data_dir), clock=lambda: clock[0])  # another process's view of the same file
    assert other.wait_seconds("c") == 2.0
    other.looked_up("c", genuine=False)
    assert one.wait_seconds("c") == 4.0
    clock[0] = now + timedelta(minutes=16)
    assert one.wait_seconds("c") == 0.0  # old failures leave the window


def test_genuine_lookups_are_limited_per_minute_in_the_process(data_dir: Path) -> None:
    now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    clock = [now]
    limits = VerifyLimits(Store(data_dir), per_minute=3, clock=lambda: clock[0])
    for _ in range(3):
        assert limits.wait_seconds("c") == 0.0
        limits.looked_up("c", genuine=True)
    assert limits.wait_seconds("c") == 60.0
    clock[0] = now + timedelta(seconds=61)
    assert limits.wait_seconds("c") == 0.0
    assert Store(data_dir).read(VERIFY_TRIES).frame.empty  # genuine lookups are never stored
