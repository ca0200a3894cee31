"""Links between lessons land: every ``(/lesson-<id>#<anchor>)`` in a real lesson body names a
lesson that exists and, when it has an anchor, one of that lesson's headings. Lessons 14 and 15
send the learner to earlier lessons instead of repeating them, so a renamed heading must not
leave them pointing nowhere."""

from __future__ import annotations

import re

from course.content.lessons import load_catalog
from course.content.markdown import parse_body

LINK = re.compile(r"\]\(/lesson-(?P<lesson>[a-z0-9-]+)(?:#(?P<anchor>[a-z0-9-]+))?\)")


def broken_lesson_links(bodies: dict[str, str]) -> list[tuple[str, str]]:
    """(lesson id, link) for each lesson link whose lesson or heading anchor does not exist."""
    anchors = {lesson: {h.anchor for h in parse_body(body).headings} for lesson, body in bodies.items()}
    broken = []
    for lesson, body in bodies.items():
        for match in LINK.finditer(body):
            target, anchor = match["lesson"], match["anchor"]
            if target not in anchors or (anchor and anchor not in anchors[target]):
                broken.append((lesson, match.group(0)))
    return broken


def test_a_link_to_a_missing_heading_is_found() -> None:
    bodies = {"a": "## Real heading\n\nSee [b](/lesson-b#gone) and [a](/lesson-a#real-heading).", "b": "## Other\n"}
    assert broken_lesson_links(bodies) == [("a", "](/lesson-b#gone)")]


def test_every_link_between_real_lessons_lands() -> None:
    bodies = {lesson.id: lesson.body for lesson in load_catalog().lessons}
    assert any(LINK.search(body) for body in bodies.values())
    assert broken_lesson_links(bodies) == []
