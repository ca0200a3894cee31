"""Certificates: a verification over 100,000 stored certificates, the PDF, and My progress's rerun.

1. **Verify.** ``Certificates.verify(code)`` with ``certificates.csv`` holding 100,000 issued
   certificates: the first lookup after the file changed (read and replay, once per version of
   the file) and a lookup while it is unchanged, against pandas' raw ``read_csv`` of the same
   file in the same run.
2. **PDF.** ``certificate_pdf`` (fonts subset, QR code drawn as vector squares) against a bare
   fpdf2 page of one line in a core font, in the same run.
3. **My progress rerun** (AppTest), signed in as a learner who has done everything, with no
   secret (the box says certificates are not set up), with a secret before the certificate
   (the checklist is computed) and after it (the download box), divided by a bare one-title
   page's rerun in the same process.

    python bench/bench_certificates.py
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
from common import ROOT, median_ms, p95_ms, print_table, time_runs

from course.certificates.codes import new_id, seal
from course.certificates.pdf import certificate_pdf
from course.certificates.registry import ISSUED, CaseScore, Certificates, ExamScore, Scores
from course.store.csvstore import Store
from course.store.tables import CERTIFICATES

SECRET = "bench-secret-" + "b" * 40
ROWS = 100_000
REPEAT = 30
PAGE_REPEAT = 15
SCORES = Scores(ExamScore("Final exam", 82.0), tuple(CaseScore(f"Case {i}", 80.0 + i, True) for i in range(6)))


def write_certificates(folder: Path) -> Certificates:
    """100,000 sealed ``issued`` rows, written through the store in one append."""
    store = Store(folder)
    key = SECRET.encode()
    rows = []
    for index in range(ROWS):
        fields = {
            "cert_id": new_id(),
            "learner": f"learner{index:06d}",
            "name": f"Learner {index}",
            "course_title": "The course",
            "course_version": "1.0",
            "cpd_minutes": "455",
            "scores": SCORES.to_json(),
            "at": "2026-12-01T10:00:00+00:00",
        }
        rows.append({**fields, "event": ISSUED, "seal": seal(key, fields), "by": "", "reason": "", "reissue": ""})
    store.append(CERTIFICATES, rows)
    return Certificates(store, key)


def verify_bench(work: Path) -> list[tuple[object, ...]]:
    book = write_certificates(work / "verify")
    path = book.store.path(CERTIFICATES)
    code = book.code(book.all()[ROWS // 2])
    raw = time_runs(lambda: pd.read_csv(path, dtype=str, keep_default_na=False), 5)

    def changed() -> None:
        os.utime(path)  # a new version of the file: read and replayed again
        book.verify(code)

    first = time_runs(changed, 5)
    cached = time_runs(lambda: book.verify(code), REPEAT * 10)
    base = median_ms(raw)
    return [
        ("pandas read_csv of the file (baseline)", base, p95_ms(raw), 1.0),
        ("verify, file just changed (read + replay)", median_ms(first), p95_ms(first), median_ms(first) / base),
        ("verify, file unchanged", median_ms(cached), p95_ms(cached), median_ms(cached) / base),
    ]


def pdf_bench(work: Path) -> list[tuple[object, ...]]:
    from fpdf import FPDF

    book = Certificates(Store(work / "pdf"), SECRET.encode())
    certificate = write_certificates(work / "pdf").all()[0]
    code = book.code(certificate)

    def bare() -> bytes:
        pdf = FPDF(orientation="landscape", format="A4")
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.cell(100, 10, "hello")
        return bytes(pdf.output())

    baseline = time_runs(bare, REPEAT)
    built = time_runs(lambda: certificate_pdf(certificate, code, f"https://academy.example.org/verify/{code}"), REPEAT)
    size = len(certificate_pdf(certificate, code, f"https://academy.example.org/verify/{code}")) / 1024
    return [
        ("bare fpdf2 page, one line (baseline)", median_ms(baseline), p95_ms(baseline), 1.0),
        (f"certificate PDF ({size:.0f} KiB)", median_ms(built), p95_ms(built), median_ms(built) / median_ms(baseline)),
    ]


def page_bench(work: Path) -> tuple[float, list[tuple[object, ...]]]:
    from streamlit.testing.v1 import AppTest

    from course.accounts.accounts import Accounts, Role
    from tests.helpers.certificates import complete_course

    data = work / "page"
    os.environ["MESO_DATA_DIR"] = str(data)
    os.environ["MESO_SECRETS_FILE"] = str(work / "absent.toml")
    Accounts(Store(data)).create("ada", "Ada Lovelace", "password123", Role.LEARNER)
    complete_course(data, "ada", lessons=ROOT / "lessons", quizzes=ROOT / "quizzes", cases=ROOT / "cases")
    bare = AppTest.from_string("import streamlit as st\nst.title('hello')", default_timeout=60).run()
    baseline = median_ms(time_runs(bare.run, PAGE_REPEAT))

    def progress() -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state["user"] = "ada"
        at.run()
        at.switch_page("views/pages/my_progress.py").run()
        assert not at.exception, at.exception
        return at

    rows = []
    os.environ.pop("MESO_CERT_SECRET", None)
    at = progress()
    times = time_runs(at.run, PAGE_REPEAT)
    rows.append(("no secret: not set up", median_ms(times), median_ms(times) / baseline))
    os.environ["MESO_CERT_SECRET"] = SECRET
    at = progress()
    times = time_runs(at.run, PAGE_REPEAT)
    rows.append(("secret, before the certificate: the checklist", median_ms(times), median_ms(times) / baseline))
    at.button(key="certificate:issue").click().run()
    times = time_runs(at.run, PAGE_REPEAT)
    rows.append(("secret, certificate issued: the download box", median_ms(times), median_ms(times) / baseline))
    return baseline, rows


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-certificates-"))
    try:
        print_table(
            f"Verification over {ROWS:,} stored certificates",
            ("what", "median ms", "p95 ms", "÷ read_csv"),
            verify_bench(work),
        )
        print_table("The certificate PDF", ("what", "median ms", "p95 ms", "÷ bare page"), pdf_bench(work))
        baseline, rows = page_bench(work)
        print(f"\nbare page rerun (baseline): {baseline:.2f} ms median of {PAGE_REPEAT}")
        print_table("My progress rerun, a learner who has done everything", ("box", "median ms", "÷ bare"), rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
