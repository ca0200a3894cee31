"""A learner's case runs in the store: commit each step once, finish once, resume by replay.

* **Commit.** Each committed step is one ``case_steps.csv`` row whose key is the run id and the
  step's position in the run. Under the folder lock the key is checked first (the store's
  incremental key index, so the check stays cheap beside a million rows), so a double click or a
  second tab commits a step at most once: there is no going back on a choice.
* **Finish.** The step that leads into a debrief is appended together with the run's one
  ``case_attempts.csv`` row (score, maximum, percentage, passed, the must-pass failure), in one
  locked write: both or neither.
* **Resume.** A run with step rows and no attempt row is open; :meth:`CaseRuns.resume` replays its
  rows through :func:`course.cases.scoring.replay`, so a reload or a new sign-in continues where
  the learner stopped.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from course.cases.models import Case
from course.cases.scoring import (
    CaseOutcome,
    RunState,
    StaleRun,
    StepRecord,
    StepResult,
    advance,
    case_outcome,
    replay,
    score_step,
    start_state,
)
from course.clock import stamp, utc_now
from course.errors import MesoError
from course.simulator.model import SkinModel
from course.store.csvstore import Store, explain, truthy
from course.store.tables import CASE_ATTEMPTS, CASE_STEPS


class AlreadyCommitted(MesoError):
    """This step of the run was committed already (another tab, a double click)."""

    def __init__(self) -> None:
        super().__init__("This step was already committed (perhaps in another tab): the case continues from there.")


@dataclass(frozen=True)
class Run:
    """An open or finished run: its id, when it started, and where it stands."""

    run_id: str
    learner: str
    started: str
    state: RunState
    notices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Committed:
    """The run after a commit, what the step gave, and the outcome if the case just finished."""

    run: Run
    result: StepResult
    outcome: CaseOutcome | None = None


def step_row(run: Run, record: StepRecord, at: str) -> dict[str, object]:
    return {
        "step_key": f"{run.run_id}:{record.seq}",
        "run_id": run.run_id,
        "learner": run.learner,
        "case": run.state.case.id,
        "seq": record.seq,
        "step": record.step,
        "kind": record.kind,
        "answer": record.encoded_answer(),
        "points": record.points,
        "max_points": record.max_points,
        "next": record.next or "",
        "at": at,
    }


def record_of(row: Mapping[Any, Any]) -> StepRecord:
    """A stored row back as a record (a damaged answer reads as empty)."""
    try:
        answer = json.loads(str(row.get("answer") or "{}"))
    except ValueError:
        answer = {}
    return StepRecord(
        seq=int(str(row["seq"]).split(".")[0]),
        step=str(row["step"]),
        kind=str(row["kind"]),
        answer=answer if isinstance(answer, dict) else {},
        points=float(row["points"]),
        max_points=float(row["max_points"]),
        next=_text(row.get("next")) or None,
    )


def _text(value: object) -> str:
    """A stored cell as text; an empty cell (read as "" or NaN) is ""."""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


@dataclass
class CaseRuns:
    """Case runs of every learner in one data folder."""

    store: Store
    clock: Callable[[], datetime] = field(default=utc_now)

    def new_run(self, learner: str, case: Case) -> Run:
        """A fresh run (nothing is stored until its first step is committed)."""
        return Run(uuid.uuid4().hex, learner, stamp(self.clock()), start_state(case))

    def open_run_id(self, learner: str, case_id: str) -> str | None:
        """The learner's latest run of the case with steps stored but no attempt row, if any."""
        steps = self.store.read(CASE_STEPS).frame
        mine = steps[(steps["learner"] == learner) & (steps["case"] == case_id)]
        if mine.empty:
            return None
        run_id = str(mine["run_id"].iloc[-1])
        return None if self.store.contains(CASE_ATTEMPTS, "run_id", run_id) else run_id

    def resume(self, learner: str, case: Case) -> Run:
        """The learner's open run of ``case`` replayed from its stored steps, or a new run.

        A run whose steps no longer fit the case (it was edited) is left as it is and a new
        run starts, with a notice saying so.
        """
        run_id = self.open_run_id(learner, case.id)
        if run_id is None:
            return self.new_run(learner, case)
        steps = self.store.read(CASE_STEPS).frame
        rows = steps[steps["run_id"] == run_id].drop_duplicates("step_key", keep="first")
        records = [record_of(row) for row in rows.to_dict("records")]
        try:
            state = replay(case, records)
        except StaleRun as exc:
            fresh = self.new_run(learner, case)
            return Run(fresh.run_id, learner, fresh.started, fresh.state, (str(exc),))
        started = str(rows["at"].iloc[0]) if not rows.empty else stamp(self.clock())
        return Run(run_id, learner, started, state)

    def commit(self, run: Run, answer: Mapping[str, Any], skin: SkinModel | None = None) -> Committed:
        """Score the answer to the run's current step and store it once; finish the run when the
        next step is a debrief. Raises :class:`AlreadyCommitted` if the step is stored already,
        :class:`course.cases.scoring.CaseAnswerError` for an answer the step cannot take."""
        result = score_step(run.state, answer, skin)
        state = advance(run.state, result.record, result.unsafe)
        at = stamp(self.clock())
        row = step_row(run, result.record, at)
        outcome = case_outcome(state) if state.finished else None
        batches: list[tuple[Any, list[dict[str, object]]]] = [(CASE_STEPS, [row])]
        if outcome is not None:
            batches.append((CASE_ATTEMPTS, [attempt_row(run, outcome, at)]))
        advice = "It is still on this page: please commit again in a moment."
        with explain("Your step could not be saved", advice), self.store.lock:
            if self.store.contains(CASE_STEPS, "step_key", str(row["step_key"])):
                raise AlreadyCommitted()
            self.store.append_many(batches)
        return Committed(Run(run.run_id, run.learner, run.started, state), result, outcome)

    def attempts(self, learner: str | None = None) -> pd.DataFrame:
        """Finished runs (one row each), oldest first; ``passed`` as a boolean."""
        frame = self.store.read(CASE_ATTEMPTS).frame
        if learner is not None:
            frame = frame[frame["learner"] == learner]
        frame = frame.copy()
        frame["passed"] = truthy(frame["passed"])
        return frame

    def outcome_of(self, run_id: str) -> CaseOutcome | None:
        """A finished run's stored outcome."""
        frame = self.store.read(CASE_ATTEMPTS).frame
        rows = frame[frame["run_id"] == run_id]
        if rows.empty:
            return None
        row = rows.iloc[0]
        return CaseOutcome(
            score=float(row["score"]),
            max_score=float(row["max_score"]),
            percentage=float(row["percentage"]),
            passed=str(row["passed"]).lower() == "true",
            failed_step=_text(row["failed_step"]) or None,
            reason=_text(row["reason"]) or None,
            path=tuple(str(row["path"]).split()),
        )


def attempt_row(run: Run, outcome: CaseOutcome, finished: str) -> dict[str, object]:
    return {
        "run_id": run.run_id,
        "learner": run.learner,
        "case": run.state.case.id,
        "started": run.started,
        "finished": finished,
        "score": outcome.score,
        "max_score": outcome.max_score,
        "percentage": outcome.percentage,
        "passed": "true" if outcome.passed else "false",
        "failed_step": outcome.failed_step or "",
        "reason": outcome.reason or "",
        "path": " ".join(outcome.path),
    }
