"""The lesson loader: ordering, front-matter validation, and every bad input a lesson file can have
(no or unclosed front matter, invalid YAML, tabs, wrong types, a missing field, a wrong id, a
duplicate id, binary or non-UTF-8 bytes, an oversized file, a bad figure marker), each named
with its file and line; BOMs and CRLF line ends are accepted."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.content.glossary import current_glossary, find_terms, link_glossary_terms
from course.content.lessons import (
    current_catalog,
    lesson_sections,
    load_catalog,
    load_lesson,
    parse_lesson,
)
from course.content.markdown import heading_anchor
from course.content.models import FigureRef, Term
from course.content.problems import ContentError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lessons"


def lesson_text(lesson_id: str, order: int, title: str = "T", body: str = "Body text.") -> str:
    return (
        f"---\nid: {lesson_id}\ntitle: {title}\norder: {order}\nduration_min: 5\n"
        f"objectives:\n  - id: obj\n    text: An objective.\nsources:\n  - a-source\n---\n{body}\n"
    )


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_lesson(path)
    return [str(p) for p in caught.value.problems]


def test_valid_lesson_loads_with_figure_blocks() -> None:
    lesson = load_lesson(FIXTURES / "01-valid.md")
    assert lesson.id == "valid"
    assert lesson.url_path == "lesson-valid"
    figures = [b for b in lesson.blocks if isinstance(b, FigureRef)]
    assert figures == [FigureRef("technique-side", (("technique", "papule"),), 18)]
    assert "More text." in lesson.blocks[-1]


@pytest.mark.parametrize(
    ("name", "line", "fragment"),
    [
        ("missing-close.md", 1, "front matter is not closed"),
        ("no-front-matter.md", 1, "missing front matter"),
        ("empty.md", 1, "file is empty"),
        ("bad-yaml.md", 4, "starts on line 3"),
        ("unknown-figure.md", 14, "unknown figure 'flux-capacitor'"),
        ("not-utf8.md", 3, "not valid UTF-8"),
        ("tabs.md", 6, "tabs"),
    ],
)
def test_each_defect_names_file_and_line(name: str, line: int, fragment: str) -> None:
    messages = problems_of(FIXTURES / name)
    assert any(m.startswith(f"tests/fixtures/lessons/{name}:{line}: ") and fragment in m for m in messages), messages


def test_wrong_types_reports_every_field_with_its_line() -> None:
    messages = problems_of(FIXTURES / "wrong-types.md")
    assert any(":4: order:" in m for m in messages), messages
    assert any(":6: objectives:" in m for m in messages), messages


def test_missing_field_is_named(tmp_path: Path) -> None:
    path = tmp_path / "01-x.md"
    path.write_text("---\nid: x\ntitle: X\norder: 1\n---\nBody\n")
    messages = problems_of(path)
    for field in ("objectives", "duration_min", "sources"):
        assert any(f"missing required field '{field}'" in m for m in messages), messages


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "01-crlf.md"
    path.write_bytes(b"\xef\xbb\xbf" + lesson_text("crlf", 1).replace("\n", "\r\n").encode())
    assert load_lesson(path).id == "crlf"


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "01-bin.md"
    path.write_bytes(b"---\n\x00\x01\x02")
    assert any("binary" in m for m in problems_of(path))


def test_id_must_match_file_name(tmp_path: Path) -> None:
    path = tmp_path / "01-right.md"
    path.write_text(lesson_text("wrong", 1))
    assert any("does not match the file name" in m for m in problems_of(path))


def test_catalog_orders_by_order_then_id_and_isolates_broken(tmp_path: Path) -> None:
    (tmp_path / "01-zeta.md").write_text(lesson_text("zeta", 2))
    (tmp_path / "02-alpha.md").write_text(lesson_text("alpha", 2))
    (tmp_path / "03-first.md").write_text(lesson_text("first", 1))
    (tmp_path / "04-broken.md").write_text("no front matter")
    (tmp_path / "_draft.md").write_text("ignored")
    catalog = load_catalog(tmp_path)
    assert [lesson.id for lesson in catalog.lessons] == ["first", "alpha", "zeta"]
    assert list(catalog.broken) == [tmp_path / "04-broken.md"]


def test_catalog_finds_a_lesson_and_its_place_by_id(tmp_path: Path) -> None:
    (tmp_path / "01-zeta.md").write_text(lesson_text("zeta", 2))
    (tmp_path / "02-first.md").write_text(lesson_text("first", 1))
    (tmp_path / "03-broken.md").write_text("no front matter")
    catalog = load_catalog(tmp_path)
    found = catalog.find("zeta")
    assert found is not None and found[0] == 1 and found[1].id == "zeta"  # its place in the course, not the file
    assert catalog.find("broken") is None and catalog.find("never-was") is None


def test_duplicate_id_is_reported_on_the_later_file(tmp_path: Path) -> None:
    (tmp_path / "01-same.md").write_text(lesson_text("same", 1))
    (tmp_path / "02-same.md").write_text(lesson_text("same", 2))
    catalog = load_catalog(tmp_path)
    assert [lesson.path.name for lesson in catalog.lessons] == ["01-same.md"]
    [problem] = catalog.broken[tmp_path / "02-same.md"]
    assert "duplicate id 'same'" in problem.message and "01-same.md" in problem.message


def test_current_catalog_is_reused_until_a_file_changes(tmp_path: Path) -> None:
    path = tmp_path / "01-one.md"
    path.write_text(lesson_text("one", 1, title="Before"))
    first = current_catalog(tmp_path)
    assert current_catalog(tmp_path) is first  # unchanged files: no reload
    (tmp_path / ".01-one.md.swp").write_text("an editor's temporary file")
    (tmp_path / "_draft.md").write_text("a draft")
    assert current_catalog(tmp_path) is first  # hidden and draft files do not count
    path.write_text(lesson_text("one", 1, title="After, a longer title"))
    assert current_catalog(tmp_path).lessons[0].title == "After, a longer title"
    (tmp_path / "02-two.md").write_text(lesson_text("two", 2))
    assert [lesson.id for lesson in current_catalog(tmp_path).lessons] == ["one", "two"]
    path.unlink()
    assert [lesson.id for lesson in current_catalog(tmp_path).lessons] == ["two"]


def test_current_glossary_reports_its_error_and_recovers(tmp_path: Path) -> None:
    glossary = tmp_path / "glossary.yaml"
    glossary.write_text("term: not a list\n")
    terms, error = current_glossary(tmp_path)
    assert terms == () and error is not None and "glossary.yaml:1" in error
    glossary.write_text("- {term: Dermis, definition: The layer under the epidermis.}\n")
    terms, error = current_glossary(tmp_path)
    assert [t.term for t in terms] == ["Dermis"] and error is None


def test_a_lesson_that_disappears_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "01-gone.md"
    path.write_text(lesson_text("gone", 1))
    load_lesson(path)
    path.unlink()
    assert any("disappeared" in m for m in problems_of(path))


def test_oversized_lesson_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="larger than"):
        parse_lesson(lesson_text("big", 1, body="x" * 600_000), tmp_path / "01-big.md")


def test_marker_inside_code_fence_is_plain_text(tmp_path: Path) -> None:
    body = "```\n{{ figure: nonsense }}\n```"
    lesson = parse_lesson(lesson_text("code", 1, body=body), tmp_path / "01-code.md")
    assert not any(isinstance(b, FigureRef) for b in lesson.blocks)


def test_heading_inside_a_code_fence_is_not_a_section(tmp_path: Path) -> None:
    body = "## Real\n\nText.\n\n```bash\n## not a heading, a shell comment\n```\n\nMore."
    lesson = parse_lesson(lesson_text("fence", 1, body=body), tmp_path / "01-fence.md")
    sections = lesson_sections(lesson)
    assert list(sections) == ["real"]
    assert sections["real"][1] == "Text.\n\n```bash\n## not a heading, a shell comment\n```\n\nMore."


def test_tilde_fence_hides_headings_and_markers(tmp_path: Path) -> None:
    body = "## Real\n\n~~~\n## Not a section\n{{ figure: nonsense }}\n~~~\n\n{{ figure: depth-geometry }}\n\nEnd."
    lesson = parse_lesson(lesson_text("tilde", 1, body=body), tmp_path / "01-tilde.md")
    assert list(lesson_sections(lesson)) == ["real"]
    assert [b for b in lesson.blocks if isinstance(b, FigureRef)] == [FigureRef("depth-geometry", (), 19)]
    assert lesson.blocks[0] == "## Real\n\n~~~\n## Not a section\n{{ figure: nonsense }}\n~~~\n"


def test_marker_shown_as_inline_code_is_not_a_marker(tmp_path: Path) -> None:
    body = "Write ``{{ figure: name key=value }}`` on its own line."
    lesson = parse_lesson(lesson_text("example", 1, body=body), tmp_path / "01-example.md")
    assert lesson.blocks == (body + "\n",)


def test_sections_leave_markers_out_and_end_at_the_next_heading(tmp_path: Path) -> None:
    body = "Intro\n\n## One\n\nA.\n\n{{ figure: depth-geometry }}\n\n#### Detail\n\nB.\n\n### Two ###\n\nC."
    lesson = parse_lesson(lesson_text("secs", 1, body=body), tmp_path / "01-secs.md")
    assert lesson_sections(lesson) == {"one": ("One", "A.\n\n\n#### Detail\n\nB."), "two": ("Two", "C.")}


def test_bad_markers_after_code_keep_their_lines(tmp_path: Path) -> None:
    body = "~~~\n{{ figure: nonsense }}\n~~~\nText\n{{ figure: technique-side technique=laser }}\n\nSee {{figure here"
    with pytest.raises(ContentError) as caught:
        parse_lesson(lesson_text("bad", 1, body=body), tmp_path / "01-bad.md")
    assert [(p.line, p.message.split(":")[0]) for p in caught.value.problems] == [
        (16, "figure 'technique-side'"),
        (18, "malformed figure marker"),
    ]


def test_bad_marker_parameter_names_line(tmp_path: Path) -> None:
    body = "Text\n{{ figure: technique-side technique=laser }}"
    with pytest.raises(ContentError) as caught:
        parse_lesson(lesson_text("bad", 1, body=body), tmp_path / "01-bad.md")
    [problem] = caught.value.problems
    assert problem.line == 13 and "technique=laser is not one of" in problem.message


def test_sections_and_anchors(tmp_path: Path) -> None:
    body = "Intro\n\n## The papule technique (micropapules)\n\nDeposits.\n\n## Safety\n\nCare."
    lesson = parse_lesson(lesson_text("sec", 1, body=body), tmp_path / "01-sec.md")
    sections = lesson_sections(lesson)
    assert list(sections) == ["the-papule-technique-micropapules", "safety"]
    assert sections["safety"] == ("Safety", "Care.")
    assert heading_anchor("Depth = sin(angle) × length") == "depth-sinangle-length"


def test_glossary_search_matches_names_and_aliases_in_any_case() -> None:
    terms = (
        Term(term="Dermis", definition="The layer under the epidermis."),
        Term(term="Hypodermis", definition="The fat under the dermis.", aliases=("Subcutis",)),
        Term(term="Papule", definition="A small raised bleb."),
    )
    assert [t.term for t in find_terms(terms, "  DERMIS ")] == ["Dermis", "Hypodermis"]  # glossary order kept
    assert [t.term for t in find_terms(terms, "subcut")] == ["Hypodermis"]  # found through its alias
    assert find_terms(terms, "") == list(terms) and find_terms(terms, "needle") == []


def test_glossary_links_first_use_only_outside_headings_and_links() -> None:
    terms = [Term(term="Dermis", definition="d", aliases=["dermal"]), Term(term="Papule", definition="p")]
    linked: set[str] = set()
    first = link_glossary_terms("## Dermis\nThe dermis is thick. The dermis again. [papule](/x)", terms, linked)
    assert first.count("](/glossary#dermis)") == 1
    assert first.startswith("## Dermis\n")
    assert "[papule](/x)" in first and "#papule" not in first
    second = link_glossary_terms("A papule in the dermis.", terms, linked)
    assert second == "A [papule](/glossary#papule) in the dermis."
