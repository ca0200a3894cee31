"""Certificates: the secret, codes that cannot be forged or edited, the append-only record (issue
once, even from threads and processes at once; revoke), and who is eligible."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from course.cases.models import CaseCatalog
from course.certificates import codes
from course.certificates.codes import check_code, grouped, load_secret, make_code, new_id, normalise
from course.certificates.eligibility import NotYetEligible, certificate_request, eligibility
from course.certificates.registry import (
    CaseScore,
    CertificateRefused,
    Certificates,
    ExamScore,
    Request,
    Scores,
    Status,
)
from course.content.lessons import load_catalog
from course.metadata import COURSE_VERSION, SetupError, base_url
from course.quiz.answers import right_answer
from course.quiz.attempts import Attempts
from course.quiz.banks import BankContext, load_quizzes
from course.quiz.models import QuizCatalog
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, CERTIFICATES
from tests.helpers.certificates import SECRET, checklist, complete_course

ROOT = Path(__file__).resolve().parents[2]
KEY = SECRET.encode()
CASES = len(list((ROOT / "cases").glob("*.yaml")))  # every real case counts towards the certificate
SCORES = Scores(ExamScore("Final exam", 81.0), (CaseScore("A case", 90.0, True),))


def request(learner: str = "ada", version: str = COURSE_VERSION) -> Request:
    return Request(learner, "Ada Lovelace", "The course", version, 455, SCORES)


@pytest.fixture
def book(data_dir: Path) -> Certificates:
    return Certificates(Store(data_dir), KEY)


# --- the secret -------------------------------------------------------------------------------


@pytest.fixture
def no_secret(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No secret in the environment, and a secrets file (not yet written) in the test's folder."""
    monkeypatch.delenv(codes.SECRET_ENV, raising=False)
    path = tmp_path / "secrets.toml"
    monkeypatch.setenv(codes.SECRETS_FILE_ENV, str(path))
    return path


def test_without_a_secret_there_is_none(no_secret: Path) -> None:
    assert load_secret() is None
    no_secret.write_text('[other]\nkey = "x"\n')
    assert load_secret() is None


