"""What tutors read about spaced review: per learner, cards due, overdue and a retention
estimate; per question, how many learners have it as a card (a hard or badly written question
shows up here)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import pandas as pd

from course.clock import stamp
from course.review.book import today_start
from course.review.cards import cards_table
from course.review.schedule import SUSPEND, retrievability


def card_states(cards: pd.DataFrame, log: pd.DataFrame) -> pd.DataFrame:
    """Every card with its latest state: due (the mistake's time for a card never reviewed),
    suspended, stability and last review (empty when never reviewed)."""
    latest = log.drop_duplicates(["learner", "item"], keep="last")[
        ["learner", "item", "event", "due", "stability", "last_review"]
    ]
    joined = cards.merge(latest, on=["learner", "item"], how="left")
    joined["due"] = joined["due"].where(joined["due"].notna() & (joined["due"] != ""), joined["since"])
    joined["suspended"] = (joined["event"] == SUSPEND).to_numpy()
    return joined


def learner_review_table(
    attempts: pd.DataFrame,
    responses: pd.DataFrame,
    certainty: pd.DataFrame,
    log: pd.DataFrame,
    *,
    now: datetime,
    names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Per learner: cards, due now, overdue (due before today, UTC), suspended, and the mean
    FSRS retrievability of their reviewed cards now (None until a card has been reviewed)."""
    states = card_states(cards_table(attempts, responses, certainty), log)
    columns = ["learner", "name", "cards", "due now", "overdue", "suspended", "retention estimate"]
    if states.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    active = ~states["suspended"]
    states["due_now"] = active & (states["due"] <= stamp(now))
    states["overdue"] = active & (states["due"] < stamp(today_start(now)))
    stability = pd.to_numeric(states["stability"], errors="coerce")
    last = pd.to_datetime(states["last_review"].where(stability.notna()), utc=True, errors="coerce")
    elapsed = ((pd.Timestamp(now) - last).dt.days).clip(lower=0)
    states["recall"] = retrievability(elapsed, stability)
    table = states.groupby("learner", sort=True).agg(
        cards=("item", "size"),
        due_now=("due_now", "sum"),
        overdue=("overdue", "sum"),
        suspended=("suspended", "sum"),
        retention=("recall", "mean"),
    )
    table = table.reset_index()
    table.insert(1, "name", [(names or {}).get(str(login), str(login)) for login in table["learner"]])
    table["retention"] = table["retention"].astype(float).round(3).astype(object)
    table.loc[table["retention"].isna(), "retention"] = None
    table.columns = pd.Index(columns)
    return table.sort_values(["due now", "learner"], ascending=[False, True]).reset_index(drop=True)


def question_card_counts(attempts: pd.DataFrame, responses: pd.DataFrame, certainty: pd.DataFrame) -> pd.DataFrame:
    """Per item (question or drill): how many learners have it as a card, and why (wrong, unsure,
    off target), most first.

    >>> import pandas as pd
    >>> attempts = pd.DataFrame({"attempt_id": ["a", "b"], "learner": ["ada", "bob"], "quiz": ["h", "h"],
    ...                          "submitted": ["2026-01-01T00:00:00+00:00"] * 2})
    >>> responses = pd.DataFrame({"attempt_id": ["a", "b"], "question_id": ["q1", "q1"], "correct": ["false"] * 2})
    >>> empty = pd.DataFrame({"attempt_id": [], "question_id": [], "certainty": []})
    >>> question_card_counts(attempts, responses, empty).values.tolist()
    [['q1', 2, 2, 0, 0]]
    """
    cards = cards_table(attempts, responses, certainty)
    columns = ["item", "learners", "wrong", "unsure", "off-target"]
    if cards.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    counts = pd.crosstab(cards["item"], cards["reason"])
    for reason in columns[2:]:
        if reason not in counts:
            counts[reason] = 0
    counts["learners"] = cards.groupby("item")["learner"].nunique()
    table = counts.reset_index()[columns]
    return table.sort_values(["learners", "item"], ascending=[False, True]).reset_index(drop=True)
