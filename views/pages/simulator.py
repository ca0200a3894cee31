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
from views.parts import state
from views.parts.figure_blocks import needle_controls, redrawn, show_chart, show_verdict, simulator_block, skin_model

KEY = "sim"
DRILL_KEY = f"{KEY}:drill"  # session state: {"id": drill id, "started": ISO time, "result": None until submitted,
# then {"attempt": attempt id, "angle": degrees, "length": mm}}
FREE, DRILL = "Free practice", "Drill (scored)"


def _new_drill(model: SkinModel, previous: str | None = None) -> None:
    drill = next_drill(model, previous)
    st.session_state[DRILL_KEY] = {"id": drill.id, "started": now_utc(), "result": None}
    for suffix in ("angle", "length"):  # a new task starts from the same neutral needle
        for widget in ("slider", "number"):
            st.session_state.pop(f"{KEY}:drill-needle:{suffix}:{widget}", None)


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
    """The learner places the needle with the target hidden, then submits once."""
    st.caption("The target band stays hidden until you submit: aim for the layer the technique targets.")
    angle, length = needle_controls(f"{KEY}:drill-needle", model)
    placement = model.assess(drill.region, drill.technique, angle, length)
    show_chart(
        redrawn(
            f"{KEY}:drill-chart",
            figures.cross_section_spec(drill.region, placement=placement, model=model, show_target=False),
        ),
        figures.skin_layers_alt(drill.region, model)
        + f" Needle at {angle:g}° inserted {length:g} mm: tip {placement.depth_mm:.2f} mm deep.",
        f"{KEY}:drill-chart",
    )
    if st.button("Submit placement", key=f"{KEY}:drill-submit", type="primary", icon=":material/send:"):
        try:
            attempt_id = Attempts(state.store()).record_drill(
                placement, drill, learner=learner, started=current["started"], version=model.version
            )
        except MesoError as exc:
            st.error(str(exc))
            return
        current["result"] = {"attempt": attempt_id, "angle": angle, "length": length}
        st.rerun()


def _result(model: SkinModel, drill: Drill, result: dict) -> None:
    """The submitted placement with its target, verdict and score; then the next task."""
    placed = model.assess(drill.region, drill.technique, result["angle"], result["length"])
    st.markdown(f"**Score: {placed.score:.0%}** · off target by {placed.distance_mm:.2f} mm · saved to your progress")
    show_chart(
        figures.cross_section_figure(drill.region, placement=placed, model=model),
        figures.placement_alt(placed, model),
        f"{KEY}:drill-result-chart",
    )
    show_verdict(placed, model)
    if st.button("Next task", key=f"{KEY}:drill-next", icon=":material/skip_next:"):
        _new_drill(model, previous=drill.id)
        st.rerun()


def page() -> None:
    st.title("Needle simulator")
    st.caption(
        "See where the tip of the needle ends up: depth = sin(angle) × inserted length. Layers are drawn to scale "
        "from sourced measurements; where no source gives a thickness, the figure says so."
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