def test_the_secret_comes_from_the_environment_first_then_the_secrets_file(
    no_secret: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_secret.write_text(f'[certificates]\nsecret = "{"f" * 40}"\n')
    assert load_secret() == b"f" * 40
    monkeypatch.setenv(codes.SECRET_ENV, "e" * 32)
    assert load_secret() == b"e" * 32


def test_a_short_secret_or_a_broken_secrets_file_is_refused_not_ignored(
    no_secret: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_secret.write_text("[certificates\nsecret = ")
    with pytest.raises(SetupError, match="cannot be read"):
        load_secret()
    monkeypatch.setenv(codes.SECRET_ENV, "short")
    with pytest.raises(SetupError, match="too short"):
        load_secret()


def test_no_secret_ships_with_the_course() -> None:
    ignored = subprocess.run(["git", "check-ignore", "-q", ".streamlit/secrets.toml"], cwd=ROOT, check=False).returncode
    assert ignored == 0, ".streamlit/secrets.toml must be git-ignored"
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "secrets.toml" not in tracked


def test_the_base_url_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MESO_BASE_URL", "academy.example.org")
    with pytest.raises(SetupError, match="http"):
        base_url()


# --- codes ------------------------------------------------------------------------------------


def test_a_code_checks_under_its_secret_only() -> None:
    cert_id = new_id()
    code = make_code(KEY, cert_id)
    assert len(normalise(code) or "") == 32 and code.count("-") == 7
    assert check_code(KEY, code) == (cert_id, True)
    assert check_code(KEY, code.lower().replace("-", " ")) == (cert_id, True)  # as typed
    assert check_code(b"another secret of enough length!!", code) == (cert_id, False)


def test_changing_any_character_of_a_code_makes_it_not_genuine() -> None:
    bare = normalise(make_code(KEY, new_id()))
    assert bare is not None
    for position in range(len(bare)):
        other = "0" if bare[position] != "0" else "1"
        tampered = bare[:position] + other + bare[position + 1 :]
        assert check_code(KEY, grouped(tampered))[1] is False, position


def test_random_ids_do_not_repeat() -> None:
    assert len({new_id() for _ in range(2000)}) == 2000


def test_text_that_is_not_a_code() -> None:
    for text in ("", "hello", "<script>alert(1)</script>", "0" * 31, "0" * 33, "U" * 32):
        assert check_code(KEY, text) == (None, False)


# --- the record -------------------------------------------------------------------------------


def test_issuing_twice_returns_the_certificate_already_issued(book: Certificates) -> None:
    first = book.issue(request())
    again = book.issue(request())
    assert again == first
    assert len(book.all()) == 1
    verified = book.verify(book.code(first))
    assert verified.status is Status.GENUINE and verified.certificate == first
    assert first.cpd_hours == "7.6 hours" and first.scores == SCORES


def test_a_new_course_version_gives_a_new_certificate_and_keeps_the_old_one(book: Certificates) -> None:
    old = book.issue(request(version="0.9"))
    new = book.issue(request())
    assert new.cert_id != old.cert_id
    assert book.verify(book.code(old)).status is Status.GENUINE


def test_a_revoked_certificate_verifies_as_revoked_and_is_not_issued_again(book: Certificates) -> None:
    certificate = book.issue(request())
    code = book.code(certificate)
    revoked = book.revoke(code, "tess", "Exam taken by someone else")
    assert revoked.revocation is not None and revoked.revocation.by == "tess"
    found = book.verify(code)
    assert found.status is Status.REVOKED and found.certificate is not None
    assert found.certificate.revocation == revoked.revocation
    with pytest.raises(CertificateRefused, match="revoked by a tutor"):
        book.issue(request())
    with pytest.raises(CertificateRefused, match="already revoked"):
        book.revoke(code, "tess", "again")


def test_a_revocation_that_allows_a_new_certificate(book: Certificates) -> None:
    first = book.issue(request())
    book.revoke(book.code(first), "tess", "Name misspelled", reissue=True)
    second = book.issue(request())
    assert second.cert_id != first.cert_id and book.verify(book.code(second)).status is Status.GENUINE
    assert book.verify(book.code(first)).status is Status.REVOKED


def test_a_revocation_needs_a_reason_and_a_real_code(book: Certificates) -> None:
    code = book.code(book.issue(request()))
    with pytest.raises(CertificateRefused, match="reason"):
        book.revoke(code, "tess", "  ")
    with pytest.raises(CertificateRefused, match="No certificate"):
        book.revoke(make_code(b"z" * 32, new_id()), "tess", "forged")


def test_a_code_with_a_genuine_check_but_no_record_is_unknown(book: Certificates) -> None:
    assert book.verify(make_code(KEY, new_id())).status is Status.UNKNOWN
    assert book.verify("nonsense").status is Status.MALFORMED


def test_a_record_edited_by_hand_reads_as_tampered(book: Certificates, data_dir: Path) -> None:
    code = book.code(book.issue(request()))
    path = data_dir / CERTIFICATES.name
    path.write_text(path.read_text().replace("Ada Lovelace", "Eve Forger"))
    fresh = Certificates(Store(data_dir), KEY)
    assert fresh.verify(code).status is Status.TAMPERED


def test_the_record_only_grows(book: Certificates, data_dir: Path) -> None:
    path = data_dir / CERTIFICATES.name
    certificate = book.issue(request())
    before = path.read_bytes()
    book.revoke(book.code(certificate), "tess", "Withdrawn")
    book.issue(request("bob"))
    after = path.read_bytes()
    assert after.startswith(before)
    lines = after.decode().splitlines()
    assert lines[0] == CERTIFICATES.header
    assert [line.split(",")[1] for line in lines[1:]] == ["issued", "revoked", "issued"]


def test_eight_threads_asking_at_once_get_one_certificate(data_dir: Path) -> None:
    results = []
    barrier = threading.Barrier(8)

    def ask() -> None:
        barrier.wait()
        results.append(Certificates(Store(data_dir), KEY).issue(request()))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({c.cert_id for c in results}) == 1
    assert len(Certificates(Store(data_dir), KEY).all()) == 1


CHILD = """
import sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from course.certificates.registry import Certificates
from course.store.csvstore import Store
from tests.unit.test_certificates import KEY, request
book = Certificates(Store({folder!r}), KEY)
print("ready", flush=True)
while not Path({go!r}).exists():
    time.sleep(0.001)
for _ in range(5):
    print(book.issue(request()).cert_id, flush=True)
"""


def test_two_processes_asking_at_once_get_one_certificate(data_dir: Path, tmp_path: Path) -> None:
    go = tmp_path / "go"
    script = CHILD.format(root=str(ROOT), folder=str(data_dir), go=str(go))
    children = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) for _ in range(2)]
    for child in children:  # both loaded and waiting: then they ask at the same moment
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    go.touch()
    ids = set()
    for child in children:
        out, _ = child.communicate(timeout=120)
        assert child.returncode == 0
        ids |= set(out.split())
    assert len(ids) == 1
    assert len(Certificates(Store(data_dir), KEY).all()) == 1


# --- eligibility over the real course -----------------------------------------------------------


@pytest.fixture
def course_dirs(content_dirs: tuple[Path, Path]) -> dict[str, Path]:
    lessons, quizzes = content_dirs
    return {"lessons": lessons, "quizzes": quizzes, "cases": ROOT / "cases"}


