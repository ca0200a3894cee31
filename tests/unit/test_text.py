"""User-typed text shown in markdown renders literally."""

from __future__ import annotations

from course.text import escape_markdown


def test_markdown_punctuation_is_escaped_and_letters_kept() -> None:
    assert escape_markdown("Zoë O'Brien") == "Zoë O'Brien"
    assert escape_markdown("**bold**") == r"\*\*bold\*\*"
    assert escape_markdown("![x](http://evil/p.png)") == r"\!\[x\]\(http\:\/\/evil\/p\.png\)"
    assert escape_markdown("# heading") == r"\# heading"
