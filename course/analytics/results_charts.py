"""The tutors' charts (pure builders returning a figure and its text alternative)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from course.palette import BLACK, BLUE, GREEN, VERMILION


@dataclass(frozen=True)
class Chart:
    """A figure and the sentence that describes it for someone who cannot see it."""

    figure: go.Figure
    alt: str


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": 15}},
        xaxis_title=x_title,
        yaxis_title=y_title,
        margin={"l": 40, "r": 10, "t": 50, "b": 40},
        height=320,
        showlegend=False,
        font={"size": 12},
    )
    return fig


def score_histogram(attempts: pd.DataFrame, quiz: str, pass_mark: float | None = None) -> Chart:
    """Distribution of scores (10-point bins), counts printed on the bars."""
    scores = attempts.loc[attempts["quiz"] == quiz, "percentage"].dropna().clip(0, 100)
    edges = np.arange(0, 101, 10)
    counts, _ = np.histogram(scores, bins=edges)
    labels = [f"{lo}–{lo + 10}" for lo in edges[:-1]]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=counts,
            text=counts,
            textposition="outside",
            marker={"color": BLUE, "pattern": {"shape": "/"}},
            hovertemplate="%{x}%: %{y} attempts<extra></extra>",
        )
    )
    _layout(fig, f"Scores in {quiz}", "score (%)", "attempts")
    fig.update_yaxes(range=[0, max(int(counts.max()), 1) * 1.2])  # room for the count above the tallest bar
    if pass_mark is not None:
        fig.add_vline(
            x=min(pass_mark // 10, 9) - 0.5 + (pass_mark % 10) / 10,
            line={"color": VERMILION, "dash": "dash", "width": 2},
            annotation_text=f"pass mark {pass_mark:g}%",
        )
    busiest = labels[int(counts.argmax())] if counts.sum() else "none"
    alt = (
        f"Bar chart of {int(counts.sum())} attempt scores in {quiz}, in 10-point bins. "
        + ", ".join(f"{label}%: {count}" for label, count in zip(labels, counts, strict=True))
        + f". Most attempts scored {busiest}%."
    )
    return Chart(fig, alt)


def attempts_over_time(attempts: pd.DataFrame, quiz: str) -> Chart:
    """Attempts per day, as labelled markers joined by a line."""
    days = attempts.loc[attempts["quiz"] == quiz, "day"].dropna()
    counts = days.value_counts().sort_index()
    counts.index = pd.DatetimeIndex(counts.index).strftime("%Y-%m-%d")
    fig = go.Figure(
        go.Scatter(
            x=list(counts.index),
            y=counts.to_numpy(),
            mode="lines+markers",
            line={"color": BLACK},
            marker={"color": BLUE, "symbol": "circle", "size": 8},
            hovertemplate="%{x}: %{y} attempts<extra></extra>",
        )
    )
    _layout(fig, f"Attempts per day in {quiz}", "day (UTC)", "attempts")
    fig.update_yaxes(rangemode="tozero")
    if counts.empty:
        alt = f"No attempts at {quiz} in the selected period."
    else:
        alt = (
            f"Line chart of attempts per day at {quiz}: {int(counts.sum())} attempts from {counts.index[0]} "
            f"to {counts.index[-1]}; the busiest day was {counts.idxmax()} with {int(counts.max())}."
        )
    return Chart(fig, alt)


def simulator_chart(table: pd.DataFrame) -> Chart:
    """Horizontal bars of mean distance from target per technique, values printed."""
    fig = go.Figure(
        go.Bar(
            x=table["mean_distance_mm"],
            y=table["technique"],
            orientation="h",
            text=[f"{v:.2f} mm" for v in table["mean_distance_mm"]],
            textposition="auto",
            marker={"color": GREEN, "pattern": {"shape": "."}},
            hovertemplate="%{y}: %{x:.2f} mm<extra></extra>",
        )
    )
    _layout(fig, "Mean distance from the target depth", "mm from target", "technique")
    alt = "Mean distance from the target depth by technique: " + ", ".join(
        f"{t} {d:.2f} mm ({n} drills)"
        for t, d, n in zip(table["technique"], table["mean_distance_mm"], table["drills"], strict=True)
    )
    return Chart(fig, alt)

