"""Spaced review: a learner's due list from a 1,000,000-row review log, the cached rerun, and
storing one review answer.

The data folder holds 5,000 learners, each with 40 cards (one attempt with 40 wrong answers:
200,000 response rows) and 5 reviews of each card (200 log rows each: 1,000,000 rows in
``reviews.csv``, about 110 MB), all written through the store.

1. Cold due list (a fresh Store: read the log, index it by learner, read the results and
   derive every learner's cards, then one learner's cards with their FSRS state and what is
   due), against pandas' raw ``read_csv`` of ``reviews.csv`` in the same run. Target <= 1.5x.
2. Cached rerun: the same learner's due list again, files unchanged (what each page rerun
   and the sidebar's count cost). Target <= 50 ms.
3. Storing a review answer (FSRS review plus one locked, fsync'd append to the 1M-row log):
   median and p95, beside a bare fsync'd one-line append. Target: median <= 2 ms.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
from common import ROOT, fsynced_appends, median_ms, p95_ms, print_table, time_runs
from fsrs import Rating

from course.clock import stamp
from course.review.book import ReviewBook
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, RESPONSES, REVIEWS

LEARNERS, CARDS, REVIEWS_PER_CARD = 5_000, 40, 5
OUT = ROOT / "bench" / "data" / f"review-{LEARNERS}x{CARDS}x{REVIEWS_PER_CARD}"
START = datetime(2026, 1, 1, 8, 0, 0, tzinfo=UTC)
COLD, ANSWERS = 5, 300


def login(n: int) -> str:
    return f"learner{n:04d}"


def ensure_data() -> Path:
    done = OUT / "complete"
    if done.exists():
        return OUT
    OUT.mkdir(parents=True, exist_ok=True)
    for table in (ATTEMPTS, RESPONSES, REVIEWS):
        Store(OUT).path(table).unlink(missing_ok=True)
    store = Store(OUT)
    when = stamp(START)
    attempts, responses = [], []
    for n in range(LEARNERS):
        attempt_id = f"a{n:05d}"
        attempts.append(
            {
                "attempt_id": attempt_id,
                "learner": login(n),
                "quiz": "history",
                "started": when,
                "submitted": when,
                "score": 0,
                "max_score": CARDS,
                "percentage": 0,
                "passed": "false",
                "bank_version": "1",
                "outcome": "submitted",
            }
        )
        responses += [
            {
                "attempt_id": attempt_id,
                "question_id": f"q-{c:03d}",
                "answer": "x",
                "correct": "false",
                "points": 0,
                "max_points": 1,
            }
            for c in range(CARDS)
        ]
    store.append(ATTEMPTS, attempts)
    store.append(RESPONSES, responses)
    batch: list[dict[str, object]] = []
    for n in range(LEARNERS):
        for r in range(REVIEWS_PER_CARD):
            at = START + timedelta(days=3 * r, seconds=n)
            due = at + timedelta(days=2 + (n + r) % 9)
            for c in range(CARDS):
                batch.append(
                    {
                        "learner": login(n),
                        "item": f"q-{c:03d}",
                        "at": stamp(at),
                        "event": "review",
                        "rating": 1 + (n + c + r) % 4,
                        "seconds": 12.5,
                        "state": 2,
                        "step": "",
                        "stability": repr(2.5 + (c % 7) * 1.3),
                        "difficulty": repr(4.0 + (c % 5) * 0.7),
                        "due": stamp(due + timedelta(hours=c)),
                        "last_review": stamp(at),
                    }
                )
        if len(batch) >= 100_000:
            store.append(REVIEWS, batch)
            batch = []
    store.append(REVIEWS, batch)
    done.write_text("ok\n")
    return OUT


def main() -> None:
    folder = ensure_data()
    log = folder / REVIEWS.name
    learner = login(LEARNERS // 2)
    now = START + timedelta(days=20)

    def cold() -> object:
        return ReviewBook(Store(folder), clock=lambda: now).due(learner)

    def raw() -> object:
        return pd.read_csv(log)

    raw_times = time_runs(raw, COLD, warmup=1)
    cold_times = time_runs(cold, COLD, warmup=1)
    rows = [
        ("pandas read_csv of reviews.csv (baseline)", round(median_ms(raw_times), 1), 1.0),
        ("due list, cold", round(median_ms(cold_times), 1), round(median_ms(cold_times) / median_ms(raw_times), 2)),
    ]
    book = ReviewBook(Store(folder), clock=lambda: now)
    due = book.due(learner)
    cached = time_runs(lambda: book.due(learner), 50)
    count = time_runs(lambda: book.due_count(learner), 50)
    rows += [
        ("due list, cached rerun", round(median_ms(cached), 2), "-"),
        ("cards due count, cached rerun", round(median_ms(count), 2), "-"),
    ]
    with open(log, "rb") as handle:
        lines = sum(1 for _ in handle) - 1
    print(f"rows in reviews.csv: {lines:,}; {len(due)} of {CARDS} cards due for {learner}")
    print_table("Due list from a 1M-row review log (5,000 learners)", ("what", "median ms", "÷ read_csv"), rows)

    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        bare = fsynced_appends(Path(tmp) / "bare.txt", ANSWERS)
    size_before = log.stat().st_size
    card = due[0]
    answers = []
    try:
        for _ in range(ANSWERS):
            start = time.perf_counter()
            card = book.record(card, Rating.Good, 10.0)
            answers.append(time.perf_counter() - start)
    finally:
        with open(log, "r+b") as handle:  # the benchmark's own rows go again, so reruns measure the same file
            handle.truncate(size_before)
    print_table(
        "Storing one review answer (FSRS review + locked, fsync'd append to the 1M-row log)",
        ("what", "median ms", "p95 ms"),
        [
            ("bare fsync'd one-line append (baseline)", round(median_ms(bare), 3), round(p95_ms(bare), 3)),
            ("review answer stored", round(median_ms(answers), 3), round(p95_ms(answers), 3)),
        ],
    )


if __name__ == "__main__":
    main()
