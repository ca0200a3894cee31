"""Verification codes that cannot be guessed or forged, and the server secret behind them.

A code is a random id (80 bits from :mod:`secrets`) followed by the first 80 bits of an
HMAC-SHA256 of that id under the server's secret, written in Crockford's base32 (digits and
capitals without I, L, O and U, so it reads aloud and types without confusion) in groups of four:

    7QX3-K9D2-M0TR-4HZE-BV6A-1C8N-P5WY-FJ3G
    |---- random id ----| |--- HMAC check ---|

Without the secret nobody can make the check part for an id, so a typed, edited or made-up code
is told apart from a genuine one before any record is looked at (the comparison is constant
time). Each stored record is also *sealed* with an HMAC of its fields, so an edit to the
certificates file (a name changed by hand) shows as tampered too.

The secret comes from the environment (``MESO_CERT_SECRET``) or from ``.streamlit/secrets.toml``
(``[certificates] secret = "..."``), read with :mod:`tomllib`; none ships with the course, and
without one the course issues no certificate. Changing it makes every earlier code read as not
genuine: keep it, and back it up with the data folder.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import tomllib
from collections.abc import Mapping
from pathlib import Path

from course.metadata import SetupError
from course.paths import ROOT

SECRET_ENV = "MESO_CERT_SECRET"  # noqa: S105 (the variable's name, not a secret)
SECRETS_FILE_ENV = "MESO_SECRETS_FILE"
MIN_SECRET_CHARS = 32
ID_BYTES = 10  # 80 random bits: 16 base32 characters
MAC_BYTES = 10  # 80 bits of the HMAC: 16 more
CODE_CHARS = 2 * ID_BYTES * 8 // 5
_CODE_CONTEXT = b"meso-academy certificate code v1\x00"
_SEAL_CONTEXT = b"meso-academy certificate record v1\x00"
_RFC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TO_CROCKFORD = str.maketrans(_RFC, _CROCKFORD)
_READ_ALIKE = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CODE_SHAPE = re.compile(f"[{_CROCKFORD}]{{{CODE_CHARS}}}")
HOW_TO_SET = (
    f"set the environment variable `{SECRET_ENV}` to a long random text (for example the output of "
    "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`), or put it in "
    '.streamlit/secrets.toml as `[certificates]` then `secret = "..."`, and restart the app'
)


def secrets_file() -> Path:
    """``.streamlit/secrets.toml`` beside ``app.py`` (``MESO_SECRETS_FILE`` names another file)."""
    return Path(os.environ.get(SECRETS_FILE_ENV, ROOT / ".streamlit" / "secrets.toml"))


def load_secret() -> bytes | None:
    """The server's certificate secret, or None when none is configured.

    ``MESO_CERT_SECRET`` wins over the secrets file. A secret shorter than 32 characters, or a
    secrets file that is not valid TOML, is a :class:`SetupError` (a weak secret would make
    codes forgeable; a broken file must not silently turn certificates off).
    """
    value = os.environ.get(SECRET_ENV, "")
    source = SECRET_ENV
    if not value:
        path = secrets_file()
        try:
            with path.open("rb") as handle:
                table = tomllib.load(handle)
        except FileNotFoundError:
            return None
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SetupError(f"{path} cannot be read ({exc}): fix it, or {HOW_TO_SET}") from exc
        section = table.get("certificates")
        value = section.get("secret", "") if isinstance(section, dict) else ""
        source = f"{path} [certificates] secret"
        if not isinstance(value, str):
            raise SetupError(f"{source} must be a text: {HOW_TO_SET}")
    value = value.strip()
    if not value:
        return None
    if len(value) < MIN_SECRET_CHARS:
        raise SetupError(f"{source} is too short ({len(value)} characters, at least {MIN_SECRET_CHARS}): {HOW_TO_SET}")
    return value.encode("utf-8")


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").translate(_TO_CROCKFORD)


def new_id() -> str:
    """A fresh random certificate id: 16 Crockford base32 characters (80 bits)."""
    return _b32(secrets.token_bytes(ID_BYTES))


def _check_part(secret: bytes, cert_id: str) -> str:
    digest = hmac.new(secret, _CODE_CONTEXT + cert_id.encode("ascii"), hashlib.sha256).digest()
    return _b32(digest[:MAC_BYTES])


def make_code(secret: bytes, cert_id: str) -> str:
    """The verification code of ``cert_id``: the id and its HMAC check, in groups of four.

    >>> code = make_code(b"x" * 32, "0123456789ABCDEF")
    >>> code[:19], len(code)
    ('0123-4567-89AB-CDEF', 39)
    """
    return grouped(cert_id + _check_part(secret, cert_id))


def grouped(bare: str) -> str:
    """A bare code in groups of four, as certificates print it.

    >>> grouped("0123456789AB")
    '0123-4567-89AB'
    """
    return "-".join(bare[i : i + 4] for i in range(0, len(bare), 4))


def normalise(text: str) -> str | None:
    """A code as typed (any case, spaces or hyphens, O for 0, I or L for 1) in its bare form,
    or None when it cannot be a code at all.

    >>> normalise(" 0123 4567-89ab-cdef-oooo-iiii-llll-2345 ")
    '0123456789ABCDEF0000111111112345'
    >>> normalise("not a code") is None
    True
    """
    bare = re.sub(r"[\s-]+", "", text[:100]).upper().translate(_READ_ALIKE)
    return bare if _CODE_SHAPE.fullmatch(bare) else None


def check_code(secret: bytes, text: str) -> tuple[str | None, bool]:
    """``(certificate id, genuine)`` for a code as typed: the id is None when the text is not
    shaped like a code; ``genuine`` says whether its check part is the HMAC of its id under this
    secret (compared in constant time).

    >>> secret = b"s" * 32
    >>> code = make_code(secret, new_id())
    >>> check_code(secret, code)[1], check_code(secret, code[:-1] + ("0" if code[-1] != "0" else "1"))[1]
    (True, False)
    """
    bare = normalise(text)
    if bare is None:
        return None, False
    cert_id, given = bare[: CODE_CHARS // 2], bare[CODE_CHARS // 2 :]
    return cert_id, hmac.compare_digest(_check_part(secret, cert_id).encode("ascii"), given.encode("ascii"))


def seal(secret: bytes, fields: Mapping[str, object]) -> str:
    """An HMAC-SHA256 (hex) of a record's fields, so an edit to the stored row is detected."""
    canonical = json.dumps(dict(fields), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(secret, _SEAL_CONTEXT + canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def seal_matches(secret: bytes, fields: Mapping[str, object], stored: str) -> bool:
    """Whether ``stored`` is the seal of ``fields`` (constant-time compare)."""
    return hmac.compare_digest(seal(secret, fields).encode("ascii"), stored.encode("ascii", "replace"))
