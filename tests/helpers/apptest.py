"""Driving the app in AppTest: opening a lesson by its URL, the fixed-order test quiz, a placed drill.

The test quiz (``apptest``) has one question of every type in a fixed order, with known right
answers; :func:`write_bank` adds it beside the real banks of a copied quizzes folder.
"""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from course.content.lessons import lesson_sections, load_catalog


def open_url_path(at, url_path: str):
    """Open a callable page (a lesson) in AppTest by its URL path.

    AppTest's ``switch_page`` only knows file pages; ``st.Page`` identifies every page by
    a hash of its url_path, so setting that hash is how a browser's URL reaches it.
    ``_page_hash`` is private to AppTest (it works on Streamlit 1.67, the version pinned for the
    course); should an upgrade rename it, every lesson-page test fails at once rather than passing.
    """
    from streamlit.util import calc_hash

    at._page_hash = calc_hash(url_path)
    return at.run()


QUIZ = "apptest"
BANK = """id: apptest
title: AppTest quiz
version: 1
lesson: history
settings: {{pass_mark: 60, shuffle_questions: false, shuffle_options: false, max_attempts: {max_attempts}}}
questions:
  - id: apptest-single
    type: single
    prompt: "Which option is right?"
    objective: founding-story
    section: {section}
    explanation: "APPTEST-EXPLANATION-SINGLE"
    sources: [who-2010]
    options:
      - {{text: Right one, correct: true, feedback: "APPTEST-FEEDBACK-RIGHT"}}
      - {{text: Wrong one, feedback: "APPTEST-FEEDBACK-WRONG"}}
  - id: apptest-multiple
    type: multiple
    prompt: "Tick the right ones."
    objective: founding-story
    points: 2
    explanation: "A and C."
    options:
      - {{text: A-ok, correct: true}}
      - {{text: B-bad}}
      - {{text: C-ok, correct: true}}
  - id: apptest-tf
    type: true_false
    prompt: "This statement is false."
    objective: key-dates
    critical: true
    answer: false
    explanation: "It is false."
  - id: apptest-numeric
    type: numeric
    prompt: "How deep, in mm?"
    objective: key-dates
    answer: 0.86
    tolerance: 0.1
    unit: mm
    explanation: "0.86 mm."
  - id: apptest-ordering
    type: ordering
    prompt: "Put in order."
    objective: key-dates
    items: [first, second, third]
    explanation: "In order."
  - id: apptest-matching
    type: matching
    prompt: "Match them."
    objective: founding-story
    pairs:
      - {{left: Papule, right: Junction}}
      - {{left: Nappage, right: Superficial}}
    distractors: [Muscle]
    explanation: "As listed."
  - id: apptest-diagram
    type: diagram
    prompt: "Click the papillary dermis."
    objective: founding-story
    region: forehead
    answer: papillary-dermis
    explanation: "The thin upper dermis."
"""


def write_bank(quizzes: Path, max_attempts: str = "null") -> str:
    """Add the test bank; return the section anchor its single question links to."""
    lesson = next(lesson for lesson in load_catalog(quizzes.parent / "lessons").lessons if lesson.id == "history")
    section = next(iter(lesson_sections(lesson)))
    (quizzes / f"{QUIZ}.yaml").write_text(BANK.format(section=section, max_attempts=max_attempts))
    return section


def open_quiz(app_test, user: str = "ada", quiz: str = QUIZ):
    at = app_test(user=user).run()
    at.switch_page("views/pages/quizzes.py").run()
    at.button(key=f"quizzes:start:{quiz}").click().run()
    assert not at.exception, at.exception
    return at


def answer(at, right: bool = True) -> None:
    """Known answers: everything right but the multiple choice (one right, one wrong tick: 0 of 2)
    and the ordering (first right, two swapped: 1/3); with ``right=False`` the must-pass
    true/false question is answered wrong too."""
    key = f"quiz:{QUIZ}"
    at.selectbox(key=f"{key}:apptest-diagram").set_value("papillary-dermis").run()
    at.radio(key=f"{key}:apptest-single").set_value("Right one")
    at.checkbox(key=f"{key}:apptest-multiple:0").check()
    at.checkbox(key=f"{key}:apptest-multiple:1").check()
    at.radio(key=f"{key}:apptest-tf").set_value("False" if right else "True")
    at.text_input(key=f"{key}:apptest-numeric").input("0,9")
    for position, item in enumerate(["first", "third", "second"]):
        at.selectbox(key=f"{key}:apptest-ordering:{position}").set_value(item)
    at.selectbox(key=f"{key}:apptest-matching:0").set_value("Junction")
    at.selectbox(key=f"{key}:apptest-matching:1").set_value("Superficial")


def submit(at, quiz: str = QUIZ):
    """Press the *Submit my answers* button of ``quiz`` (found by its key) and rerun."""
    return at.button(key=f"quizzes:submit:{quiz}").click().run()


def texts(at) -> str:
    kinds = ("markdown", "caption", "info", "error", "success", "warning", "subheader")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def placed_drill(app_test, make_account, angle: int = 10, length: float = 2.7) -> AppTest:
    """Ada on the simulator with the papule/forehead drill set, needle typed in at 10° x 2.7 mm.

    2.7 mm at 10° puts the tip 0.47 mm deep, on the centre line of the forehead's dermis
    (0.05-0.91 mm). The number inputs stand in for dragging, which AppTest cannot do.
    """
    make_account("ada")
    at = app_test("ada")
    at.session_state["sim:mode"] = "Drill (scored)"
    at.session_state["sim:drill"] = {
        "id": "drill-papule-forehead",
        "started": "2026-01-01T10:00:00+00:00",
        "result": None,
    }
    at.run()
    at.switch_page("views/pages/simulator.py").run()
    assert "papule" in at.info[0].value and "forehead" in at.info[0].value
    assert not [s for s in at.success if "—" in s.value]  # no verdict before submitting
    scene = drill_scene(at)
    assert scene["target"] is None and not any(b["label"] for b in scene["bands"])  # hidden until submitted
    at.number_input(key="sim:drill-needle:angle:number").set_value(angle)
    at.number_input(key="sim:drill-needle:length:number").set_value(length)
    return at.run()


def capture_downloads(monkeypatch) -> dict[str, object]:
    """Record the data callables that deferred ``st.download_button`` calls register, by file name.

    AppTest's runtime only lives during a run, so a deferred download cannot be clicked after
    it; the callable recorded here is the very one Streamlit would run on the tutor's click.
    """
    from streamlit.runtime.media_file_manager import MediaFileManager

    registered: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        registered[str(file_name)] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return registered


def needle_scenes(at: AppTest) -> dict[str, dict]:
    """The data each mounted needle drawing (``st.components.v2``) received, by its key.

    AppTest mounts the component as an unknown element; its proto holds the JSON data sent
    to the browser, so a test can check what the browser would draw (and what it never gets).
    """
    return {
        el.key: json.loads(el.proto.json)[0]  # the scene, sent in a one-item list
        for el in at.get("bidi_component")
        if el.proto.component_name.endswith("meso_needle_view")  # not the glossary, countdown or reading bar
    }


def drill_scene(at: AppTest) -> dict:
    return needle_scenes(at)["sim:drill-view"]
