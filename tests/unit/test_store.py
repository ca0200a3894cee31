"""The results files: concurrent appends lose nothing, damage is reported and skipped.

Threads and processes append under the folder lock; a torn last line and a garbled
middle line are reported with their line numbers while every other row still reads; a
file with other columns is refused; the attempt-id index reads only what was appended.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from course.store.base import StoreError, explain
from course.store.csvstore import HeaderMismatch, Store
from course.store.tables import ATTEMPTS, RESPONSES

ROOT = Path(__file__).resolve().parents[2]


def response(attempt: str, question: str, points: float = 1.0, answer: str = "A") -> dict[str, object]:
    return {
        "attempt_id": attempt,
        "question_id": question,
        "answer": answer,
        "correct": "true",
        "points": points,
        "max_points": 1,
    }


def test_eight_threads_times_500_appends_all_there_and_parse(tmp_path: Path) -> None:
    store = Store(tmp_path)

    def write(thread: int) -> None:
        for n in range(500):
            store.append(RESPONSES, [response(f"t{thread}", f"q{n}", answer=f'say "hi", {thread}\n{n}')])

    threads = [threading.Thread(target=write, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = store.read(RESPONSES)
    assert result.problems == ()
    frame = result.frame
    assert len(frame) == 4000
    assert set(zip(frame["attempt_id"], frame["question_id"], strict=True)) == {
        (f"t{t}", f"q{n}") for t in range(8) for n in range(500)
    }
    assert (
        frame["answer"]
        == [f'say "hi", {a[1:]}\n{q[1:]}' for a, q in zip(frame["attempt_id"], frame["question_id"], strict=True)]
    ).all()
    assert frame["points"].dtype.kind == "f" and frame["points"].sum() == 4000


APPEND_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from course.store.csvstore import Store
from course.store.tables import RESPONSES
store = Store({folder!r})
for n in range(300):
    store.append(RESPONSES, [{{"attempt_id": "p{tag}", "question_id": f"q{{n}}", "answer": "",
                              "correct": "false", "points": 0, "max_points": 1}}])
"""


def test_two_processes_appending_lose_nothing(tmp_path: Path) -> None:
    processes = [
        subprocess.Popen([sys.executable, "-c", APPEND_SCRIPT.format(root=str(ROOT), folder=str(tmp_path), tag=tag)])
        for tag in "ab"
    ]
    assert [p.wait(timeout=120) for p in processes] == [0, 0]
    result = Store(tmp_path).read(RESPONSES)
    assert result.problems == ()
    assert result.frame.groupby("attempt_id").size().to_dict() == {"pa": 300, "pb": 300}


@pytest.mark.parametrize(
    ("garbled", "message"),
    [
        ("a1,q7,A,true\n", "expected 6 fields, found 4; skipped"),
        ('a1,"unclosed,garbage\n', "unreadable row (a quote is never closed); skipped"),
        ("\x00\x01\x02 binary junk\n", "expected 6 fields, found 1; skipped"),
    ],
)
def test_torn_last_line_and_garbled_middle_line_are_reported_and_skipped(
    tmp_path: Path, garbled: str, message: str
) -> None:
    store = Store(tmp_path)
    store.append(RESPONSES, [response("a1", f"q{n}") for n in range(5)])
    path = store.path(RESPONSES)
    lines = path.read_text().splitlines(keepends=True)
    lines.insert(3, garbled)  # becomes line 4
    path.write_text("".join(lines) + "a1,q9,A,tr")  # torn: no newline at the end
    result = Store(tmp_path).read(RESPONSES)
    assert sorted(result.frame["question_id"]) == [f"q{n}" for n in range(5)]
    assert [(p.file, p.line) for p in result.problems] == [("responses.csv", 4), ("responses.csv", 8)]
    assert result.problems[0].message == message
    assert "torn last line" in result.problems[1].message
    assert path.read_text().endswith("a1,q9,A,tr")  # reading never changes the file
    store.append(RESPONSES, [response("a2", "q1")])  # the next append starts on a line of its own
    after = Store(tmp_path).read(RESPONSES)
    assert len(after.frame) == 6 and [p.line for p in after.problems] == [4, 8]


