"""What the course is, in one place: its title, its version, its final exam and its public address.

The version is printed on every certificate and shown when one is verified, so a certificate
always says which edition of the course it was earned on. Bump it when the course changes
enough that a certificate of the old edition should be told apart (new lessons, a rewritten
exam); a learner who already holds a certificate of an older version may then earn one of the
new version.

The public address (``MESO_BASE_URL``) is where learners and employers reach the course, e.g.
``https://academy.example.org``; certificates print ``<base URL>/verify/<code>`` and its QR code.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from course.errors import MesoError

COURSE_TITLE = "Mesotherapy: principles and practice for trainee practitioners"
"""The course's full title, as certificates print it (the app's short name is ``COURSE_NAME``)."""

COURSE_NAME = "Meso Academy"
COURSE_VERSION = "1.0"
FINAL_EXAM = "final-exam"
"""The bank id of the final exam (``quizzes/final-exam.yaml``), which a certificate requires passing."""

EDUCATIONAL_USE = (
    "This certifies completion of a theory course, not competence to inject. It is not a licence "
    "or a qualification to practise: injecting requires the training, supervision and legal "
    "authorisation that the country of practice demands."
)
"""The educational-use statement every certificate and verification page carries."""


class SetupError(MesoError):
    """The server is configured wrongly (an environment variable or a secrets file); says what to fix."""


BASE_URL_ENV = "MESO_BASE_URL"
OLD_BASE_URL_ENV = "MESO_COURSE_URL"
"""The name the xAPI export first read the address from; still honoured when ``MESO_BASE_URL`` is unset."""
DEFAULT_BASE_URL = "http://localhost:8501"


def base_url() -> str:
    """The course's public address without a trailing slash (``MESO_BASE_URL``, else the older
    ``MESO_COURSE_URL``; default ``http://localhost:8501``, the address ``streamlit run`` serves).
    One setting for certificates, the verification page and xAPI ids. Read on every call, so a
    test or a second server can set its own."""
    return clean_base_url(os.environ.get(BASE_URL_ENV, "").strip() or os.environ.get(OLD_BASE_URL_ENV, ""))


def clean_base_url(value: str) -> str:
    """An address as configured, checked and without its trailing slash (empty: the default).

    >>> clean_base_url("https://academy.example.org/")
    'https://academy.example.org'
    >>> clean_base_url("")
    'http://localhost:8501'
    """
    value = value.strip() or DEFAULT_BASE_URL
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SetupError(
            f"{BASE_URL_ENV} must be an http(s) address such as https://academy.example.org, not {value!r}"
        )
    return value.rstrip("/")
