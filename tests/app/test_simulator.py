"""AppTest of the needle simulator page, its drills, and the figures embedded in lessons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from course.content.models import FigureRef
from course.simulator import loading as skin
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, RESPONSES
from tests.helpers.apptest import open_url_path, placed_drill

FREE = "sim:free"


def open_simulator(app_test, user: str | None = None) -> AppTest:
    at = app_test(user).run()
    return at.switch_page("views/pages/simulator.py").run()


def verdict(at: AppTest) -> str:
    boxes = [*at.success, *at.warning, *at.error]
    texts = [b.value for b in boxes if "—" in b.value]
    assert len(texts) == 1, [b.value for b in boxes]
    return texts[0]


def test_moving_the_sliders_changes_the_verdict(app_test) -> None:
    at = open_simulator(app_test)
    assert not at.exception
    at.selectbox(key=f"{FREE}:region").set_value("forehead")
    at.selectbox(key=f"{FREE}:technique").set_value("papule")
    at.slider(key=f"{FREE}:angle:slider").set_value(45)
    at.slider(key=f"{FREE}:length:slider").set_value(4.0)
    at.run()
    assert verdict(at).startswith("**Too deep by 1.92 mm — you are in the hypodermis.")
    assert "**Why it matters**" in verdict(at) and "metabolised" in verdict(at)  # in the verdict box
    at.slider(key=f"{FREE}:angle:slider").set_value(10).run()
    assert verdict(at).startswith("**On target — you are in the dermis.")
    assert at.number_input(key=f"{FREE}:angle:number").value == 10  # kept in sync for keyboard users
    at.slider(key=f"{FREE}:length:slider").set_value(2.0)
    at.slider(key=f"{FREE}:angle:slider").set_value(1).run()  # 0.035 mm: inside the 0.046 mm (histology) epidermis
    assert verdict(at).startswith("**Too shallow by")
    assert "epidermis" in verdict(at)


def test_naming_the_product_keeps_only_its_consequences(app_test) -> None:
    """In the hypodermis, the non-cross-linked HA warning shows for HA (or no product named), not for PC."""
    at = open_simulator(app_test)
    at.selectbox(key=f"{FREE}:region").set_value("forehead")
    at.selectbox(key=f"{FREE}:technique").set_value("papule")
    at.slider(key=f"{FREE}:angle:slider").set_value(45)
    at.slider(key=f"{FREE}:length:slider").set_value(4.0)
    at.run()
    assert at.selectbox(key=f"{FREE}:product").value == "Not specified"
    assert "metabolised" in verdict(at)
    at.selectbox(key=f"{FREE}:product").set_value("phosphatidylcholine").run()
    assert not at.exception
    assert "metabolised" not in verdict(at)
    assert "Too deep" in verdict(at)  # the verdict itself does not depend on the product
    at.selectbox(key=f"{FREE}:product").set_value("non-cross-linked-ha").run()
    assert "metabolised" in verdict(at)


def test_number_inputs_move_the_needle_too(app_test) -> None:
    at = open_simulator(app_test)
    at.selectbox(key=f"{FREE}:region").set_value("neck")
    at.selectbox(key=f"{FREE}:technique").set_value("linear-retrograde")
    at.number_input(key=f"{FREE}:angle:number").set_value(8)
    at.number_input(key=f"{FREE}:length:number").set_value(5.0)
    at.run()
    assert at.slider(key=f"{FREE}:angle:slider").value == 8
    assert at.slider(key=f"{FREE}:length:slider").value == 5.0
    assert verdict(at).startswith("**On target")  # 5 × sin 8° = 0.70 mm: neck dermis is 0.20–1.19 mm
    assert "0.70 mm below the surface" in verdict(at)


def test_region_without_sourced_thickness_shows_a_clear_message(app_test) -> None:
    at = open_simulator(app_test)
    at.selectbox(key=f"{FREE}:region").set_value("scalp").run()
    assert not at.exception
    assert any("No sourced figure" in w.value for w in at.warning)
    at.selectbox(key=f"{FREE}:region").set_value("abdomen").run()
    assert any("thickest dermal measurements" in w.value for w in at.warning)


def test_drill_needs_sign_in(app_test) -> None:
    at = open_simulator(app_test)
    at.radio(key="sim:mode").set_value("Drill (scored)").run()
    assert any("sign in" in i.value.lower() for i in at.info)
    assert not at.button  # nothing to submit


def test_completed_drill_is_stored_as_a_simulator_attempt(app_test, make_account, data_dir: Path) -> None:
    at = placed_drill(app_test, make_account)
    at.button(key="sim:drill-submit").click().run()
    assert not at.exception
    assert any("Score: 100%" in m.value for m in at.markdown)
    attempts = Store(data_dir).read(ATTEMPTS).frame
    assert list(attempts["quiz"]) == ["simulator"] and list(attempts["learner"]) == ["ada"]
    assert attempts["passed"].iloc[0] == "true" and attempts["bank_version"].iloc[0].startswith("skin-model-")
    responses = Store(data_dir).read(RESPONSES).frame
    assert list(responses["question_id"]) == ["drill-papule-forehead"]
    answer = json.loads(responses["answer"].iloc[0])
    assert answer == {
        "angle": 10,
        "depth_mm": 0.695,
        "distance_mm": 0,
        "layer": "dermis",
        "length_mm": 4,
        "region": "forehead",
        "technique": "papule",
        "verdict": "on-target",
    }
    at.button(key="sim:drill-next").click().run()  # a new task; the stored attempt is not written again
    assert at.session_state["sim:drill"]["result"] is None
    assert at.session_state["sim:drill"]["id"] != "drill-papule-forehead"
    assert len(Store(data_dir).read(ATTEMPTS).frame) == 1


def test_lesson_figures_render_with_unique_keys(app_test, content_dirs) -> None:
    at = open_url_path(app_test().run(), "lesson-injection-depth")
    assert not at.exception
    charts = at.get("plotly_chart")
    assert len(charts) >= 3  # depth geometry + two embedded simulators
    keys = [c.proto.id for c in charts]
    assert len(keys) == len(set(keys))
    sliders = [s.key for s in at.slider]
    assert len(sliders) == len(set(sliders)) and all(k.startswith("lesson:injection-depth:figure:") for k in sliders)
    assert any("Text description" in e.label for e in at.expander)


def _render(ref) -> None:  # untyped: the body runs as its own script, without this module's imports
    from views.parts.figure_blocks import render_figure

    render_figure(ref, key_prefix="test")


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        (FigureRef("technique-side", (("technique", "botox"),), 7), "Unknown technique 'botox'"),
        (FigureRef("skin-layers", (("region", "knee"),), 8), "Unknown body region 'knee'"),
        (FigureRef("spinning-cube", (), 9), "does not know"),
    ],
)
def test_bad_marker_values_show_a_message_not_a_traceback(ref: FigureRef, message: str) -> None:
    at = AppTest.from_function(_render, kwargs={"ref": ref}, default_timeout=30).run()
    assert not at.exception
    assert any(message in w.value for w in at.warning)


def test_broken_skin_model_file_is_reported_with_its_line(app_test, tmp_path, monkeypatch) -> None:
    broken = tmp_path / "skin_model.yaml"
    broken.write_text(skin.SKIN_MODEL_PATH.read_text().replace("version: 2", "version: two"), encoding="utf-8")
    monkeypatch.setattr(skin, "SKIN_MODEL_PATH", broken)
    at = open_simulator(app_test)
    assert not at.exception
    assert any("skin_model.yaml" in e.value and "version" in e.value for e in at.error)
