"""Clinical cases in the results: a learner's status per case, what cases add to lesson mastery,
and for tutors how many learners took each branch and the most common unsafe choices.

Pure pandas over ``case_steps.csv`` and ``case_attempts.csv`` frames (no I/O).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import pandas as pd

from course.cases.models import Case, ChoiceStep
from course.store.csvstore import truthy

NOT_STARTED, IN_PROGRESS, PASSED, FAILED = "not started", "in progress", "passed", "failed"
CASE_OBJECTIVE = "case:"  # the objective id a case's rows carry in the mastery table


@dataclass(frozen=True)
class CaseStatus:
    status: str
    best_percentage: float | None
    runs: int


def case_statuses(
    attempts: pd.DataFrame, open_cases: Collection[str], learner: str, case_ids: Collection[str]
) -> dict[str, CaseStatus]:
    """Per case: not started, in progress (an open run), passed (any finished run passed) or
    failed, with the best percentage and the number of finished runs.

    >>> attempts = pd.DataFrame({"learner": ["a", "a"], "case": ["x", "x"], "percentage": [40.0, 90.0],
    ...                          "passed": ["false", "true"]})
    >>> case_statuses(attempts, set(), "a", ["x"])["x"].status, case_statuses(attempts, {"y"}, "a", ["y"])["y"].status
    ('passed', 'in progress')
    """
    mine = attempts[attempts["learner"] == learner]
    out = {}
    for case_id in case_ids:
        rows = mine[mine["case"] == case_id]
        best = float(rows["percentage"].max()) if not rows.empty else None
        if case_id in open_cases:
            status = IN_PROGRESS
        elif rows.empty:
            status = NOT_STARTED
        else:
            status = PASSED if truthy(rows["passed"]).any() else FAILED
        out[case_id] = CaseStatus(status, best, len(rows))
    return out


def open_cases(steps: pd.DataFrame, attempts: pd.DataFrame, learner: str) -> set[str]:
    """The cases where the learner's latest run has steps stored and is not finished."""
    mine = steps[steps["learner"] == learner]
    if mine.empty:
        return set()
    latest = mine.drop_duplicates("case", keep="last")
    finished = set(attempts.loc[attempts["learner"] == learner, "run_id"])
    return {str(c) for c, r in zip(latest["case"], latest["run_id"], strict=True) if r not in finished}


def cases_table(attempts: pd.DataFrame, learner: str, titles: Mapping[str, str]) -> pd.DataFrame:
    """The learner's finished runs, newest first, as they read them on My progress."""
    mine = attempts[attempts["learner"] == learner].iloc[::-1]
    passed = truthy(mine["passed"])
    return pd.DataFrame(
        {
            "Finished (UTC)": mine["finished"].str.slice(0, 16).str.replace("T", " "),
            "Case": [titles.get(c, c) for c in mine["case"]],
            "Score": [f"{s:g} / {m:g}" for s, m in zip(mine["score"], mine["max_score"], strict=True)],
            "%": mine["percentage"].round(0),
            "Result": [
                "Passed" if p else (f"Not passed: unsafe choice at {step}" if step else "Not passed")
                for p, step in zip(passed, mine["failed_step"].fillna(""), strict=True)
            ],
        }
    )


def case_mastery(attempts: pd.DataFrame, learner: str, cases: Mapping[str, Case]) -> pd.DataFrame:
    """Rows to add to :func:`course.analytics.learner.mastery`: for each case the learner finished,
    its latest run's score out of its maximum, once for each lesson its objectives name (the
    objective id is ``case:<case id>``)."""
    columns = ["lesson", "objective", "earned", "possible", "questions", "share"]
    mine = attempts[(attempts["learner"] == learner) & attempts["case"].isin(cases.keys())]
    latest = mine.drop_duplicates("case", keep="last")
    rows = []
    for case_id, score, maximum in zip(latest["case"], latest["score"], latest["max_score"], strict=True):
        lessons = dict.fromkeys(o.lesson for o in cases[case_id].data.objectives)
        for lesson in lessons:
            share = float(score) / float(maximum) if maximum else 0.0
            rows.append([lesson, f"{CASE_OBJECTIVE}{case_id}", float(score), float(maximum), 0, share])
    return pd.DataFrame(rows, columns=columns)


def with_cases(mastery_table: pd.DataFrame, case_rows: pd.DataFrame) -> pd.DataFrame:
    """The quiz mastery table with the cases' rows after it."""
    if case_rows.empty:
        return mastery_table
    if mastery_table.empty:
        return case_rows.reset_index(drop=True)
    return pd.concat([mastery_table, case_rows], ignore_index=True)


def case_labels(table: pd.DataFrame, titles: Mapping[str, str]) -> dict[tuple[str, str], str]:
    """Names for the cases' rows of a mastery table: ``"Case: <title>"``."""
    return {
        (lesson, objective): f"Case: {titles.get(objective[len(CASE_OBJECTIVE) :], objective)}"
        for lesson, objective in zip(table["lesson"], table["objective"], strict=True)
        if str(objective).startswith(CASE_OBJECTIVE)
    }


def branch_counts(steps: pd.DataFrame, case_id: str) -> pd.DataFrame:
    """How many learners went from each step to each next step of a case (``source``,
    ``target``, ``learners``), most travelled first."""
    rows = steps[(steps["case"] == case_id) & (steps["next"].fillna("") != "")]
    if rows.empty:
        return pd.DataFrame(columns=["source", "target", "learners"])
    grouped = rows.groupby(["step", "next"], sort=False)["learner"].nunique().reset_index()
    grouped.columns = ["source", "target", "learners"]
    return grouped.sort_values("learners", ascending=False, kind="stable").reset_index(drop=True)


def unsafe_choices(steps: pd.DataFrame, cases: Mapping[str, Case], limit: int = 10) -> pd.DataFrame:
    """The unsafe options learners chose, most common first: case, step, option text, learners, times."""
    columns = ["case", "step", "option", "learners", "times"]
    unsafe = {
        (case_id, step.id, option.id): option.text
        for case_id, case in cases.items()
        for step in case.data.steps
        if isinstance(step, ChoiceStep)
        for option in step.options
        if option.unsafe
    }
    choices = steps[(steps["kind"] == "choice") & steps["case"].isin(cases.keys())]
    found: dict[tuple[str, str, str], set[str]] = {}
    counts: dict[tuple[str, str, str], int] = {}
    for case_id, step_id, answer, learner in zip(
        choices["case"], choices["step"], choices["answer"].fillna(""), choices["learner"], strict=True
    ):
        try:
            picked = json.loads(answer).get("options", [])
        except (ValueError, AttributeError):
            continue
        for option_id in picked:
            key = (str(case_id), str(step_id), str(option_id))
            if key in unsafe:
                found.setdefault(key, set()).add(str(learner))
                counts[key] = counts.get(key, 0) + 1
    rows = [[k[0], k[1], unsafe[k], len(v), counts[k]] for k, v in found.items()]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["learners", "times"], ascending=False, kind="stable").head(limit).reset_index(drop=True)
