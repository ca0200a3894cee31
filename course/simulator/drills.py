"""Scored simulator drills: the rows that store a placement as an attempt of the ``simulator`` quiz.

Pure: :meth:`course.quiz.attempts.Attempts.record_drill` writes them, through the same path as quiz attempts.
"""

from __future__ import annotations

import json
import random
import secrets

from course.simulator.geometry import Placement, Verdict
from course.simulator.model import SkinModel
from course.simulator.schema import Drill, DrillScoring
from course.simulator.scoring import drill_score

SIMULATOR_QUIZ = "simulator"


def drill_rows(
    placement: Placement,
    drill: Drill,
    *,
    learner: str,
    started: str,
    submitted: str,
    version: int,
    attempt_id: str,
    scoring: DrillScoring,
) -> tuple[dict[str, object], dict[str, object]]:
    """The ``attempts.csv`` and ``responses.csv`` rows of one drill (same layout as quiz attempts).

    The score is :func:`course.simulator.scoring.drill_score` (distance to the target's centre
    line); "passed" and "correct" say whether the tip is in the target band. The answer is
    compact JSON, so the tutor's results can show the angle, length, depth, distance and layer
    of each placement without another table.
    """
    measured = drill_score(placement, scoring)
    score = measured.score
    passed = "true" if placement.verdict is Verdict.ON_TARGET else "false"
    answer = {
        "technique": drill.technique,
        "region": drill.region,
        "angle": round(placement.angle_deg, 2),
        "length_mm": round(placement.length_mm, 2),
        "depth_mm": round(placement.depth_mm, 3),
        "distance_mm": round(placement.distance_mm, 3),
        "off_centre_mm": None if measured.off_centre_mm is None else round(measured.off_centre_mm, 3),
        "layer": placement.band.id if placement.band else "surface",
        "verdict": placement.verdict.value,
    }
    attempt = {
        "attempt_id": attempt_id,
        "learner": learner,
        "quiz": SIMULATOR_QUIZ,
        "started": started,
        "submitted": submitted,
        "score": score,
        "max_score": 1,
        "percentage": round(score * 100, 2),
        "passed": passed,
        "bank_version": f"skin-model-{version}",
        "outcome": "submitted",
    }
    response = {
        "attempt_id": attempt_id,
        "question_id": drill.id,
        "answer": json.dumps(answer, separators=(",", ":"), sort_keys=True),
        "correct": passed,
        "points": score,
        "max_points": 1,
    }
    return attempt, response


def next_drill(model: SkinModel, previous: str | None = None, rng: random.Random | None = None) -> Drill:
    """A drill chosen at random, other than ``previous`` when the model has more than one.

    >>> from course.simulator.loading import load_skin_model
    >>> model = load_skin_model()
    >>> first = next_drill(model, rng=random.Random(1))
    >>> next_drill(model, previous=first.id, rng=random.Random(1)).id != first.id
    True
    """
    choices = [d for d in model.data.drills if d.id != previous] or list(model.data.drills)
    return (rng or secrets.SystemRandom()).choice(choices)
