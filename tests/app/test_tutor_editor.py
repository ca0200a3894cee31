"""AppTest of the tutor area's access rules and the lesson editor page.

Every test edits a COPY of the lessons (``content_dirs`` sets MESO_LESSONS_DIR).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from course.content.editor import HISTORY_DIR

EDITOR = "views/pages/tutor_editor.py"
RESULTS = "views/pages/tutor_results.py"
LESSON = "what-is-mesotherapy"
FILE = "01-what-is-mesotherapy.md"
TITLE_LINE = "title: What mesotherapy is"


def snapshot(folder: Path) -> list[tuple[str, bytes]]:
    return sorted((str(p.relative_to(folder)), p.read_bytes()) for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def tutor(make_account, content_dirs) -> str:
    make_account("tina", tutor=True, name="Tina Tutor")
    return "tina"


def open_editor(app_test, user: str | None):
    at = app_test(user).run()
    return at.switch_page(EDITOR).run()


@pytest.mark.parametrize("page", [EDITOR, RESULTS])
def test_a_learner_or_a_visitor_is_refused(app_test, make_account, content_dirs, page: str) -> None:
    make_account("lea")
    for user in ("lea", None):
        at = app_test(user).run()
        at.switch_page(page).run()
        assert not at.exception
        assert any("for tutors only" in e.value for e in at.error)
        assert [t.value for t in at.title if t.value in ("Lesson editor", "Results")] == []
        assert not at.text_area and not at.get("button_group")


def test_tutor_pages_are_listed_only_for_tutors(app_test, make_account, tutor: str) -> None:
    make_account("lea")
    learner = app_test("lea").run()
    tutor_at = app_test(tutor).run()
    # st.navigation keeps hidden pages routable; the sidebar lists the visible ones only
    assert "Lesson editor" not in str(learner.sidebar)
    assert tutor_at.switch_page(EDITOR).run().title[0].value == "Lesson editor"


def test_tutor_session_ends_after_idle_time(app_test, tutor: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MESO_TUTOR_IDLE_MIN", "1")
    at = open_editor(app_test, tutor)
    assert at.title[0].value == "Lesson editor"
    at.session_state["last_activity"] = time.time() - 120
    at.run()
    assert any("for tutors only" in e.value for e in at.error)
    assert "user" not in at.session_state


def test_edit_preview_save_history_restore(app_test, tutor: str, content_dirs) -> None:
    lessons, _ = content_dirs
    original = (lessons / FILE).read_text(encoding="utf-8")
    at = open_editor(app_test, tutor)
    assert at.selectbox(key="editor:lesson").value == LESSON
    area = at.text_area(key="editor:text")
    assert area.value == original
    area.set_value(original.replace(TITLE_LINE, "title: Mesotherapy in one page")).run()
    # the live preview renders the unsaved text as learners will see it
    assert [t.value for t in at.title] == ["Lesson editor", "Mesotherapy in one page"]
    assert any("What you will learn" in s.value for s in at.subheader)
    assert (lessons / FILE).read_text(encoding="utf-8") == original  # nothing saved yet
    at.button(key="editor:save").click().run()
    assert not at.exception
    assert "Saved" in at.success[0].value
    assert "title: Mesotherapy in one page" in (lessons / FILE).read_text(encoding="utf-8")
    # the previous version is in the history, with a diff against the current one
    versions = list((lessons / HISTORY_DIR / LESSON).glob("*--tina.md"))
    assert [v.read_text(encoding="utf-8") for v in versions] == [original]
    version_box = at.selectbox(key="editor:version")
    assert version_box.value == versions[0].name
    assert "replaced by tina" in version_box.options[0]
    diff = next(c.value for c in at.code if c.language == "diff")
    assert f"-{TITLE_LINE}" in diff and "+title: Mesotherapy in one page" in diff
    at.button(key="editor:restore").click().run()
    assert "Restored" in at.success[0].value
    assert (lessons / FILE).read_text(encoding="utf-8") == original
    assert at.text_area(key="editor:text").value == original
    assert len(list((lessons / HISTORY_DIR / LESSON).glob("*.md"))) == 2


def test_learners_see_the_saved_change_on_next_load(app_test, make_account, tutor: str, content_dirs) -> None:
    make_account("lea")
    learner = app_test("lea").run()
    assert "Mesotherapy today" not in " ".join(str(e.proto) for e in learner.main)
    at = open_editor(app_test, tutor)
    text = at.text_area(key="editor:text").value
    at.text_area(key="editor:text").set_value(text.replace(TITLE_LINE, "title: Mesotherapy today")).run()
    at.button(key="editor:save").click().run()
    learner = app_test("lea").run()
    learner.switch_page("views/pages/home.py").run()
    home_text = " ".join(str(e.proto) for e in learner.main)
    assert "Mesotherapy today" in home_text


def test_invalid_edit_is_refused_and_nothing_on_disk_changes(app_test, tutor: str, content_dirs) -> None:
    lessons, _ = content_dirs
    before = snapshot(lessons)
    at = open_editor(app_test, tutor)
    broken = at.text_area(key="editor:text").value.replace(TITLE_LINE, "title: [never closed")
    at.text_area(key="editor:text").set_value(broken).run()
    assert any("preview appears when the lesson is valid" in w.value for w in at.warning)
    at.button(key="editor:save").click().run()
    assert not at.exception
    assert "Not saved" in at.error[0].value
    details = " ".join(c.value for c in at.code)
    assert "invalid YAML" in details
    assert "line 3:" in details or "line 4:" in details  # the title line (3) or where YAML noticed
    assert at.text_area(key="editor:text").value == broken  # the tutor's text stays
    assert snapshot(lessons) == before


def test_huge_paste_and_unsafe_new_id_are_refused(app_test, tutor: str, content_dirs) -> None:
    lessons, _ = content_dirs
    before = snapshot(lessons)
    at = open_editor(app_test, tutor)
    at.text_area(key="editor:text").set_value("x" * (5 * 1024 * 1024)).run()
    at.button(key="editor:save").click().run()
    assert "at most 512 KiB" in at.error[0].value
    at.radio(key="editor:mode").set_value("Create a new lesson").run()
    at.text_input(key="editor:new-id").input("../../etc/passwd")
    at.button(key="editor:new").click().run()
    assert "lowercase letters" in at.error[0].value
    assert not at.text_area
    assert snapshot(lessons) == before


def test_new_lesson_from_template(app_test, tutor: str, content_dirs) -> None:
    lessons, _ = content_dirs
    at = open_editor(app_test, tutor)
    at.radio(key="editor:mode").set_value("Create a new lesson").run()
    at.text_input(key="editor:new-id").input("aftercare")
    at.text_input(key="editor:new-title").input("Aftercare")
    at.button(key="editor:new").click().run()
    assert "Aftercare" in [t.value for t in at.title]
    at.button(key="editor:save").click().run()
    assert not at.exception and "Saved" in at.success[0].value
    assert [p.name for p in lessons.glob("*-aftercare.md")]
    assert at.selectbox(key="editor:lesson").value == "aftercare"


def test_stale_save_is_refused_and_text_kept(app_test, tutor: str, content_dirs) -> None:
    lessons, _ = content_dirs
    at = open_editor(app_test, tutor)
    mine = at.text_area(key="editor:text").value.replace(TITLE_LINE, "title: My edit")
    at.text_area(key="editor:text").set_value(mine).run()
    theirs = (lessons / FILE).read_text(encoding="utf-8").replace(TITLE_LINE, "title: Their edit")
    (lessons / FILE).write_text(theirs, encoding="utf-8")  # another tutor saved meanwhile
    at.button(key="editor:save").click().run()
    assert "changed on disk after you opened it" in at.error[0].value
    assert at.text_area(key="editor:text").value == mine
    assert (lessons / FILE).read_text(encoding="utf-8") == theirs
    at.button(key="editor:reload").click().run()
    assert at.text_area(key="editor:text").value == theirs
