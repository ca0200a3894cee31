"""The record of certificates: issue once per learner and course version, verify, revoke.

``certificates.csv`` only grows (:data:`course.store.tables.CERTIFICATES`): an ``issued`` row per
certificate and a ``revoked`` row when a tutor withdraws one; the state of every certificate is
rebuilt from them, once per version of the file.

* **Issuing twice gives the same certificate.** A learner who asks again (another tab, a
  second download next year) gets the certificate already issued for this course version, with
  its code and date unchanged, so every copy they ever handed out stays verifiable and there is
  one record per achievement. The check and the append happen under the store's folder lock, so
  two requests at once (threads or processes) still make one certificate.
* **A new course version** (:data:`course.metadata.COURSE_VERSION`) can be earned anew: the
  learner then holds one certificate per version, each genuine.
* **Revoked** certificates verify as revoked, with the date. The learner is not offered a new
  one unless the tutor said so when revoking (``reissue``, e.g. when the name printed was wrong).
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from course.certificates.codes import check_code, make_code, new_id, seal, seal_matches
from course.clock import stamp, utc_now
from course.errors import MesoError
from course.store.base import ReadResult, TableStore, explain
from course.store.memo import PerVersion
from course.store.tables import CERTIFICATES

ISSUED, REVOKED = "issued", "revoked"
SEALED_FIELDS = ("cert_id", "learner", "name", "course_title", "course_version", "cpd_minutes", "scores", "at")
REASON_CHARS = (3, 300)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)  # English month names whatever the server's locale


class CertificateRefused(MesoError):
    """A certificate cannot be issued or changed; the message says why, for the person asking."""


@dataclass(frozen=True)
class ExamScore:
    title: str
    percentage: float


@dataclass(frozen=True)
class CaseScore:
    title: str
    percentage: float
    passed: bool


@dataclass(frozen=True)
class Scores:
    """What a certificate prints of the learner's results: the final exam and each clinical case."""

    exam: ExamScore | None = None
    cases: tuple[CaseScore, ...] = ()

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "exam": None if self.exam is None else {"title": self.exam.title, "percentage": self.exam.percentage},
            "cases": [{"title": c.title, "percentage": c.percentage, "passed": c.passed} for c in self.cases],
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Scores:
        """Scores back from their stored JSON (anything unreadable gives no scores)."""
        try:
            data = json.loads(text or "{}")
            exam = data.get("exam")
            return cls(
                None if not exam else ExamScore(str(exam["title"]), float(exam["percentage"])),
                tuple(
                    CaseScore(str(c["title"]), float(c["percentage"]), bool(c["passed"])) for c in data.get("cases", [])
                ),
            )
        except (ValueError, TypeError, KeyError, AttributeError):
            return cls()


@dataclass(frozen=True)
class Revocation:
    at: str
    by: str
    reason: str
    reissue: bool


@dataclass(frozen=True)
class Certificate:
    """One issued certificate as the record holds it (``issued`` is its UTC time stamp)."""

    cert_id: str
    learner: str
    name: str
    course_title: str
    course_version: str
    cpd_minutes: int
    scores_json: str
    issued: str
    seal: str
    revocation: Revocation | None = None

    @functools.cached_property
    def scores(self) -> Scores:
        """The scores printed (read from the stored JSON on first use: a replay of 100,000
        certificates does not parse them all)."""
        return Scores.from_json(self.scores_json)

    @property
    def revoked(self) -> bool:
        return self.revocation is not None

    @property
    def issued_date(self) -> str:
        """``2 December 2026``: the date a certificate prints (UTC)."""
        moment = datetime.fromisoformat(self.issued)
        return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"

    @property
    def cpd_hours(self) -> str:
        """The CPD hours in words: ``7.6 hours`` (the lessons' study time, one decimal)."""
        return f"{self.cpd_minutes / 60:.1f} hours"

    def sealed_fields(self) -> dict[str, object]:
        return {
            "cert_id": self.cert_id,
            "learner": self.learner,
            "name": self.name,
            "course_title": self.course_title,
            "course_version": self.course_version,
            "cpd_minutes": str(self.cpd_minutes),
            "scores": self.scores_json,
            "at": self.issued,
        }


class Status(StrEnum):
    GENUINE = "genuine"
    REVOKED = "revoked"
    TAMPERED = "tampered"  # shaped like a code, but its check part (or the stored record) does not match
    UNKNOWN = "unknown"  # a genuine check part, but no record of it here (another server's data, say)
    MALFORMED = "malformed"  # not shaped like a code at all


@dataclass(frozen=True)
class Verification:
    status: Status
    certificate: Certificate | None = None


@dataclass(frozen=True)
class Request:
    """What a certificate will say, decided by :mod:`course.certificates.eligibility`."""

    learner: str
    name: str
    course_title: str
    course_version: str
    cpd_minutes: int
    scores: Scores


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


@dataclass(frozen=True)
class _State:
    by_id: dict[str, Certificate]
    by_learner: dict[str, list[Certificate]]  # newest first
    newest_first: list[Certificate]


def _minutes(text: str) -> int:
    try:
        return int(float(text or "0"))
    except ValueError:
        return 0


