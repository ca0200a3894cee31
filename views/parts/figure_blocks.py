"""Draw the skin model's figures in pages: lesson markers (``{{ figure: ... }}``) and the simulator.

Only widgets and layout live here; every number, verdict and text alternative comes from
:mod:`course.simulator.model` and :mod:`course.simulator.figures`. A bad marker value or a region without
sourced thicknesses shows a message in place of the figure, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from course.content.models import FigureRef
from course.content.problems import ContentError
from course.simulator import figures
from course.simulator.geometry import (
    MissingThickness,
    Placement,
    SkinInputError,
    Verdict,
    check_angle,
    check_length,
    needle_depth,
)
from course.simulator.loading import load_skin_model
from course.simulator.model import SkinModel
from course.simulator.schema import RELIABILITY_MARK, RELIABILITY_WORDS
from course.simulator.scoring import default_placement
from course.text import escape_markdown
from views.parts.needle_view import needle_view

CHART_CONFIG = {"displayModeBar": False, "responsive": True}


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


def claims_table(model: SkinModel, technique: str) -> None:
    """Every sourced parameter of a technique with who gives it: sources disagree, all are kept.

    A list, not a grid: four columns do not fit 390 px without cutting words or scrolling
    sideways, and a line per claim reads whole at any width."""
    tech = model.technique(technique)
    lines = [
        f"- **{escape_markdown(name)}**: {escape_markdown(amount.words(unit))} · "
        f"{escape_markdown(model.short_cite(amount.sources) or 'none found')} · "
        f"*{RELIABILITY_WORDS[amount.reliability]}*"
        for name, unit, amount in tech.claims()
    ]
    with st.expander(f"{tech.label}: every range and who gives it"):
        st.markdown("Each line: the parameter, as the source gives it · the source · how reliable.")
        st.markdown("\n".join(lines))
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


def _needle_keys(key: str) -> tuple[str, str]:
    return f"{key}:angle:number", f"{key}:length:number"


def set_needle(key: str, angle: float, length: float) -> None:
    """Put the needle at ``angle`` and ``length`` (before its number inputs are drawn)."""
    angle_key, length_key = _needle_keys(key)
    st.session_state[angle_key] = round(angle)
    st.session_state[length_key] = round(float(length), 1)


def needle_numbers(key: str, model: SkinModel, *, start: tuple[float, float]) -> tuple[float, float]:
    """The angle and length number inputs (the keyboard alternative to dragging); returns the
    placement they hold, or the last one in range while a typed value is out of range.

    They hold the placement the server judges: the drawing writes into them on release
    (:func:`take_placement`). ``start`` is the placement before anyone moves the needle. The
    inputs have no bounds of their own, so a typed 120° reaches the server, which says what
    is wrong (:func:`needle_problem`) instead of the browser's bare red mark.
    """
    placement = needle_values(key, model, start=start)
    needle_inputs(key, model)
    return placement


def needle_values(key: str, model: SkinModel, *, start: tuple[float, float]) -> tuple[float, float]:
    """The placement the number inputs of :func:`needle_inputs` hold (what :func:`needle_numbers`
    returns), read before they are drawn, so a page can show the verdict first."""
    angle_key, length_key = _needle_keys(key)
    if angle_key not in st.session_state or length_key not in st.session_state:
        set_needle(key, *start)
    angle, length = float(st.session_state[angle_key]), float(st.session_state[length_key])
    last_key = f"{key}:last-in-range"
    try:
        check_angle(angle)
        check_length(length, model.max_length_mm)
    except SkinInputError as exc:
        kept = st.session_state.get(last_key, start)
        st.session_state[f"{key}:problem"] = (
            f"{exc} The needle stays at its last placement in range ({kept[0]:g}°, {kept[1]:g} mm) "
            "until you type a value in range."
        )
        return kept
    st.session_state.pop(f"{key}:problem", None)
    st.session_state[last_key] = (angle, length)
    return angle, length


def needle_inputs(key: str, model: SkinModel) -> None:
    """The angle and length number inputs themselves (after :func:`needle_values` in the run)."""
    angle_key, length_key = _needle_keys(key)
    row = st.container(horizontal=True)
    row.number_input(
        "Needle angle to the skin (°) (type a value)",
        step=1,
        key=angle_key,
        help="0° runs flat along the skin; 90° goes straight down.",
    )
    row.number_input(
        "Needle length inserted (mm) (type a value)",
        step=0.1,
        key=length_key,
        format="%.1f",
        help=f"Mesotherapy needles are 4–{model.max_length_mm:g} mm long (SFM patient sheet).",
    )


def needle_problem(key: str) -> str | None:
    """What is wrong with the typed angle or length of the needle ``key`` (None: both in range)."""
    problem = st.session_state.get(f"{key}:problem")
    return problem if isinstance(problem, str) else None


def show_needle_problem(key: str) -> bool:
    """Say what is wrong with a typed value, in place of the verdict; True when something was."""
    problem = needle_problem(key)
    if problem is not None:
        st.error(problem, icon=":material/error:")
    return problem is not None


def take_placement(key: str, view_key: str, model: SkinModel) -> Callable[[], None]:
    """The drawing's callback: copy the placement the browser sent into the number inputs.

    The browser's values are checked like typed ones (whole degrees 0–90, 0 to the longest
    needle, tenths of a mm); anything else is ignored, so the server only judges what it can.
    """

    def take() -> None:
        sent = (st.session_state.get(view_key) or {}).get("placement") or {}
        angle, length = sent.get("angle"), sent.get("length")
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (angle, length))
        if numbers and 0 <= angle <= 90 and 0 <= length <= model.max_length_mm:
            set_needle(key, angle, length)

    return take


HIDDEN_HINT = "Layer names and the target stay hidden until you commit: aim for the layer the technique targets."


def hidden_placement(key: str, model: SkinModel, region: str, technique: str, *, hint: bool = True) -> Placement:
    """A needle placement with the layer names and the target hidden (a drill, a case step, a
    review card): the browser drawing, then the number inputs; returns the placement the
    server judged. Neither the labels nor the target reach the browser. ``hint=False`` where
    the page already says so (:data:`HIDDEN_HINT`) in its own box."""
    angle, length = needle_values(key, model, start=(0, 0.0))  # read before the inputs are drawn, below
    placement = model.assess(region, technique, angle, length)
    show_needle_problem(key)
    scene = figures.needle_scene(region, technique, model, angle=angle, length=length, reveal=False)
    needle_view(f"{key}:view", scene, take_placement(key, f"{key}:view", model))
    if hint:
        st.caption(HIDDEN_HINT)
    with st.expander("Text description of this figure"):
        st.markdown(
            f"Cross-section of the {placement.region.label.lower()} skin, layers drawn to scale; their names "
            f"and the target are hidden. Needle at {angle:g}° inserted {length:g} mm: "
            f"tip {placement.depth_mm:.2f} mm deep."
        )
    needle_inputs(key, model)
    return placement


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
    """The free needle simulator: the drawing and its verdict first, then the choices and number inputs.

    The drawing (:func:`views.parts.needle_view.needle_view`) moves the needle in the browser;
    on release the placement comes back, and this block judges it with
    :meth:`course.simulator.model.SkinModel.assess`. A fragment: a placement reruns only this
    block, not the whole app. The needle starts (and restarts when the technique changes) at
    :func:`course.simulator.scoring.default_placement`. ``heading=False`` where the page's own
    title already names it (the simulator page).
    """
    with st.container(border=True):
        if heading:
            st.markdown("**Needle-depth simulator**")
        top = st.container()
        region, technique = choose_region_and_technique(key, model, region, technique)
        product = choose_product(key, model)
        with top:
            _placed_needle(key, model, region, technique, product)


@st.fragment
def _placed_needle(key: str, model: SkinModel, region: str, technique: str, product: str | None) -> None:
    """The drawing, the verdict and the number inputs: what a placement from the browser reruns.

    A fragment inside the block's fragment: a release reruns these few elements only, not the
    region, technique and product pickers (they rerun the whole block when they change).
    """
    start = default_placement(model, technique)
    if st.session_state.get(f"{key}:needle-for") != technique:  # a new technique: its own start
        st.session_state[f"{key}:needle-for"] = technique
        set_needle(key, *start)
    angle, length = needle_values(key, model, start=start)
    try:
        placement = model.assess(region, technique, angle, length, product=product)
    except MissingThickness as exc:
        st.warning(f"No sourced figure: {exc}", icon=":material/straighten:")
        st.caption("The simulator needs sourced layer thicknesses; below are the sourced depths only.")
        depth = needle_depth(angle, length)
        show_chart(
            figures.landmark_figure(region, depth, model),
            figures.skin_layers_alt(region, model),
            f"{key}:chart",
        )
        needle_inputs(key, model)
        return
    # On screen: the drawing, the verdict, the number inputs. Sent in another order: the verdict
    # first, then the drawing (its whole scene) and the inputs. The browser renders each element
    # as it comes, so the verdict of a release is on screen without waiting for the redraw.
    drawing = st.container()
    if not show_needle_problem(key):
        show_verdict(placement, model)
    with drawing:
        view_key = f"{key}:view"
        scene = figures.needle_scene(region, technique, model, angle=angle, length=length)
        needle_view(view_key, scene, take_placement(key, view_key, model))
    needle_inputs(key, model)
    with st.expander("Text description of this figure"):
        st.markdown(figures.placement_alt(placement, model))
