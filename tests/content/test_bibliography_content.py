"""The real course's bibliography: every lesson cites only known keys, every reference is
cited, and learner-facing citations read as citations, not as a research log."""

from __future__ import annotations

import re

from course.check import keys_cited_by_cases
from course.content.bibliography import citation_problems, load_references, read_references
from course.content.lessons import load_catalog
from course.simulator.loading import skin_model_keys

CATALOG = load_catalog()
REFERENCES = load_references()


def test_the_references_file_has_no_problem() -> None:
    assert read_references().problems == ()


def test_every_lesson_cites_only_known_keys_and_every_reference_is_cited() -> None:
    """Cited by a lesson or by the skin model (which resolves its own keys)."""
    assert CATALOG.broken == {}
    cited_elsewhere = frozenset(skin_model_keys()) | keys_cited_by_cases()
    assert [str(p) for p in citation_problems(CATALOG, read_references(), cited_elsewhere)] == []


def test_every_lesson_relies_on_several_works() -> None:
    for lesson in CATALOG.lessons:
        assert len(lesson.meta.sources) >= 2, lesson.id


def test_citations_read_as_citations() -> None:
    log = re.compile(r"read via|fact sheet|meso_facts|could not be retrieved|not retrieved", re.IGNORECASE)
    for reference in REFERENCES.values():
        assert not log.search(reference.citation), reference.id
        assert not log.search(reference.supports), reference.id
        assert not log.search(reference.correction or ""), reference.id


def test_practitioner_sites_are_low_and_low_is_explained() -> None:
    for reference in REFERENCES.values():
        if reference.kind == "practitioner-site":
            assert reference.reliability == "low", reference.id
        if reference.reliability == "low":
            assert reference.note, reference.id


def test_the_fact_sheet_corrections_are_recorded() -> None:
    corrections = " ".join(r.correction or "" for r in REFERENCES.values())
    for fragment in ("Baunscheidt", "PC/DC", "multi-dose vials", "entry echo", "green tier", "2024"):
        assert fragment in corrections, fragment
