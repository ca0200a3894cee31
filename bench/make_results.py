"""Synthetic results for benchmarks: 5,000 learners and 1,000,000 response rows.

The rows look like real ones: question ids, answers and points come from the real banks
(drawn with :func:`course.quiz.attempts.draw_questions`, scored with :func:`course.quiz.scoring.score_question`,
encoded with :func:`course.quiz.answers.encode_answer`), learners differ in ability, questions in
difficulty, so wrong answers pick real distractors and item statistics have something to show.
Everything is written through :class:`course.store.csvstore.Store` (the only writer of data files).

    python bench/make_results.py [--out bench/data/results] [--learners 5000] [--responses 1000000]

Other benchmarks call :func:`ensure_results`, which reuses a folder already generated with
the same parameters.
"""

from __future__ import annotations

import argparse
import json
import random
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import assert_never

from common import ROOT

from course.accounts.accounts import hash_password
from course.clock import stamp
from course.quiz.answers import encode_answer, right_answer
from course.quiz.attempts import draw_questions
from course.quiz.banks import load_quizzes
from course.quiz.models import (
    Answer,
    DiagramQuestion,
    MatchingQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderingQuestion,
    Question,
    Quiz,
    SingleQuestion,
    TrueFalseQuestion,
)
from course.quiz.scoring import score_attempt
from course.simulator.figures import layer_choices
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, RESPONSES, USERS

DEFAULT_OUT = ROOT / "bench" / "data" / "results"
BATCH = 20_000
START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
STAMP_FILE = "generated.json"


@dataclass(frozen=True)
class Spec:
    learners: int = 5000
    responses: int = 1_000_000
    seed: int = 7


def learner_login(index: int) -> str:
    return f"learner{index:05d}"


def _difficulty(question: Question) -> float:
    """A stable difficulty in [-0.25, 0.25] from the question id."""
    return (zlib.crc32(question.id.encode()) % 1000) / 2000 - 0.25


def wrong_answer(question: Question, rng: random.Random) -> Answer:
    """A plausible mistake: a real distractor, a swapped pair, a number out of tolerance."""
    match question:
        case SingleQuestion():
            return rng.choice([o.text for o in question.options if not o.correct])
        case MultipleQuestion():
            ticked = set(question.right)
            ticked.discard(rng.choice(sorted(ticked)))
            wrong = [o.text for o in question.options if not o.correct]
            if wrong and rng.random() < 0.6:
                ticked.add(rng.choice(wrong))
            return frozenset(ticked)
        case TrueFalseQuestion():
            return not question.answer
        case NumericQuestion():
            return round(question.answer + rng.choice([-3, 3]) * max(question.tolerance, 0.1), 3)
        case OrderingQuestion():
            items = list(question.items)
            i = rng.randrange(len(items) - 1)
            items[i], items[i + 1] = items[i + 1], items[i]
            return tuple(items)
        case MatchingQuestion():
            key = dict(question.key)
            lefts = list(key)
            a, b = rng.sample(lefts, 2)
            key[a], key[b] = key[b], key[a]
            return key
        case DiagramQuestion():
            return rng.choice([layer for layer, _ in layer_choices(question.region) if layer != question.answer])
        case _:
            assert_never(question)


def generate(out: Path, spec: Spec) -> None:
    """Write users.csv, attempts.csv and responses.csv for ``spec`` into an empty ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for name in (USERS.name, ATTEMPTS.name, RESPONSES.name, STAMP_FILE):
        (out / name).unlink(missing_ok=True)
    store = Store(out)
    rng = random.Random(spec.seed)
    catalog = load_quizzes()
    quizzes: list[Quiz] = [q for q in (catalog.quiz(b.id) for b in catalog.banks) if q is not None]
    weights = [1.0 if q.draw_per_pool is None or len(q.pools) == 1 else 0.2 for q in quizzes]
    password = hash_password("synthetic-password")
    store.append(
        USERS,
        [
            {
                "login": learner_login(i),
                "display_name": f"Learner {i:05d}",
                "role": "learner",
                "password_hash": password,
                "created": stamp(START),
                "event": "created",
            }
            for i in range(spec.learners)
        ],
    )
    ability = [min(0.97, max(0.2, rng.gauss(0.72, 0.13))) for _ in range(spec.learners)]
    clock = [START + timedelta(minutes=rng.randrange(60 * 24 * 60)) for _ in range(spec.learners)]
    attempts: list[dict[str, object]] = []
    responses: list[dict[str, object]] = []
    written = 0
    number = 0
    while written + len(responses) < spec.responses:
        learner = rng.randrange(spec.learners)
        quiz = rng.choices(quizzes, weights)[0]
        seed = rng.getrandbits(31)
        ids = draw_questions(quiz, seed)[: spec.responses - written - len(responses)]
        lookup = quiz.questions
        questions = [lookup[q] for q in ids]
        answers = {
            q.id: right_answer(q) if rng.random() < ability[learner] - _difficulty(q) else wrong_answer(q, rng)
            for q in questions
        }
        outcome = score_attempt(questions, answers, quiz.settings.pass_mark)
        started = clock[learner] + timedelta(hours=rng.randrange(2, 72))
        submitted = started + timedelta(seconds=rng.randrange(60, 1500))
        clock[learner] = submitted
        attempt_id = f"{spec.seed:02x}{number:030x}"
        number += 1
        attempts.append(
            {
                "attempt_id": attempt_id,
                "learner": learner_login(learner),
                "quiz": quiz.id,
                "started": stamp(started),
                "submitted": stamp(submitted),
                "score": outcome.score,
                "max_score": outcome.max_score,
                "percentage": round(outcome.percentage, 2),
                "passed": "true" if outcome.passed else "false",
                "bank_version": quiz.version,
                "outcome": "submitted",
            }
        )
        responses += [
            {
                "attempt_id": attempt_id,
                "question_id": mark.question_id,
                "answer": encode_answer(lookup[mark.question_id], answers[mark.question_id]),
                "correct": "true" if mark.correct else "false",
                "points": mark.points,
                "max_points": mark.max_points,
            }
            for mark in outcome.marks
        ]
        if len(responses) >= BATCH:
            store.append_many([(ATTEMPTS, attempts), (RESPONSES, responses)])
            written += len(responses)
            attempts, responses = [], []
    store.append_many([(ATTEMPTS, attempts), (RESPONSES, responses)])
    (out / STAMP_FILE).write_text(json.dumps({**spec.__dict__, "attempts": number}))


def ensure_results(out: Path = DEFAULT_OUT, spec: Spec | None = None) -> Path:
    """The folder of a generated data set with ``spec``, generating it only if needed."""
    spec = spec or Spec()
    stamp_path = out / STAMP_FILE
    if stamp_path.exists():
        made = json.loads(stamp_path.read_text())
        if {k: made.get(k) for k in spec.__dict__} == spec.__dict__:
            return out
    generate(out, spec)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--learners", type=int, default=Spec.learners)
    parser.add_argument("--responses", type=int, default=Spec.responses)
    parser.add_argument("--seed", type=int, default=Spec.seed)
    args = parser.parse_args()
    spec = Spec(args.learners, args.responses, args.seed)
    generate(args.out, spec)
    made = json.loads((args.out / STAMP_FILE).read_text())
    print(f"{args.out}: {spec.learners} learners, {made['attempts']} attempts, {spec.responses} responses")


if __name__ == "__main__":
    main()
