"""The quiz a learner takes: a bank's quiz, the final exam, or their review of mistakes; quiz titles."""

from __future__ import annotations

from collections.abc import Sequence

from course.analytics.learner import Progress, learner_progress, recent_mistakes
from course.quiz.models import (
    MISTAKES_QUIZ,
    MISTAKES_TITLE,
    Question,
    Quiz,
    QuizCatalog,
    Settings,
)
from course.simulator.drills import SIMULATOR_QUIZ
from course.store.base import TableStore
from course.store.tables import ATTEMPTS, RESPONSES

SIMULATOR_TITLE = "Needle simulator drill"


def mistakes_quiz(questions: Sequence[Question]) -> Quiz:
    """A short quiz of the questions a learner got wrong last time (stored like any other)."""
    settings = Settings(pass_mark=70, shuffle_questions=True, shuffle_options=True)
    return Quiz(MISTAKES_QUIZ, MISTAKES_TITLE, "1", settings, (tuple(questions),))


def review_quiz(catalog: QuizCatalog, progress: Progress) -> Quiz:
    """This learner's review of mistakes: the questions whose latest answer was not fully right,
    most recent first, among those still in a valid bank (a removed question cannot be asked)."""
    lookup = catalog.questions
    return mistakes_quiz([lookup[q] for q in recent_mistakes(progress, lookup)])


def find_quiz(catalog: QuizCatalog, quiz_id: str, store: TableStore, learner: str) -> Quiz | None:
    """The quiz ``quiz_id`` names for ``learner``: a bank's quiz, the final exam, or their review
    of mistakes (None for an unknown id).

    The review has no bank: it is rebuilt from the stored responses each time, so an attempt
    resumed or shown again asks the learner's current mistakes. The store is read only for it.
    """
    if quiz_id != MISTAKES_QUIZ:
        return catalog.quiz(quiz_id)
    progress = learner_progress(store.read(ATTEMPTS).frame, store.read(RESPONSES).frame, learner)
    return review_quiz(catalog, progress)


def quiz_titles(catalog: QuizCatalog) -> dict[str, str]:
    """The title of every quiz id an attempt may carry: each bank, the review of mistakes and the
    simulator drills (stored as attempts too), so every stored attempt can be named for a reader."""
    titles = {bank.id: bank.title for bank in catalog.banks}
    titles[MISTAKES_QUIZ] = MISTAKES_TITLE
    titles[SIMULATOR_QUIZ] = SIMULATOR_TITLE
    return titles
