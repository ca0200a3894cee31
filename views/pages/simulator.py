"""The needle simulator page: free practice for everyone, scored drills for signed-in learners.

A drill is stored as an attempt of the "simulator" quiz (one response per placement), so it
appears on My progress and in the tutor's results like any quiz.
"""

from __future__ import annotations

import streamlit as st

from course.clock import now_utc
from course.errors import MesoError
from course.quiz.attempts import Attempts
from course.simulator import figures
from course.simulator.drills import next_drill
from course.simulator.geometry import SkinInputError
from course.simulator.model import SkinModel
from course.simulator.schema import Drill
from course.simulator.scoring import default_placement, drill_score
from views.parts import state
from views.parts.figure_blocks import (
    needle_numbers,
    set_needle,
    show_needle_problem,
    show_verdict,
    simulator_block,
    skin_model,
    take_placement,
)
from views.parts.needle_view import needle_view
from views.parts.notices import show_exception

KEY = "sim"
NEEDLE = f"{KEY}:drill-needle"  # the drill's number inputs: {NEEDLE}:angle:number, {NEEDLE}:length:number
DRILL_KEY = f"{KEY}:drill"  # session state: {"id": drill id, "started": ISO time, "result": None until submitted,
# then {"attempt": attempt id, "angle": degrees, "length": mm}}
FREE, DRILL = "Free practice", "Drill (scored)"


def _new_drill(model: SkinModel, previous: str | None = None) -> None:
    drill = next_drill(model, previous)
    st.session_state[DRILL_KEY] = {"id": drill.id, "started": now_utc(), "result": None}
    angle, _ = default_placement(model, drill.technique)  # the technique's angle; the depth is the task
    set_needle(NEEDLE, angle, 0.0)


def _task_text(drill: Drill, model: SkinModel) -> str:
    tech, region = model.technique(drill.technique), model.region(drill.region)
    task = f"Place the needle for the **{tech.label.lower()}** technique in the **{region.label.lower()}**."
    return f"**Case: {drill.case}.** {task}" if drill.case else task


def drill_mode(model: SkinModel) -> None:
    account = state.require_learner()
    current = st.session_state.get(DRILL_KEY)
    if current is None or current["id"] not in {d.id for d in model.data.drills}:
        _new_drill(model)
        current = st.session_state[DRILL_KEY]
    drill = model.drill(current["id"])
    st.info(_task_text(drill, model), icon=":material/target:")
    if current["result"] is None:
        _place(model, drill, account.login, current)
    else:
        _result(model, drill, current["result"])


@st.fragment
def _place(model: SkinModel, drill: Drill, learner: str, current: dict) -> None:
    """The learner places the needle with the layer labels and the target hidden, then submits once.

    Neither reaches the browser before the submission (see :func:`course.simulator.figures.needle_scene`).
    """
    top = st.container()
    angle, length = needle_numbers(NEEDLE, model, start=(0, 0.0))
    placement = model.assess(drill.region, drill.technique, angle, length)
    with top:
        show_needle_problem(NEEDLE)
        scene = figures.needle_scene(drill.region, drill.technique, model, angle=angle, length=length, reveal=False)
        needle_view(f"{KEY}:drill-view", scene, take_placement(NEEDLE, f"{KEY}:drill-view", model))
        submit = st.button("Submit placement", key=f"{KEY}:drill-submit", type="primary", icon=":material/send:")
        st.caption("Layer names and the target stay hidden until you submit: aim for the layer the technique targets.")
        with st.expander("Text description of this figure"):
            st.markdown(
                f"Cross-section of the {placement.region.label.lower()} skin, layers drawn to scale; their names "
                f"and the target are hidden until you submit. Needle at {angle:g}° inserted {length:g} mm: "
                f"tip {placement.depth_mm:.2f} mm deep."
            )
    if submit:
        try:
            attempt_id = Attempts(state.store()).record_drill(
                placement,
                drill,
                learner=learner,
                started=current["started"],
                version=model.version,
                scoring=model.data.general.drill_scoring,
            )
        except MesoError as exc:
            show_exception(exc)
            return
        current["result"] = {"attempt": attempt_id, "angle": angle, "length": length}
        st.rerun()


def _result(model: SkinModel, drill: Drill, result: dict) -> None:
    """The submitted placement with the labels, target, verdict and score; then the next task."""
    placed = model.assess(drill.region, drill.technique, result["angle"], result["length"])
    scored = drill_score(placed, model.data.general.drill_scoring)
    scene = figures.needle_scene(drill.region, drill.technique, model, angle=placed.angle_deg, length=placed.length_mm)
    needle_view(f"{KEY}:drill-result-view", scene)
    st.markdown(f"**Score: {scored.score:.0%}** · {scored.words} · saved to your progress")
    show_verdict(placed, model)
    if st.button("Next task", key=f"{KEY}:drill-next", icon=":material/skip_next:"):
        _new_drill(model, previous=drill.id)
        st.rerun()
    with st.expander("Text description of this figure"):
        st.markdown(figures.placement_alt(placed, model))


def page() -> None:
    st.title("Needle simulator")
    st.caption(
        "Drag the needle: its tip ends up sin(angle) × inserted length deep. A region whose every layer has a "
        "measured thickness is drawn to scale; for the others you see the depths the sources give."
    )
    model = skin_model()
    if model is None:
        return
    mode = st.radio("Mode", (FREE, DRILL), horizontal=True, key=f"{KEY}:mode")
    try:
        if mode == FREE:
            simulator_block(f"{KEY}:free", model, heading=False)
        else:
            drill_mode(model)
    except SkinInputError as exc:
        st.warning(f"The simulator cannot show this: {exc}")


page()
