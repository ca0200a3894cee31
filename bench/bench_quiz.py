"""Quiz results: submit speed, concurrent submits, and reading a learner's progress.

1. One submit (score 8 questions, check the attempt is new, append the attempt row and its
   response rows under the folder lock, flush, fsync): median and p95, beside a bare
   fsync'd one-line append measured in the same run. Target: median <= 2 ms.
2. Eight threads submitting together: attempts per second, and rows lost (must be 0).
   Target: >= 1,000 attempts/s.
3. A learner's progress from files with 1,000,000 response rows (``make_results.py``):
   cold (fresh store), against pandas' own ``read_csv`` of the same two files in the same run
   (target <= 1.5x), and the cached re-read (target <= 50 ms).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
from common import fsynced_appends, median_ms, p95_ms, print_table, time_runs
from make_results import ensure_results, learner_login

from course.analytics.learner import learner_progress, mastery, recent_mistakes
from course.quiz.answers import right_answer
from course.quiz.attempts import Attempts, Draw, draw_questions
from course.quiz.banks import load_quizzes
from course.quiz.models import Quiz
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, RESPONSES

SUBMITS = 400
THREADS, PER_THREAD = 8, 250
READS = 5
STARTED = "2026-03-01T09:00:00+00:00"


def draws(quiz: Quiz, count: int, prefix: str) -> list[Draw]:
    return [
        Draw(f"{prefix}{n:08d}", f"bench{n % 50}", quiz.id, STARTED, n, draw_questions(quiz, n), "1")
        for n in range(count)
    ]


def submit_all(book: Attempts, quiz: Quiz, batch: list[Draw]) -> list[float]:
    lookup = quiz.questions
    times = []
    for draw in batch:
        answers = {q: right_answer(lookup[q]) for q in draw.question_ids}
        start = time.perf_counter()
        book.submit(draw, quiz.settings, lookup, answers)
        times.append(time.perf_counter() - start)
    return times


def bare_append(folder: Path) -> list[float]:
    return fsynced_appends(folder / "bare.txt", SUBMITS)


def bench_submit(quiz: Quiz, results: Path) -> None:
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-quiz-") as tmp:
        folder = Path(tmp)
        bare = bare_append(folder)
        fresh = submit_all(Attempts(Store(folder / "empty")), quiz, draws(quiz, SUBMITS, "e"))
        big = folder / "big"
        big.mkdir()
        for table in (ATTEMPTS, RESPONSES):
            shutil.copy(results / table.name, big / table.name)
        book = Attempts(Store(big))
        book.store.contains(ATTEMPTS, "attempt_id", "warm-up")  # the index is built once per process
        full = submit_all(book, quiz, draws(quiz, SUBMITS, "b"))
        base = median_ms(bare)
        for label, times in (("bare fsync'd append (baseline)", bare), ("submit, empty files", fresh)):
            rows.append((label, median_ms(times), p95_ms(times), median_ms(times) / base))
        rows.append(("submit, beside 1M response rows", median_ms(full), p95_ms(full), median_ms(full) / base))
    print_table(
        f"Submit one attempt ({len(quiz.questions)}-question pool, 8 drawn): score + check + 2 appends",
        ("what", "median ms", "p95 ms", "÷ bare append"),
        rows,
    )


def bench_threads(quiz: Quiz) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-quiz-threads-") as tmp:
        book = Attempts(Store(Path(tmp)))
        batches = [draws(quiz, PER_THREAD, f"t{t}-") for t in range(THREADS)]
        threads = [threading.Thread(target=submit_all, args=(book, quiz, batch)) for batch in batches]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        took = time.perf_counter() - start
        store = Store(Path(tmp))
        attempts = store.read(ATTEMPTS)
        responses = store.read(RESPONSES)
        expected = {d.attempt_id for batch in batches for d in batch}
        lost = len(expected - set(attempts.frame["attempt_id"]))
        response_rows = sum(len(d.question_ids) for batch in batches for d in batch)
        print_table(
            f"{THREADS} threads submitting together ({THREADS * PER_THREAD} attempts)",
            ("attempts/s", "attempts lost", "response rows lost", "bad rows"),
            [
                (
                    THREADS * PER_THREAD / took,
                    lost,
                    response_rows - len(responses.frame),
                    len(attempts.problems) + len(responses.problems),
                )
            ],
        )


def bench_progress(results: Path, quiz_questions: dict) -> None:
    learner = learner_login(42)

    def pandas_baseline() -> None:
        pd.read_csv(results / ATTEMPTS.name)
        pd.read_csv(results / RESPONSES.name)

    def progress_page(store: Store) -> None:
        progress = learner_progress(store.read(ATTEMPTS).frame, store.read(RESPONSES).frame, learner)
        mastery(progress, quiz_questions)
        recent_mistakes(progress, quiz_questions)

    pandas_times, cold_times = [], []
    for _ in range(READS):  # interleaved, so both see the same machine load
        pandas_times += time_runs(pandas_baseline, 1, warmup=0)
        cold_times += time_runs(lambda: progress_page(Store(results)), 1, warmup=0)
    store = Store(results)
    progress_page(store)
    cached_same = time_runs(lambda: progress_page(store), 20)
    other = iter(range(100, 10_000, 97))
    cached_other = time_runs(
        lambda: learner_progress(store.read(ATTEMPTS).frame, store.read(RESPONSES).frame, learner_login(next(other))),
        20,
    )
    responses_only = time_runs(lambda: pd.read_csv(results / RESPONSES.name), 3, warmup=0)
    store_responses = time_runs(lambda: Store(results).read(RESPONSES), 3, warmup=0)
    base = median_ms(pandas_times)
    print_table(
        "A learner's progress over 1,000,000 response rows (5,000 learners)",
        ("what", "median ms", "÷ pandas read_csv"),
        [
            ("pandas read_csv of attempts.csv + responses.csv (baseline)", base, 1.0),
            ("cold: Store.read both, select, mastery, mistakes", median_ms(cold_times), median_ms(cold_times) / base),
            ("cached re-read, same learner", median_ms(cached_same), median_ms(cached_same) / base),
            ("cached files, another learner each time", median_ms(cached_other), median_ms(cached_other) / base),
            ("(responses.csv only) pandas read_csv", median_ms(responses_only), median_ms(responses_only) / base),
            ("(responses.csv only) Store.read", median_ms(store_responses), median_ms(store_responses) / base),
        ],
    )


def main() -> None:
    results = ensure_results()
    catalog = load_quizzes()
    quiz = catalog.quiz("history")
    if quiz is None:
        sys.exit("the history bank is missing or broken")
    print(f"data: {results} ({(results / RESPONSES.name).stat().st_size / 1e6:.0f} MB of responses)")
    bench_submit(quiz, results)
    bench_threads(quiz)
    bench_progress(results, catalog.questions)


if __name__ == "__main__":
    main()
