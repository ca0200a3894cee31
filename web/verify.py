"""The public verification page: ``/verify/<code>`` says whether a certificate is genuine.

An employer scans the certificate's QR code (or types its code at ``/verify``) and reads, on
a plain HTML page served by the app itself: **genuine** (for whom, when, which course version),
**revoked** by a tutor (and when; the reason stays private), or **not genuine** (a code that was
mistyped, edited or made up). Every value on the page is HTML-escaped; the page carries no
script, and a strict Content-Security-Policy. Lookups are rate-limited per client
(:mod:`course.certificates.throttle`). The logic is in ``course``; this module only speaks HTTP.
"""

from __future__ import annotations

import functools
import math
from html import escape
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from course.certificates.codes import grouped, load_secret, normalise
from course.certificates.registry import Certificate, Certificates, Status, Verification
from course.certificates.throttle import VerifyLimits
from course.metadata import COURSE_NAME, EDUCATIONAL_USE, SetupError
from course.paths import data_dir
from course.store.base import StoreError, TableStore
from course.store.factory import open_store

VERIFY_ROUTE = "/verify"
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",  # the code is in the address: never pass it on to another site
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
}

_STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: #212529; background: #f4f7fa; line-height: 1.5; }
main { max-width: 44rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
header { color: #0072B2; font-weight: 700; letter-spacing: .06em; text-transform: uppercase; font-size: .85rem;
         margin-bottom: 1rem; }
h1 { font-size: 1.6rem; margin: .3rem 0 1.2rem; }
.card { background: #fff; border: 1px solid #d5dde5; border-left-width: .5rem; border-radius: .5rem;
        padding: 1rem 1.25rem; margin-bottom: 1.5rem; }
.genuine { border-left-color: #009E73; }
.revoked { border-left-color: #D55E00; }
.invalid { border-left-color: #6c757d; }
.verdict { font-size: 1.4rem; font-weight: 700; margin: 0 0 .5rem; line-height: 1.3; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; margin: .75rem 0 0; }
dt { color: #5a6068; }
dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
code { font-size: .95em; overflow-wrap: anywhere; }
form { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0 1.5rem; }
label { flex-basis: 100%; font-weight: 600; }
input { flex: 1 1 16rem; min-width: 0; font: inherit; padding: .5rem .6rem; border: 1px solid #8a939c;
        border-radius: .4rem; }
button { font: inherit; padding: .5rem 1rem; border: 0; border-radius: .4rem; background: #0072B2; color: #fff; }
.note { color: #5a6068; font-size: .9rem; }
@media (max-width: 30rem) { dl { grid-template-columns: 1fr; } dt { margin-top: .4rem; } }
"""


@functools.cache
def _store(folder: str) -> TableStore:
    return open_store(folder=Path(folder))


@functools.cache
def _limits(folder: str) -> VerifyLimits:
    return VerifyLimits(_store(folder))


def _page(title: str, body: str, status: int, code: str = "", extra_headers: dict[str, str] | None = None) -> Response:
    html = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{escape(title)} · {escape(COURSE_NAME)}</title>
<style>{_STYLE}</style>
</head>
<body>
<main>
<header>{escape(COURSE_NAME)} · certificate verification</header>
{body}
<form method="get" action="{VERIFY_ROUTE}">
<label for="code">Check a certificate's code</label>
<input id="code" name="code" value="{escape(code)}" autocomplete="off" spellcheck="false"
 placeholder="XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX" maxlength="80">
<button type="submit">Verify</button>
</form>
<p class="note">{escape(EDUCATIONAL_USE)}</p>
</main>
</body>
</html>
"""
    return HTMLResponse(html, status_code=status, headers={**HEADERS, **(extra_headers or {})})


def _facts(certificate: Certificate, code: str) -> str:
    rows = [
        ("Awarded to", certificate.name),
        ("Course", certificate.course_title),
        ("Course version", certificate.course_version),
        ("Issued on", f"{certificate.issued_date} (UTC)"),
        ("CPD", f"{certificate.cpd_hours} ({certificate.cpd_minutes} minutes of study)"),
    ]
    if certificate.scores.exam is not None:
        rows.append(("Final exam", f"passed, {certificate.scores.exam.percentage:.0f}%"))
    if certificate.scores.cases:
        rows.append(("Clinical cases", f"{len(certificate.scores.cases)} finished"))
    rows.append(("Code", code))
    items = "\n".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    return f"<dl>\n{items}\n</dl>"


def render(found: Verification, code: str) -> Response:
    """The page for one verification (``code`` as the certificate prints it, or as typed)."""
    certificate = found.certificate
    if found.status is Status.GENUINE and certificate is not None:
        body = (
            '<section class="card genuine">'
            '<h1 class="verdict"><span aria-hidden="true">✓ </span>Genuine certificate</h1>'
            f"<p>{escape(COURSE_NAME)} issued this certificate of completion, and it has not been revoked.</p>"
            f"{_facts(certificate, code)}</section>"
        )
        return _page("Genuine certificate", body, 200, code)
    if found.status is Status.REVOKED and certificate is not None and certificate.revocation is not None:
        when = certificate.revocation.at[:10]
        body = (
            '<section class="card revoked">'
            '<h1 class="verdict"><span aria-hidden="true">✗ </span>Revoked certificate</h1>'
            f"<p>{escape(COURSE_NAME)} issued this certificate, but a tutor revoked it on {escape(when)} (UTC). "
            "It no longer certifies completion of the course.</p>"
            f"{_facts(certificate, code)}</section>"
        )
        return _page("Revoked certificate", body, 200, code)
    why = {
        Status.MALFORMED: "This is not a certificate code: a code has 32 letters and digits, in eight groups of four.",
        Status.TAMPERED: "This code was not issued by the course: it may have been mistyped, changed or made up.",
        Status.UNKNOWN: "No certificate of this course has this code.",
    }.get(found.status, "No certificate of this course has this code.")
    body = (
        '<section class="card invalid">'
        '<h1 class="verdict"><span aria-hidden="true">✗ </span>Not a genuine certificate</h1>'
        f"<p>{escape(why)}</p><p>Check that the code was typed exactly as printed on the certificate "
        "(the letters O and I read as the digits 0 and 1). A certificate whose code does not verify here does not "
        "prove completion of the course.</p></section>"
    )
    return _page("Not a genuine certificate", body, 404, code)


def _not_set_up() -> Response:
    body = (
        '<section class="card invalid"><h1 class="verdict">Verification is not set up on this server</h1>'
        "<p>This server has no certificate secret, so it cannot check codes. The course's administrator must set "
        "the environment variable <code>MESO_CERT_SECRET</code> (or <code>[certificates] secret</code> in "
        "<code>.streamlit/secrets.toml</code>) and restart; see the README.</p></section>"
    )
    return _page("Verification unavailable", body, 503)


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


def verify_code(request: Request) -> Response:
    """``GET /verify/<code>``: the verification page for one code."""
    code = str(request.path_params.get("code", ""))[:100]
    return _answer(request, code)


def _answer(request: Request, code: str) -> Response:
    folder = str(data_dir())
    limits = _limits(folder)
    client = _client(request)
    try:
        secret = load_secret()
    except SetupError:
        return _not_set_up()
    if secret is None:
        return _not_set_up()
    try:
        wait = limits.wait_seconds(client)
        if wait > 0:
            seconds = math.ceil(wait)
            body = (
                '<section class="card invalid"><h1 class="verdict">Too many lookups</h1>'
                f"<p>This address has checked too many codes that were not genuine, or too many codes in a minute. "
                f"Please wait {seconds} seconds, then try again.</p></section>"
            )
            return _page("Please wait", body, 429, code, {"Retry-After": str(seconds)})
        found = Certificates(_store(folder), secret).verify(code)
        bare = normalise(code)
        shown = code if bare is None else grouped(bare)
        limits.looked_up(client, found.status in (Status.GENUINE, Status.REVOKED))
    except StoreError:
        body = (
            '<section class="card invalid"><h1 class="verdict">Verification failed</h1>'
            "<p>The course's records cannot be read just now. Please try again in a minute.</p></section>"
        )
        return _page("Please try again", body, 503, code)
    return render(found, shown)


def verify_form(request: Request) -> Response:
    """``GET /verify`` (``?code=...`` from its form): the form, or the code's page at its clean address."""
    code = request.query_params.get("code", "").strip()[:100]
    if not code:
        body = (
            '<section class="card"><h1 class="verdict">Check a certificate</h1>'
            "<p>Type the code printed on a certificate of completion, or scan its QR code.</p></section>"
        )
        return _page("Check a certificate", body, 200)
    bare = normalise(code)
    if bare is None:
        return _answer(request, code)
    return RedirectResponse(f"{VERIFY_ROUTE}/{grouped(bare)}", status_code=303, headers=HEADERS)


def routes() -> list[Route]:
    return [
        Route(VERIFY_ROUTE, verify_form, methods=["GET"]),
        Route(f"{VERIFY_ROUTE}/{{code}}", verify_code, methods=["GET"]),
    ]
