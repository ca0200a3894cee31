"""The single markdown parse of a lesson body: blocks, headings and spans mapped onto the source."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from course.content.markdown import Chunk, MarkerLine, Span, parse_body

ROOT = Path(__file__).resolve().parents[2]


def kinds(body: str) -> list[tuple[str, str]]:
    parsed = parse_body(body)
    return [(span.kind, parsed.lines[span.line][span.start : span.end]) for span in parsed.spans]


def test_headings_have_levels_anchors_and_lines_but_not_inside_fences() -> None:
    body = "# Title\n\n## First part ##\n\n```\n## shell comment\n```\n\n~~~\n### tilde\n~~~\n\nSecond\n------\n"
    parsed = parse_body(body)
    assert [(h.level, h.text, h.anchor, h.line, h.end) for h in parsed.headings] == [
        (1, "Title", "title", 0, 1),
        (2, "First part", "first-part", 2, 3),
        (2, "Second", "second", 12, 14),
    ]


def test_blocks_split_at_marker_lines_outside_code() -> None:
    body = "Intro\n{{ figure: a }}\n\n```\n{{ figure: b }}\n```\n    {{ figure: c }}\n\n~~~\n{{ figure: d }}\n~~~\n"
    parsed = parse_body(body)
    assert parsed.blocks == (
        Chunk(0, 1, "Intro"),
        MarkerLine(1, "{{ figure: a }}"),
        Chunk(2, 12, "\n".join(body.split("\n")[2:])),
    )
    assert parsed.marker_lines == {1}


def test_spans_classify_code_of_any_kind() -> None:
    assert kinds("A ``b ` c`` d `e` f") == [
        ("prose", "A "),
        ("code", "``b ` c``"),
        ("prose", " d "),
        ("code", "`e`"),
        ("prose", " f"),
    ]
    assert kinds("~~~\nx\n~~~") == [("code", "~~~"), ("code", "x"), ("code", "~~~")]
    assert kinds("para\n\n    indented") == [("prose", "para"), ("code", "    indented")]


def test_spans_classify_links_urls_html_headings_and_tables() -> None:
    assert kinds("[a](b) ![c](d) <https://e> https://f.g/h <i>j</i> &amp; \\*") == [
        ("link", "[a](b)"),
        ("prose", " "),
        ("link", "![c](d)"),
        ("prose", " "),
        ("autolink", "<https://e>"),
        ("prose", " "),
        ("url", "https://f.g/h"),
        ("prose", " "),
        ("html", "<i>"),
        ("prose", "j"),
        ("html", "</i>"),
        ("prose", " "),
        ("escape", "&amp;"),
        ("prose", " "),
        ("escape", "\\*"),
    ]
    assert kinds("## h\n\n| a |\n|---|\n| b |\n\n<div>\nx\n</div>") == [
        ("heading", "## h"),
        ("table", "| a |"),
        ("table", "|---|"),
        ("table", "| b |"),
        ("html", "<div>"),
        ("html", "x"),
        ("html", "</div>"),
    ]


def test_prose_columns_follow_the_source_inside_lists_and_quotes() -> None:
    body = "1. **Epidermis**, then:\n   - stratum `x`\n     continued\n\n> quoted\nlazy line"
    parsed = parse_body(body)
    assert [(line, parsed.lines[line][start:end]) for line, cols in parsed.prose.items() for start, end in cols] == [
        (0, "**Epidermis**, then:"),
        (1, "stratum "),
        (2, "continued"),
        (4, "quoted"),
        (5, "lazy line"),
    ]


def test_a_multi_line_code_span_is_code_on_each_line() -> None:
    parsed = parse_body("a `b\nc` d")
    assert parsed.spans == (
        Span(0, 0, 2, "prose"),
        Span(0, 2, 4, "code"),
        Span(1, 0, 2, "code"),
        Span(1, 2, 4, "prose"),
    )


def test_the_parse_is_cached_per_text() -> None:
    body = "Some text.\n\n## A heading\n"
    assert parse_body(body) is parse_body("".join(body))


def test_importing_the_parser_stays_light() -> None:
    code = (
        "import sys, course.content.markdown\n"
        "print(sorted(m for m in ('pandas', 'pyarrow', 'plotly', 'streamlit') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
