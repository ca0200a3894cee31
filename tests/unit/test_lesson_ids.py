"""One rule gives a lesson file its id, and loading, the editor and the bank checks all follow it."""

from __future__ import annotations

from pathlib import Path

from course.content.editor import LessonEditor
from course.content.lessons import lesson_id_of, load_catalog
from course.quiz.banks import BankContext

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "lessons" / "01-valid.md"


def _lesson(folder: Path, name: str, lesson_id: str) -> Path:
    """A copy of the valid fixture lesson under ``name``, its front matter saying ``id: lesson_id``."""
    path = folder / name
    path.write_text(FIXTURE.read_text(encoding="utf-8").replace("id: valid", f"id: {lesson_id}", 1), encoding="utf-8")
    return path


def test_a_suffix_of_the_file_name_is_not_its_id(tmp_path: Path) -> None:
    """``01-xbar.md`` saying ``id: bar`` used to load as ``bar`` while the editor looked for ``xbar``."""
    path = _lesson(tmp_path, "01-xbar.md", "bar")
    catalog = load_catalog(tmp_path)
    assert [lesson.id for lesson in catalog.lessons] == []
    assert path in catalog.broken
    assert any("does not match the file name" in str(p) for p in catalog.broken[path])


def test_the_editor_and_the_loader_agree_on_the_id(tmp_path: Path) -> None:
    path = _lesson(tmp_path, "01-xbar.md", "xbar")
    assert [lesson.id for lesson in load_catalog(tmp_path).lessons] == ["xbar"]
    assert LessonEditor(tmp_path).lesson_files() == {"xbar": path}
    assert lesson_id_of(path) == "xbar"


def test_a_broken_lessons_id_comes_from_the_same_rule(tmp_path: Path) -> None:
    (tmp_path / "02-broken-one.md").write_text("no front matter", encoding="utf-8")
    context = BankContext.from_catalog(load_catalog(tmp_path))
    assert context.broken_lessons == frozenset({"broken-one"})
