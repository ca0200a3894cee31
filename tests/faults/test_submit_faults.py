"""Fault suite: a full disk or an unwritable results file while a learner saves something.

Every path that writes for a learner (quiz start and submit, a simulator drill, lesson
completion, sign-up) must fail with a clear message on the page, keep what the learner
entered, and leave no row and no partial line in any CSV file; once the fault is gone, the
same action succeeds. The faults are made inside the AppTest process: ``os.fsync`` raising
ENOSPC for chosen files (a disk that fills up during the write), or ``responses.csv``
replaced by a folder (a file that cannot be opened for appending; root ignores permissions).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from course.accounts.progress import LessonProgress
from course.content.lessons import load_catalog
from course.store.csvstore import Store, StoreError
from course.store.tables import ATTEMPTS, DRAFTS, PROGRESS, RESPONSES, USERS
from tests.helpers.apptest import QUIZ, answer, open_quiz, open_url_path, placed_drill, submit, write_bank

DiskFull = Callable[..., None]


@pytest.fixture
def disk_full(monkeypatch: pytest.MonkeyPatch) -> Iterator[DiskFull]:
    """``disk_full("attempts.csv", ...)``: fsync of those files raises ENOSPC; ``disk_full()`` ends it."""
    real_fsync = os.fsync
    failing: set[str] = set()

    def fsync(fd: int) -> None:
        if Path(os.readlink(f"/proc/self/fd/{fd}")).name in failing:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)

    def set_failing(*names: str) -> None:
        failing.clear()
        failing.update(names)

    yield set_failing


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.csv")) if path.is_file()}


def assert_clean(folder: Path, before: dict[str, bytes]) -> None:
    """Every CSV file is exactly as before the failed write, or empty if it was created by it."""
    after = snapshot(folder)
    for name, content in after.items():
        assert content == before.get(name, b""), f"{name} changed: {content!r}"


def widget_values(at) -> dict[str, object]:
    key = f"quiz:{QUIZ}"
    return {
        "diagram": at.selectbox(key=f"{key}:apptest-diagram").value,
        "single": at.radio(key=f"{key}:apptest-single").value,
        "ticks": [at.checkbox(key=f"{key}:apptest-multiple:{i}").value for i in range(3)],
        "tf": at.radio(key=f"{key}:apptest-tf").value,
        "numeric": at.text_input(key=f"{key}:apptest-numeric").value,
        "ordering": [at.selectbox(key=f"{key}:apptest-ordering:{i}").value for i in range(3)],
        "matching": [at.selectbox(key=f"{key}:apptest-matching:{i}").value for i in range(2)],
    }


ANSWERED = {
    "diagram": "papillary-dermis",
    "single": "Right one",
    "ticks": [True, True, False],
    "tf": "False",
    "numeric": "0,9",
    "ordering": ["first", "third", "second"],
    "matching": ["Junction", "Superficial"],
}


@pytest.fixture
def quiz_bank(content_dirs, make_account) -> None:
    """The fixed-order test bank beside the real ones, and a learner to take it."""
    write_bank(content_dirs[1])
    make_account("ada")


@pytest.mark.usefixtures("quiz_bank")
@pytest.mark.parametrize(
    "fault",
    [
        ("attempts.csv", "full", "No space left on device"),
        ("responses.csv", "full", "No space left on device"),  # the attempt row was written: it must go again
        ("responses.csv", "unwritable", "Is a directory"),
    ],
    ids=["attempts.csv full", "responses.csv full", "responses.csv unwritable"],
)
def test_failed_submit_says_so_keeps_the_answers_and_leaves_nothing_behind(
    app_test, data_dir: Path, disk_full: DiskFull, fault: tuple[str, str, str]
) -> None:
    name, kind, reason = fault
    at = open_quiz(app_test)
    draw = at.session_state["quizzes:draw"]
    answer(at)
    at.run()  # each answer reaches the server as it is given (kept as a draft row) before the submit
    before = snapshot(data_dir)
    if kind == "full":
        disk_full(name)
    else:
        (data_dir / name).mkdir()

    submit(at)

    assert not at.exception, at.exception
    (error,) = [e.value for e in at.error]
    assert "Your answers could not be saved" in error and reason in error and "still on this page" in error
    assert not at.metric  # no score: nothing was stored
    assert at.session_state["quizzes:draw"] == draw  # still taking the same attempt
    assert widget_values(at) == ANSWERED
    if kind == "unwritable":
        (data_dir / name).rmdir()
    assert_clean(data_dir, before)
    store = Store(data_dir)
    assert store.read(ATTEMPTS).frame.empty and store.read(RESPONSES).frame.empty
    assert not store.read(ATTEMPTS).problems and not store.read(RESPONSES).problems

    disk_full()  # the fault is gone: the same answers go through
    submit(at)
    assert not at.exception, at.exception
    assert [m.value for m in at.metric] == ["5.33333 / 8", "67%"]
    assert not at.error
    attempts = store.read(ATTEMPTS).frame
    assert list(attempts["attempt_id"]) == [draw.attempt_id]
    responses = store.read(RESPONSES).frame
    assert len(responses) == 7 and set(responses["attempt_id"]) == {draw.attempt_id}
    assert not store.read(ATTEMPTS).problems and not store.read(RESPONSES).problems


def test_an_attempt_is_never_stored_without_its_responses(tmp_path: Path, disk_full: DiskFull) -> None:
    """The store's own promise behind the page: attempt and responses are appended all or nothing."""
    store = Store(tmp_path)
    attempt = {column: "x" for column in ATTEMPTS.columns} | {"score": 1, "max_score": 1, "percentage": 100}
    response = {column: "x" for column in RESPONSES.columns} | {"points": 1, "max_points": 1}
    store.append_many([(ATTEMPTS, [attempt]), (RESPONSES, [response])])
    assert store.contains(ATTEMPTS, "attempt_id", "x")
    before = snapshot(tmp_path)
    disk_full(RESPONSES.name)
    with pytest.raises(StoreError, match="No space left"):
        store.append_many([(ATTEMPTS, [attempt | {"attempt_id": "y"}]), (RESPONSES, [response])])
    assert snapshot(tmp_path) == before
    assert not store.contains(ATTEMPTS, "attempt_id", "y")  # the id index forgot the rolled-back row
    disk_full()
    store.append_many([(ATTEMPTS, [attempt | {"attempt_id": "y"}]), (RESPONSES, [response])])
    assert list(store.read(ATTEMPTS).frame["attempt_id"]) == ["x", "y"]
    assert len(store.read(RESPONSES).frame) == 2


