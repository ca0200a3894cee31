"""The bibliography: the references file validated with file:line, and lessons' citations
checked against it (one fixture file per defect)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course.content.bibliography import (
    Bibliography,
    by_kind,
    citation_problems,
    cited_keys,
    find_citations,
    load_references,
    read_references,
    render_citations,
)
from course.content.lessons import load_lesson
from course.content.models import Catalog
from course.content.problems import ContentError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REFERENCES = FIXTURES / "references"
CITATIONS = FIXTURES / "citations"
SHOWN = "tests/fixtures/citations"  # how a problem names a fixture lesson (relative to the project)
UNCITED = "warning: reference 'uncited-2021' is cited by no lesson, case or the skin model (cite it or remove it)"


def references_from(tmp_path: Path, fixture: str) -> Bibliography:
    shutil.copy(REFERENCES / fixture, tmp_path / "references.yaml")
    return read_references(tmp_path)


def test_valid_references_load_by_key(tmp_path: Path) -> None:
    bibliography = references_from(tmp_path, "valid.yaml")
    assert bibliography.problems == ()
    assert list(bibliography.entries) == ["cited-2020", "uncited-2021"]
    cited = bibliography.entries["cited-2020"]
    assert cited.link == "https://doi.org/10.1000/test.1"
    assert bibliography.entries["uncited-2021"].link == "https://example.org/uncited"
    assert bibliography.lines == {"cited-2020": 2, "uncited-2021": 9}
    assert load_references(tmp_path)["cited-2020"].short == "Cited 2020"


@pytest.mark.parametrize(
    ("fixture", "line", "fragment"),
    [
        ("duplicate-id.yaml", 6, "duplicate id 'same-2020' (already used on line 1)"),
        ("missing-citation.yaml", 6, "reference 'no-citation-2020': missing required field 'citation'"),
        ("bad-kind.yaml", 3, "reference 'blog-2020': kind: Input should be 'rct'"),
        ("low-without-note.yaml", 1, "needs a one-line 'note'"),
        ("invalid-yaml.yaml", 4, "quoted scalar that starts on line 2"),
    ],
)
def test_each_references_defect_names_file_and_line(tmp_path: Path, fixture: str, line: int, fragment: str) -> None:
    bibliography = references_from(tmp_path, fixture)
    messages = [str(p) for p in bibliography.problems]
    assert any(m.startswith(f"{tmp_path / 'references.yaml'}:{line}: ") and fragment in m for m in messages), messages
    with pytest.raises(ContentError):
        load_references(tmp_path)


def test_a_broken_entry_leaves_the_others_usable(tmp_path: Path) -> None:
    bibliography = references_from(tmp_path, "missing-citation.yaml")
    assert list(bibliography.entries) == ["fine-2020"]


def test_a_missing_references_file_is_one_clear_problem(tmp_path: Path) -> None:
    [problem] = read_references(tmp_path).problems
    assert "references file is missing" in str(problem)


def problems_for(tmp_path: Path, lesson_file: str) -> list[str]:
    bibliography = references_from(tmp_path, "valid.yaml")
    lesson = load_lesson(CITATIONS / lesson_file)
    return [str(p) for p in citation_problems(Catalog((lesson,)), bibliography)]


def test_unknown_key_in_sources_is_an_error_with_its_line(tmp_path: Path) -> None:
    messages = problems_for(tmp_path, "01-unknown-source-key.md")
    assert messages == [
        f"{SHOWN}/01-unknown-source-key.md:10: sources: unknown reference key 'no-such-work-1999' "
        "(not in lessons/references.yaml)",
        f"{tmp_path / 'references.yaml'}:9: {UNCITED}",
    ]


def test_unknown_key_in_a_body_marker_is_an_error_with_its_line(tmp_path: Path) -> None:
    messages = problems_for(tmp_path, "01-unknown-marker-key.md")
    errors = [m for m in messages if "warning:" not in m]
    assert len(errors) == 1
    assert errors[0].startswith(f"{SHOWN}/01-unknown-marker-key.md:13: citation [@cited-2020; @nowhere-2000]")
    assert "unknown reference key 'nowhere-2000'" in errors[0]


def test_malformed_marker_is_an_error_with_its_line(tmp_path: Path) -> None:
    messages = problems_for(tmp_path, "01-malformed-marker.md")
    assert any(m.startswith(f"{SHOWN}/01-malformed-marker.md:15: malformed citation marker") for m in messages)


def test_a_reference_nobody_cites_is_a_warning_with_its_line(tmp_path: Path) -> None:
    messages = problems_for(tmp_path, "01-valid.md")
    assert messages == [f"{tmp_path / 'references.yaml'}:9: {UNCITED}"]


def test_a_reference_other_content_cites_is_not_reported_uncited(tmp_path: Path) -> None:
    """The skin model (and other content that resolves its own keys) counts as citing."""
    bibliography = references_from(tmp_path, "valid.yaml")
    lesson = load_lesson(CITATIONS / "01-valid.md")
    assert citation_problems(Catalog((lesson,)), bibliography, also_cited=["uncited-2021"]) == []


def test_the_course_check_counts_the_skin_models_keys_as_cited() -> None:
    from course.check import reference_problems
    from course.simulator.loading import skin_model_keys

    keys = skin_model_keys()
    assert "choi-2019-forehead" in keys  # cited by the skin model alone
    assert not [p for p in reference_problems() if "choi-2019-forehead" in p.message]


def test_a_reference_only_a_clinical_case_cites_is_not_a_warning(tmp_path: Path) -> None:
    bibliography = references_from(tmp_path, "valid.yaml")
    lesson = load_lesson(CITATIONS / "01-valid.md")
    problems = citation_problems(Catalog((lesson,)), bibliography, frozenset({"uncited-2021"}))
    assert problems == []


def test_a_free_text_source_is_refused_with_its_line() -> None:
    with pytest.raises(ContentError) as caught:
        load_lesson(CITATIONS / "01-free-text-source.md")
    problem = caught.value.problems[0]
    assert problem.line == 9
    assert "'Cited A. A cited work. J Test 2020;1:1.' is not a reference key" in problem.message


def test_markers_in_code_are_examples_not_citations() -> None:
    lesson = load_lesson(CITATIONS / "01-valid.md")
    assert [c.keys for c in find_citations(lesson.body)] == [("cited-2020",)]
    assert cited_keys(lesson) == ("cited-2020",)


def test_markers_render_as_linked_author_year_citations(tmp_path: Path) -> None:
    bibliography = references_from(tmp_path, "valid.yaml")
    text = "Thin [@cited-2020; @uncited-2021], `[@cited-2020]`."
    assert render_citations(text, bibliography) == (
        "Thin ([Cited 2020](/references#cited-2020); [uncited 2021](/references#uncited-2021)), `[@cited-2020]`."
    )


def test_glossary_terms_are_not_linked_inside_a_marker() -> None:
    from course.content.glossary import link_glossary_terms
    from course.content.models import Term

    terms = [Term(term="Dermis", definition=".")]
    linked = link_glossary_terms("See [@dermis] on the dermis.", terms)
    assert linked == "See [@dermis] on the [dermis](/glossary#dermis)."


def test_references_group_by_kind_in_a_fixed_order(tmp_path: Path) -> None:
    bibliography = references_from(tmp_path, "valid.yaml")
    assert list(by_kind(bibliography.entries.values())) == ["rct", "practitioner-site"]
