"""The course's bibliography: ``lessons/references.yaml``, cited by key.

Every work the course relies on is one entry, written once, with its full citation, its
DOI or address, what kind of work it is and how far the course trusts it. Lessons list the
keys they rely on in ``sources:`` and cite them in the text with a marker, ``[@meng-2022]``
or ``[@meng-2022; @iyengar-2018]``, which the page shows as an author-year citation linked
to the References page. Keys keep one work's citation the same everywhere, and let the
check find a citation of a work nobody described (an error) or a work nobody cites (a
warning). Question banks will resolve their sources through :func:`load_references`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import Field, StringConstraints, model_validator

from course.content.lessons import REFERENCES_FILE, catalog_signature, decode
from course.content.markdown import parse_body
from course.content.markers import CITATION
from course.content.models import Catalog, Lesson, Slug, Strict
from course.content.problems import ContentError, Problem
from course.content.yamlsource import LineMap, YamlSyntaxError, parse_yaml, validate_model
from course.paths import Signature, lessons_dir
from course.text import escape_markdown

Kind = Literal[
    "rct",
    "systematic-review",
    "review",
    "consensus",
    "guideline",
    "regulation",
    "product-label",
    "textbook",
    "case-series",
    "case-report",
    "cohort",
    "conference-abstract",
    "practitioner-site",
    "encyclopedia",
    "news",
    "other",
]
KINDS: tuple[Kind, ...] = get_args(Kind)
"""Every kind of work, in the order the References page shows them."""

KIND_LABELS: dict[str, str] = {
    "rct": "Randomised controlled trials",
    "systematic-review": "Systematic reviews",
    "review": "Reviews",
    "consensus": "Consensus statements",
    "guideline": "Guidelines",
    "regulation": "Laws and regulation",
    "product-label": "Product labels",
    "textbook": "Textbooks and reference works",
    "case-series": "Case series and outbreak reports",
    "case-report": "Case reports",
    "cohort": "Cohort and observational studies",
    "conference-abstract": "Conference abstracts",
    "practitioner-site": "Practitioner and training websites",
    "encyclopedia": "Encyclopedias",
    "news": "News and magazines",
    "other": "Other",
}

Reliability = Literal["high", "moderate", "low"]
RELIABILITY_MARKS: dict[str, str] = {"high": "●●●", "moderate": "●●○", "low": "●○○"}
"""How each reliability is drawn beside a reference (three dots: high)."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
Doi = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^10\.\d{4,9}/\S+$")]
Url = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https?://\S+$", max_length=500)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class Reference(Strict):
    """One work the course cites.

    ``label`` is the author-year text of an in-text citation (``Meng 2022``); ``note`` is
    for tutors (how the work was read, why it is weak), and is required when the
    reliability is low; ``correction`` records where this work shows a statement the
    course once made to be wrong.

    >>> ref = Reference(id="meng-2022", citation="Meng Y et al. BMC Med Imaging 2022;22:113.",
    ...     doi="10.1186/s12880-022-00839-w", kind="cohort", reliability="high",
    ...     supports="Dermis thickness by region (HFUS).", label="Meng 2022")
    >>> ref.link
    'https://doi.org/10.1186/s12880-022-00839-w'
    """

    id: Slug
    citation: Text
    doi: Doi | None = None
    url: Url | None = None
    kind: Kind
    reliability: Reliability
    note: Text | None = None
    supports: Text
    label: Label | None = None
    correction: Text | None = None
    see_also: tuple[Slug, ...] = Field(default=())

    @model_validator(mode="after")
    def _low_needs_note(self) -> Reference:
        if self.reliability == "low" and self.note is None:
            raise ValueError("a reference of low reliability needs a one-line 'note' saying why")
        return self

    @property
    def link(self) -> str | None:
        """Where a reader can find the work: the DOI resolver first, else the address."""
        return f"https://doi.org/{self.doi}" if self.doi else self.url

    @property
    def short(self) -> str:
        """The in-text label: ``label``, or the key with its hyphens as spaces."""
        return self.label or self.id.replace("-", " ")

    @property
    def anchor(self) -> str:
        """The References page anchor of this entry (the key itself)."""
        return self.id


