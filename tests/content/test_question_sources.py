"""The real question banks cite the bibliography by key (lessons/references.yaml)."""

from __future__ import annotations

from course.content.bibliography import load_references
from course.quiz.banks import current_quizzes


def test_every_question_cites_only_known_reference_keys() -> None:
    keys = set(load_references())
    quizzes = current_quizzes()
    assert not quizzes.broken, {str(path): [str(p) for p in problems] for path, problems in quizzes.broken.items()}
    unknown = {
        (bank.id, question.id, key)
        for bank in quizzes.banks
        for question in bank.questions
        for key in question.sources
        if key not in keys
    }
    assert unknown == set()
    cited = [question for bank in quizzes.banks for question in bank.questions if question.sources]
    assert cited, "no question cites a source"
