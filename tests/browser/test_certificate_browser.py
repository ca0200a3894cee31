"""Certificates in a real browser, on a server of their own (with a certificate secret): a learner
who has done everything (made through the package's API) gets the certificate on My progress and
downloads the PDF; its code opens /verify/<code>, which says genuine; a tampered code says not
genuine; after a tutor revokes it on the Certificates page, the same address says revoked."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from course.accounts.accounts import Accounts, Role
from course.store.csvstore import Store
from tests.browser.helpers import assert_no_exception, nav_link, sign_in, wait_idle
from tests.browser.server import PHONE, start_server
from tests.helpers.certificates import SECRET, complete_course

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://academy.example.test"  # what the certificate prints; the test opens its own server
CONTENT = {"lessons": ROOT / "lessons", "quizzes": ROOT / "quizzes", "cases": ROOT / "cases"}


@pytest.fixture(scope="module")
def cert_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    base = tmp_path_factory.mktemp("cert-server")
    data = base / "data"
    data.mkdir()
    env = {"MESO_DATA_DIR": str(data), "MESO_CERT_SECRET": SECRET, "MESO_BASE_URL": BASE}
    process, url = start_server(ROOT, env, base / "streamlit.log")
    yield url, data
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def test_download_verify_tamper_and_revoke(cert_server: tuple[str, Path], browser) -> None:
    url, data = cert_server
    accounts = Accounts(Store(data))
    accounts.create("ada", "Ada Lovelace", "password123", Role.LEARNER)
    accounts.create("tess", "Tess Tutor", "password123", Role.TUTOR)
    complete_course(data, "ada", **CONTENT)

    learner_context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tutor_context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = learner_context.new_page()
        sign_in(page, url, "ada", path="progress")
        box = page.locator(".st-key-certificate-box")
        expect(box.get_by_text("The final exam passed (100%)")).to_be_visible()
        box.get_by_role("button", name="Get my certificate").click()
        expect(box.get_by_text("Your certificate was issued on")).to_be_visible()
        assert_no_exception(page)
        with page.expect_download() as download:
            box.get_by_role("button", name="Download my certificate (PDF)").click()
        pdf = PdfReader(download.value.path())
        text = " ".join(pdf.pages[0].extract_text().split())
        assert "Ada Lovelace" in text and "not competence to inject" in text
        links = {a.get_object()["/A"]["/URI"] for a in pdf.pages[0]["/Annots"]}
        (link,) = links
        assert link.startswith(f"{BASE}/verify/")
        code = link.rsplit("/", 1)[1]
        assert code in text

        verify = learner_context.new_page()
        verify.goto(f"{url}/verify/{code}")
        expect(verify.get_by_role("heading", name="Genuine certificate")).to_be_visible()
        expect(verify.get_by_text("Ada Lovelace")).to_be_visible()
        expect(verify.get_by_text("not competence to inject")).to_be_visible()

        tampered = code[:-1] + ("0" if code[-1] != "0" else "1")
        response = verify.goto(f"{url}/verify/{tampered}")
        assert response is not None and response.status == 404
        expect(verify.get_by_role("heading", name="Not a genuine certificate")).to_be_visible()
        expect(verify.get_by_text("Ada Lovelace")).to_have_count(0)

        verify.get_by_label("Check a certificate's code").fill(code.lower().replace("-", " "))
        verify.get_by_role("button", name="Verify").click()  # the form: a typed code, any case
        expect(verify.get_by_role("heading", name="Genuine certificate")).to_be_visible()
        assert verify.url == f"{url}/verify/{code}"

        tutor = tutor_context.new_page()
        sign_in(tutor, url, "tess")
        nav_link(tutor, "Certificates").click()
        wait_idle(tutor)
        expect(tutor.get_by_role("heading", name="Certificates", exact=True)).to_be_visible()
        tutor.get_by_role("textbox", name="Reason").fill("Exam taken by someone else")
        tutor.get_by_role("button", name="Revoke this certificate").click()
        expect(tutor.get_by_text("Revoked the certificate of Ada Lovelace (ada).")).to_be_visible()
        assert_no_exception(tutor)

        verify.goto(f"{url}/verify/{code}")
        expect(verify.get_by_role("heading", name="Revoked certificate")).to_be_visible()
        expect(verify.get_by_text("a tutor revoked it on")).to_be_visible()
        expect(verify.get_by_text("Exam taken by someone else")).to_have_count(0)  # the reason stays private

        verify.set_viewport_size(PHONE)
        verify.reload()
        width = verify.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"], f"the verification page scrolls sideways at 390 px ({width} px)"

        page.reload()
        wait_idle(page)
        expect(box.get_by_text("Your certificate was revoked by a tutor on")).to_be_visible()
    finally:
        learner_context.close()
        tutor_context.close()
