"""AppTest of every real question bank: a learner starts its quiz and sees each drawn question.

The item checks (``check --strict``) prove a bank is valid; this proves the Quizzes page can
draw and show it, so a new bank (lessons 14 and 15 added two) cannot ship unrendered.
"""

from __future__ import annotations

import pytest

from course.quiz.banks import load_quizzes
from tests.helpers.apptest import open_quiz, texts

CATALOG = load_quizzes()
BANKS = [bank.id for bank in CATALOG.banks if bank.exam is None and bank.questions]


@pytest.mark.parametrize("bank", BANKS)
def test_a_learner_starts_each_real_bank_and_sees_its_drawn_prompts(app_test, make_account, bank: str) -> None:
    make_account("ada")
    at = open_quiz(app_test, quiz=bank)
    draw = at.session_state["quizzes:draw"]
    quiz = CATALOG.quiz(bank)
    assert quiz is not None and draw.quiz == bank
    assert len(draw.question_ids) == quiz.draw_size
    shown = texts(at)
    missing = [qid for qid in draw.question_ids if CATALOG.questions[qid].prompt not in shown]
    assert missing == []
