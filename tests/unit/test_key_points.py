"""The key points box: every lesson's closing ``## Key points`` list, lifted to the top once."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.content.lessons import KEY_POINTS_ANCHOR, key_points, load_catalog, parse_lesson
from course.content.markdown import parse_body
from course.content.models import FigureRef

LESSONS = load_catalog().lessons

FRONT = """---
id: x
title: X
order: 1
duration_min: 5
objectives: [{id: o, text: O}]
sources: [meng-2022]
---
"""


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_every_lesson_has_key_points_and_shows_them_once(lesson) -> None:
    points = key_points(lesson)
    assert points is not None, f"{lesson.path.name} has no '## Key points' section"
    items = [line for line in points.markdown.splitlines() if line.startswith("- ")]
    assert len(items) >= 3
    rest = parse_body(points.rest.body)
    assert KEY_POINTS_ANCHOR not in {heading.anchor for heading in rest.headings}
    assert all(item not in points.rest.body for item in items)
    # the figures and self-checks of the lesson are all still there, at their file lines
    assert [b for b in points.rest.blocks if not isinstance(b, str)] == [
        b for b in lesson.blocks if not isinstance(b, str)
    ]


def test_a_section_after_the_key_points_stays_in_the_body() -> None:
    text = FRONT + "Intro.\n\n## Key points\n\n- One.\n- Two.\n\n## After\n\nMore.\n"
    points = key_points(parse_lesson(text, Path("01-x.md")))
    assert points is not None
    assert points.markdown == "- One.\n- Two."
    assert "## After" in points.rest.body and "More." in points.rest.body


def test_no_section_or_a_marker_inside_it_leaves_the_lesson_alone() -> None:
    assert key_points(parse_lesson(FRONT + "Just text.\n", Path("01-x.md"))) is None
    with_marker = FRONT + "Intro.\n\n## Key points\n\n{{ figure: depth-geometry }}\n\n- One.\n"
    assert key_points(parse_lesson(with_marker, Path("01-x.md"))) is None


def test_marker_lines_after_the_cut_keep_their_file_lines() -> None:
    body = "## Key points\n\n- One.\n\n## Then\n\n{{ figure: depth-geometry }}\n"
    lesson = parse_lesson(FRONT + body, Path("01-x.md"))
    points = key_points(lesson)
    assert points is not None
    before = [b for b in lesson.blocks if isinstance(b, FigureRef)]
    after = [b for b in points.rest.blocks if isinstance(b, FigureRef)]
    assert after == before and after[0].line == 15
