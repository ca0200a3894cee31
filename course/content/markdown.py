"""One markdown parse of a lesson body, and what the rest of the course reads from it.

Lesson bodies are shown as their own markdown source (``st.markdown``), so nothing here
renders HTML. What the loader, the section finder and the glossary linker need is to know
what each part of the source *is*: a figure marker line, a heading, prose, or something
that only looks like prose to a per-line scan (a ``## line`` inside a fenced code block,
a term in double-backtick code, a ``~~~`` fence). ``markdown-it-py`` (CommonMark plus the
table rule, which the lessons use) answers that once per body; :func:`parse_body` keeps
the answer as line numbers and column spans of the original source, and caches it.

Line numbers here count from 0 at the first line of the body; callers add the file line
where the body starts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

from course.content.markers import LOOSE_CITATION, LOOSE_MARKER

SpanKind = Literal["prose", "code", "link", "autolink", "url", "html", "escape", "heading", "table", "citation"]
"""What a span of the source is; only ``prose`` may have glossary links added. A ``citation``
is a ``[@key]`` marker in a paragraph or a table row (where it lies inside the row's span)."""

# Inline rules whose source is not prose, with the kind of span they make. The rules not
# named here (text, emphasis delimiters, line breaks) leave their characters as prose, so a
# term inside ``**bold**`` is linked, as it always was.
_INLINE_KINDS: dict[str, SpanKind] = {
    "backticks": "code",
    "link": "link",
    "image": "link",
    "autolink": "autolink",
    "html_inline": "html",
    "entity": "escape",
    "escape": "escape",
}
_BLOCK_KINDS: dict[str, SpanKind] = {"fence": "code", "code_block": "code", "html_block": "html"}
_URL = re.compile(r"https?://\S+")  # CommonMark has no bare URLs, but the page renderer links them
_RECORD = "course.inline_spans"  # the env key where the inline rules note what they consumed

InlineSpan = tuple[int, int, SpanKind]


@dataclass(frozen=True)
class Span:
    """Columns ``start:end`` of one body line, and what that stretch of source is."""

    line: int
    start: int
    end: int
    kind: SpanKind


@dataclass(frozen=True)
class Heading:
    """A heading: its level, its source text (without the ``#`` marks) and its anchor.

    ``line`` is its first body line and ``end`` the line after it (a setext heading takes
    two lines).
    """

    level: int
    text: str
    anchor: str
    line: int
    end: int


@dataclass(frozen=True)
class Chunk:
    """Body lines ``start:end`` between figure markers, as one piece of markdown."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class MarkerLine:
    """A body line that is (or tries to be) a figure marker; ``parse_marker`` reads it."""

    line: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of prose (also one inside a list item or a quote): body lines
    ``line:end`` and its words as a reader reads them.

    ``text`` is the paragraph's inline text with code, images, raw HTML, ``[@key]``
    citation markers and marker lines left out, a link kept as its words, and each line
    break a space. Headings, table cells, code blocks and HTML blocks are not paragraphs.
    """

    line: int
    end: int
    text: str


@dataclass(frozen=True)
class ParsedBody:
    """A lesson body as parsed once: its lines, blocks, headings, classified spans and
    paragraphs."""

    lines: tuple[str, ...]
    blocks: tuple[Chunk | MarkerLine, ...]
    headings: tuple[Heading, ...]
    spans: tuple[Span, ...]
    paragraphs: tuple[Paragraph, ...] = ()

    @functools.cached_property
    def marker_lines(self) -> frozenset[int]:
        """The lines that are figure markers (good or bad): not markdown for any reader."""
        return frozenset(block.line for block in self.blocks if isinstance(block, MarkerLine))

    @functools.cached_property
    def prose(self) -> dict[int, tuple[tuple[int, int], ...]]:
        """Each line's prose columns ``(start, end)``, lines and columns in source order.

        Marker lines have none: they never reach the page as text.
        """
        found: dict[int, list[tuple[int, int]]] = {}
        for span in self.spans:
            if span.kind == "prose" and span.line not in self.marker_lines:
                found.setdefault(span.line, []).append((span.start, span.end))
        return {line: tuple(columns) for line, columns in sorted(found.items())}


def heading_anchor(text: str) -> str:
    """The anchor of a heading: lowercase words joined by hyphens, punctuation dropped.

    Quiz questions store a section as this anchor, so it must not change for a heading
    whose words stay the same.

    >>> heading_anchor("The papule technique (micropapules)")
    'the-papule-technique-micropapules'
    """
    words = re.sub(r"[^\w\s-]", "", text.lower()).split()
    return re.sub(r"-{2,}", "-", "-".join(words)).strip("-")


def parse_body(body: str) -> ParsedBody:
    """Parse a lesson body once; the result is shared by every caller with the same text.

    Figure markers are found on lines outside code (fenced with ``` or ~~~, or indented),
    and outside inline code, so a lesson can show a marker as an example:

    >>> parsed = parse_body("Intro\\n\\n{{ figure: depth-geometry }}\\n\\n~~~\\n## Not a heading\\n~~~")
    >>> [type(block).__name__ for block in parsed.blocks]
    ['Chunk', 'MarkerLine', 'Chunk']
    >>> parsed.headings
    ()
    >>> parse_body("Use ``dermis`` here.").prose
    {0: ((0, 4), (14, 20))}
    """
    return _parse_cached(body)


@functools.lru_cache(maxsize=64)
def _parse_cached(body: str) -> ParsedBody:
    # Keyed by the text rather than the Lesson: the loader parses a body before its Lesson
    # exists, and every later reader of the same lesson version passes the same string, so
    # page reruns hit the cache without hashing the text again.
    lines = tuple(body.split("\n"))
    env: dict[str, Any] = {}
    tokens = _MD.parse(body, env)
    inline_spans: dict[int, list[InlineSpan]] = env.get(_RECORD + ".all", {})
    code_lines: set[int] = set()
    spans: list[Span] = []
    headings: list[Heading] = []
    paragraph_lines: list[tuple[int, list[str]]] = []
    for index, token in enumerate(tokens):
        if token.map is None:
            continue
        first, last = token.map
        whole: SpanKind | None = _BLOCK_KINDS.get(token.type)
        if token.type == "heading_open":
            whole = "heading"
            text = tokens[index + 1].content
            headings.append(Heading(int(token.tag[1:]), text, heading_anchor(text), first, last))
        elif token.type == "table_open":
            whole = "table"
        elif token.type == "inline" and index > 0 and tokens[index - 1].type == "paragraph_open":
            spans += _paragraph_spans(lines, first, last, token.content, inline_spans.get(index, []))
            paragraph_lines.append((first, _reader_lines(token.children or [])))
        if whole is not None:
            spans += [Span(line, 0, len(lines[line]), whole) for line in range(first, min(last, len(lines)))]
            if whole == "table":
                spans += [
                    Span(line, match.start(), match.end(), "citation")
                    for line in range(first, min(last, len(lines)))
                    for match in LOOSE_CITATION.finditer(lines[line])
                ]
            if whole == "code":
                code_lines.update(range(first, last))
    spans.sort(key=lambda span: (span.line, span.start))
    inline_code = _by_line(span for span in spans if span.kind == "code" and span.line not in code_lines)
    blocks = _split_at_markers(lines, code_lines, inline_code)
    markers = {block.line for block in blocks if isinstance(block, MarkerLine)}
    paragraphs = tuple(
        paragraph for first, texts in paragraph_lines if (paragraph := _paragraph(first, texts, markers)) is not None
    )
    return ParsedBody(lines=lines, blocks=blocks, headings=tuple(headings), spans=tuple(spans), paragraphs=paragraphs)


_SKIPPED_INLINE = frozenset({"code_inline", "image", "html_inline"})


def _reader_lines(children: list[Any]) -> list[str]:
    """A paragraph's inline tokens as the text a reader reads, one string per source line."""
    found = [""]
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            found.append("")
        elif child.type == "text":
            found[-1] += child.content
        elif child.type not in _SKIPPED_INLINE:
            found[-1] += child.content  # emphasis and link marks have no content
    return found


def _paragraph(first: int, texts: list[str], markers: set[int]) -> Paragraph | None:
    kept = [text for number, text in enumerate(texts, first) if number not in markers]
    text = LOOSE_CITATION.sub("", " ".join(kept))
    text = re.sub(r"\s+([.,;:!?)])", r"\1", re.sub(r"\s+", " ", text)).strip()
    if not text:
        return None
    return Paragraph(first, first + len(texts), text)


def _by_line(spans: Iterable[Span]) -> dict[int, list[Span]]:
    found: dict[int, list[Span]] = {}
    for span in spans:
        found.setdefault(span.line, []).append(span)
    return found


def _is_marker_line(line: str, inline_code: list[Span]) -> bool:
    """A line with ``{{ figure`` outside inline code: a marker, or a bad one to report."""
    return any(
        not any(code.start <= match.start() < code.end for code in inline_code) for match in LOOSE_MARKER.finditer(line)
    )


def _split_at_markers(
    lines: tuple[str, ...], code_lines: set[int], inline_code: dict[int, list[Span]]
) -> tuple[Chunk | MarkerLine, ...]:
    blocks: list[Chunk | MarkerLine] = []
    start = 0

    def close(end: int) -> None:
        text = "\n".join(lines[start:end])
        if text.strip():
            blocks.append(Chunk(start, end, text))

    for number, line in enumerate(lines):
        if number not in code_lines and _is_marker_line(line, inline_code.get(number, [])):
            close(number)
            blocks.append(MarkerLine(number, line))
            start = number + 1
    close(len(lines))
    return tuple(blocks)


def _paragraph_spans(
    lines: tuple[str, ...], first: int, last: int, content: str, consumed: list[InlineSpan]
) -> list[Span]:
    """Map a paragraph's inline content back onto its source lines, span by span.

    The parser hands inline rules the paragraph's text with container markup (list
    markers, ``>``, indentation) cut from the start of each line, so each content line is
    the end of its source line. When that does not hold (tabs expanded into spaces), the
    paragraph gets no prose: leaving a term unlinked is better than corrupting the text.
    """
    content_lines = content.split("\n")
    if len(content_lines) != last - first or last > len(lines):
        return []
    spans: list[Span] = []
    offset = 0
    for number, content_line in zip(range(first, last), content_lines, strict=True):
        source = lines[number]
        stripped = content_line.lstrip()
        lead = len(content_line) - len(stripped)
        tail = source.rstrip() if number == last - 1 else source
        if not tail.endswith(stripped):
            return []
        column = len(tail) - len(stripped) - (offset + lead)  # source column of a content offset
        begin, end = offset + lead, offset + len(content_line)
        cursor = begin
        for note_start, note_stop, kind in sorted(consumed, key=lambda note: (note[0], -note[1])):
            start, stop = max(note_start, cursor), min(note_stop, end)  # a link's inner spans are inside it
            if start >= stop:
                continue
            spans += _prose_and_urls(source, number, cursor + column, start + column)
            spans.append(Span(number, start + column, stop + column, kind))
            cursor = stop
        spans += _prose_and_urls(source, number, cursor + column, end + column)
        offset += len(content_line) + 1
    return spans


_CUT_FROM_PROSE = re.compile(f"(?P<url>{_URL.pattern})|(?P<citation>{LOOSE_CITATION.pattern})")


def _prose_and_urls(source: str, line: int, start: int, end: int) -> list[Span]:
    """Prose columns ``start:end`` of a line, with bare URLs cut out as ``url`` spans and
    citation markers as ``citation`` spans.

    >>> [(s.start, s.end, s.kind) for s in _prose_and_urls("See [@meng-2022].", 0, 0, 17)]
    [(0, 4, 'prose'), (4, 16, 'citation'), (16, 17, 'prose')]
    """
    spans: list[Span] = []
    for match in _CUT_FROM_PROSE.finditer(source, start, end):
        if match.start() > start:
            spans.append(Span(line, start, match.start(), "prose"))
        spans.append(Span(line, match.start(), match.end(), "url" if match["url"] else "citation"))
        start = match.end()
    if end > start:
        spans.append(Span(line, start, end, "prose"))
    return spans


# --- the parser ---------------------------------------------------------------------------
#
# Inline tokens carry no source positions, so each inline rule that makes non-prose is
# wrapped to note the stretch of the paragraph text it consumed, and the core "inline" step
# is replaced by one that keeps those notes per inline token. The notes live in the parse's
# own ``env``, so concurrent parses (one per browser session) never share them.

InlineRule = Callable[[StateInline, bool], bool]


def _recording(rule: InlineRule, kind: SpanKind) -> InlineRule:
    def record(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if not rule(state, silent):
            return False
        notes: list[InlineSpan] | None = state.env.get(_RECORD)
        if not silent and notes is not None:
            notes.append((start, state.pos, kind))
        return True

    return record


def _inline_with_positions(state: StateCore) -> None:
    env: MutableMapping[str, Any] = state.env
    found: dict[int, list[InlineSpan]] = env.setdefault(_RECORD + ".all", {})
    for index, token in enumerate(state.tokens):
        if token.type == "inline":
            notes: list[InlineSpan] = []
            env[_RECORD] = notes
            if token.children is None:
                token.children = []
            state.md.inline.parse(token.content, state.md, env, token.children)
            found[index] = notes
    env.pop(_RECORD, None)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table")
    ruler = md.inline.ruler
    for name, rule in zip(ruler.get_active_rules(), ruler.getRules(""), strict=True):
        if name in _INLINE_KINDS:
            ruler.at(name, _recording(rule, _INLINE_KINDS[name]))
    md.core.ruler.at("inline", _inline_with_positions)
    return md


_MD = _parser()
