"""Draw the skin model's figures in pages: lesson markers (``{{ figure: ... }}``) and the simulator.

Only widgets and layout live here; every number, verdict and text alternative comes from
:mod:`course.simulator.model` and :mod:`course.simulator.figures`. A bad marker value or a region without
sourced thicknesses shows a message in place of the figure, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from course.content.models import FigureRef
from course.content.problems import ContentError
from course.simulator import figures
from course.simulator.geometry import MissingThickness, Placement, SkinInputError, Verdict, needle_depth
from course.simulator.loading import load_skin_model
from course.simulator.model import SkinModel
from course.simulator.schema import RELIABILITY_MARK, RELIABILITY_WORDS

CHART_CONFIG = {"displayModeBar": False, "responsive": True}
DEFAULT_ANGLE, DEFAULT_LENGTH = 45, 4.0  # a 4 mm needle at 45°: the classic setting the course questions


def skin_model() -> SkinModel | None:
    """The skin model, or an error box naming the broken data file (the rest of the page works)."""
    try:
        return load_skin_model()
    except ContentError as exc:
        lines = "\n".join(f"- `{problem}`" for problem in exc.problems)
        st.error(f"The skin model's data file has problems, so this figure cannot be drawn:\n\n{lines}")
        return None


def show_chart(fig: go.Figure, alt: str, key: str) -> None:
    """A Plotly figure with its text alternative underneath (in an expander, read by screen readers)."""
    st.plotly_chart(fig, key=key, config=CHART_CONFIG, width="stretch", alt=alt)
    with st.expander("Text description of this figure"):
        st.markdown(alt)


def redrawn(key: str, spec: dict[str, Any]) -> go.Figure:
    """The chart ``key``'s figure for ``spec``, redrawn in place (:class:`course.simulator.figures.Redrawn`).

    The session keeps one figure per chart: a slider move validates only what changed (see
    :class:`course.simulator.figures.Redrawn`), not every layer again. It is the same figure a fresh
    build gives, so nothing is cached by slider value.
    """
    holder = st.session_state.setdefault(f"{key}:figure", figures.Redrawn())
    return holder.draw(spec)


def claims_table(model: SkinModel, technique: str) -> None:
    """Every sourced parameter of a technique with who gives it: sources disagree, all are kept."""
    tech = model.technique(technique)
    rows = [
        {
            "Parameter": name,
            "As the source gives it": amount.words(unit),
            "Source": model.short_cite(amount.sources) or "none found",
            "Reliability": RELIABILITY_WORDS[amount.reliability],
        }
        for name, unit, amount in tech.claims()
    ]
    with st.expander(f"{tech.label}: every range and who gives it"):
        st.dataframe(rows, hide_index=True, width="stretch")
        st.caption(
            "*Weak source*: commonly described, but from one or a low-reliability source, or the sources disagree. "
            "*Not verified*: no source was found for it."
        )


def render_figure(ref: FigureRef, key_prefix: str) -> None:
    """Render one lesson figure marker; widget keys are unique per marker (prefix + line)."""
    key = f"{key_prefix}:figure:{ref.line}"
    model = skin_model()
    if model is None:
        return
    options = ref.options
    draw: dict[str, Callable[[], None]] = {
        "skin-layers": lambda: _skin_layers(model, options.get("region", ""), key),
        "technique-side": lambda: _technique(model, options.get("technique", ""), key, side=True),
        "technique-top": lambda: _technique(model, options.get("technique", ""), key, side=False),
        "depth-geometry": lambda: show_chart(
            figures.depth_geometry_figure(model=model), figures.depth_geometry_alt(model=model), key
        ),
        "simulator": lambda: simulator_block(key, model, options.get("region"), options.get("technique")),
    }
    render = draw.get(ref.name)
    if render is None:
        st.warning(f"This lesson asks for a figure called '{ref.name}', which the course does not know.")
        return
    try:
        render()
    except SkinInputError as exc:
        st.warning(f"This figure cannot be drawn: {exc}", icon=":material/image_not_supported:")


def _skin_layers(model: SkinModel, region: str, key: str) -> None:
    show_chart(figures.skin_layers_figure(region, model), figures.skin_layers_alt(region, model), key)
    if not model.has_profile(region):
        st.caption(f"No sourced figure for the layer thicknesses of the {model.region(region).label.lower()}.")


def _technique(model: SkinModel, technique: str, key: str, *, side: bool) -> None:
    if side:
        show_chart(figures.technique_side_figure(technique, model), figures.technique_side_alt(technique, model), key)
        claims_table(model, technique)
    else:
        show_chart(figures.technique_top_figure(technique, model), figures.technique_top_alt(technique, model), key)


# --- the simulator --------------------------------------------------------------------------


def _synced_pair(key: str, label: str, *, low: float, high: float, step: float, default: float, help: str) -> float:
    """A slider and a number input (for keyboard users) that always show the same value."""
    slider_key, number_key = f"{key}:slider", f"{key}:number"
    if slider_key not in st.session_state:
        st.session_state[slider_key] = default
        st.session_state[number_key] = default

    def copy(source: str, target: str) -> Callable[[], None]:
        return lambda: st.session_state.__setitem__(target, st.session_state[source])

    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.slider(label, low, high, step=step, key=slider_key, help=help, on_change=copy(slider_key, number_key))
    right.number_input(
        f"{label} (type a value)",
        low,
        high,
        step=step,
        key=number_key,
        on_change=copy(number_key, slider_key),
        format="%d" if isinstance(step, int) else "%.1f",
    )
    return st.session_state[slider_key]


def needle_controls(key: str, model: SkinModel) -> tuple[float, float]:
    """Angle and inserted-length controls; returns (angle in degrees, length in mm)."""
    angle = _synced_pair(
        f"{key}:angle",
        "Needle angle to the skin (°)",
        low=0,
        high=90,
        step=1,
        default=DEFAULT_ANGLE,
        help="0° runs flat along the skin; 90° goes straight down.",
    )
    length = _synced_pair(
        f"{key}:length",
        "Needle length inserted (mm)",
        low=0.0,
        high=model.max_length_mm,
        step=0.1,
        default=DEFAULT_LENGTH,
        help=f"Mesotherapy needles are 4–{model.max_length_mm:g} mm long (SFM patient sheet).",
    )
    return float(angle), float(length)


def show_verdict(placement: Placement, model: SkinModel) -> None:
    """The verdict in words (never colour alone), why it matters, and any notes."""
    box = {Verdict.ON_TARGET: st.success, Verdict.TOO_SHALLOW: st.warning, Verdict.TOO_DEEP: st.error}
    icon = {
        Verdict.ON_TARGET: ":material/check_circle:",
        Verdict.TOO_SHALLOW: ":material/vertical_align_top:",
        Verdict.TOO_DEEP: ":material/vertical_align_bottom:",
    }
    text = f"**{placement.headline}**\n\n{placement.explanation}"
    if placement.reasons:  # in the same box: every element costs time on every slider move
        text += "\n\n**Why it matters**\n\n" + "\n".join(
            f"- {reason.text} *({model.short_cite(reason.sources)}{RELIABILITY_MARK[reason.reliability]})*"
            for reason in placement.reasons
        )
    box[placement.verdict](text, icon=icon[placement.verdict])
    if placement.notes:
        st.caption("\n\n".join(placement.notes))


NO_PRODUCT = "Not specified"


def choose_product(key: str, model: SkinModel) -> str | None:
    """The product in the syringe, for the consequences that depend on it (None: not named)."""
    if not model.data.products:
        return None
    labels = {p.id: p.label for p in model.data.products}
    choice = st.selectbox(
        "Product (optional)",
        [NO_PRODUCT, *labels],
        format_func=lambda value: labels.get(value, value),
        key=f"{key}:product",
        help="Some consequences depend on what you inject: name the product to see only those that concern it.",
    )
    return None if choice == NO_PRODUCT else choice


def choose_region_and_technique(
    key: str, model: SkinModel, region: str | None, technique: str | None
) -> tuple[str, str]:
    """Region and technique pickers, preset from a lesson marker when it gives them."""
    regions = {r: model.region(r).label for r in model.region_ids}
    techniques = {t: model.technique(t).label for t in model.technique_ids}
    left, right = st.columns(2)
    region = _preset_select(left, "Body region", regions, region, f"{key}:region")
    technique = _preset_select(right, "Technique", techniques, technique, f"{key}:technique")
    return region, technique


def _preset_select(column: DeltaGenerator, label: str, labels: dict[str, str], preset: str | None, key: str) -> str:
    """A select box of ids shown by their labels, starting on ``preset`` when it is one of them."""
    ids = list(labels)
    index = ids.index(preset) if preset in ids else 0
    return column.selectbox(label, ids, index=index, format_func=labels.__getitem__, key=key)


@st.fragment
def simulator_block(
    key: str, model: SkinModel, region: str | None = None, technique: str | None = None, *, heading: bool = True
) -> None:
    """The free needle simulator: pick region and technique, place the needle, read the verdict.

    A fragment: moving a slider reruns only this block in the browser, not the whole app
    (navigation, sidebar, the rest of a lesson). ``heading=False`` where the page's own
    title already names it (the simulator page): one element less on every slider move.
    """
    with st.container(border=True):
        if heading:
            st.markdown("**Needle-depth simulator**")
        region, technique = choose_region_and_technique(key, model, region, technique)
        product = choose_product(key, model)
        angle, length = needle_controls(key, model)
        try:
            placement = model.assess(region, technique, angle, length, product=product)
        except MissingThickness as exc:
            st.warning(f"No sourced figure: {exc}", icon=":material/straighten:")
            st.caption("The simulator needs sourced layer thicknesses; below are the sourced depths only.")
            depth = needle_depth(angle, length)
            show_chart(
                figures.landmark_figure(region, depth, model), figures.skin_layers_alt(region, model), f"{key}:chart"
            )
            return
        spec = figures.cross_section_spec(region, placement=placement, model=model)
        show_chart(redrawn(f"{key}:chart", spec), figures.placement_alt(placement, model), f"{key}:chart")
        show_verdict(placement, model)