@pytest.mark.usefixtures("quiz_bank")
def test_starting_a_quiz_on_a_full_disk_says_so(app_test, data_dir: Path, disk_full: DiskFull) -> None:
    at = app_test(user="ada").run()
    at.switch_page("views/pages/quizzes.py").run()
    before = snapshot(data_dir)
    disk_full(DRAFTS.name)
    at.button(key=f"quizzes:start:{QUIZ}").click().run()
    assert not at.exception, at.exception
    assert any("could not be started" in e.value and "No space left" in e.value for e in at.error)
    assert "quizzes:draw" not in at.session_state
    assert_clean(data_dir, before)
    disk_full()
    at.button(key=f"quizzes:start:{QUIZ}").click().run()
    assert "quizzes:draw" in at.session_state and not at.error


def test_a_drill_that_cannot_be_saved_says_so_and_keeps_the_placement(
    app_test, make_account, data_dir: Path, disk_full: DiskFull
) -> None:
    at = placed_drill(app_test, make_account)
    before = snapshot(data_dir)
    disk_full(RESPONSES.name)
    at.button(key="sim:drill-submit").click().run()
    assert not at.exception, at.exception
    assert any("placement could not be saved" in e.value and "No space left" in e.value for e in at.error)
    assert at.session_state["sim:drill"]["result"] is None
    assert at.number_input(key="sim:drill-needle:angle:number").value == 10
    assert at.number_input(key="sim:drill-needle:length:number").value == 2.7
    assert_clean(data_dir, before)
    disk_full()
    at.button(key="sim:drill-submit").click().run()
    assert any("Score: 100%" in m.value for m in at.markdown)
    assert list(Store(data_dir).read(ATTEMPTS).frame["quiz"]) == ["simulator"]
    assert len(Store(data_dir).read(RESPONSES).frame) == 1


def test_lesson_completion_on_a_full_disk_says_so(app_test, make_account, data_dir: Path, disk_full: DiskFull) -> None:
    make_account("ada")
    lesson = load_catalog().lessons[0]
    at = open_url_path(app_test(user="ada").run(), lesson.url_path)
    before = snapshot(data_dir)
    disk_full(PROGRESS.name)
    at.button(key=f"lesson:{lesson.id}:complete").click().run()
    assert not at.exception, at.exception
    assert any("progress could not be saved" in e.value and "No space left" in e.value for e in at.error)
    assert not any("completed this lesson" in s.value for s in at.success)
    assert_clean(data_dir, before)
    disk_full()
    at.button(key=f"lesson:{lesson.id}:complete").click().run()
    assert any("completed this lesson" in s.value for s in at.success)
    assert LessonProgress(Store(data_dir)).completed("ada") == {lesson.id}


def test_sign_up_on_a_full_disk_says_so_and_keeps_the_form(app_test, data_dir: Path, disk_full: DiskFull) -> None:
    at = app_test().run()
    at.switch_page("views/pages/account.py").run()
    at.text_input(key="account:new-name").input("Ada Lovelace")
    at.text_input(key="account:new-login").input("ada")
    at.text_input(key="account:new-password").input("password123")
    at.text_input(key="account:confirm").input("password123")
    disk_full(USERS.name)
    at.form_submit_button(key="account:sign-up-submit").click().run()
    assert not at.exception, at.exception
    assert any("account could not be created" in e.value and "No space left" in e.value for e in at.error)
    assert "user" not in at.session_state
    assert at.text_input(key="account:new-login").value == "ada"
    assert snapshot(data_dir) in ({}, {USERS.name: b""})
    disk_full()
    at.form_submit_button(key="account:sign-up-submit").click().run()
    assert at.session_state["user"] == "ada"
    assert Store(data_dir).read(USERS).frame["login"].tolist() == ["ada"]
