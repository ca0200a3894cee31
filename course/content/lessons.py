"""Load, validate and order the lessons in ``lessons/*.md``.

A lesson file is YAML front matter between two ``---`` lines, then a markdown body that
may hold figure markers. Every problem is collected with its file and line; a broken file
is reported (and gets an explanatory page) while the other lessons load normally.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path

from course.content import figure_specs  # noqa: F401  (registers the figures lessons may embed)
from course.content.markdown import Chunk, parse_body
from course.content.markers import parse_marker
from course.content.models import Block, Catalog, Lesson, LessonMeta
from course.content.problems import ContentError, Problem
from course.content.yamlsource import YamlSyntaxError, parse_yaml, validate_model
from course.paths import Signature, content_files, folder_signature, lessons_dir

MAX_LESSON_BYTES = 512 * 1024
GLOSSARY_FILE = "glossary.yaml"
REFERENCES_FILE = "references.yaml"
FENCE = "---"
DISCLAIMER = (
    "For education only. This course teaches the principles of mesotherapy; it does not "
    "certify anyone to inject, and it is no substitute for supervised clinical training, "
    "your local regulations, or a product's own instructions."
)


def decode(raw: bytes, path: Path) -> str:
    """Decode UTF-8 (a BOM is dropped; CRLF becomes LF) or name the line that is not UTF-8."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError([Problem(path, line, "file is not valid UTF-8 text")]) from exc
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ContentError([Problem(path, line, "file looks binary (it holds a NUL byte)")])
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_content(path: Path) -> str:
    """A content file's text (see :func:`decode`); a vanished, unreadable or undecodable file
    raises :class:`ContentError` naming it, so a loader reports a problem instead of crashing."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise ContentError([Problem(path, None, "file has disappeared (moved or deleted?)")]) from exc
    except OSError as exc:
        raise ContentError([Problem(path, None, f"cannot read file: {exc.strerror}")]) from exc
    return decode(raw, path)


@dataclass(frozen=True)
class Split:
    """Front matter text and body text, with the file line where the body starts."""

    front: str
    body: str
    body_line: int


def split_front_matter(text: str, path: Path) -> Split:
    """Split ``---`` YAML ``---`` from the markdown body."""
    if not text.strip():
        raise ContentError([Problem(path, 1, "file is empty: a lesson needs front matter and a body")])
    lines = text.split("\n")
    if lines[0].strip() != FENCE:
        raise ContentError([Problem(path, 1, "missing front matter: the file must start with a '---' line")])
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            return Split("\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2)
    raise ContentError([Problem(path, 1, "front matter is not closed: add a '---' line after the YAML")])


def split_blocks(body: str, first_line: int, path: Path) -> tuple[tuple[Block, ...], list[Problem]]:
    """Cut the body into markdown chunks, figure and self-check markers; report bad markers by line.

    The markdown parse decides which lines can be markers: a ``{{ figure`` line inside a
    code block, or written as inline code, is an example of a marker, not one.

    >>> blocks, problems = split_blocks("Text\\n\\n{{ figure: depth-geometry }}\\n\\nMore", 12, Path("01-x.md"))
    >>> blocks
    ('Text\\n', FigureRef(name='depth-geometry', params=(), line=14), '\\nMore')
    >>> split_blocks("{{ figure: nope }}", 12, Path("01-x.md"))[1][0].line
    12
    """
    blocks: list[Block] = []
    problems: list[Problem] = []
    for block in parse_body(body).blocks:
        if isinstance(block, Chunk):
            blocks.append(block.text)
            continue
        parsed = parse_marker(block.text, first_line + block.line)
        if isinstance(parsed, str):
            problems.append(Problem(path, first_line + block.line, parsed))
        elif parsed is not None:
            blocks.append(parsed)
    return tuple(blocks), problems


def parse_lesson(text: str, path: Path, mtime_ns: int = 0) -> Lesson:
    """Validate one lesson's text; raise :class:`ContentError` listing every problem.

    The tutor editor calls this on unsaved text, so the same rules apply before a save as
    in ``check``.
    """
    if len(text.encode("utf-8")) > MAX_LESSON_BYTES:
        raise ContentError([Problem(path, None, f"file is larger than {MAX_LESSON_BYTES // 1024} KiB")])
    split = split_front_matter(text, path)
    try:
        data, lines = parse_yaml(split.front, path, first_line=2)
    except YamlSyntaxError as exc:
        raise ContentError([exc.problem]) from exc
    if not isinstance(data, dict):
        raise ContentError([Problem(path, 2, "front matter must be a YAML mapping (key: value lines)")])
    meta, problems = validate_model(LessonMeta, data, path, lines)
    blocks, marker_problems = split_blocks(split.body, split.body_line, path)
    problems += marker_problems
    if not split.body.strip():
        problems.append(Problem(path, split.body_line, "the lesson body is empty"))
    if meta is not None and path.suffix == ".md" and lesson_id_of(path) != meta.id:
        problems.append(
            Problem(path, lines.get(("id",)), f"id '{meta.id}' does not match the file name (expected NN-{meta.id}.md)")
        )
    if problems or meta is None:
        raise ContentError(problems)
    source_lines = tuple(lines.get(("sources", index)) for index in range(len(meta.sources)))
    return Lesson(
        meta=meta,
        path=path,
        body=split.body,
        blocks=blocks,
        mtime_ns=mtime_ns,
        body_line=split.body_line,
        source_lines=source_lines,
    )


def load_lesson(path: Path) -> Lesson:
    """Read and validate one lesson file (see :func:`parse_lesson`)."""
    try:
        raw = path.read_bytes()
        mtime_ns = path.stat().st_mtime_ns
    except FileNotFoundError as exc:
        raise ContentError([Problem(path, None, "file has disappeared (moved or deleted?)")]) from exc
    except OSError as exc:
        raise ContentError([Problem(path, None, f"cannot read file: {exc.strerror}")]) from exc
    return parse_lesson(decode(raw, path), path, mtime_ns)


_LESSON_STEM = re.compile(r"^(?:(?P<order>\d+)-)?(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)$")


def lesson_id_of(path: Path) -> str | None:
    """The lesson id a file name gives (``NN-<id>.md`` or ``<id>.md``), or None if it gives none.

    The one rule every part of the course uses (loading, the editor, the bank checks, the
    pages of broken files), so a file's id is the same everywhere:

    >>> lesson_id_of(Path("lessons/01-xbar.md")), lesson_id_of(Path("glossary.md")), lesson_id_of(Path("Notes 1.md"))
    ('xbar', 'glossary', None)
    """
    match = _LESSON_STEM.match(path.stem)
    return match["id"] if match else None


def lesson_order_of(path: Path) -> int:
    """The ``NN`` prefix of a lesson file name (0 without one).

    >>> lesson_order_of(Path("05-techniques.md")), lesson_order_of(Path("techniques.md"))
    (5, 0)
    """
    match = _LESSON_STEM.match(path.stem)
    return int(match["order"]) if match and match["order"] else 0


def lesson_files(folder: Path | None = None) -> list[Path]:
    """Lesson files in name order; editors' temporary and hidden files are ignored."""
    folder = folder or lessons_dir()
    return content_files(folder, ".md")


def load_catalog(folder: Path | None = None) -> Catalog:
    """Load every lesson; order them by ``order`` then ``id``; keep the broken apart.

    A duplicate ``id`` is a problem of the later file (by name), which is left out, so
    stable URLs keep pointing at the lesson they always did.
    """
    folder = folder or lessons_dir()
    loaded: list[Lesson] = []
    broken: dict[Path, tuple[Problem, ...]] = {}
    seen: dict[str, Path] = {}
    for path in lesson_files(folder):
        try:
            lesson = load_lesson(path)
        except ContentError as exc:
            broken[path] = tuple(exc.problems)
            continue
        if lesson.id in seen:
            broken[path] = (Problem(path, 2, f"duplicate id '{lesson.id}' (already used by {seen[lesson.id].name})"),)
            continue
        seen[lesson.id] = path
        loaded.append(lesson)
    loaded.sort(key=lambda lesson: (lesson.meta.order, lesson.id))
    return Catalog(lessons=tuple(loaded), broken=broken)


def catalog_signature(folder: Path | None = None) -> Signature:
    """Names, sizes and mtimes of the lesson files, the glossary and the references: a cheap
    cache key that changes on edit."""
    return folder_signature(folder or lessons_dir(), ".md", also=(GLOSSARY_FILE, REFERENCES_FILE))


@functools.lru_cache(maxsize=8)
def _catalog_version(folder: str, signature: Signature) -> Catalog:
    return load_catalog(Path(folder))


def current_catalog(folder: Path | None = None) -> Catalog:
    """The lessons as the files are now, loaded again only when one of them changes.

    Every page rerun asks for it (navigation, sidebar, the page), so a call that finds the
    files unchanged costs one directory scan and a dictionary lookup. A tutor's saved edit
    changes the signature, so learners see it on their next rerun without a restart.
    """
    folder = folder or lessons_dir()
    return _catalog_version(str(folder), catalog_signature(folder))


# --- sections ---------------------------------------------------------------------------


def lesson_sections(lesson: Lesson) -> dict[str, tuple[str, str]]:
    """Map each ``##``/``###`` heading's anchor to (heading text, the section's markdown).

    Quiz reviews link to a section by anchor; the lesson page uses this to show the
    section a learner came to revise. A section runs to the next ``##``/``###`` heading;
    figure marker lines are left out, and a heading-like line inside code is just code.
    """
    parsed = parse_body(lesson.body)
    headings = [heading for heading in parsed.headings if heading.level in (2, 3)]
    sections: dict[str, tuple[str, str]] = {}
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        end = len(parsed.lines) if following is None else following.line
        lines = [parsed.lines[n] for n in range(heading.end, end) if n not in parsed.marker_lines]
        sections[heading.anchor] = (heading.text, "\n".join(lines).strip())
    return sections


# --- key points -------------------------------------------------------------------------

KEY_POINTS_ANCHOR = "key-points"
"""The anchor of the ``## Key points`` section every lesson ends with."""


@dataclass(frozen=True)
class KeyPoints:
    """A lesson's ``## Key points`` section, lifted out of the body for the box near the top.

    ``markdown`` is the section's own source (its list, as written); ``rest`` is the lesson
    with that section cut out of its body and blocks, so the page does not show it twice.
    """

    heading: str
    markdown: str
    rest: Lesson


@functools.lru_cache(maxsize=64)
def key_points(lesson: Lesson) -> KeyPoints | None:
    """The lesson's ``## Key points`` section and the lesson without it, or None when it has
    none (or the section holds a figure or self-check marker, which a box cannot show).

    The section runs from its heading to the next heading of level 2 or above, or the end.

    >>> from course.content.models import LessonMeta
    >>> body = "Intro.\\n\\n## Key points\\n\\n- One.\\n- Two.\\n"
    >>> meta = LessonMeta(id="x", title="X", order=1, objectives=[{"id": "o", "text": "O"}],
    ...                   duration_min=5, sources=["meng-2022"])
    >>> blocks, _ = split_blocks(body, 1, Path("01-x.md"))
    >>> points = key_points(Lesson(meta=meta, path=Path("01-x.md"), body=body, blocks=blocks))
    >>> points.markdown, points.rest.blocks
    ('- One.\\n- Two.', ('Intro.\\n\\n\\n\\n\\n\\n',))
    """
    parsed = parse_body(lesson.body)
    headings = list(parsed.headings)
    found = next((h for h in headings if h.level == 2 and h.anchor == KEY_POINTS_ANCHOR), None)
    if found is None:
        return None
    end = next((h.line for h in headings if h.line > found.line and h.level <= 2), len(parsed.lines))
    if any(found.line <= line < end for line in parsed.marker_lines):
        return None
    markdown = "\n".join(parsed.lines[found.end : end]).strip()
    if not markdown:
        return None
    # blank lines in place of the section, so every marker after it keeps its file line
    body = "\n".join([*parsed.lines[: found.line], *[""] * (end - found.line), *parsed.lines[end:]])
    blocks, _ = split_blocks(body, lesson.body_line, lesson.path)
    return KeyPoints(heading=found.text, markdown=markdown, rest=replace(lesson, body=body, blocks=blocks))
