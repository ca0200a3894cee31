"""The debrief's drawing: the path the learner took beside the recommended path (Plotly).

A pure builder, tested by its traces: two columns of numbered steps, read top to bottom, with
the steps that left the recommended path drawn as open diamonds and an unsafe choice marked
with a cross and the word "unsafe" (never colour alone). :func:`path_alt` says the same in words.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from course.cases.models import Case
from course.palette import BLUE, GREEN, VERMILION


def step_label(case: Case, step_id: str) -> str:
    """A step as a reader names it: its id with hyphens as spaces, and its kind."""
    step = case.steps.get(step_id)
    name = step_id.replace("-", " ")
    return name if step is None else f"{name} ({step.kind})"


def path_figure(case: Case, taken: Sequence[str], recommended: Sequence[str], unsafe: Sequence[str] = ()) -> go.Figure:
    """Your path (left) and the recommended path (right), one row per step in order."""
    fig = go.Figure()
    on_path = set(recommended)
    columns = (("Your path", 0, taken, BLUE), ("Recommended", 1, recommended, GREEN))
    for name, x, path, colour in columns:
        ys = list(range(len(path)))
        symbols = []
        labels = []
        for step_id in path:
            if x == 0 and step_id in unsafe:
                symbols.append("x")
                labels.append(f"{step_label(case, step_id)} — unsafe")
            elif x == 0 and step_id not in on_path:
                symbols.append("diamond-open")
                labels.append(f"{step_label(case, step_id)} — off the recommended path")
            else:
                symbols.append("circle")
                labels.append(step_label(case, step_id))
        fig.add_trace(
            go.Scatter(
                x=[x] * len(path),
                y=ys,
                mode="lines+markers+text",
                name=name,
                line={"color": colour, "width": 2},
                marker={
                    "size": 14,
                    "symbol": symbols,
                    "color": [VERMILION if s == "x" else colour for s in symbols],
                    "line": {"width": 2, "color": colour},
                },
                text=[f"{i + 1}. {label}" for i, label in enumerate(labels)],
                textposition="middle right",
                textfont={"size": 11},
                hoverinfo="text",
                cliponaxis=False,
            )
        )
    rows = max(len(taken), len(recommended), 1)
    fig.update_layout(
        height=70 + 42 * rows,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        showlegend=False,
        xaxis={
            "range": [-0.15, 2.0],
            "tickvals": [0, 1],
            "ticktext": ["Your path", "Recommended"],
            "side": "top",
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        },
        yaxis={"autorange": "reversed", "visible": False, "fixedrange": True},
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
