"""Clinical cases in the results: a learner's status per case, what cases add to lesson mastery,
and for tutors how many learners took each branch and the most common unsafe choices.

Pure pandas over ``case_steps.csv`` and ``case_attempts.csv`` frames (no I/O).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, tzinfo

import pandas as pd

from course.analytics.times import local_minutes, time_heading
from course.cases.models import Case, ChoiceStep
from course.store.base import ReadResult, truthy
from course.store.memo import PerVersion

NOT_STARTED, IN_PROGRESS, PASSED, FAILED = "not started", "in progress", "passed", "failed"
CASE_OBJECTIVE = "case:"  # the objective id a case's rows carry in the mastery table


@dataclass(frozen=True)
class CaseStatus:
    status: str
    best_percentage: float | None
    runs: int


@dataclass(frozen=True)
class CaseRecord:
    """A learner's finished runs of one case: the best percentage, whether any passed, how many."""

    best_percentage: float
    passed: bool
    runs: int


def _records(result: ReadResult) -> dict[str, dict[str, CaseRecord]]:
    frame = result.frame
    if frame.empty:
        return {}
    grouped = frame.assign(passed=truthy(frame["passed"])).groupby(["learner", "case"], sort=False)
    table = grouped.agg(best=("percentage", "max"), passed=("passed", "any"), runs=("run_id", "size")).reset_index()
    records: dict[str, dict[str, CaseRecord]] = {}
    for learner, case, best, passed, runs in table[["learner", "case", "best", "passed", "runs"]].values.tolist():
        records.setdefault(str(learner), {})[str(case)] = CaseRecord(float(best), bool(passed), int(runs))
    return records


_RECORDS = PerVersion(_records)


def case_records(result: ReadResult, learner: str) -> dict[str, CaseRecord]:
    """The learner's finished runs per case, from ``case_attempts.csv`` (derived once per version
    of the file, so the case list does not filter every learner's runs on each rerun)."""
    return _RECORDS(result).get(learner, {})


def case_statuses(
    records: Mapping[str, CaseRecord], open_cases: Collection[str], case_ids: Collection[str]
) -> dict[str, CaseStatus]:
    """Per case: not started, in progress (an open run), passed (any finished run passed) or
    failed, with the best percentage and the number of finished runs.

    >>> records = {"x": CaseRecord(90.0, True, 2)}
    >>> statuses = case_statuses(records, {"y"}, ["x", "y", "z"])
    >>> [statuses[c].status for c in "xyz"]
    ['passed', 'in progress', 'not started']
    """
    out = {}
    for case_id in case_ids:
        record = records.get(case_id)
        if case_id in open_cases:
            status = IN_PROGRESS
        elif record is None:
            status = NOT_STARTED
        else:
            status = PASSED if record.passed else FAILED
        best = None if record is None else record.best_percentage
        out[case_id] = CaseStatus(status, best, 0 if record is None else record.runs)
    return out


def cases_table(attempts: pd.DataFrame, learner: str, titles: Mapping[str, str], zone: tzinfo = UTC) -> pd.DataFrame:
    """The learner's finished runs, newest first, as they read them on My progress (times in ``zone``)."""
    mine = attempts[attempts["learner"] == learner].iloc[::-1]
    passed = truthy(mine["passed"])
    return pd.DataFrame(
        {
            time_heading("Finished", zone): local_minutes(mine["finished"], zone),
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
    """How many learners took each branch of a case (``source``, ``target``, ``learners``), most
    travelled first. A single choice is split at the option chosen: ``step`` to ``step.option``,
    then ``step.option`` to the next step, so two options that lead on to the same step still
    show apart.

    >>> rows = pd.DataFrame({"case": ["c"] * 3, "learner": ["a", "b", "a"], "step": ["s", "s", "t"],
    ...     "kind": ["choice", "choice", "outcome"], "answer": ['{"options":["x"]}', '{"options":["y"]}', "{}"],
    ...     "next": ["t", "t", "end"]})
    >>> branch_counts(rows, "c").values.tolist()
    [['s', 's.x', 1], ['s.x', 't', 1], ['s', 's.y', 1], ['s.y', 't', 1], ['t', 'end', 1]]
    """
    rows = steps[(steps["case"] == case_id) & (steps["next"].fillna("") != "")]
    links: list[tuple[str, str, str]] = []
    for learner, step, kind, answer, target in zip(
        rows["learner"], rows["step"], rows["kind"], rows["answer"].fillna(""), rows["next"], strict=True
    ):
        picked = _options(str(answer)) if kind == "choice" else []
        if len(picked) == 1:
            option = f"{step}.{picked[0]}"
            links += [(str(learner), str(step), option), (str(learner), option, str(target))]
        else:
            links.append((str(learner), str(step), str(target)))
    if not links:
        return pd.DataFrame(columns=["source", "target", "learners"])
    frame = pd.DataFrame(links, columns=["learner", "source", "target"])
    grouped = frame.groupby(["source", "target"], sort=False)["learner"].nunique().reset_index(name="learners")
    return grouped.sort_values("learners", ascending=False, kind="stable").reset_index(drop=True)


def _options(answer: str) -> list[str]:
    try:
        picked = json.loads(answer).get("options", [])
    except (ValueError, AttributeError):
        return []
    return [str(o) for o in picked] if isinstance(picked, list) else []


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
        for option_id in _options(str(answer)):
            key = (str(case_id), str(step_id), str(option_id))
            if key in unsafe:
                found.setdefault(key, set()).add(str(learner))
                counts[key] = counts.get(key, 0) + 1
    rows = [[k[0], k[1], unsafe[k], len(v), counts[k]] for k, v in found.items()]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["learners", "times"], ascending=False, kind="stable").head(limit).reset_index(drop=True)