@dataclass(frozen=True, eq=False)
class Bibliography:
    """The references that loaded, by key, with the line of each entry and every problem.

    A broken entry is left out and reported; the others stay usable, so one typo in the
    file never takes every lesson's source list down. Compared (and hashed) by identity:
    one loaded version of the file is one object, which is what the page caches key on.
    """

    path: Path
    entries: Mapping[str, Reference] = field(default_factory=dict)
    lines: Mapping[str, int | None] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    def get(self, key: str) -> Reference | None:
        """The entry with this key, or None."""
        return self.entries.get(key)


def read_references(folder: Path | None = None) -> Bibliography:
    """Load ``references.yaml`` from the lessons folder, keeping every problem with its line.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "references.yaml").write_text("- id: x-2020\\n  citation: X. 2020.\\n"
    ...     "  kind: rct\\n  reliability: high\\n  supports: A claim.\\n  url: https://x.org\\n")
    >>> list(read_references(folder).entries), read_references(folder).problems
    (['x-2020'], ())
    """
    path = (folder or lessons_dir()) / REFERENCES_FILE
    try:
        text = decode(path.read_bytes(), path)
    except FileNotFoundError:
        return Bibliography(path, problems=(Problem(path, None, "the references file is missing"),))
    except ContentError as exc:
        return Bibliography(path, problems=tuple(exc.problems))
    try:
        data, lines = parse_yaml(text, path)
    except YamlSyntaxError as exc:
        return Bibliography(path, problems=(exc.problem,))
    if not isinstance(data, list):
        return Bibliography(path, problems=(Problem(path, 1, "the references file must be a YAML list of entries"),))
    entries: dict[str, Reference] = {}
    entry_lines: dict[str, int | None] = {}
    problems: list[Problem] = []
    by_entry: dict[str | int, LineMap] = {}
    for loc, line in lines.items():  # each entry's lines, grouped in one pass over the file's
        if loc:
            by_entry.setdefault(loc[0], {})[loc[1:]] = line
    for index, item in enumerate(data):
        sub_lines = by_entry.get(index, {})
        reference, item_problems = validate_model(Reference, item, path, sub_lines)
        name = item.get("id") if isinstance(item, dict) else None
        label = f"reference '{name}'" if isinstance(name, str) else f"reference {index + 1}"
        problems += [
            Problem(path, p.line or lines.get((index,)), f"{label}: {p.message.removeprefix('(top level): ')}")
            for p in item_problems
        ]
        if reference is None:
            continue
        if reference.id in entries:
            problems.append(
                Problem(
                    path,
                    lines.get((index, "id")),
                    f"duplicate id '{reference.id}' (already used on line {entry_lines[reference.id]})",
                )
            )
            continue
        entries[reference.id] = reference
        entry_lines[reference.id] = lines.get((index, "id"))
    for key, reference in entries.items():
        for other in reference.see_also:
            if other not in entries:
                message = f"reference '{key}': see_also names unknown key '{other}'"
                problems.append(Problem(path, entry_lines[key], message))
    return Bibliography(path, entries, entry_lines, tuple(problems))


def load_references(folder: Path | None = None) -> dict[str, Reference]:
    """Every reference by key; raise :class:`ContentError` if the file has any problem.

    The strict entry point for other checkers (the question banks' sources): a key resolves
    only against a references file that is entirely valid.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "references.yaml").write_text("- id: x-2020\\n  citation: X.\\n"
    ...     "  kind: rct\\n  reliability: high\\n  supports: A claim.\\n")
    >>> load_references(folder)["x-2020"].kind
    'rct'
    """
    bibliography = read_references(folder)
    errors = [p for p in bibliography.problems if p.severity == "error"]
    if errors:
        raise ContentError(errors)
    return dict(bibliography.entries)


@functools.lru_cache(maxsize=8)
def _references_version(folder: str, signature: Signature) -> Bibliography:
    return read_references(Path(folder))


def current_references(folder: Path | None = None) -> Bibliography:
    """The references as the file is now, read again only when a content file changes.

    Cached like the lesson catalog (same directory scan), so every page rerun costs a
    lookup; a broken file is remembered with its problems and pages show them.
    """
    folder = folder or lessons_dir()
    return _references_version(str(folder), catalog_signature(folder))