def _replay(result: ReadResult) -> _State:
    """Every certificate's state from the rows in file order (an id issued twice keeps its first
    row; a revocation applies to an issued certificate, once)."""
    frame = result.frame
    by_id: dict[str, Certificate] = {}
    columns = [frame[c].tolist() for c in CERTIFICATES.columns]
    for cert_id, event, learner, name, title, version, minutes, scores, sealed, at, by, reason, reissue in zip(
        *columns, strict=True
    ):
        if event == ISSUED and cert_id not in by_id:
            by_id[cert_id] = Certificate(
                cert_id=_text(cert_id),
                learner=_text(learner),
                name=_text(name),
                course_title=_text(title),
                course_version=_text(version),
                cpd_minutes=_minutes(_text(minutes)),
                scores_json=_text(scores),
                issued=_text(at),
                seal=_text(sealed),
            )
        elif event == REVOKED and cert_id in by_id and by_id[cert_id].revocation is None:
            revocation = Revocation(_text(at), _text(by), _text(reason), _text(reissue) == "true")
            by_id[cert_id] = replace(by_id[cert_id], revocation=revocation)
    newest_first = sorted(by_id.values(), key=lambda c: c.issued, reverse=True)
    by_learner: dict[str, list[Certificate]] = {}
    for certificate in newest_first:
        by_learner.setdefault(certificate.learner, []).append(certificate)
    return _State(by_id, by_learner, newest_first)


_STATE = PerVersion(_replay)


@dataclass
class Certificates:
    """The certificates of one data folder, made and checked with the server's ``secret``."""

    store: TableStore
    secret: bytes = field(repr=False)
    clock: Callable[[], datetime] = utc_now

    def _state(self) -> _State:
        return _STATE(self.store.read(CERTIFICATES))

    def code(self, certificate: Certificate) -> str:
        """The certificate's verification code (not stored: it is made again from the secret)."""
        return make_code(self.secret, certificate.cert_id)

    def all(self) -> list[Certificate]:
        """Every certificate, newest first."""
        return list(self._state().newest_first)

    def of_learner(self, learner: str) -> list[Certificate]:
        """The learner's certificates, newest first."""
        return list(self._state().by_learner.get(learner, []))

    def current(self, learner: str, version: str) -> Certificate | None:
        """The learner's latest certificate of this course version (revoked or not), if any."""
        return next((c for c in self.of_learner(learner) if c.course_version == version), None)

    def issue(self, request: Request) -> Certificate:
        """The learner's certificate of this course version: the one already issued if there is
        one, else a new one, recorded. Raises :class:`CertificateRefused` when a tutor revoked
        the last one without allowing a new one."""
        with explain("Your certificate could not be recorded", "Please try again in a moment."), self.store.lock:
            existing = self.current(request.learner, request.course_version)
            if existing is not None and not existing.revoked:
                return existing
            if existing is not None and existing.revocation is not None and not existing.revocation.reissue:
                raise CertificateRefused(
                    f"Your certificate was revoked by a tutor on {existing.revocation.at[:10]}: "
                    f"{existing.revocation.reason} Please ask a tutor if you think this is a mistake."
                )
            certificate = Certificate(
                cert_id=new_id(),
                learner=request.learner,
                name=request.name,
                course_title=request.course_title,
                course_version=request.course_version,
                cpd_minutes=request.cpd_minutes,
                scores_json=request.scores.to_json(),
                issued=stamp(self.clock()),
                seal="",
            )
            fields = certificate.sealed_fields()
            sealed = replace(certificate, seal=seal(self.secret, fields))
            row = {**fields, "event": ISSUED, "seal": sealed.seal, "by": "", "reason": "", "reissue": ""}
            self.store.append(CERTIFICATES, [row])
        return sealed

    def verify(self, code: str) -> Verification:
        """What a code says: genuine (with the certificate), revoked, tampered, unknown or malformed."""
        cert_id, genuine = check_code(self.secret, code)
        if cert_id is None:
            return Verification(Status.MALFORMED)
        if not genuine:
            return Verification(Status.TAMPERED)
        certificate = self._state().by_id.get(cert_id)
        if certificate is None:
            return Verification(Status.UNKNOWN)
        if not seal_matches(self.secret, certificate.sealed_fields(), certificate.seal):
            return Verification(Status.TAMPERED)
        return Verification(Status.REVOKED if certificate.revoked else Status.GENUINE, certificate)

    def revoke(self, code: str, by: str, reason: str, *, reissue: bool = False) -> Certificate:
        """Withdraw a certificate (by its code) with a reason; it then verifies as revoked.

        Raises :class:`CertificateRefused` for a code that is not one of ours, a certificate
        already revoked, or a reason shorter than 3 or longer than 300 characters.
        """
        reason = " ".join(reason.split())
        low, high = REASON_CHARS
        if not low <= len(reason) <= high:
            raise CertificateRefused(f"Give a reason of {low} to {high} characters: the record keeps it.")
        with explain("The revocation could not be recorded", "Please try again in a moment."), self.store.lock:
            found = self.verify(code)
            if found.certificate is None:
                raise CertificateRefused("No certificate of this course has that code.")
            if found.certificate.revocation is not None:
                raise CertificateRefused(
                    f"That certificate was already revoked on {found.certificate.revocation.at[:10]}."
                )
            row = {
                "cert_id": found.certificate.cert_id,
                "event": REVOKED,
                "at": stamp(self.clock()),
                "by": by,
                "reason": reason,
                "reissue": "true" if reissue else "false",
                **dict.fromkeys(
                    ("learner", "name", "course_title", "course_version", "cpd_minutes", "scores", "seal"), ""
                ),
            }
            self.store.append(CERTIFICATES, [row])
        revocation = Revocation(str(row["at"]), by, reason, reissue)
        return replace(found.certificate, revocation=revocation)


def revocation_text(revocation: Revocation) -> str:
    """``revoked on 2026-12-02 by tess: <reason>``."""
    return f"revoked on {revocation.at[:10]} by {revocation.by}: {revocation.reason}"
