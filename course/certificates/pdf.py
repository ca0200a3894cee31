"""The certificate as a one-page PDF (A4 landscape), built with fpdf2 from a stored certificate.

Nothing is stored but the record: the same certificate gives the same page whenever it is
downloaded again. The fonts are DejaVu (``assets/fonts``, shipped with their licence) so any
name in Latin, Greek or Cyrillic script prints as typed. The QR code (segno) is drawn as vector
squares, sharp at any zoom, and both it and the address under it link to the verification page.
"""

from __future__ import annotations

from datetime import datetime

import segno
from fpdf import FPDF

from course.certificates.registry import Certificate
from course.metadata import COURSE_NAME, EDUCATIONAL_USE
from course.paths import ASSETS_DIR

FONTS = ASSETS_DIR / "fonts"
BLUE = (0, 114, 178)  # Okabe-Ito blue, the app's primary colour
INK = (33, 37, 41)
GREY = (90, 96, 104)
PALE = (236, 244, 250)
PAGE_W, PAGE_H = 297.0, 210.0


def _fonts(pdf: FPDF) -> None:
    pdf.add_font("Sans", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("Sans", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_font("Serif", "", str(FONTS / "DejaVuSerif.ttf"))
    pdf.add_font("Serif", "B", str(FONTS / "DejaVuSerif-Bold.ttf"))


def _centred(pdf: FPDF, y: float, text: str, *, font: tuple[str, str, float], colour: tuple[int, int, int]) -> None:
    """One line centred on the page, shrunk until it fits between the borders."""
    family, style, size = font
    width = PAGE_W - 60
    while size > 8:
        pdf.set_font(family, style, size)
        if pdf.get_string_width(text) <= width:
            break
        size -= 1
    pdf.set_text_color(*colour)
    pdf.set_xy(30, y)
    pdf.cell(width, size * 0.45, text, align="C")


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` cut with an ellipsis so it fits ``width`` in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _qr(pdf: FPDF, url: str, x: float, y: float, size: float) -> None:
    """The QR code of ``url`` as filled squares (runs of dark modules merged), with a link."""
    code = segno.make(url, error="m", micro=False)
    rows = [list(row) for row in code.matrix_iter(scale=1, border=0)]
    module = size / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                pdf.rect(x + start * module, y + r * module, (c - start) * module, module, style="F")
            else:
                c += 1
    pdf.link(x, y, size, size, url)


def _results(pdf: FPDF, certificate: Certificate, x: float, y: float, width: float) -> None:
    pdf.set_xy(x, y)
    pdf.set_font("Sans", "B", 10)
    pdf.set_text_color(*BLUE)
    pdf.cell(width, 5, "RESULTS", new_x="LMARGIN", new_y="NEXT")
    rows: list[tuple[str, str]] = []
    exam = certificate.scores.exam
    if exam is not None:
        rows.append((f"{exam.title} (passed)", f"{exam.percentage:.0f}%"))
    for case in certificate.scores.cases:
        rows.append(
            (f"Clinical case: {case.title}", f"{case.percentage:.0f}%" + ("" if case.passed else " (not passed)"))
        )
    top = y + 7
    pdf.set_draw_color(200, 208, 216)
    pdf.set_line_width(0.2)
    score_w = 32
    for index, (label, score) in enumerate(rows):
        row_y = top + index * 5.6
        pdf.set_xy(x, row_y)
        pdf.set_font("Sans", "B" if index == 0 and exam is not None else "", 9)
        pdf.set_text_color(*INK)
        pdf.cell(width - score_w, 5.6, _fit(pdf, label, width - score_w - 2))
        pdf.cell(score_w, 5.6, score, align="R")
        pdf.line(x, row_y + 5.6, x + width, row_y + 5.6)


def certificate_pdf(certificate: Certificate, code: str, verify_url: str) -> bytes:
    """The certificate's PDF: name, course and version, date, CPD hours, scores, the
    educational-use statement, and the verification code with its QR code."""
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(20, 20, 20)
    _fonts(pdf)
    issued = datetime.fromisoformat(certificate.issued)
    pdf.set_creation_date(issued)
    pdf.set_title(f"Certificate of completion: {certificate.name}")
    pdf.set_author(COURSE_NAME)
    pdf.set_subject(f"{certificate.course_title}, version {certificate.course_version}")
    pdf.set_lang("en")
    pdf.add_page()

    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(1.4)
    pdf.rect(8, 8, PAGE_W - 16, PAGE_H - 16)
    pdf.set_line_width(0.3)
    pdf.rect(11, 11, PAGE_W - 22, PAGE_H - 22)

    _centred(pdf, 20, COURSE_NAME.upper(), font=("Sans", "B", 11), colour=BLUE)
    _centred(pdf, 29, "Certificate of completion", font=("Serif", "B", 30), colour=INK)
    _centred(pdf, 48, "This certifies that", font=("Sans", "", 12), colour=GREY)
    _centred(pdf, 56, certificate.name, font=("Serif", "B", 28), colour=INK)
    pdf.set_draw_color(*BLUE)
    pdf.set_line_width(0.4)
    pdf.line(PAGE_W / 2 - 70, 70, PAGE_W / 2 + 70, 70)
    _centred(pdf, 75, "has completed the theory course", font=("Sans", "", 12), colour=GREY)
    _centred(pdf, 82, certificate.course_title, font=("Serif", "B", 16), colour=INK)
    facts = (
        f"Version {certificate.course_version}  ·  {certificate.cpd_hours} of CPD "
        f"({certificate.cpd_minutes} minutes of study)  ·  Issued on {certificate.issued_date}"
    )
    _centred(pdf, 92, facts, font=("Sans", "", 10.5), colour=GREY)

    _results(pdf, certificate, 24, 104, 180)

    qr_size, qr_x, qr_y = 40.0, PAGE_W - 26 - 40.0, 104.0
    _qr(pdf, verify_url, qr_x, qr_y, qr_size)
    pdf.set_font("Sans", "", 7.5)
    pdf.set_text_color(*GREY)
    pdf.set_xy(qr_x - 16, qr_y + qr_size + 5)  # the QR code's quiet zone: about 4 modules of white
    pdf.cell(qr_size + 16, 4, "Scan, or check the code at", align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_text_color(*BLUE)
    base, _, _ = verify_url.rpartition("/")
    pdf.cell(qr_size + 16, 4, _fit(pdf, base + "/", qr_size + 16), align="C", link=verify_url)

    _statement(pdf, 160)

    pdf.set_font("Sans", "", 8)
    pdf.set_text_color(*GREY)
    pdf.set_xy(24, 184)
    pdf.cell(40, 5, "Verification code")
    pdf.set_font("Sans", "B", 11)
    pdf.set_text_color(*INK)
    pdf.cell(120, 5, code, link=verify_url)
    pdf.set_font("Sans", "", 8)
    pdf.set_text_color(*GREY)
    pdf.set_xy(PAGE_W - 24 - 100, 184)
    pdf.cell(100, 5, "A certificate can be revoked: the verification page says if it was.", align="R")
    return bytes(pdf.output())


def _statement(pdf: FPDF, y: float) -> None:
    """The educational-use statement, in a pale box across the page."""
    pdf.set_fill_color(*PALE)
    pdf.set_draw_color(*PALE)
    pdf.rect(24, y, PAGE_W - 48, 18, style="F")
    pdf.set_xy(28, y + 2.5)
    pdf.set_font("Sans", "B", 9)
    pdf.set_text_color(*BLUE)
    pdf.cell(PAGE_W - 56, 4.5, "For educational use", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(28)
    pdf.set_font("Sans", "", 8.5)
    pdf.set_text_color(*INK)
    pdf.multi_cell(PAGE_W - 56, 4.2, EDUCATIONAL_USE, align="L")
