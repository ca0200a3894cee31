"""The tutors' lesson editor: open, validate, save atomically, keep history, restore.

Why it is built this way:

* **File names never come from user input.** A lesson is addressed by its id, which must
  match :data:`course.content.models.SLUG_PATTERN`; an existing lesson's file is found among
  :func:`course.content.lessons.lesson_files`, a new one is named ``NN-<id>.md`` from the
  validated front matter. ``../../etc/passwd`` is refused before any path is built.
* **Validate before writing.** Saving runs :func:`course.content.lessons.parse_lesson`, the same
  validator as ``python -m course check``, so nothing the course cannot show reaches disk.
* **Atomic and never lossy.** The new text goes to a hidden temporary file in the lessons
  folder, is fsync'd and ``os.replace``'d over the lesson; the version it replaces is first
  copied to ``<lessons>/.history/<lesson-id>/<UTC time>--<tutor>.md``. The history sits
  beside the lessons it belongs to (a staging copy of the folder has its own), and its
  name starts with a dot, so the loader ignores it.
* **No silent overwrite.** The editor remembers a :class:`Snapshot` (size and SHA-256) of
  the file when the tutor opened it; under a cross-process lock the save compares it with
  the file on disk, so of two tutors saving at once one wins and the other is told.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock

from course.content.bibliography import current_references, lesson_citation_problems, read_references
from course.content.lessons import MAX_LESSON_BYTES, lesson_files, lesson_id_of, lesson_order_of, parse_lesson
from course.content.models import SLUG_PATTERN, Lesson
from course.content.problems import ContentError, Problem
from course.errors import MesoError
from course.ids import LOGIN_PATTERN

HISTORY_DIR = ".history"
LOCK_NAME = ".editor.lock"
LOCK_TIMEOUT_S = 10.0
STAMP_FORMAT = "%Y%m%dT%H%M%S.%fZ"
_SLUG = re.compile(SLUG_PATTERN)
_VERSION_NAME = re.compile(r"^(?P<stamp>\d{8}T\d{6}\.\d{6}Z)--(?P<author>[a-z0-9][a-z0-9._-]{2,31})\.md$")
_ID_LINE = re.compile(r"^id\s*:")


class EditorError(MesoError):
    """A save or restore that must be refused; the message is written for the tutor."""


class UnsafeLessonId(EditorError):
    """The lesson id is not a slug, so it must never become part of a file name."""


class LessonTooLarge(EditorError):
    """The text exceeds :data:`course.content.lessons.MAX_LESSON_BYTES`."""


class InvalidLesson(EditorError):
    """The text fails validation; ``problems`` name the lines to fix."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem_text(p) for p in problems))
        self.problems = problems


class StaleSave(EditorError):
    """The file changed on disk since the tutor opened it (another tutor, a git pull)."""


def problem_text(problem: Problem) -> str:
    """A problem as the editor shows it: the line in the text area, then the message."""
    return problem.message if problem.line is None else f"line {problem.line}: {problem.message}"


def check_lesson_id(lesson_id: object) -> str:
    """Return ``lesson_id`` if it is a slug; raise :class:`UnsafeLessonId` otherwise.

    >>> check_lesson_id("skin-anatomy")
    'skin-anatomy'
    """
    if not isinstance(lesson_id, str) or len(lesson_id) > 60 or not _SLUG.match(lesson_id):
        raise UnsafeLessonId(
            "A lesson id uses only lowercase letters, digits and single hyphens (for example 'skin-anatomy')."
        )
    return lesson_id


def _check_author(author: str) -> str:
    if not LOGIN_PATTERN.match(author):
        raise EditorError("Only a signed-in tutor account can save lessons.")
    return author


def normalise(text: str) -> str:
    """LF line ends and one final newline: what a browser text area sends varies."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") else text + "\n"


@dataclass(frozen=True)
class Snapshot:
    """What the file held when the tutor opened it: enough to detect any later change."""

    size: int
    sha256: str

    @classmethod
    def of_bytes(cls, raw: bytes) -> Snapshot:
        return cls(len(raw), hashlib.sha256(raw).hexdigest())

    @classmethod
    def of_file(cls, path: Path) -> Snapshot | None:
        """The file's snapshot, or None when it does not exist."""
        try:
            return cls.of_bytes(path.read_bytes())
        except FileNotFoundError:
            return None


@dataclass(frozen=True)
class OpenedLesson:
    """The text a tutor starts editing, and the snapshot a save is checked against.

    ``snapshot`` is None for a new lesson: its save is refused if the file appears meanwhile.
    """

    lesson_id: str
    file_name: str
    text: str
    snapshot: Snapshot | None

    @property
    def is_new(self) -> bool:
        return self.snapshot is None


