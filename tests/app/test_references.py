"""AppTest of the References page and of a lesson page's source list, both built from the keys."""

from __future__ import annotations

import shutil
from pathlib import Path

from course.content.bibliography import KIND_LABELS, load_references
from course.content.lessons import load_catalog
from course.text import escape_markdown
from tests.helpers.apptest import open_url_path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REFERENCES = load_references()
LESSONS = load_catalog().lessons


def markdown_text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_references_page_lists_every_reference_by_kind_with_reliability_and_lessons(app_test) -> None:
    at = app_test().run()
    at.switch_page("views/pages/references.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "References"
    headers = [h.value for h in at.header]
    kinds = {reference.kind for reference in REFERENCES.values()}
    assert all(any(h.startswith(KIND_LABELS[kind]) for h in headers) for kind in kinds)
    assert len(at.subheader) == len(REFERENCES)
    text = markdown_text(at)
    for reference in REFERENCES.values():
        assert escape_markdown(reference.citation) in text
    micheels = next(m.value for m in at.markdown if "key `micheels-2016`" in m.value)
    assert "moderate** reliability" in micheels
    assert "/lesson-injection-depth" in micheels
    assert any("Baunscheidt" in w.value and w.value.startswith("Correction") for w in at.warning)
    assert not any("Note for tutors" in c.value for c in at.caption)  # notes are for tutors


def test_references_page_filters_by_kind_and_reliability(app_test) -> None:
    at = app_test().run()
    at.switch_page("views/pages/references.py").run()
    at.selectbox(key="references:kind").select(KIND_LABELS["practitioner-site"]).run()
    assert [h.value.split(" (")[0] for h in at.header] == [KIND_LABELS["practitioner-site"]]
    sites = [r for r in REFERENCES.values() if r.kind == "practitioner-site"]
    assert len(at.subheader) == len(sites) and all(r.reliability == "low" for r in sites)
    at.multiselect(key="references:reliability").set_value(["high"]).run()
    assert any("No reference matches" in c.value for c in at.caption)


def test_tutors_see_the_notes(app_test, make_account) -> None:
    make_account("tess", tutor=True)
    at = app_test(user="tess").run()
    at.switch_page("views/pages/references.py").run()
    assert any(c.value.startswith("Note for tutors: Read in a document") for c in at.caption)


def test_a_lesson_lists_its_sources_from_the_keys_with_links(app_test) -> None:
    lesson = next(lesson for lesson in LESSONS if lesson.id == "danger-zones")
    at = open_url_path(app_test().run(), lesson.url_path)
    assert not at.exception
    sources = at.markdown[-1].value
    lines = sources.split("\n")
    assert len(lines) == len(lesson.meta.sources)
    for number, (line, key) in enumerate(zip(lines, lesson.meta.sources, strict=True), 1):
        reference = REFERENCES[key]
        assert line.startswith(f"{number}. {escape_markdown(reference.citation)}")
        assert line.endswith(f"[entry](/references#{key})")
        if reference.link:
            assert f"(<{reference.link}>)" in line
    assert "(<https://doi.org/10.1097/PRS.0000000000005201>)" in sources


def test_a_lesson_shows_body_markers_as_linked_citations(app_test) -> None:
    lesson = next(lesson for lesson in LESSONS if lesson.id == "skin-anatomy")
    at = open_url_path(app_test().run(), lesson.url_path)
    text = markdown_text(at)
    assert "[@" not in text
    assert "([Meng 2022](/references#meng-2022))" in text


def test_a_broken_references_file_shows_a_message_and_lessons_still_work(app_test, content_dirs) -> None:
    lessons_dir, _ = content_dirs
    shutil.copy(FIXTURES / "references" / "invalid-yaml.yaml", lessons_dir / "references.yaml")
    at = app_test().run()
    at.switch_page("views/pages/references.py").run()
    assert not at.exception
    assert any("references file is fixed" in e.value and "invalid YAML" in e.value for e in at.error)
    at = open_url_path(app_test().run(), LESSONS[0].url_path)
    assert not at.exception
    assert at.title[0].value == LESSONS[0].title
    assert any("references file is fixed" in c.value for c in at.caption)
