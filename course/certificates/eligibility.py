"""Who may have a certificate: every lesson done, the final exam passed, every clinical case finished.

* **Lessons**: each lesson of the course read and its quiz passed, as the course outline on Home
  counts a lesson done (:func:`course.analytics.outline.learner_outline`).
* **Final exam**: the bank :data:`course.metadata.FINAL_EXAM` passed at least once; the
  certificate prints the best passing score.
* **Clinical cases**: every case of the course finished at least once (passed or not: a case is
  practice, the exam is the assessment); the certificate prints the best score of each. With no
  case in the course the requirement is left out.
* **Content that loads**: a lesson, bank or case file that fails validation could hide a
  requirement, so none is issued until a tutor fixes it.

A request before every requirement is met is refused with the list of what is missing.
Pure functions over what the store already holds; the CPD hours are the sum of the lessons'
``duration_min``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from course.analytics.cases import CaseRecord
from course.analytics.outline import Step, learner_outline
from course.cases.models import CaseCatalog
from course.certificates.registry import CaseScore, ExamScore, Request, Scores
from course.content.models import Lesson
from course.errors import MesoError
from course.metadata import COURSE_TITLE, COURSE_VERSION, FINAL_EXAM
from course.quiz.models import QuizCatalog
from course.store.csvstore import truthy


class NotYetEligible(MesoError):
    """A certificate was asked for before every requirement is met; the message lists what is missing."""

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = tuple(missing)
        super().__init__("A certificate needs every requirement met first. Still to do: " + "; ".join(missing) + ".")


@dataclass(frozen=True)
class Requirement:
    """One line of the checklist: what it asks, whether it is met, and what is left, in words."""

    label: str
    met: bool
    left: tuple[str, ...] = ()


@dataclass(frozen=True)
class Eligibility:
    requirements: tuple[Requirement, ...]
    cpd_minutes: int
    scores: Scores

    @property
    def eligible(self) -> bool:
        return all(r.met for r in self.requirements)

    @property
    def missing(self) -> list[str]:
        """Everything left to do, requirement by requirement."""
        return [item for r in self.requirements if not r.met for item in (r.left or (r.label,))]


def _lessons(
    lessons: Sequence[Lesson], quizzes: QuizCatalog, read: Collection[str], attempts: pd.DataFrame, learner: str
) -> Requirement:
    outline = learner_outline(lessons, quizzes, read, attempts, learner)
    left = tuple(
        f"lesson {lesson.number}, {lesson.title}: {lesson.status}"
        for lesson in outline.lessons
        if lesson.next_step is not Step.DONE
    )
    done, total = len(outline.lessons) - len(left), len(outline.lessons)
    return Requirement(f"Every lesson read and its quiz passed ({done} of {total})", outline.finished, left)


def best_exam(attempts: pd.DataFrame, learner: str, exam: str = FINAL_EXAM) -> tuple[float | None, float | None]:
    """The learner's best passing and best overall percentage at the final exam (None: none)."""
    mine = attempts[(attempts["learner"] == learner) & (attempts["quiz"] == exam)]
    if mine.empty:
        return None, None
    passed = mine[truthy(mine["passed"])]
    best_passed = None if passed.empty else float(passed["percentage"].max())
    return best_passed, float(mine["percentage"].max())


def _exam(quizzes: QuizCatalog, attempts: pd.DataFrame, learner: str) -> tuple[Requirement, ExamScore | None]:
    bank = quizzes.bank(FINAL_EXAM)
    if bank is None:
        return Requirement("The final exam passed", False, ("the final exam is not available now (ask a tutor)",)), None
    best_passed, best = best_exam(attempts, learner)
    if best_passed is not None:
        return Requirement(f"The final exam passed ({best_passed:.0f}%)", True), ExamScore(bank.title, best_passed)
    left = "take the final exam" if best is None else f"pass the final exam (best so far {best:.0f}%)"
    return Requirement("The final exam passed", False, (left,)), None


def _cases(cases: CaseCatalog, records: Mapping[str, CaseRecord]) -> tuple[Requirement | None, tuple[CaseScore, ...]]:
    if not cases.cases:
        return None, ()
    left = tuple(f"finish the clinical case “{case.title}”" for case in cases.cases if case.id not in records)
    scores = tuple(
        CaseScore(case.title, records[case.id].best_percentage, records[case.id].passed)
        for case in cases.cases
        if case.id in records
    )
    done, total = len(scores), len(cases.cases)
    return Requirement(f"Every clinical case finished ({done} of {total})", not left, left), scores


def _content(broken: Collection[Path]) -> Requirement | None:
    if not broken:
        return None
    names = ", ".join(sorted(p.name for p in broken))
    return Requirement("The course content loads", False, (f"a tutor must fix {names}",))


def eligibility(
    *,
    learner: str,
    lessons: Sequence[Lesson],
    quizzes: QuizCatalog,
    cases: CaseCatalog,
    read: Collection[str],
    attempts: pd.DataFrame,
    case_records: Mapping[str, CaseRecord],
    broken: Collection[Path] = (),
) -> Eligibility:
    """The checklist of ``learner``: ``read`` is their completed lessons, ``attempts`` the store's
    ``attempts.csv``, ``case_records`` their finished case runs
    (:func:`course.analytics.cases.case_records`), ``broken`` the content files that failed to load."""
    exam, exam_score = _exam(quizzes, attempts, learner)
    case_requirement, case_scores = _cases(cases, case_records)
    requirements = [_lessons(lessons, quizzes, read, attempts, learner), exam]
    requirements += [r for r in (case_requirement, _content(broken)) if r is not None]
    return Eligibility(
        tuple(requirements),
        cpd_minutes=sum(lesson.meta.duration_min for lesson in lessons),
        scores=Scores(exam_score, case_scores),
    )


def certificate_request(found: Eligibility, learner: str, name: str) -> Request:
    """What the certificate will say; raises :class:`NotYetEligible` listing what is missing."""
    if not found.eligible:
        raise NotYetEligible(found.missing)
    return Request(learner, name, COURSE_TITLE, COURSE_VERSION, found.cpd_minutes, found.scores)
