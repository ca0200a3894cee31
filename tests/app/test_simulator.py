"""AppTest of the needle simulator page, its drills, and the figures embedded in lessons."""

from __future__ import annotations

import json
from pathlib import Path
from unittest.mock import patch

import pytest
from streamlit.testing.v1 import AppTest

from course.content.models import FigureRef
from course.simulator import loading as skin
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, RESPONSES
from tests.helpers.apptest import needle_scenes, open_url_path, placed_drill
from views.parts import figure_blocks

FREE = "sim:free"


def open_simulator(app_test, user: str | None = None) -> AppTest:
    at = app_test(user).run()
    return at.switch_page("views/pages/simulator.py").run()


def verdict(at: AppTest) -> str:
    boxes = [*at.success, *at.warning, *at.error]
    texts = [b.value for b in boxes if "—" in b.value]
    assert len(texts) == 1, [b.value for b in boxes]
    return texts[0]


def set_needle(at: AppTest, angle: float, length: float, key: str = FREE) -> AppTest:
    """Type a placement into the number inputs (AppTest cannot drag the browser drawing)."""
    at.number_input(key=f"{key}:angle:number").set_value(angle)
    at.number_input(key=f"{key}:length:number").set_value(length)
    return at.run()


def test_the_drawing_gets_the_bands_to_scale_and_the_placement(app_test) -> None:
    at = open_simulator(app_test)
    assert not at.exception
    at.selectbox(key=f"{FREE}:region").set_value("forehead")
    at.selectbox(key=f"{FREE}:technique").set_value("papule").run()
    scene = needle_scenes(at)[f"{FREE}:view"]
    model = skin.load_skin_model()
    bands = model.profile("forehead").bands
    assert [(b["id"], b["top"], b["bottom"]) for b in scene["bands"]] == [(b.id, b.top_mm, b.bottom_mm) for b in bands]
    assert scene["bands"][1]["label"].startswith("Dermis 0.86")  # free practice: labels and target shown
    assert scene["target"]["top"] == bands[1].top_mm and scene["target"]["bottom"] == bands[1].bottom_mm
    set_needle(at, 12, 3.0)
    scene = needle_scenes(at)[f"{FREE}:view"]
    assert (scene["angle"], scene["length"]) == (12, 3.0)  # typed values reach the drawing


def test_each_technique_starts_on_its_target(app_test) -> None:
    """The needle starts at the technique's default placement (computed from the model), not 45° x 4 mm."""
    at = open_simulator(app_test)
    at.selectbox(key=f"{FREE}:region").set_value("forehead").run()
    assert verdict(at).startswith("**On target — you are in the epidermis.")  # intra-epidermal, the first
    at.selectbox(key=f"{FREE}:technique").set_value("papule").run()
    assert verdict(at).startswith("**On target — you are in the dermis.")
    assert at.number_input(key=f"{FREE}:angle:number").value != 1  # its own start, not the last one's
    at.selectbox(key=f"{FREE}:region").set_value("neck")
    at.selectbox(key=f"{FREE}:technique").set_value("linear-retrograde").run()
    assert verdict(at).startswith("**On target")


def test_moving_the_needle_changes_the_verdict(app_test) -> None:
    at = open_simulator(app_test)
    at.selectbox(key=f"{FREE}:region").set_value("forehead")
    at.selectbox(key=f"{FREE}:technique").set_value("papule").run()
    set_needle(at, 45, 4.0)
    assert verdict(at).startswith("**Too deep by 1.92 mm — you are in the hypodermis.")
    assert "**Why it matters**" in verdict(at) and "metabolised" in verdict(at)  # in the verdict box
    set_needle(at, 10, 4.0)
    assert verdict(at).startswith("**On target — you are in the dermis.")
    set_needle(at, 1, 2.0)  # 0.035 mm: inside the 0.046 mm (histology) epidermis
    assert verdict(at).startswith("**Too shallow by")
    assert "epidermis" in verdict(at)


def test_a_placement_from_the_browser_is_judged_by_the_server(app_test) -> None:
    """What the drawing sends on release lands in the number inputs; the server judges it."""
    at = open_simulator(app_test)
    at.selectbox(key=f"{FREE}:region").set_value("forehead")
    at.selectbox(key=f"{FREE}:technique").set_value("papule").run()
    take = figure_blocks.take_placement(FREE, f"{FREE}:view", skin.load_skin_model())
    at.session_state[f"{FREE}:view"] = {"placement": {"angle": 45, "length": 4.0}}
    with patch.object(figure_blocks.st, "session_state", at.session_state):
        take()
    at.run()
    assert verdict(at).startswith("**Too deep by 1.92 mm")
    at.session_state[f"{FREE}:view"] = {"placement": {"angle": 400, "length": 4.0}}  # not a placement: ignored
    with patch.object(figure_blocks.st, "session_state", at.session_state):
        take()
    assert at.run().number_input(key=f"{FREE}:angle:number").value == 45


