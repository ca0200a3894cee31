"""The fixture banks (tests/fixtures/banks) loaded as the app would load a quizzes folder.

Shared by the unit tests and by the child processes that concurrency tests start (they put the
repository on ``sys.path`` and import this module), so every one loads the same banks the same way.
"""

from __future__ import annotations

from pathlib import Path

from course.content.lessons import load_catalog
from course.quiz.banks import BankContext, load_quizzes
from course.quiz.models import Answer, QuizCatalog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "banks"


def fixture_context() -> BankContext:
    """The fixture lesson and picture that the fixture banks link to."""
    return BankContext.from_catalog(load_catalog(FIXTURES / "lessons"), assets=FIXTURES / "assets")


def fixture_catalog() -> QuizCatalog:
    """The valid fixture banks (``valid-bank``, ``other-bank``, ...)."""
    return load_quizzes(FIXTURES / "valid", fixture_context())


# The right answer to each question of the valid fixture bank.
RIGHT: dict[str, Answer] = {
    "vb-single": "A",
    "vb-multiple": frozenset({"A", "C"}),
    "vb-true-false": True,
    "vb-numeric": 0.9,
    "vb-ordering": ("first", "second", "third"),
    "vb-matching": {"Papule": "Junction", "Nappage": "Superficial"},
    "vb-diagram": "papillary-dermis",
}
