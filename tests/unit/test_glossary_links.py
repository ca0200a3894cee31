"""Glossary links go into prose only: never into code of any kind, links, URLs, headings or tables."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from course.content.glossary import link_glossary_terms, linked_blocks, linked_terms, plain_definition
from course.content.lessons import parse_lesson
from course.content.models import FigureRef, Term

TERMS = (
    Term(term="Dermis", definition="d", aliases=("dermal",)),
    Term(term="Papule", definition="p"),
    Term(term="Hyaluronic acid", definition="h", aliases=("HA",)),
)


def link(markdown: str) -> str:
    return link_glossary_terms(markdown, TERMS)


def lesson_text(body: str) -> str:
    return (
        "---\nid: links\ntitle: T\norder: 1\nduration_min: 5\n"
        f"objectives:\n  - id: obj\n    text: An objective.\nsources:\n  - a-source\n---\n{body}\n"
    )


def test_double_backtick_code_is_not_linked() -> None:
    assert link("Write ``dermis`` then the dermis.") == "Write ``dermis`` then the [dermis](/glossary#dermis)."


def test_code_spans_of_any_backtick_count_are_not_linked() -> None:
    text = "A `dermis` and ```a `` dermis``` code, then the papule."
    assert link(text) == "A `dermis` and ```a `` dermis``` code, then the [papule](/glossary#papule)."


def test_tilde_fence_is_code() -> None:
    text = "~~~\nThe dermis in code.\n~~~\nThe dermis in prose."
    assert link(text) == "~~~\nThe dermis in code.\n~~~\nThe [dermis](/glossary#dermis) in prose."


def test_backtick_fence_and_indented_code_are_not_linked() -> None:
    text = "```\nthe dermis\n```\n\n    the papule\n\nA papule, the dermis."
    expected = "```\nthe dermis\n```\n\n    the papule\n\nA [papule](/glossary#papule), the [dermis](/glossary#dermis)."
    assert link(text) == expected


def test_links_autolinks_urls_and_html_are_untouched() -> None:
    text = (
        "See [the dermis](/x), [papule][ref], <https://a.org/dermis>, https://b.org/papule and "
        "<b>dermis</b>.\n\n[ref]: /papule"
    )
    assert link(text) == text.replace("<b>dermis</b>", "<b>[dermis](/glossary#dermis)</b>")


def test_headings_and_tables_are_untouched() -> None:
    text = "## The dermis\n\n| Layer | Note |\n|---|---|\n| Dermis | the papule |\n\nThe dermis."
    assert link(text) == text.replace("The dermis.", "The [dermis](/glossary#dermis).")


def test_first_use_only_across_spellings_and_inside_emphasis() -> None:
    text = "The **dermis** is thick; dermal vessels, the Dermis again.\n> HA and hyaluronic acid."
    expected = (
        "The **[dermis](/glossary#dermis)** is thick; dermal vessels, the Dermis again.\n"
        "> [HA](/glossary#hyaluronic-acid) and hyaluronic acid."
    )
    assert link(text) == expected


def test_linked_blocks_link_once_per_lesson_and_keep_figures(tmp_path: Path) -> None:
    body = "The dermis.\n\n{{ figure: depth-geometry }}\n\n```\n{{ figure: nonsense }}\n```\nThe dermis and a papule."
    lesson = parse_lesson(lesson_text(body), tmp_path / "01-links.md")
    first, figure, last = linked_blocks(lesson, TERMS)
    assert first == "The [dermis](/glossary#dermis).\n"
    assert isinstance(figure, FigureRef) and figure.name == "depth-geometry"
    assert last == "\n```\n{{ figure: nonsense }}\n```\nThe dermis and a [papule](/glossary#papule).\n"


def test_a_lesson_built_by_hand_has_each_block_linked_on_its_own(tmp_path: Path) -> None:
    lesson = parse_lesson(lesson_text("The papule."), tmp_path / "01-links.md")
    figure = FigureRef("depth-geometry", (), 1)
    hand_made = replace(lesson, body="", blocks=("A `dermis` and the dermis.", figure, "The dermis, a papule."))
    assert linked_blocks(hand_made, TERMS) == (
        "A `dermis` and the [dermis](/glossary#dermis).",
        figure,
        "The dermis, a [papule](/glossary#papule).",
    )


def test_linked_terms_are_those_the_lesson_links_once_each_in_order(tmp_path: Path) -> None:
    body = "A papule in the dermis.\n\n{{ figure: depth-geometry }}\n\nThe dermal layer and HA."
    lesson = parse_lesson(lesson_text(body), tmp_path / "01-links.md")
    blocks = linked_blocks(lesson, TERMS)
    assert [t.term for t in linked_terms(blocks, TERMS)] == ["Papule", "Dermis", "Hyaluronic acid"]
    assert linked_terms(["[x](/glossary#unknown) and [y](/other#dermis)"], TERMS) == ()


def test_a_definition_for_the_browser_is_plain_text() -> None:
    text = "**Bold** and `code`, a [link](https://x.org)\nover <script>alert(1)</script> lines."
    term = Term(term="T", definition=text)
    assert plain_definition(term) == "Bold and code, a link over <script>alert(1)</script> lines."