def test_naming_the_product_keeps_only_its_consequences(app_test) -> None:
    """In the hypodermis, the non-cross-linked HA warning shows for HA (or no product named), not for PC."""
    at = open_simulator(app_test)
    at.selectbox(key=f"{FREE}:region").set_value("forehead")
    at.selectbox(key=f"{FREE}:technique").set_value("papule").run()
    set_needle(at, 45, 4.0)
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
    at.selectbox(key=f"{FREE}:technique").set_value("linear-retrograde").run()
    set_needle(at, 8, 5.0)
    assert verdict(at).startswith("**On target")  # 5 × sin 8° = 0.70 mm: neck dermis is 0.20–1.19 mm
    assert "0.70 mm below the surface" in verdict(at)
    assert any("0.70 mm below the surface" in m.value for m in at.markdown)  # the text alternative


def test_an_out_of_range_angle_says_what_is_wrong_instead_of_a_stale_verdict(app_test) -> None:
    at = open_simulator(app_test)
    at.selectbox(key=f"{FREE}:region").set_value("neck")
    at.selectbox(key=f"{FREE}:technique").set_value("linear-retrograde").run()
    set_needle(at, 8, 5.0)
    set_needle(at, 120, 5.0)
    assert not at.exception
    [problem] = [e.value for e in at.error]
    assert problem.startswith("The needle angle must be between 0° (flat along the skin) and 90° (perpendicular); got")
    assert "stays at its last placement in range (8°, 5 mm)" in problem
    assert not [b.value for b in [*at.success, *at.warning] if "—" in b.value]  # no verdict beside it
    assert needle_scenes(at)[f"{FREE}:view"]["angle"] == 8  # the drawing keeps the last placement in range
    set_needle(at, 8, 40.0)
    assert "longer than the longest mesotherapy needle" in at.error[0].value
    set_needle(at, 30, 1.0)
    assert not at.error and verdict(at)


def test_an_out_of_range_angle_in_a_drill_is_explained(app_test, make_account) -> None:
    at = placed_drill(app_test, make_account)
    set_needle(at, -5, 2.0, key="sim:drill-needle")
    assert any("The needle angle must be between" in e.value for e in at.error)


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
    scene = needle_scenes(at)["sim:drill-result-view"]  # after submitting: labels and target shown
    assert scene["target"]["centre"] == pytest.approx((0.0461 + 0.9061) / 2) and scene["bands"][1]["label"]
    attempts = Store(data_dir).read(ATTEMPTS).frame
    assert list(attempts["quiz"]) == ["simulator"] and list(attempts["learner"]) == ["ada"]
    assert attempts["passed"].iloc[0] == "true" and attempts["bank_version"].iloc[0].startswith("skin-model-")
    responses = Store(data_dir).read(RESPONSES).frame
    assert list(responses["question_id"]) == ["drill-papule-forehead"]
    answer = json.loads(responses["answer"].iloc[0])
    assert answer == {
        "angle": 10,
        "depth_mm": 0.469,
        "distance_mm": 0,
        "off_centre_mm": 0.007,
        "layer": "dermis",
        "length_mm": 2.7,
        "region": "forehead",
        "technique": "papule",
        "verdict": "on-target",
    }
    at.button(key="sim:drill-next").click().run()  # a new task; the stored attempt is not written again
    assert at.session_state["sim:drill"]["result"] is None
    assert at.session_state["sim:drill"]["id"] != "drill-papule-forehead"
    assert len(Store(data_dir).read(ATTEMPTS).frame) == 1


def test_a_drill_inside_the_band_but_off_its_centre_scores_less(app_test, make_account, data_dir: Path) -> None:
    """10° x 5 mm: 0.87 mm deep, still in the forehead dermis (to 0.91 mm) but near its bottom."""
    at = placed_drill(app_test, make_account, angle=10, length=5.0)
    at.button(key="sim:drill-submit").click().run()
    assert any("Score: 73%" in m.value and "from the target's centre line" in m.value for m in at.markdown)
    assert verdict(at).startswith("**On target — you are in the dermis.")
    attempts = Store(data_dir).read(ATTEMPTS).frame
    assert float(attempts["score"].iloc[0]) == 0.73 and attempts["passed"].iloc[0] == "true"


def test_lesson_figures_render_with_unique_keys(app_test, content_dirs) -> None:
    at = open_url_path(app_test().run(), "lesson-injection-depth")
    assert not at.exception
    assert len(at.get("plotly_chart")) >= 1  # depth geometry
    views = list(needle_scenes(at))
    assert len(views) >= 2 and len(views) == len(set(views))  # two embedded simulators, each its own drawing
    numbers = [n.key for n in at.number_input]
    assert len(numbers) == len(set(numbers))
    assert all(k.startswith("lesson:injection-depth:figure:") for k in numbers + views)
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
