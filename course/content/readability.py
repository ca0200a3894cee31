"""How a lesson reads: paragraph length (checked by ``python -m course check``) and the
prose its reading grade is measured on.

The measure, in one place so every lesson is held to the same one:

* **Prose** is the text of the lesson body's paragraphs as the one markdown parse
  (:mod:`course.content.markdown`) finds them, list items and quotes included. Front matter,
  headings, tables, code (blocks and inline), raw HTML, images, figure and self-check
  marker lines and ``[@key]`` citation markers are left out; a link counts as its words.
* **A paragraph is too long** above :data:`MAX_PARAGRAPH_WORDS` words (whitespace-separated
  pieces of its prose holding a letter or a digit). ``check`` warns with the paragraph's
  first line; ``--strict`` makes that an error.
* **The reading grade** is ``textstat.flesch_kincaid_grade(lesson_prose(body))`` (textstat
  as pinned in ``requirements-dev.txt``), at most :data:`MAX_GRADE` for every lesson. In
  :func:`lesson_prose` each paragraph is one line, and one that does not end with ``.``,
  ``!`` or ``?`` (a list item, a label) gets a full stop, so it counts as a sentence of its
  own instead of running into the next. The content test ``tests/content/test_readability.py``
  checks it; the package itself does not import textstat.
"""

from __future__ import annotations

from course.content.markdown import Paragraph, parse_body
from course.content.models import Lesson
from course.content.problems import Problem

MAX_PARAGRAPH_WORDS = 90
MAX_GRADE = 12.0


def word_count(text: str) -> int:
    """Words as the paragraph rule counts them.

    >>> word_count("The dermis is 1-2 mm thick — see the table.")
    9
    """
    return sum(any(char.isalnum() for char in piece) for piece in text.split())


def paragraphs(body: str) -> tuple[Paragraph, ...]:
    """The body's paragraphs of prose (see :class:`course.content.markdown.Paragraph`)."""
    return parse_body(body).paragraphs


def lesson_prose(body: str) -> str:
    """The prose a lesson's reading grade is measured on: one paragraph per line, each
    ending as a sentence.

    >>> lesson_prose("# Title\\n\\nThe dermis [@x] holds `code` collagen.\\n\\n- a list item\\n\\n| a |\\n|---|")
    'The dermis holds collagen.\\na list item.'
    """
    lines = []
    for paragraph in paragraphs(body):
        text = paragraph.text
        lines.append(text if text.endswith((".", "!", "?")) else f"{text}.")
    return "\n".join(lines)


def long_paragraphs(lesson: Lesson) -> list[Problem]:
    """A warning for each paragraph over :data:`MAX_PARAGRAPH_WORDS` words, at its first line."""
    return [
        Problem(
            lesson.path,
            lesson.body_line + paragraph.line,
            f"paragraph of {count} words (at most {MAX_PARAGRAPH_WORDS}): split it or shorten it",
            severity="warning",
        )
        for paragraph in paragraphs(lesson.body)
        if (count := word_count(paragraph.text)) > MAX_PARAGRAPH_WORDS
    ]
