"""A learner who meets every requirement of a certificate, made through the package's own API.

Every lesson is marked read, every lesson quiz and the final exam are started and submitted with
the right answers (so the attempt rows are what a real learner's would be), and every clinical
case is played along its recommended path. Used by the unit, AppTest and browser tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from course.accounts.progress import LessonProgress
from course.analytics.cases import case_records
from course.analytics.outline import lesson_quizzes
from course.cases.loading import CaseContext, load_cases
from course.cases.progress import CaseRuns
from course.certificates.eligibility import Eligibility, eligibility
from course.content.lessons import load_catalog
from course.metadata import FINAL_EXAM
from course.quiz.answers import right_answer
from course.quiz.attempts import Attempts, cbm_questions
from course.quiz.banks import BankContext, load_quizzes
from course.simulator.loading import load_skin_model
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, CASE_ATTEMPTS
from tests.helpers.cases import recommended_answers

SECRET = "test-secret-" + "x" * 40  # a throwaway secret: long enough, used by tests only


def pass_quizzes(store: Store, learner: str, quiz_ids: Iterable[str], quizzes: Path, lessons: Path) -> None:
    """Start and submit each quiz with every drawn question answered right, at certainty 3 (high)
    where the quiz asks for one (confidence-based marking)."""
    catalog = load_quizzes(quizzes, BankContext.from_catalog(load_catalog(lessons)))
    book = Attempts(store)
    for quiz_id in quiz_ids:
        quiz = catalog.quiz(quiz_id)
        assert quiz is not None, quiz_id
        started = book.start(learner, quiz)
        lookup = quiz.questions
        answers = {q: right_answer(lookup[q]) for q in started.draw.question_ids}
        drawn = [lookup[q] for q in started.draw.question_ids]
        certainties = {q.id: 3 for q in cbm_questions(drawn, quiz.settings)}
        book.submit(started.draw, quiz.settings, lookup, answers, certainties)


def finish_cases(store: Store, learner: str, cases: Path, lessons: Path) -> None:
    skin = load_skin_model()
    runs = CaseRuns(store)
    for case in load_cases(cases, CaseContext.current(lessons)).cases:
        run = runs.new_run(learner, case)
        for _step, answer in recommended_answers(case, skin):
            run = runs.commit(run, answer, skin).run


def complete_course(
    folder: Path,
    learner: str,
    *,
    lessons: Path,
    quizzes: Path,
    cases: Path,
    exam: bool = True,
    play_cases: bool = True,
) -> None:
    """Everything a certificate asks of ``learner`` (``exam``/``play_cases`` False leave that part out)."""
    store = Store(folder)
    catalog = load_catalog(lessons)
    progress = LessonProgress(store)
    for lesson in catalog.lessons:
        progress.set_complete(learner, lesson.id)
    bank_catalog = load_quizzes(quizzes, BankContext.from_catalog(catalog))
    quiz_ids = sorted(set(lesson_quizzes(bank_catalog).values()))
    pass_quizzes(store, learner, [*quiz_ids, *([FINAL_EXAM] if exam else [])], quizzes, lessons)
    if play_cases:
        finish_cases(store, learner, cases, lessons)


def checklist(folder: Path, learner: str, *, lessons: Path, quizzes: Path, cases: Path) -> Eligibility:
    """The learner's eligibility as the package computes it from these folders."""
    store = Store(folder)
    catalog = load_catalog(lessons)
    return eligibility(
        learner=learner,
        lessons=catalog.lessons,
        quizzes=load_quizzes(quizzes, BankContext.from_catalog(catalog)),
        cases=load_cases(cases, CaseContext.current(lessons)),
        read=LessonProgress(store).completed(learner),
        attempts=store.read(ATTEMPTS).frame,
        case_records=case_records(store.read(CASE_ATTEMPTS), learner),
    )
