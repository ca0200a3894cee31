"""The glossary: ``lessons/glossary.yaml`` loaded and validated, searched, and linked into lesson text."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from markdown_it import MarkdownIt

from course.content.lessons import GLOSSARY_FILE, catalog_signature, decode
from course.content.markdown import Chunk, ParsedBody, parse_body
from course.content.models import Block, Lesson, Term
from course.content.problems import ContentError, Problem
from course.content.yamlsource import YamlSyntaxError, parse_yaml, validate_model
from course.paths import Signature, lessons_dir


def load_glossary(folder: Path | None = None) -> tuple[Term, ...]:
    """Load ``lessons/glossary.yaml``: a list of terms, each validated with its line."""
    path = (folder or lessons_dir()) / GLOSSARY_FILE
    try:
        text = decode(path.read_bytes(), path)
    except FileNotFoundError as exc:
        raise ContentError([Problem(path, None, "glossary file is missing")]) from exc
    try:
        data, lines = parse_yaml(text, path)
    except YamlSyntaxError as exc:
        raise ContentError([exc.problem]) from exc
    if not isinstance(data, list):
        raise ContentError([Problem(path, 1, "the glossary must be a YAML list of terms")])
    terms: list[Term] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, item in enumerate(data):
        sub_lines = {loc[1:]: line for loc, line in lines.items() if loc[:1] == (index,)}
        term, item_problems = validate_model(Term, item, path, sub_lines)
        problems += [Problem(path, p.line, f"term {index + 1}: {p.message}") for p in item_problems]
        if term is not None:
            if term.term.lower() in seen:
                problems.append(Problem(path, lines.get((index,)), f"duplicate term '{term.term}'"))
            seen.add(term.term.lower())
            terms.append(term)
    if problems:
        raise ContentError(problems)
    return tuple(sorted(terms, key=lambda t: t.term.lower()))


@functools.lru_cache(maxsize=8)
def _glossary_version(folder: str, signature: Signature) -> tuple[tuple[Term, ...], str | None]:
    try:
        return load_glossary(Path(folder)), None
    except ContentError as exc:
        return (), str(exc)


def current_glossary(folder: Path | None = None) -> tuple[tuple[Term, ...], str | None]:
    """The glossary terms, or no terms and the error that stopped them loading.

    Cached like :func:`current_catalog`; a broken glossary is remembered with its error
    (until the file changes) so lesson pages still render, only without term links.
    """
    folder = folder or lessons_dir()
    return _glossary_version(str(folder), catalog_signature(folder))


def find_terms(terms: Sequence[Term], query: str) -> list[Term]:
    """The terms whose name or one of its other spellings contains ``query`` (any case, outer
    spaces ignored), in glossary order; an empty query finds every term.

    The glossary page's search box: a learner typing "derm" finds "Dermis" and, through its
    aliases, a term they know by another name.

    >>> from course.content.models import Term
    >>> terms = [Term(term="Dermis", definition="."), Term(term="Papule", definition=".")]
    >>> [t.term for t in find_terms(terms, " DERM")]
    ['Dermis']
    """
    needle = query.strip().lower()
    return [t for t in terms if needle in t.term.lower() or any(needle in a.lower() for a in t.aliases)]


@functools.lru_cache(maxsize=64)
def linked_blocks(lesson: Lesson, terms: tuple[Term, ...]) -> tuple[Block, ...]:
    """The lesson's blocks with the first use of each glossary term linked.

    Memoised per (lesson version, glossary version): lessons are static between edits, and
    the linking regex is the most expensive step of rendering a lesson page. The body's
    one markdown parse (shared with the loader) says where the prose is; a lesson whose
    blocks do not come from its body (built by hand) has each block parsed on its own.
    """
    linked: set[str] = set()
    if not terms:
        return lesson.blocks
    parsed = parse_body(lesson.body)
    chunks = [block for block in parsed.blocks if isinstance(block, Chunk)]
    texts = [block for block in lesson.blocks if isinstance(block, str)]
    if [chunk.text for chunk in chunks] != texts:
        return tuple(b if not isinstance(b, str) else link_glossary_terms(b, terms, linked) for b in lesson.blocks)
    lines = _linked_lines(parsed, terms, linked, "glossary")
    texts_linked = iter("\n".join(lines[chunk.start : chunk.end]) for chunk in chunks)
    return tuple(b if not isinstance(b, str) else next(texts_linked) for b in lesson.blocks)


@functools.lru_cache(maxsize=8)
def _term_pattern(terms: tuple[Term, ...]) -> tuple[dict[str, Term], re.Pattern[str]]:
    """Each spelling (lowercase) with its term, and one regex matching any of them.

    Built once per glossary version: compiling hundreds of alternatives on every page
    rerun would cost more than the rest of the page.
    """
    pending = {name.lower(): term for term in terms for name in (term.term, *term.aliases)}
    names = sorted(pending, key=len, reverse=True)
    alternatives = "|".join(re.escape(n) for n in names)
    return pending, re.compile(r"(?<![\w-])(" + alternatives + r")(?![\w-])", re.IGNORECASE)


def link_glossary_terms(
    markdown: str, terms: Iterable[Term], linked: set[str] | None = None, page: str = "glossary"
) -> str:
    """Link the first use of each glossary term in a lesson body to its glossary entry.

    Only prose is linked: headings, tables, code (fenced, indented or inline), existing
    links, URLs and HTML are left untouched, and each term is linked once per lesson,
    which is how textbooks mark a term on first use. Pass the same ``linked`` set for every
    block of one lesson; it records the terms already linked. The result is the same
    markdown source with links inserted, since the page shows the source as markdown.

    >>> from course.content.models import Term
    >>> terms = [Term(term="Dermis", definition=".")]
    >>> link_glossary_terms("## Dermis\\nThe ``dermis``, the dermis, the dermis.", terms)
    '## Dermis\\nThe ``dermis``, the [dermis](/glossary#dermis), the dermis.'
    """
    terms = tuple(terms)
    if not terms:
        return markdown
    linked = set() if linked is None else linked
    return "\n".join(_linked_lines(parse_body(markdown), terms, linked, page))


def _linked_lines(parsed: ParsedBody, terms: tuple[Term, ...], linked: set[str], page: str) -> list[str]:
    """The body's lines with terms linked in their prose columns, in reading order."""
    pending, pattern = _term_pattern(terms)
    lines = list(parsed.lines)
    for number, columns in parsed.prose.items():
        source = lines[number]
        out: list[str] = []
        cursor = 0
        for start, end in columns:
            # Searching the whole line from ``start`` lets the pattern's word-boundary check
            # see the character before the span (say the ``*`` of ``**bold**``).
            for match in pattern.finditer(source, start, end):
                term = pending[match.group(1).lower()]
                if term.term in linked:
                    continue
                linked.add(term.term)
                out += [source[cursor : match.start()], f"[{match.group(1)}](/{page}#{term.anchor})"]
                cursor = match.end()
        lines[number] = "".join([*out, source[cursor:]])
    return lines


