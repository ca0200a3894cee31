"""Review cards, derived from what the course already stores (nothing new is written for them).

A learner has a card for each item they got wrong or only guessed right:

* a quiz question answered not fully right (``responses.csv``, any quiz, the must-pass
  questions among them: the page marks those with their badge);
* a question answered right at certainty 1 (low) in a quiz with confidence-based marking
  (``certainty.csv``): right by luck is not yet known;
* a needle-simulator drill placed off target (stored as an attempt of the ``simulator`` quiz).

The card's id is the learner and the item (a question id, or a drill id such as
``drill-papule-forehead``): stable, since question ids are never reused. It exists from the
first such answer on (``since``), and stays when later answers are right: from then on FSRS
decides when it comes back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from course.simulator.drills import SIMULATOR_QUIZ
from course.store.base import ReadResult, truthy

QUESTION, DRILL = "question", "drill"
WRONG, UNSURE, OFF_TARGET = "wrong", "unsure", "off-target"
CARD_COLUMNS = ("learner", "item", "kind", "reason", "since")
REASON_WORDS = {
    WRONG: "answered wrong",
    UNSURE: "right, but at certainty 1 (low)",
    OFF_TARGET: "placed off target",
}


def cards_table(attempts: pd.DataFrame, responses: pd.DataFrame, certainty: pd.DataFrame) -> pd.DataFrame:
    """Every learner's cards: learner, item, kind (question or drill), reason and since (the
    time of the first answer that made the card), oldest first.

    >>> attempts = pd.DataFrame({"attempt_id": ["a1", "a2"], "learner": ["ada", "ada"],
    ...     "quiz": ["history", "simulator"], "submitted": ["2026-01-01T10:00:00+00:00", "2026-01-02T10:00:00+00:00"]})
    >>> responses = pd.DataFrame({"attempt_id": ["a1", "a1", "a1", "a2"], "question_id": ["q1", "q2", "q3", "drill-x"],
    ...     "correct": ["false", "true", "true", "false"]})
    >>> certainty = pd.DataFrame({"attempt_id": ["a1", "a1"], "question_id": ["q2", "q3"], "certainty": ["1", "3"]})
    >>> cards_table(attempts, responses, certainty)[["item", "kind", "reason"]].values.tolist()
    [['q1', 'question', 'wrong'], ['q2', 'question', 'unsure'], ['drill-x', 'drill', 'off-target']]
    """
    if responses.empty or attempts.empty:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in CARD_COLUMNS})
    joined = responses[["attempt_id", "question_id", "correct"]].merge(
        attempts[["attempt_id", "learner", "quiz", "submitted"]], on="attempt_id", how="inner"
    )
    right = truthy(joined["correct"]).to_numpy()
    sure = certainty[["attempt_id", "question_id", "certainty"]]
    low = pd.MultiIndex.from_frame(
        sure.loc[sure["certainty"].astype(str).str.strip() == "1", ["attempt_id", "question_id"]]
    )
    unsure = right & pd.MultiIndex.from_frame(joined[["attempt_id", "question_id"]]).isin(low)
    chosen = joined[~right | unsure].copy()
    drill = (chosen["quiz"] == SIMULATOR_QUIZ).to_numpy()
    wrong = ~right[~right | unsure]
    chosen["kind"] = np.where(drill, DRILL, QUESTION)
    chosen["reason"] = np.where(wrong, np.where(drill, OFF_TARGET, WRONG), UNSURE)
    chosen = chosen.rename(columns={"question_id": "item", "submitted": "since"})
    chosen = chosen.sort_values("since", kind="stable").drop_duplicates(["learner", "item"], keep="first")
    return chosen[list(CARD_COLUMNS)].reset_index(drop=True)


@dataclass(frozen=True)
class ByLearner:
    """A table grouped by learner (each learner's rows together, in their original order) and
    where each learner's rows start and stop, built once per version of the files: a learner's
    rows are then a slice, which costs nothing however large the table is."""

    frame: pd.DataFrame
    rows: dict[str, tuple[int, int]]

    @classmethod
    def of(cls, frame: pd.DataFrame) -> ByLearner:
        if frame.empty:
            return cls(frame, {})
        codes, names = pd.factorize(frame["learner"])
        order = np.argsort(codes, kind="stable")
        ends = np.cumsum(np.bincount(codes, minlength=len(names)))
        starts = ends - np.bincount(codes, minlength=len(names))
        grouped = frame.take(order).reset_index(drop=True)
        return cls(grouped, {str(n): (int(a), int(b)) for n, a, b in zip(names, starts, ends, strict=True)})

    def of_learner(self, learner: str) -> pd.DataFrame:
        start, stop = self.rows.get(learner, (0, 0))
        return self.frame.iloc[start:stop]


class SameInputs:
    """Remember ``derive(*results)`` while the same :class:`ReadResult` objects come in (the store
    returns the same object while a file is unchanged); a few recent versions are kept."""

    def __init__(self, derive: Callable[..., ByLearner], keep: int = 4) -> None:
        self._derive = derive
        self._keep = keep
        self._recent: list[tuple[tuple[ReadResult, ...], ByLearner]] = []
        self._guard = threading.Lock()

    def __call__(self, *results: ReadResult) -> ByLearner:
        with self._guard:
            for seen, value in self._recent:
                if len(seen) == len(results) and all(a is b for a, b in zip(seen, results, strict=True)):
                    return value
        value = self._derive(*results)
        with self._guard:
            self._recent = [(results, value), *self._recent[: self._keep - 1]]
        return value


cards_by_learner = SameInputs(lambda a, r, c: ByLearner.of(cards_table(a.frame, r.frame, c.frame)))
"""Every learner's cards from the attempts, responses and certainty tables' read results."""