def test_a_new_learner_is_refused_with_everything_that_is_missing(data_dir: Path, course_dirs: dict) -> None:
    found = checklist(data_dir, "ada", **course_dirs)
    assert not found.eligible
    labels = [r.label for r in found.requirements]
    assert labels[0] == "Every lesson read and its quiz passed (0 of 16)"
    assert labels[1:] == ["The final exam passed", f"Every clinical case finished (0 of {CASES})"]
    assert found.missing[0] == "lesson 1, What mesotherapy is: not started"
    assert "take the final exam" in found.missing
    assert sum(item.startswith("finish the clinical case") for item in found.missing) == CASES
    with pytest.raises(NotYetEligible) as refused:
        certificate_request(found, "ada", "Ada")
    assert refused.value.missing == tuple(found.missing) and "take the final exam" in str(refused.value)
    assert found.cpd_minutes == 455


def test_a_learner_who_did_everything_but_the_cases(data_dir: Path, course_dirs: dict) -> None:
    complete_course(data_dir, "ada", **course_dirs, play_cases=False)
    found = checklist(data_dir, "ada", **course_dirs)
    assert [r.met for r in found.requirements] == [True, True, False]
    assert found.requirements[1].label == "The final exam passed (100%)"
    assert len(found.missing) == CASES


@pytest.mark.slow
def test_a_learner_who_did_everything_gets_the_scores_on_the_request(data_dir: Path, course_dirs: dict) -> None:
    complete_course(data_dir, "ada", **course_dirs)
    found = checklist(data_dir, "ada", **course_dirs)
    assert found.eligible and found.missing == []
    made = certificate_request(found, "ada", "Ada Lovelace")
    assert made.course_version == COURSE_VERSION and made.cpd_minutes == 455
    assert made.scores.exam == ExamScore("Final exam", 100.0)
    assert len(made.scores.cases) == CASES and all(c.passed for c in made.scores.cases)
    assert checklist(data_dir, "bob", **course_dirs).eligible is False  # only Ada did the work


def test_a_failed_final_exam_says_the_best_score_so_far(data_dir: Path, course_dirs: dict) -> None:
    catalog = load_quizzes(course_dirs["quizzes"], BankContext.from_catalog(load_catalog(course_dirs["lessons"])))
    quiz = catalog.quiz("final-exam")
    assert quiz is not None
    book = Attempts(Store(data_dir))
    started = book.start("ada", quiz)
    first = started.draw.question_ids[0]
    book.submit(started.draw, quiz.settings, quiz.questions, {first: right_answer(quiz.questions[first])})
    found = checklist(data_dir, "ada", **course_dirs)
    assert next(m for m in found.missing if "final exam" in m).startswith("pass the final exam (best so far ")


def test_without_cases_the_requirement_is_left_out(data_dir: Path, course_dirs: dict, tmp_path: Path) -> None:
    empty = tmp_path / "no-cases"
    empty.mkdir()
    found = checklist(data_dir, "ada", **{**course_dirs, "cases": empty})
    assert [r.label.split(" (")[0] for r in found.requirements] == [
        "Every lesson read and its quiz passed",
        "The final exam passed",
    ]


def test_broken_content_or_a_missing_exam_blocks_a_certificate(data_dir: Path) -> None:
    found = eligibility(
        learner="ada",
        lessons=(),
        quizzes=QuizCatalog(()),
        cases=CaseCatalog(),
        read=(),
        attempts=Store(data_dir).read(ATTEMPTS).frame,
        case_records={},
        broken=[Path("cases/bad.yaml")],
    )
    assert not found.eligible
    assert "a tutor must fix bad.yaml" in found.missing
    assert "the final exam is not available now (ask a tutor)" in found.missing


# --- the command line ---------------------------------------------------------------------------


def test_the_command_line_lists_and_revokes(
    book: Certificates, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from course.__main__ import main

    monkeypatch.setenv(codes.SECRET_ENV, SECRET)
    code = book.code(book.issue(request()))
    assert main(["certificates", "list"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(code) and "\tada\tAda Lovelace\tv1.0\tgenuine" in line
    assert main(["certificates", "revoke", code, "--reason", "Withdrawn by the course"]) == 0
    assert "revoked the certificate of ada" in capsys.readouterr().out
    assert book.verify(code).status is Status.REVOKED
    assert main(["certificates", "revoke", code, "--reason", "again"]) == 1
    assert "already revoked" in capsys.readouterr().err
    assert main(["certificates", "list"]) == 0
    assert "by command line: Withdrawn by the course" in capsys.readouterr().out


def test_the_command_line_without_a_secret_says_how_to_set_one(
    no_secret: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from course.__main__ import main

    assert main(["certificates", "list"]) == 1
    assert "MESO_CERT_SECRET" in capsys.readouterr().err
