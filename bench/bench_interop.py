"""Exports: the question banks as GIFT and Moodle XML, and the data folder as xAPI statements.

1. Every bank (258 questions) written as GIFT and as Moodle XML, the banks already loaded,
   against reading and parsing the bank files with ``yaml.safe_load`` in the same run.
2. xAPI statements from a data folder of 2,000 learners, each with 4 lesson completions, one
   quiz attempt with 8 answers, one drill and 3 reviews (2,000 attempts + 2,000 drills, 16,000
   answers, 8,000 completions, 6,000 reviews: 40,000 statements), all written through the store:
   ``course_statements`` (read the tables, build every statement) against pandas' raw
   ``read_csv`` of the same files; then the JSONL text of them.
3. The LRS sender's first round over that folder without an LRS to reach (queue every
   statement in the outbox: build, JSON, one append), and the next round, nothing changed (the
   sizes of the source tables are unchanged, so nothing is rebuilt).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
import yaml
from common import ROOT, median_ms, print_table, time_runs

from course.interop.exports import export_banks
from course.interop.lrs import LrsConfig, LrsSender
from course.interop.xapi import course_statements, course_vocabulary, to_jsonl
from course.quiz.banks import bank_files, current_quizzes
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, PROGRESS, RESPONSES, REVIEWS, XAPI_OUTBOX

LEARNERS = 2_000
OUT = ROOT / "bench" / "data" / f"interop-{LEARNERS}"


def ensure_data() -> Path:
    done = OUT / "complete"
    if done.exists():
        return OUT
    OUT.mkdir(parents=True, exist_ok=True)
    for path in OUT.glob("*.csv"):
        path.unlink()
    store = Store(OUT)
    quizzes = current_quizzes()
    bank = quizzes.bank("history")
    assert bank is not None
    questions = bank.questions[:8]
    lessons = ["history", "what-is-mesotherapy", "skin-anatomy", "safety"]
    progress, attempts, responses, reviews = [], [], [], []
    for n in range(LEARNERS):
        learner = f"learner{n:04d}"
        for i, lesson in enumerate(lessons):
            progress.append(
                {
                    "learner": learner,
                    "lesson_id": lesson,
                    "action": "complete",
                    "at": f"2026-01-0{i + 1}T09:00:00+00:00",
                }
            )
        attempt = f"{n:08d}" + "0" * 24
        drill = f"{n:08d}" + "1" * 24
        attempts.append(
            {
                "attempt_id": attempt,
                "learner": learner,
                "quiz": "history",
                "started": "2026-01-05T10:00:00+00:00",
                "submitted": "2026-01-05T10:09:00+00:00",
                "score": 6,
                "max_score": 8,
                "percentage": 75.0,
                "passed": "true",
                "bank_version": str(bank.version),
                "outcome": "submitted",
            }
        )
        attempts.append(
            {
                "attempt_id": drill,
                "learner": learner,
                "quiz": "simulator",
                "started": "2026-01-05T11:00:00+00:00",
                "submitted": "2026-01-05T11:00:30+00:00",
                "score": 1,
                "max_score": 1,
                "percentage": 100.0,
                "passed": "true",
                "bank_version": "skin-model-1",
                "outcome": "submitted",
            }
        )
        for q in questions:
            responses.append(
                {
                    "attempt_id": attempt,
                    "question_id": q.id,
                    "answer": "true" if q.type == "true_false" else "x",
                    "correct": "true",
                    "points": 1,
                    "max_points": 1,
                }
            )
        responses.append(
            {
                "attempt_id": drill,
                "question_id": "drill-papule-forehead",
                "answer": json.dumps({"angle": 15}),
                "correct": "true",
                "points": 1,
                "max_points": 1,
            }
        )
        for d in range(3):
            reviews.append(
                {
                    "learner": learner,
                    "item": questions[d].id,
                    "at": f"2026-01-1{d}T08:00:00+00:00",
                    "event": "review",
                    "rating": "3",
                    "seconds": "12",
                    "state": "2",
                    "step": "",
                    "stability": "3",
                    "difficulty": "5",
                    "due": "2026-02-01T08:00:00+00:00",
                    "last_review": f"2026-01-1{d}T08:00:00+00:00",
                }
            )
    store.append(PROGRESS, progress)
    store.append(ATTEMPTS, attempts)
    store.append(RESPONSES, responses)
    store.append(REVIEWS, reviews)
    done.write_text("ok")
    return OUT


def main() -> None:
    quizzes = current_quizzes()
    total = sum(len(b.questions) for b in quizzes.banks)
    files = bank_files()
    baseline = time_runs(lambda: [yaml.safe_load(p.read_text(encoding="utf-8")) for p in files], repeat=5)
    rows = []
    for fmt in ("gift", "moodle-xml"):
        times = time_runs(lambda fmt=fmt: export_banks(fmt, quizzes), repeat=5)
        rows.append(
            (f"{fmt}, {total} questions", median_ms(times), median_ms(baseline), median_ms(times) / median_ms(baseline))
        )
    print_table("Question banks out (median of 5)", ("export", "ms", "yaml.safe_load of the banks, ms", "÷ yaml"), rows)

    folder = ensure_data()
    vocabulary = course_vocabulary()
    tables = [Store(folder).path(t) for t in (PROGRESS, ATTEMPTS, RESPONSES, REVIEWS)]
    raw = time_runs(lambda: [pd.read_csv(p, dtype=str, keep_default_na=False) for p in tables], repeat=3)
    built = time_runs(lambda: course_statements(Store(folder), vocabulary), repeat=3, warmup=0)  # fresh store: cold
    statements = course_statements(Store(folder), vocabulary)
    jsonl = time_runs(lambda: to_jsonl(statements), repeat=3)
    base = median_ms(raw)
    print_table(
        f"xAPI statements from {LEARNERS:,} learners (median of 3)",
        ("step", "statements", "ms", "pandas read_csv of the tables, ms", "÷ read_csv"),
        [
            ("course_statements, cold", len(statements), median_ms(built), base, median_ms(built) / base),
            ("to_jsonl", len(statements), median_ms(jsonl), base, median_ms(jsonl) / base),
        ],
    )

    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch)
        for path in folder.glob("*.csv"):
            if path.name != XAPI_OUTBOX.name:
                (copy / path.name).write_bytes(path.read_bytes())
        sender = LrsSender(Store(copy), LrsConfig("http://127.0.0.1:9/xAPI"), lambda: vocabulary)
        first = time_runs(sender.queue_new, repeat=1, warmup=0)
        again = time_runs(sender.queue_new, repeat=5)
        size = (copy / XAPI_OUTBOX.name).stat().st_size
        store = Store(copy)
        one_more: list[float] = []
        for n in range(5):
            attempt = f"{n:08d}" + "f" * 24
            row = {"attempt_id": attempt, "learner": "late", "quiz": "history", "started": "2026-02-01T10:00:00+00:00",
                   "submitted": "2026-02-01T10:05:00+00:00", "score": 1, "max_score": 1, "percentage": 100.0,
                   "passed": "true", "bank_version": "1", "outcome": "submitted"}  # fmt: skip
            answer = {"attempt_id": attempt, "question_id": "history-founder", "answer": "x", "correct": "true",
                      "points": 1, "max_points": 1}  # fmt: skip
            store.append_many([(ATTEMPTS, [row]), (RESPONSES, [answer])])
            one_more += time_runs(sender.queue_new, repeat=1, warmup=0)
    print_table(
        "LRS sender: queueing the statements in the outbox",
        ("round", "ms", "outbox MB"),
        [
            ("first of a process (queue all)", median_ms(first), f"{size / 1e6:.1f}"),
            ("next, nothing new (median of 5)", median_ms(again), ""),
            ("after one more attempt (median of 5)", median_ms(one_more), ""),
        ],
    )


if __name__ == "__main__":
    main()