# --- citations in lessons ---------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    """A citation marker in a lesson body: its keys, its body line (from 0) and columns."""

    keys: tuple[str, ...]
    line: int
    start: int
    end: int
    text: str

    @property
    def malformed(self) -> bool:
        """A marker that starts like one (``[@``) but is not ``[@key]`` / ``[@a; @b]``."""
        return not self.keys


def find_citations(markdown: str) -> tuple[Citation, ...]:
    """Every citation marker in a piece of lesson markdown, in reading order.

    Markers inside code are examples, not citations:

    >>> [c.keys for c in find_citations("As shown [@a-1; @b-2]. `[@c]` [@Bad Key]")]
    [('a-1', 'b-2'), ()]
    """
    parsed = parse_body(markdown)
    found = []
    for span in parsed.spans:
        if span.kind != "citation":
            continue
        text = parsed.lines[span.line][span.start : span.end]
        match = CITATION.match(text)
        keys = tuple(k.strip().lstrip("@") for k in match["keys"].split(";")) if match else ()
        found.append(Citation(keys, span.line, span.start, span.end, text))
    return tuple(found)


def cited_keys(lesson: Lesson) -> tuple[str, ...]:
    """The keys a lesson relies on: its ``sources:``, then any cited only in the body.

    The lesson page lists these, so a work cited in the text always appears in the list.
    """
    keys = list(dict.fromkeys(lesson.meta.sources))
    for citation in find_citations(lesson.body):
        keys += [key for key in citation.keys if key not in keys]
    return tuple(keys)


def render_citations(markdown: str, bibliography: Bibliography, page: str = "references") -> str:
    """Replace each citation marker with author-year links to the References page.

    A key the bibliography does not know is shown as plain text with a question mark, so a
    page never breaks on a typo (``python -m course check`` reports it).

    >>> bib = Bibliography(Path("r.yaml"), {"meng-2022": Reference(id="meng-2022", citation="Meng.",
    ...     kind="cohort", reliability="high", supports=".", label="Meng 2022")})
    >>> render_citations("Thin [@meng-2022; @nope-1].", bib)
    'Thin ([Meng 2022](/references#meng-2022); nope\\\\-1?).'
    """
    citations = find_citations(markdown)
    if not citations:
        return markdown
    lines = markdown.split("\n")
    for citation in reversed(citations):
        if citation.malformed:
            continue
        parts = []
        for key in citation.keys:
            reference = bibliography.get(key)
            if reference is None:
                parts.append(f"{escape_markdown(key)}?")
            else:
                parts.append(f"[{escape_markdown(reference.short)}](/{page}#{reference.anchor})")
        line = lines[citation.line]
        lines[citation.line] = f"{line[: citation.start]}({'; '.join(parts)}){line[citation.end :]}"
    return "\n".join(lines)


def cite_keys(keys: Sequence[str], bibliography: Bibliography, page: str = "references") -> str:
    """Keys as one in-text citation, ``(Meng 2022; Chopra 2015)``, each linking to its entry: how
    a quiz review names the works a question's answer rests on.

    >>> bib = Bibliography(Path("r.yaml"), {"meng-2022": Reference(id="meng-2022", citation="Meng.",
    ...     kind="cohort", reliability="high", supports=".", label="Meng 2022")})
    >>> cite_keys(["meng-2022"], bib)
    '([Meng 2022](/references#meng-2022))'
    >>> cite_keys([], bib)
    ''
    """
    if not keys:
        return ""
    return render_citations("[" + "; ".join(f"@{key}" for key in keys) + "]", bibliography, page)