_LINK = re.compile(r"\]\(/glossary#([\w-]+)\)")
_INLINE = MarkdownIt("commonmark")


def linked_terms(blocks: Iterable[Block], terms: Sequence[Term]) -> tuple[Term, ...]:
    """The glossary terms that the given (linked) lesson blocks link to, in order of first use.

    A lesson page sends their definitions to the browser, so a term shows its definition in
    place when it is chosen.

    >>> from course.content.models import Term
    >>> terms = (Term(term="Dermis", definition="."), Term(term="Papule", definition="."))
    >>> [t.term for t in linked_terms(["A [papule](/glossary#papule) in the [dermis](/glossary#dermis)."], terms)]
    ['Papule', 'Dermis']
    """
    by_anchor = {term.anchor: term for term in terms}
    found: dict[str, Term] = {}
    for block in blocks:
        if isinstance(block, str):
            for anchor in _LINK.findall(block):
                if anchor in by_anchor:
                    found.setdefault(anchor, by_anchor[anchor])
    return tuple(found.values())


def plain_definition(term: Term) -> str:
    """A term's definition as plain text (its markdown marks dropped, a link kept as its words),
    for a place that shows text, never markup: the definition shown beside a term in a lesson.

    >>> from course.content.models import Term
    >>> plain_definition(Term(term="X", definition="The *papillary* dermis, see [this](/a) <b>x</b>."))
    'The papillary dermis, see this <b>x</b>.'
    """
    words: list[str] = []
    for token in _INLINE.parseInline(term.definition):
        for child in token.children or []:
            if child.type in ("text", "code_inline", "html_inline"):
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
    return re.sub(r"\s+", " ", "".join(words)).strip()