def test_a_line_with_a_word_in_a_number_column_is_skipped(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.append(RESPONSES, [response("a1", "q1"), response("a1", "q2", points="lots"), response("a1", "q3")])  # type: ignore[arg-type]
    result = store.read(RESPONSES)
    assert list(result.frame["question_id"]) == ["q1", "q3"]
    assert [(p.line, p.message) for p in result.problems] == [(3, "a number field does not hold a number; skipped")]
    assert result.frame["points"].dtype.kind == "f"


def test_numbers_and_text_have_their_types_on_the_fast_path(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.append(RESPONSES, [response("00123", "q1", 0.5, answer="NA"), response("a2", "q2", 1.0, answer="")])
    frame = store.read(RESPONSES).frame
    assert list(frame["attempt_id"]) == ["00123", "a2"]  # not read as a number
    assert list(frame["answer"]) == ["NA", ""]  # not read as missing
    assert list(frame["points"]) == [0.5, 1.0] and list(frame["max_points"]) == [1, 1]


def test_appending_to_a_file_with_other_columns_is_refused(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.path(ATTEMPTS).write_text("attempt_id,learner,score\nx,ada,3\n")
    row = dict.fromkeys(ATTEMPTS.columns, "1")
    with pytest.raises(HeaderMismatch) as caught:
        store.append(ATTEMPTS, [row])
    assert "attempts.csv has columns 'attempt_id,learner,score'" in str(caught.value)
    assert "refusing to append" in str(caught.value)
    assert store.path(ATTEMPTS).read_text() == "attempt_id,learner,score\nx,ada,3\n"
    with pytest.raises(HeaderMismatch):
        store.read(ATTEMPTS)


def test_contains_reads_only_what_was_appended(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path)
    assert not store.contains(RESPONSES, "attempt_id", "a1")
    store.append(RESPONSES, [response("a1", "q1")])
    assert store.contains(RESPONSES, "attempt_id", "a1")
    index = store._indexes[("responses.csv", "attempt_id")]
    offset = index.offset
    assert offset == store.path(RESPONSES).stat().st_size
    store.append(RESPONSES, [response("a2", "q1")])
    assert store.contains(RESPONSES, "attempt_id", "a2") and index.offset > offset
    # another Store (another process) sees the same rows
    assert Store(tmp_path).contains(RESPONSES, "attempt_id", "a2")


def test_contains_skips_a_torn_line_until_it_is_complete(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.append(RESPONSES, [response("a1", "q1")])
    path = store.path(RESPONSES)
    with path.open("a") as handle:
        handle.write("a9,q1,A,true,1")  # a writer died here
    assert not store.contains(RESPONSES, "attempt_id", "a9")
    store.append(RESPONSES, [response("a2", "q1")])  # closes the torn line first
    assert store.contains(RESPONSES, "attempt_id", "a2")
    assert not store.contains(RESPONSES, "attempt_id", "a9")  # 5 fields: not a row


def test_contains_starts_over_when_the_file_is_replaced(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.append(RESPONSES, [response("a1", "q1")])
    assert store.contains(RESPONSES, "attempt_id", "a1")
    store.path(RESPONSES).unlink()
    assert not store.contains(RESPONSES, "attempt_id", "a1")
    store.append(RESPONSES, [response("b1", "q1")])
    assert store.contains(RESPONSES, "attempt_id", "b1") and not store.contains(RESPONSES, "attempt_id", "a1")


def test_cached_read_returns_the_same_frame_until_the_file_changes(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.append(RESPONSES, [response("a1", "q1")])
    first = store.read(RESPONSES)
    assert store.read(RESPONSES) is first
    store.append(RESPONSES, [response("a2", "q1")])
    second = store.read(RESPONSES)
    assert second is not first and len(second.frame) == 2


def test_a_table_that_cannot_be_read_is_a_store_error_not_a_crash(tmp_path) -> None:
    """A folder where the file should be (or no permission): pages catch StoreError and say so."""
    from course.store.csvstore import StoreError
    from course.store.tables import RESPONSES as TABLE

    (tmp_path / TABLE.name).mkdir()
    with pytest.raises(StoreError, match=TABLE.name):
        Store(tmp_path).read(TABLE)


def test_explain_keeps_the_technical_detail_apart_from_what_the_learner_reads() -> None:
    with pytest.raises(StoreError) as caught, explain("Your answers could not be saved", "They are still on the page."):
        raise StoreError("the course's database is not answering right now", detail="check `pg_isready -d 'x'`")
    error = caught.value
    assert error.message == (
        "Your answers could not be saved (the course's database is not answering right now). "
        "They are still on the page."
    )
    assert error.detail == "check `pg_isready -d 'x'`"
    assert str(error) == f"{error.message} ({error.detail})"  # the command line and the logs get both
    with pytest.raises(StoreError) as plain, explain("Your answers could not be saved", "Try again."):
        raise StoreError("disk full")
    assert (plain.value.message, plain.value.detail) == ("Your answers could not be saved (disk full). Try again.", "")
    assert str(plain.value) == plain.value.message
