"""Every lesson reads like teaching: reading grade at most 12, no paragraph over 90 words.

The measure is defined once, in course/content/readability.py (the prose) and
tests/helpers/readability.py (Flesch-Kincaid grade with the pinned textstat).
"""

from __future__ import annotations

import pytest

from course.content.models import Catalog
from course.content.readability import MAX_GRADE, MAX_PARAGRAPH_WORDS, lesson_prose, paragraphs, word_count
from tests.helpers.readability import reading_grade


def test_every_lesson_reads_at_grade_12_or_below(real_catalog: Catalog) -> None:
    grades = {lesson.path.name: reading_grade(lesson.body) for lesson in real_catalog.lessons}
    over = {name: round(grade, 1) for name, grade in grades.items() if grade > MAX_GRADE}
    assert len(grades) >= 13
    assert not over, f"reading grade above {MAX_GRADE:g}: {over}"


def test_no_lesson_paragraph_is_over_90_words(real_catalog: Catalog) -> None:
    long = [
        f"{lesson.path.name}:{lesson.body_line + p.line} ({word_count(p.text)} words)"
        for lesson in real_catalog.lessons
        for p in paragraphs(lesson.body)
        if word_count(p.text) > MAX_PARAGRAPH_WORDS
    ]
    assert not long


def test_the_grade_is_measured_on_prose_only() -> None:
    """Headings, tables, code, markers and citations do not count; long words in them would
    otherwise raise the grade of a plainly written lesson."""
    plain = "The needle goes in. It stops in the skin."
    noisy = (
        "## Intradermal microinjection characterisation\n\n"
        f"{plain} [@el-domyati-2012; @amin-2006]\n\n"
        "| Polydeoxyribonucleotide | Phosphatidylcholine |\n|---|---|\n| x | y |\n\n"
        "{{ figure: depth-geometry }}\n\n```\nhyaluronidase deoxycholate\n```\n"
    )
    assert lesson_prose(noisy) == plain
    assert reading_grade(noisy) == pytest.approx(reading_grade(plain))