@dataclass(frozen=True)
class Version:
    """A past version in the history: when it was replaced, and by which tutor."""

    name: str
    replaced_at: datetime
    replaced_by: str

    @property
    def label(self) -> str:
        return f"{self.replaced_at:%Y-%m-%d %H:%M:%S} UTC, replaced by {self.replaced_by}"


@dataclass(frozen=True)
class SaveResult:
    lesson: Lesson
    snapshot: Snapshot
    archived: Version | None


@dataclass(frozen=True)
class LessonEditor:
    """Editing operations over one lessons folder (``lessons/`` or a staging copy)."""

    folder: Path

    # --- finding lessons --------------------------------------------------------------

    def lesson_files(self) -> dict[str, Path]:
        """Lesson id (from the file name) -> file, for every lesson file, valid or not.

        Broken lessons are listed too: the editor is where a tutor fixes them.
        """
        found: dict[str, Path] = {}
        for path in lesson_files(self.folder):
            lesson_id = lesson_id_of(path)
            if lesson_id is not None and lesson_id not in found:
                found[lesson_id] = path
        return found

    def path_for(self, lesson_id: str) -> Path | None:
        return self.lesson_files().get(check_lesson_id(lesson_id))

    def open(self, lesson_id: str) -> OpenedLesson:
        """Read a lesson for editing (undecodable bytes are replaced, never saved unseen)."""
        path = self.path_for(lesson_id)
        if path is None:
            raise EditorError(f"There is no lesson '{lesson_id}' any more: it was renamed or removed.")
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
        return OpenedLesson(lesson_id, path.name, text, Snapshot.of_bytes(raw))

    def new(self, lesson_id: str, title: str) -> OpenedLesson:
        """A valid template for a new lesson, ordered after the existing ones."""
        check_lesson_id(lesson_id)
        if lesson_id in self.lesson_files():
            raise EditorError(f"A lesson with the id '{lesson_id}' already exists: open it instead.")
        order = 1 + max((lesson_order_of(p) for p in self.lesson_files().values()), default=0)
        first_key = next(iter(read_references(self.folder).entries), "your-reference-key")
        text = template(lesson_id, title, order, first_key)
        return OpenedLesson(lesson_id, f"{order:02d}-{lesson_id}.md", text, None)

    # --- validating and saving ----------------------------------------------------------

    def validate(self, lesson_id: str, text: str) -> Lesson:
        """Validate unsaved text exactly as the loader would; raise an :class:`EditorError`."""
        check_lesson_id(lesson_id)
        text = normalise(text)
        size = len(text.encode("utf-8"))
        if size > MAX_LESSON_BYTES:
            raise LessonTooLarge(
                f"This text is {size / 1024 / 1024:.1f} MB; a lesson may hold at most "
                f"{MAX_LESSON_BYTES // 1024} KiB. Nothing was saved: split it into several lessons."
            )
        path = self.path_for(lesson_id) or self.folder / f"{lesson_id}.md"
        try:
            lesson = parse_lesson(text, path)
        except ContentError as exc:
            raise InvalidLesson(exc.problems) from exc
        bibliography = current_references(self.folder)  # cached per file version: the preview validates every rerun
        if bibliography.entries:  # a broken references file is reported by check, not by every save
            unknown = [p for p in lesson_citation_problems(lesson, bibliography) if p.severity == "error"]
            if unknown:
                raise InvalidLesson(unknown)
        if lesson.id != lesson_id:
            line = next((n for n, ln in enumerate(text.split("\n"), 1) if _ID_LINE.match(ln)), None)
            raise InvalidLesson(
                [
                    Problem(
                        path,
                        line,
                        f"the id must stay '{lesson_id}': it is the lesson's address and results point at it "
                        "(create a new lesson to use another id)",
                    )
                ]
            )
        return lesson

    def save(self, lesson_id: str, text: str, author: str, base: Snapshot | None) -> SaveResult:
        """Validate, then atomically replace the lesson, archiving the version it replaces.

        ``base`` is the snapshot taken when the tutor opened the lesson (None for a new one).
        """
        _check_author(author)
        lesson = self.validate(lesson_id, text)
        text = normalise(text)
        payload = text.encode("utf-8")
        with self._lock():
            path = self.path_for(lesson_id)
            if base is None:
                if path is not None:
                    raise StaleSave(
                        f"Another tutor has just created a lesson '{lesson_id}'. Your text is still in the editor: "
                        "copy it, then open that lesson."
                    )
                path = self.folder / f"{lesson.meta.order:02d}-{lesson_id}.md"
            current = Snapshot.of_file(path) if path is not None else None
            if path is None or current != base:
                raise StaleSave(
                    "This lesson was changed on disk after you opened it (by another tutor or an update), so your "
                    "save was refused to avoid overwriting that change. Your text is still in the editor: copy it, "
                    "reopen the lesson, and apply your edit again."
                )
            archived = self._archive(lesson_id, path, author) if base is not None else None
            atomic_write(path, payload)
        lesson = parse_lesson(text, path, path.stat().st_mtime_ns)
        return SaveResult(lesson, Snapshot.of_bytes(payload), archived)

    # --- history ------------------------------------------------------------------------

    def history_dir(self, lesson_id: str) -> Path:
        return self.folder / HISTORY_DIR / check_lesson_id(lesson_id)

    def history(self, lesson_id: str) -> list[Version]:
        """Past versions of a lesson, newest first."""
        folder = self.history_dir(lesson_id)
        if not folder.is_dir():
            return []
        versions = [_version(p.name) for p in folder.iterdir()]
        return sorted((v for v in versions if v is not None), key=lambda v: v.name, reverse=True)

    def version_text(self, lesson_id: str, name: str) -> str:
        """The text of one past version; ``name`` must be one that :meth:`history` lists."""
        if _version(name) is None or name not in {v.name for v in self.history(lesson_id)}:
            raise EditorError("That version is not in this lesson's history.")
        return (self.history_dir(lesson_id) / name).read_text(encoding="utf-8")

    def restore(self, lesson_id: str, name: str, author: str, base: Snapshot | None) -> SaveResult:
        """Make a past version current again; the version it replaces joins the history."""
        return self.save(lesson_id, self.version_text(lesson_id, name), author, base)

    def _archive(self, lesson_id: str, path: Path, author: str) -> Version:
        folder = self.history_dir(lesson_id)
        folder.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC)
        while True:
            name = f"{now.strftime(STAMP_FORMAT)}--{author}.md"
            if not (folder / name).exists():
                break
            now = now.replace(microsecond=(now.microsecond + 1) % 1_000_000)
        atomic_write(folder / name, path.read_bytes())
        version = _version(name)
        assert version is not None  # built from the pattern it is parsed with
        return version

    def _lock(self) -> FileLock:
        lock_dir = self.folder / HISTORY_DIR
        lock_dir.mkdir(parents=True, exist_ok=True)
        return FileLock(str(lock_dir / LOCK_NAME), timeout=LOCK_TIMEOUT_S)


