"""The tutors' charts (pure builders returning a figure and its text alternative)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from course.palette import BLUE, GREEN, VERMILION


@dataclass(frozen=True)
class Chart:
    """A figure and the sentence that describes it for someone who cannot see it."""

    figure: go.Figure
    alt: str


def _plural(count: int, word: str) -> str:
    """``1 attempt``, ``2 attempts``."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _whole_counts(fig: go.Figure, most: int) -> None:
    """A count axis with whole-number ticks only (no 0.2 or 1.2 attempts)."""
    fig.update_yaxes(tickformat="d", dtick=max(1, -(-most // 5)))


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


def score_histogram(
    attempts: pd.DataFrame, quiz: str, pass_mark: float | None = None, title: str | None = None
) -> Chart:
    """Distribution of scores (10-point bins), counts printed on the bars; ``title`` names the quiz."""
    name = title or quiz
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
    _layout(fig, f"Scores in {name}", "score (%)", "attempts")
    fig.update_yaxes(range=[0, max(int(counts.max()), 1) * 1.2])  # room for the count above the tallest bar
    _whole_counts(fig, int(counts.max()))
    if pass_mark is not None:
        fig.add_vline(
            x=min(pass_mark // 10, 9) - 0.5 + (pass_mark % 10) / 10,
            line={"color": VERMILION, "dash": "dash", "width": 2},
            annotation_text=f"pass mark {pass_mark:g}%",
        )
    busiest = labels[int(counts.argmax())] if counts.sum() else "none"
    alt = (
        f"Bar chart of {_plural(int(counts.sum()), 'attempt score')} in {name}, in 10-point bins. "
        + ", ".join(f"{label}%: {count}" for label, count in zip(labels, counts, strict=True))
        + f". Most attempts scored {busiest}%."
    )
    return Chart(fig, alt)


DAY_MS = 86_400_000


def attempts_over_time(attempts: pd.DataFrame, quiz: str, title: str | None = None) -> Chart:
    """Attempts per day as bars on a date axis, one tick per day (or per month over long periods)."""
    name = title or quiz
    days = attempts.loc[attempts["quiz"] == quiz, "day"].dropna()
    counts = days.value_counts().sort_index()
    index = pd.DatetimeIndex(counts.index)
    labels = index.strftime("%Y-%m-%d")
    fig = go.Figure(
        go.Bar(
            x=list(labels),
            y=counts.to_numpy(),
            text=counts.to_numpy(),
            textposition="outside",
            marker={"color": BLUE, "pattern": {"shape": "/"}},
            hovertemplate="%{x|%d %b %Y}: %{y} attempts<extra></extra>",
            width=[DAY_MS * 0.8] * len(counts),  # a day wide: alone on a date axis a bar is a hairline
        )
    )
    _layout(fig, f"Attempts per day in {name}", "day (UTC)", "attempts")
    fig.update_yaxes(rangemode="tozero", range=[0, max(int(counts.max()) if len(counts) else 1, 1) * 1.25])
    _whole_counts(fig, int(counts.max()) if len(counts) else 1)
    span_days = (index.max() - index.min()).days if len(index) else 0
    if span_days <= 31:  # a tick per day, never a time of day
        fig.update_xaxes(type="date", dtick=DAY_MS, tickformat="%d %b")
        if span_days < 3:  # a single day is a bar with room around it, not a line
            around = (index.min() - pd.Timedelta(days=2), index.max() + pd.Timedelta(days=2))
            fig.update_xaxes(range=[day.strftime("%Y-%m-%d") for day in around])
    else:
        fig.update_xaxes(type="date", dtick="M1", tickformat="%b %Y")
    if counts.empty:
        alt = f"No attempts at {name} in the selected period."
    else:
        alt = (
            f"Bar chart of attempts per day at {name}: {_plural(int(counts.sum()), 'attempt')} from {labels[0]} "
            f"to {labels[-1]}; the busiest day was {labels[int(counts.to_numpy().argmax())]} with "
            f"{int(counts.max())}."
        )
    return Chart(fig, alt)


def simulator_chart(table: pd.DataFrame, labels: Mapping[str, str] | None = None) -> Chart:
    """Horizontal bars of mean distance from target per technique (named by ``labels``), values printed."""
    labels = labels or {}
    names = [labels.get(str(t), str(t)) for t in table["technique"]]
    fig = go.Figure(
        go.Bar(
            x=table["mean_distance_mm"],
            y=names,
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
        for t, d, n in zip(names, table["mean_distance_mm"], table["drills"], strict=True)
    )
    return Chart(fig, alt)
