"""Fault suite: two server processes submitting quizzes into the same data folder at once.

tests/unit/test_store.py already has two processes appending to one file. This goes through
the whole submit path in each process (several threads, so the group commit batches them,
the "not stored yet" check on the attempt-id index, one locked append to *both* files), and
checks that every attempt arrives once, with all of its response rows, and nothing else.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, RESPONSES

ROOT = Path(__file__).resolve().parents[2]
PER_THREAD, THREADS, PROCESSES = 100, 3, 2

SUBMITTER = """
import sys, threading, time
sys.path.insert(0, {root!r})
from datetime import datetime
from course.quiz.attempts import Attempts, Draw
from course.store.csvstore import Store
from tests.helpers.banks import fixture_catalog
bank = fixture_catalog().quiz("other-bank")
started = "2026-03-01T09:00:00+00:00"
book = Attempts(Store({folder!r}), clock=lambda: datetime.fromisoformat(started))  # well inside the time limit
failures = []

def submit(thread):
    try:
        for n in range({per_thread}):
            draw = Draw(f"{tag}-{{thread}}-{{n}}", "learner-{tag}", "other-bank", started, n, ("ob-one", "ob-two"), "1")
            result = book.submit(draw, bank.settings, bank.questions, {{"ob-one": n % 2 == 0, "ob-two": False}})
            assert result.status == "submitted", result.status
    except BaseException as exc:
        failures.append(repr(exc))

threads = [threading.Thread(target=submit, args=(t,)) for t in range({threads})]
print("ready", flush=True)
sys.stdin.readline()  # both processes start submitting together
began = time.time()
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print("; ".join(failures) or "done", began, time.time())
"""


def test_two_processes_submitting_many_attempts_lose_nothing(tmp_path: Path) -> None:
    scripts = [
        SUBMITTER.format(
            root=str(ROOT),
            folder=str(tmp_path),
            tag=tag,
            per_thread=PER_THREAD,
            threads=THREADS,
        )
        for tag in "ab"[:PROCESSES]
    ]
    children = [
        subprocess.Popen([sys.executable, "-c", s], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for s in scripts
    ]
    for child in children:  # every child has loaded the course before any submits
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    outputs = [child.communicate(timeout=300)[0].split() for child in children]
    assert [child.returncode for child in children] == [0] * PROCESSES
    assert [said for said, _, _ in outputs] == ["done"] * PROCESSES, outputs
    spans = [(float(began), float(ended)) for _, began, ended in outputs]
    assert max(b for b, _ in spans) < min(e for _, e in spans), f"the processes did not run at the same time: {spans}"

    store = Store(tmp_path)
    attempts, responses = store.read(ATTEMPTS), store.read(RESPONSES)
    assert attempts.problems == () and responses.problems == ()
    expected = {f"{tag}-{t}-{n}" for tag in "ab"[:PROCESSES] for t in range(THREADS) for n in range(PER_THREAD)}
    ids = list(attempts.frame["attempt_id"])
    assert len(ids) == len(expected) and set(ids) == expected  # each once, none lost
    per_attempt = {key: tuple(sorted(group)) for key, group in responses.frame.groupby("attempt_id")["question_id"]}
    assert per_attempt == dict.fromkeys(expected, ("ob-one", "ob-two"))
    learners = attempts.frame.groupby("learner").size().to_dict()
    assert learners == {f"learner-{tag}": THREADS * PER_THREAD for tag in "ab"[:PROCESSES]}
