"""The tutors' case chart: how many learners took each branch of a case (a Plotly Sankey)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from course.analytics.results_charts import Chart
from course.cases.figures import step_label
from course.cases.models import Case
from course.palette import BLUE, SKY_BLUE


def branch_sankey(case: Case, branches: pd.DataFrame) -> Chart:
    """Steps as nodes, each branch as a band as wide as the learners who took it."""
    nodes = list(dict.fromkeys([*branches["source"], *branches["target"]]))
    index = {n: i for i, n in enumerate(nodes)}
    figure = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": [step_label(case, n) for n in nodes],
                "color": BLUE,
                "pad": 14,
                "thickness": 14,
            },
            link={
                "source": [index[s] for s in branches["source"]],
                "target": [index[t] for t in branches["target"]],
                "value": [int(v) for v in branches["learners"]],
                "color": SKY_BLUE,
                "label": [f"{v} learner(s)" for v in branches["learners"]],
            },
        )
    )
    figure.update_layout(
        title={"text": f"Branches taken: {case.title}", "font": {"size": 14}},
        height=max(320, 40 * len(nodes)),
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        font={"size": 11},
    )
    parts = [
        f"{step_label(case, s)} to {step_label(case, t)}: {int(v)} learner{'s' if v != 1 else ''}"
        for s, t, v in zip(branches["source"], branches["target"], branches["learners"], strict=True)
    ]
    alt = f"Branches taken in the case '{case.title}', most travelled first: " + "; ".join(parts) + "."
    return Chart(figure, alt)
