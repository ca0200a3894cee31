"""The certificate PDF read back with pypdf: one A4 landscape page whose text says who, what,
which version, when, how many CPD hours, the scores, the educational-use statement and the code,
and whose QR code and address link to the verification page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from course.certificates.pdf import certificate_pdf
from course.certificates.registry import CaseScore, Certificate, Certificates, ExamScore, Request, Scores
from course.metadata import COURSE_TITLE, COURSE_VERSION, EDUCATIONAL_USE
from course.store.csvstore import Store
from tests.helpers.certificates import SECRET

NAME = "Zoë Łukasiewicz-Ó Briain"  # printed as typed: the fonts carry any European script
CASES = (
    CaseScore("Cellulite before a wedding: what the evidence lets you promise", 88.0, True),
    CaseScore("Tender lumps weeks after mesotherapy elsewhere", 60.0, False),
)


@pytest.fixture
def issued(data_dir: Path) -> tuple[Certificates, Certificate]:
    book = Certificates(Store(data_dir), SECRET.encode())
    request = Request(
        "zoe",
        "Zoë Łukasiewicz-Ó Briain",
        COURSE_TITLE,
        COURSE_VERSION,
        455,
        Scores(ExamScore("Final exam", 82.4), CASES),
    )
    return book, book.issue(request)


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_says_everything_a_certificate_must(issued: tuple[Certificates, Certificate]) -> None:
    book, certificate = issued
    code = book.code(certificate)
    url = f"https://academy.example.org/verify/{code}"
    reader = read(certificate_pdf(certificate, code, url))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    text = flat(page.extract_text())
    for expected in (
        "Certificate of completion",
        NAME,
        COURSE_TITLE,
        f"Version {COURSE_VERSION}",
        "7.6 hours of CPD (455 minutes of study)",
        f"Issued on {certificate.issued_date}",
        "Final exam (passed) 82%",
        "Clinical case: Cellulite before a wedding: what the evidence lets you promise 88%",
        "60% (not passed)",
        flat(EDUCATIONAL_USE),
        "not competence to inject",
        code,
        "https://academy.example.org/verify/",
    ):
        assert expected in text, expected
    assert (
        reader.metadata is not None and reader.metadata.title == "Certificate of completion: Zoë Łukasiewicz-Ó Briain"
    )


def test_the_qr_code_and_the_address_link_to_the_verification_page(issued: tuple[Certificates, Certificate]) -> None:
    book, certificate = issued
    code = book.code(certificate)
    url = f"https://academy.example.org/verify/{code}"
    page = read(certificate_pdf(certificate, code, url)).pages[0]
    links = [a.get_object()["/A"]["/URI"] for a in page["/Annots"]]
    assert links and set(links) == {url}
    assert len(links) >= 2  # the QR code, the address under it and the code itself


def test_the_same_certificate_gives_the_same_page_again(issued: tuple[Certificates, Certificate]) -> None:
    book, certificate = issued
    code = book.code(certificate)
    first = flat(read(certificate_pdf(certificate, code, "http://x/verify/" + code)).pages[0].extract_text())
    again = flat(read(certificate_pdf(certificate, code, "http://x/verify/" + code)).pages[0].extract_text())
    assert first == again


def test_a_very_long_name_still_fits_on_one_line(data_dir: Path) -> None:
    book = Certificates(Store(data_dir), SECRET.encode())
    name = "Maximiliana Wilhelmina Theodora von Hohenzollern-Sigmaringen-Brandenburg de la Tour"
    certificate = book.issue(Request("max", name, COURSE_TITLE, COURSE_VERSION, 455, Scores()))
    code = book.code(certificate)
    text = flat(read(certificate_pdf(certificate, code, "http://x/verify/" + code)).pages[0].extract_text())
    assert name in text