def citation_problems(catalog: Catalog, bibliography: Bibliography, also_cited: Iterable[str] = ()) -> list[Problem]:
    """Each lesson's unknown or repeated source key and unknown or malformed marker, with
    its file line; then a warning for each reference nothing cites (``also_cited``: keys
    that other content, such as the skin model, cites and resolves itself).

    >>> from course.content.lessons import parse_lesson
    >>> text = ("---\\nid: x\\ntitle: X\\norder: 1\\nduration_min: 5\\nobjectives:\\n  - {id: o, text: O.}\\n"
    ...         "sources:\\n  - nope-2020\\n---\\nBody [@nope-2020].\\n")
    >>> lesson = parse_lesson(text, Path("01-x.md"))
    >>> empty = Bibliography(Path("r.yaml"))
    >>> [str(p) for p in citation_problems(Catalog((lesson,)), empty)]  # doctest: +NORMALIZE_WHITESPACE
    ["01-x.md:9: sources: unknown reference key 'nope-2020' (not in lessons/references.yaml)",
     "01-x.md:11: citation [@nope-2020]: unknown reference key 'nope-2020' (not in lessons/references.yaml)"]
    """
    problems: list[Problem] = []
    used: set[str] = set(also_cited)
    for lesson in catalog.lessons:
        problems += lesson_citation_problems(lesson, bibliography, used)
    if bibliography.entries and catalog.lessons:
        for key in bibliography.entries:
            if key not in used:
                problems.append(
                    Problem(
                        bibliography.path,
                        bibliography.lines.get(key),
                        f"reference '{key}' is cited by no lesson, case or the skin model (cite it or remove it)",
                        severity="warning",
                    )
                )
    return problems


def lesson_citation_problems(lesson: Lesson, bibliography: Bibliography, used: set[str] | None = None) -> list[Problem]:
    """One lesson's citation problems (see :func:`citation_problems`); the keys it cites are
    added to ``used``. The lesson editor runs this before a save."""
    used = set() if used is None else used
    problems: list[Problem] = []
    listed: set[str] = set()
    for index, key in enumerate(lesson.meta.sources):
        line = lesson.source_lines[index] if index < len(lesson.source_lines) else None
        if key in listed:
            problems.append(Problem(lesson.path, line, f"sources: '{key}' is listed twice"))
        listed.add(key)
        used.add(key)
        if key not in bibliography.entries:
            problems.append(Problem(lesson.path, line, f"sources: {_unknown(key)}"))
    for citation in find_citations(lesson.body):
        line = lesson.body_line + citation.line
        if citation.malformed:
            problems.append(
                Problem(
                    lesson.path,
                    line,
                    f"malformed citation marker {citation.text}: write [@key] or [@key; @other-key]",
                )
            )
            continue
        for key in citation.keys:
            used.add(key)
            if key not in bibliography.entries:
                problems.append(Problem(lesson.path, line, f"citation {citation.text}: {_unknown(key)}"))
            elif key not in listed:
                problems.append(
                    Problem(
                        lesson.path,
                        line,
                        f"citation {citation.text}: '{key}' is cited in the text but not listed in sources",
                        severity="warning",
                    )
                )
    return problems


def _unknown(key: str) -> str:
    return f"unknown reference key '{key}' (not in lessons/{REFERENCES_FILE})"


def citing_lessons(catalog: Catalog) -> dict[str, tuple[Lesson, ...]]:
    """For each reference key, the lessons that cite it (in ``sources:`` or the text), in
    course order: the References page shows who relies on each work."""
    found: dict[str, list[Lesson]] = {}
    for lesson in catalog.lessons:
        for key in cited_keys(lesson):
            found.setdefault(key, []).append(lesson)
    return {key: tuple(lessons) for key, lessons in found.items()}


def by_kind(references: Iterable[Reference]) -> dict[str, tuple[Reference, ...]]:
    """References grouped by kind, in :data:`KINDS` order, each group sorted by citation.

    >>> refs = [Reference(id=i, citation=c, kind=k, reliability="high", supports=".")
    ...         for i, c, k in [("b", "B.", "rct"), ("a", "A.", "rct"), ("g", "G.", "guideline")]]
    >>> {kind: [r.id for r in group] for kind, group in by_kind(refs).items()}
    {'rct': ['a', 'b'], 'guideline': ['g']}
    """
    groups: dict[str, list[Reference]] = {}
    for reference in references:
        groups.setdefault(reference.kind, []).append(reference)
    return {kind: tuple(sorted(groups[kind], key=lambda r: r.citation.lower())) for kind in KINDS if kind in groups}
