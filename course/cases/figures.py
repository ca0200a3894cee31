"""The debrief's drawing: the path the learner took beside the recommended path (Plotly).

A pure builder, tested by its traces: two columns of numbered steps, read top to bottom, with
the steps that left the recommended path drawn as open diamonds and an unsafe choice marked
with a cross and the word "unsafe" (never colour alone). :func:`path_alt` says the same in words.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from course.cases.models import Case
from course.palette import BLACK, BLUE, GREEN, VERMILION


def step_label(case: Case, step_id: str) -> str:
    """A step as a reader names it: its id with hyphens as spaces, and its kind; ``step.option``
    (an option chosen at a step) as the step and the option."""
    if "." in step_id:
        step_name, _, option = step_id.partition(".")
        return f"{step_name.replace('-', ' ')}: {option.replace('-', ' ')}"
    step = case.steps.get(step_id)
    name = step_id.replace("-", " ")
    return name if step is None else f"{name} ({step.kind})"


def _short(step_id: str) -> str:
    return step_id.replace("-", " ")


def path_figure(case: Case, taken: Sequence[str], recommended: Sequence[str], unsafe: Sequence[str] = ()) -> go.Figure:
    """Your path (left, labels to its left) and the recommended path (right, labels to its right),
    one row per step in order; the two columns sit close in the middle so the labels have the
    sides to themselves, even at phone width."""
    fig = go.Figure()
    on_path = set(recommended)
    columns = (("Your path", 0.0, taken, BLUE, "middle left"), ("Recommended", 0.5, recommended, GREEN, "middle right"))
    for name, x, path, colour, position in columns:
        symbols = []
        labels = []
        for i, step_id in enumerate(path):
            label = f"{i + 1}. {_short(step_id)}"
            if x == 0 and step_id in unsafe:
                symbols.append("x")
                label += " (unsafe)"
            elif x == 0 and step_id not in on_path:
                symbols.append("diamond-open")
                label += " (off path)"
            else:
                symbols.append("circle")
            labels.append(label)
        fig.add_trace(
            go.Scatter(
                x=[x] * len(path),
                y=list(range(len(path))),
                mode="lines+markers+text",
                name=name,
                line={"color": colour, "width": 2},
                marker={
                    "size": 13,
                    "symbol": symbols,
                    "color": [VERMILION if s == "x" else colour for s in symbols],
                    "line": {"width": 2, "color": colour},
                },
                text=labels,
                textposition=position,
                textfont={"size": 11, "color": BLACK},
                hovertext=[step_label(case, s) for s in path],
                hoverinfo="text",
                cliponaxis=False,
            )
        )
    rows = max(len(taken), len(recommended), 1)
    fig.update_layout(
        height=60 + 36 * rows,
        margin={"l": 6, "r": 6, "t": 10, "b": 6},
        showlegend=False,
        xaxis={"range": [-2.2, 2.7], "visible": False, "fixedrange": True},
        yaxis={"range": [rows - 0.5, -1.4], "visible": False, "fixedrange": True},
        annotations=[
            {"x": x, "y": -1, "text": f"<b>{name}</b>", "showarrow": False, "xanchor": anchor, "font": {"size": 12}}
            for name, x, anchor in (("Your path", 0.1, "right"), ("Recommended", 0.4, "left"))
        ],
        font={"size": 12},
        plot_bgcolor="white",
    )
    return fig


def path_alt(case: Case, taken: Sequence[str], recommended: Sequence[str], unsafe: Sequence[str] = ()) -> str:
    """The drawing in words: both paths and where they part.

    >>> from course.cases.loading import load_cases
    >>> case = load_cases().find("contraindication")
    >>> path_alt(case, ["greet", "history", "decision"], list(case.recommended))[:40]
    'Your path: 1. greet (choice); 2. history'
    """

    def listed(path: Sequence[str]) -> str:
        return "; ".join(f"{i + 1}. {step_label(case, s)}" for i, s in enumerate(path))

    text = f"Your path: {listed(taken)}. Recommended path: {listed(recommended)}."
    parted = next((i for i, (a, b) in enumerate(zip(taken, recommended, strict=False)) if a != b), None)
    if parted is None and list(taken) == list(recommended):
        text += " You followed the recommended path throughout."
    elif parted is not None:
        text += f" You left the recommended path at step {parted + 1} ({step_label(case, taken[parted])})."
    for step_id in unsafe:
        text += f" Your choice at {step_label(case, step_id)} was unsafe."
    return text
