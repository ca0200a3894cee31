"""The lesson editor's rules: validate first, atomic save, history, restore, no overwrite."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from course.content import editor as editor_module
from course.content.editor import (
    HISTORY_DIR,
    EditorError,
    InvalidLesson,
    LessonEditor,
    LessonTooLarge,
    StaleSave,
    UnsafeLessonId,
    diff_text,
)
from course.content.lessons import MAX_LESSON_BYTES, lesson_order_of, load_catalog

ROOT = Path(__file__).resolve().parents[2]
LESSON = "what-is-mesotherapy"
FILE = "01-what-is-mesotherapy.md"
TITLE_LINE = "title: What mesotherapy is"


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    folder = tmp_path / "lessons"
    shutil.copytree(ROOT / "lessons", folder)
    return folder


@pytest.fixture
def editor(lessons: Path) -> LessonEditor:
    return LessonEditor(lessons)


def retitled(text: str, title: str) -> str:
    assert TITLE_LINE in text
    return text.replace(TITLE_LINE, f"title: {title}")


def test_save_replaces_the_file_and_archives_the_previous_version(editor: LessonEditor, lessons: Path) -> None:
    opened = editor.open(LESSON)
    original = (lessons / FILE).read_bytes()
    result = editor.save(LESSON, retitled(opened.text, "Mesotherapy, defined"), "tina", opened.snapshot)
    assert result.lesson.title == "Mesotherapy, defined"
    assert "title: Mesotherapy, defined" in (lessons / FILE).read_text(encoding="utf-8")
    versions = editor.history(LESSON)
    assert [v.replaced_by for v in versions] == ["tina"]
    assert result.archived == versions[0]
    assert (lessons / HISTORY_DIR / LESSON / versions[0].name).read_bytes() == original
    # the history and the lock never become lessons
    catalog = load_catalog(lessons)
    assert sorted(lesson.id for lesson in catalog.lessons) == sorted(
        lesson.id for lesson in load_catalog(ROOT / "lessons").lessons
    )
    assert not catalog.broken
    assert not [p for p in lessons.iterdir() if p.name.endswith(".tmp")]


def test_restore_is_a_new_version_and_diff_shows_the_change(editor: LessonEditor, lessons: Path) -> None:
    opened = editor.open(LESSON)
    first = editor.save(LESSON, retitled(opened.text, "Second title"), "tina", opened.snapshot)
    old = editor.history(LESSON)[0]
    diff = diff_text(editor.version_text(LESSON, old.name), editor.open(LESSON).text, "old", "current")
    assert f"-{TITLE_LINE}\n" in diff and "+title: Second title\n" in diff
    restored = editor.restore(LESSON, old.name, "omar", first.snapshot)
    assert restored.lesson.title == "What mesotherapy is"
    assert (lessons / FILE).read_text(encoding="utf-8") == opened.text
    versions = editor.history(LESSON)
    assert len(versions) == 2 and versions[0].replaced_by == "omar"
    assert "title: Second title" in editor.version_text(LESSON, versions[0].name)
    assert diff_text("a\n", "a\n", "x", "y") == ""


def test_stale_save_is_refused_and_disk_keeps_the_other_change(editor: LessonEditor, lessons: Path) -> None:
    opened = editor.open(LESSON)
    other = retitled(opened.text, "Changed by a git pull")
    (lessons / FILE).write_text(other, encoding="utf-8")
    with pytest.raises(StaleSave, match="changed on disk"):
        editor.save(LESSON, retitled(opened.text, "Mine"), "tina", opened.snapshot)
    assert (lessons / FILE).read_text(encoding="utf-8") == other
    assert editor.history(LESSON) == []


def test_two_tutors_saving_at_once_one_wins_the_other_is_told(editor: LessonEditor, lessons: Path) -> None:
    opened = editor.open(LESSON)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def save(author: str) -> None:
        barrier.wait()
        try:
            editor.save(LESSON, retitled(opened.text, f"Title by {author}"), author, opened.snapshot)
            outcomes[author] = "saved"
        except StaleSave:
            outcomes[author] = "stale"

    threads = [threading.Thread(target=save, args=(a,)) for a in ("tina", "omar")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["saved", "stale"]
    winner = next(a for a, o in outcomes.items() if o == "saved")
    assert f"title: Title by {winner}" in (lessons / FILE).read_text(encoding="utf-8")
    # the original is in the history: nothing was lost
    assert editor.version_text(LESSON, editor.history(LESSON)[0].name) == opened.text


@pytest.mark.parametrize("bad_id", ["../../etc/passwd", "..", "a/b", "UPPER", "x" * 61, "", "a--b", "-a"])
def test_unsafe_lesson_ids_are_refused_before_any_path_is_built(editor: LessonEditor, bad_id: str) -> None:
    with pytest.raises(UnsafeLessonId):
        editor.open(bad_id)
    with pytest.raises(UnsafeLessonId):
        editor.save(bad_id, "---\n---\n", "tina", None)
    with pytest.raises(UnsafeLessonId):
        editor.history(bad_id)
    with pytest.raises(UnsafeLessonId):
        editor.new(bad_id, "Title")


def test_history_names_from_outside_the_list_are_refused(editor: LessonEditor) -> None:
    opened = editor.open(LESSON)
    editor.save(LESSON, retitled(opened.text, "Another"), "tina", opened.snapshot)
    for name in ["../../../etc/passwd", "../01-what-is-mesotherapy.md", "20990101T000000.000000Z--tina.md"]:
        with pytest.raises(EditorError):
            editor.version_text(LESSON, name)


def test_a_5_mb_paste_is_refused_and_nothing_changes(editor: LessonEditor, lessons: Path) -> None:
    opened = editor.open(LESSON)
    before = (lessons / FILE).read_bytes()
    huge = opened.text + "x" * (5 * 1024 * 1024)
    with pytest.raises(LessonTooLarge, match=f"at most {MAX_LESSON_BYTES // 1024} KiB"):
        editor.save(LESSON, huge, "tina", opened.snapshot)
    assert (lessons / FILE).read_bytes() == before
    assert editor.history(LESSON) == []


def test_broken_yaml_is_refused_with_its_line_and_disk_is_unchanged(editor: LessonEditor, lessons: Path) -> None:
    opened = editor.open(LESSON)
    before = sorted((p.name, p.read_bytes()) for p in lessons.rglob("*") if p.is_file())
    broken = opened.text.replace(TITLE_LINE, "title: [unclosed")
    with pytest.raises(InvalidLesson) as caught:
        editor.save(LESSON, broken, "tina", opened.snapshot)
    line = next(n for n, text in enumerate(broken.split("\n"), 1) if text.startswith("title:"))
    assert any(p.line in (line, line + 1) and "invalid YAML" in p.message for p in caught.value.problems)
    assert sorted((p.name, p.read_bytes()) for p in lessons.rglob("*") if p.is_file()) == before


def test_changing_the_id_is_refused_with_the_id_line(editor: LessonEditor) -> None:
    opened = editor.open("history")
    text = opened.text.replace("id: history\n", "id: story\n", 1)
    with pytest.raises(InvalidLesson) as caught:
        editor.save("history", text, "tina", opened.snapshot)
    assert caught.value.problems[0].line == 2


def test_a_failed_write_leaves_the_lesson_and_no_temp_file(
    editor: LessonEditor, lessons: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = editor.open(LESSON)
    before = (lessons / FILE).read_bytes()

    def no_space(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(editor_module.os, "fsync", no_space)
    with pytest.raises(OSError, match="No space"):
        editor.save(LESSON, retitled(opened.text, "Never written"), "tina", opened.snapshot)
    assert (lessons / FILE).read_bytes() == before
    assert not [p for p in lessons.iterdir() if p.name.endswith(".tmp")]


def test_a_new_lesson_from_the_template_is_valid_and_named_from_its_id(editor: LessonEditor, lessons: Path) -> None:
    last = max(lesson_order_of(path) for path in editor.lesson_files().values())
    opened = editor.new("aftercare", 'Aftercare "basics"')
    assert opened.is_new and opened.file_name == f"{last + 1:02d}-aftercare.md"
    result = editor.save("aftercare", opened.text, "tina", None)
    assert result.lesson.title == 'Aftercare "basics"' and result.archived is None
    assert (lessons / opened.file_name).is_file()
    assert "aftercare" in {lesson.id for lesson in load_catalog(lessons).lessons}
    with pytest.raises(EditorError, match="already exists"):
        editor.new("aftercare", "Again")
    with pytest.raises(StaleSave, match="just created"):
        editor.save("aftercare", opened.text, "omar", None)


def test_a_broken_lesson_can_be_opened_and_fixed(editor: LessonEditor, lessons: Path) -> None:
    good = (lessons / FILE).read_text(encoding="utf-8")
    (lessons / FILE).write_text(good.replace(TITLE_LINE, "title: [broken"), encoding="utf-8")
    assert LESSON not in {lesson.id for lesson in load_catalog(lessons).lessons}
    opened = editor.open(LESSON)
    editor.save(LESSON, good, "tina", opened.snapshot)
    assert LESSON in {lesson.id for lesson in load_catalog(lessons).lessons}


def test_only_tutor_logins_can_author(editor: LessonEditor) -> None:
    opened = editor.open(LESSON)
    with pytest.raises(EditorError, match="tutor"):
        editor.save(LESSON, opened.text, "../evil", opened.snapshot)


def test_saves_are_fsynced_and_replaced_atomically(
    editor: LessonEditor, lessons: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(editor_module.os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(
        editor_module.os, "replace", lambda a, b: (calls.append(f"replace:{Path(b).name}"), real_replace(a, b))[1]
    )
    opened = editor.open(LESSON)
    editor.save(LESSON, retitled(opened.text, "Synced"), "tina", opened.snapshot)
    assert calls.index(f"replace:{FILE}") > calls.index("fsync")
    assert calls[-1] == "fsync"  # the folder entry, after the replace
