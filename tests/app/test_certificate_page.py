"""AppTest of the certificate on My progress (not set up, the checklist, getting and downloading
it, revoked) and of the tutors' Certificates page (refused to learners, the list, revoking)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from course.certificates import codes
from course.certificates.eligibility import certificate_request
from course.certificates.registry import Certificates, Status
from course.store.csvstore import Store
from course.store.tables import CERTIFICATES
from tests.conftest import ROOT
from tests.helpers.apptest import capture_downloads, texts
from tests.helpers.certificates import SECRET, checklist, complete_course
from views.parts.notices import DETAILS

PROGRESS = "views/pages/my_progress.py"
TUTOR_PAGE = "views/pages/tutor_certificates.py"
CONTENT = {"lessons": ROOT / "lessons", "quizzes": ROOT / "quizzes", "cases": ROOT / "cases"}


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> bytes:
    monkeypatch.setenv(codes.SECRET_ENV, SECRET)
    monkeypatch.setenv("MESO_BASE_URL", "https://academy.example.org")
    return SECRET.encode()


@pytest.fixture
def ready(data_dir: Path, make_account, secret: bytes) -> str:
    """Ada, who has done everything a certificate asks."""
    make_account("ada", name="Ada Lovelace")
    complete_course(data_dir, "ada", **CONTENT)
    return "ada"


def open_progress(app_test, user: str = "ada"):
    at = app_test(user).run()
    at.switch_page(PROGRESS).run()
    assert not at.exception, at.exception
    return at


def test_without_a_secret_no_certificate_is_offered(
    app_test, make_account, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(codes.SECRET_ENV, raising=False)
    monkeypatch.setenv(codes.SECRETS_FILE_ENV, str(tmp_path / "absent.toml"))
    make_account("ada")
    at = open_progress(app_test)
    assert "Certificates are not switched on for this course yet" in texts(at)
    assert not [e for e in at.info if "MESO_CERT_SECRET" in e.value]  # the administrator's setup is folded away
    (details,) = [e for e in at.expander if e.label == DETAILS]
    assert "`MESO_CERT_SECRET`" in details.markdown[0].value
    assert not [b for b in at.button if b.key == "certificate:issue"]


def test_a_new_learner_sees_the_checklist_of_what_is_missing(app_test, make_account, secret: bytes) -> None:
    make_account("ada")
    at = open_progress(app_test)
    checklist = texts(at)
    assert "**To do:** Every lesson read and its quiz passed \\(0 of 16\\)" in checklist
    assert "- Lesson 1, What mesotherapy is\\: not started" in checklist
    assert "and 10 more" in checklist
    assert "Take the final exam" in checklist
    assert "Every clinical case finished \\(0 of 8\\)" in checklist  # the eight cases in cases/
    assert not [b for b in at.button if b.key == "certificate:issue"]


@pytest.mark.slow
def test_a_learner_who_did_everything_gets_and_downloads_the_certificate(
    app_test, ready: str, data_dir: Path, secret: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    downloads = capture_downloads(monkeypatch)
    at = open_progress(app_test)
    assert "**Done:** The final exam passed \\(100%\\)" in texts(at)
    assert "**Ada Lovelace**" in texts(at)
    at.button(key="certificate:issue").click().run()
    assert not at.exception, at.exception
    assert "Your certificate was issued on" in texts(at)
    (certificate,) = Certificates(Store(data_dir), secret).all()
    code = Certificates(Store(data_dir), secret).code(certificate)
    assert code in texts(at) and f"https://academy.example.org/verify/{code}" in texts(at).replace("\\", "")
    pdf = downloads["meso-academy-certificate-ada.pdf"]()
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Ada Lovelace" in text and code in text and "not competence to inject" in text
    again = open_progress(app_test)  # a new visit shows the same certificate; nothing is issued twice
    assert code in texts(again)
    assert len((data_dir / CERTIFICATES.name).read_text().splitlines()) == 2


@pytest.mark.slow
def test_the_tutor_lists_and_revokes_a_certificate_and_the_learner_is_told(
    app_test, ready: str, data_dir: Path, secret: bytes, make_account
) -> None:
    book = Certificates(Store(data_dir), secret)

    certificate = book.issue(certificate_request(checklist(data_dir, "ada", **CONTENT), "ada", "Ada Lovelace"))
    code = book.code(certificate)

    learner = app_test("ada").run()
    learner.switch_page(TUTOR_PAGE).run()
    assert "This page is for tutors only" in learner.error[0].value
    assert not learner.dataframe

    make_account("tess", tutor=True)
    at = app_test("tess").run()
    at.switch_page(TUTOR_PAGE).run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert list(table["Code"]) == [code] and list(table["Status"]) == ["genuine"]
    assert list(table["Name printed"]) == ["Ada Lovelace"]
    at.text_input(key="tutor-certificates:reason").input("no")
    at.button(key="FormSubmitter:tutor-certificates:revoke-Revoke this certificate").click().run()
    assert "Give a reason of 3 to 300 characters" in at.error[0].value
    assert book.verify(code).status is Status.GENUINE
    at.text_input(key="tutor-certificates:reason").input("Exam taken by someone else")
    at.button(key="FormSubmitter:tutor-certificates:revoke-Revoke this certificate").click().run()
    assert not at.exception, at.exception
    assert "Revoked the certificate of Ada Lovelace" in texts(at)
    assert at.dataframe[0].value["Status"][0].startswith("revoked on ")
    assert book.verify(code).status is Status.REVOKED

    mine = open_progress(app_test)
    assert "Your certificate was revoked by a tutor on" in mine.warning[0].value
    assert "Exam taken by someone else" in mine.warning[0].value
    assert not [b for b in mine.button if b.key == "certificate:issue"]