def _version(name: str) -> Version | None:
    match = _VERSION_NAME.match(name)
    if match is None:
        return None
    stamp = datetime.strptime(match["stamp"], STAMP_FORMAT).replace(tzinfo=UTC)
    return Version(name, stamp, match["author"])


def atomic_write(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` so that readers see the old or the new file, never half.

    The temporary file is hidden (leading dot, ``.tmp``) so the lesson loader skips it.
    """
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False)  # noqa: SIM115
    try:
        with handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def diff_text(old: str, new: str, old_label: str, new_label: str) -> str:
    """A unified diff (``-`` old, ``+`` new), empty when the texts are the same."""
    return "".join(
        difflib.unified_diff(
            normalise(old).splitlines(keepends=True),
            normalise(new).splitlines(keepends=True),
            fromfile=old_label,
            tofile=new_label,
        )
    )


def template(lesson_id: str, title: str, order: int, source_key: str = "your-reference-key") -> str:
    """A minimal valid lesson for the tutor to fill in; ``source_key`` is a key of the
    references file, so the new lesson cites a work that exists."""
    title = " ".join(title.split()) or lesson_id.replace("-", " ").capitalize()
    quoted = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return (
        "---\n"
        f"id: {lesson_id}\n"
        f"title: {quoted}\n"
        f"order: {order}\n"
        "duration_min: 10\n"
        "summary: One sentence that says what the learner will get from this lesson.\n"
        "objectives:\n"
        "  - id: first-objective\n"
        "    text: What the learner will be able to do after this lesson.\n"
        "sources:  # keys of lessons/references.yaml; cite them in the text as [@key]\n"
        f"  - {source_key}\n"
        "---\n"
        "Write the lesson here, in markdown.\n\n"
        "## A first section\n\n"
        "Every number you give must come from the course's fact sheet, with its source.\n"
    )
