"""A learner's case runs in the store: commit each step once, finish once, resume by replay.

* **Commit.** Each committed step is one ``case_steps.csv`` row whose key is the run id and the
  step's position in the run. Under the folder lock the key is checked first, so a double click
  or a second tab commits a step at most once: there is no going back on a choice. Only the bytes
  appended since the run was created or replayed are read for the check (a step of this run can
  be nowhere else), so it stays cheap beside a million rows, from the first commit on.
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
from course.store.base import ReadResult, TableStore, explain, truthy
from course.store.memo import PerVersion
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
    seen: int = 0
    """How far into ``case_steps.csv`` this run's rows were known when it was created or replayed:
    a step of it committed elsewhere (another tab) can only be in the bytes after this point."""


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


def _latest_runs(result: ReadResult) -> dict[str, dict[str, str]]:
    """Learner -> case -> the id of their latest run of it (one pass per version of the file)."""
    frame = result.frame.drop_duplicates(["learner", "case"], keep="last")
    latest: dict[str, dict[str, str]] = {}
    for learner, case, run_id in zip(frame["learner"], frame["case"], frame["run_id"], strict=True):
        latest.setdefault(str(learner), {})[str(case)] = str(run_id)
    return latest


_LATEST = PerVersion(_latest_runs)


@dataclass
class CaseRuns:
    """Case runs of every learner in one data folder."""

    store: TableStore
    clock: Callable[[], datetime] = field(default=utc_now)

    def new_run(self, learner: str, case: Case) -> Run:
        """A fresh run (nothing is stored until its first step is committed)."""
        return Run(uuid.uuid4().hex, learner, stamp(self.clock()), start_state(case), seen=self.store.size(CASE_STEPS))

    def latest_runs(self, learner: str) -> dict[str, str]:
        """Case id -> the learner's latest run of it (remembered per version of the steps file,
        so a page rerun does not scan a million rows)."""
        return _LATEST(self.store.read(CASE_STEPS)).get(learner, {})

    def open_cases(self, learner: str) -> set[str]:
        """The cases whose latest run by the learner has steps stored and no attempt row."""
        return {c for c, run_id in self.latest_runs(learner).items() if self._open(run_id)}

    def _open(self, run_id: str) -> bool:
        return not self.store.contains(CASE_ATTEMPTS, "run_id", run_id)

    def open_run_id(self, learner: str, case_id: str) -> str | None:
        """The learner's latest run of the case with steps stored but no attempt row, if any."""
        run_id = self.latest_runs(learner).get(case_id)
        return run_id if run_id is not None and self._open(run_id) else None

    def resume(self, learner: str, case: Case) -> Run:
        """The learner's open run of ``case`` replayed from its stored steps, or a new run.

        A run whose steps no longer fit the case (it was edited) is left as it is and a new
        run starts, with a notice saying so.
        """
        seen = self.store.size(CASE_STEPS)  # before the read: rows appended later are after it
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
            return Run(fresh.run_id, learner, fresh.started, fresh.state, (str(exc),), fresh.seen)
        started = str(rows["at"].iloc[0]) if not rows.empty else stamp(self.clock())
        return Run(run_id, learner, started, state, seen=seen)

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
            if any(r["step_key"] == row["step_key"] for r in self.store.rows_after(CASE_STEPS, run.seen)):
                raise AlreadyCommitted()
            self.store.append_many(batches)
        return Committed(Run(run.run_id, run.learner, run.started, state, seen=run.seen), result, outcome)

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
