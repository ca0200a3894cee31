"""The reading grade of a lesson, as the course measures it (see course/content/readability.py).

``python -m tests.helpers.readability`` prints each lesson's grade and its longest paragraph.
"""

from __future__ import annotations

import textstat

from course.content.lessons import load_catalog
from course.content.readability import MAX_GRADE, lesson_prose, paragraphs, word_count


def reading_grade(body: str) -> float:
    """Flesch-Kincaid grade of the lesson's prose (textstat, as pinned in requirements-dev.txt)."""
    return float(textstat.flesch_kincaid_grade(lesson_prose(body)))


def main() -> None:
    for lesson in load_catalog().lessons:
        longest = max((word_count(p.text) for p in paragraphs(lesson.body)), default=0)
        grade = reading_grade(lesson.body)
        flag = "" if grade <= MAX_GRADE else "  (over the limit)"
        print(f"{lesson.path.name}: grade {grade:.1f}, longest paragraph {longest} words{flag}")


if __name__ == "__main__":
    main()
