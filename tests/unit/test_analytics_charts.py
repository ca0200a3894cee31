"""The progress figures: nothing told by colour alone, and a text twin for each."""

from __future__ import annotations

import pandas as pd

from course.analytics.learner import mastery, select_attempts, select_progress
from course.analytics.learner_charts import band, mastery_alt, mastery_figure, scores_alt, scores_figure
from course.palette import OKABE_ITO
from tests.helpers.learner_tables import ATTEMPTS, QUESTIONS, RESPONSES

TITLES = {"history": "History", "safety": "Safety", "simulator": "Needle simulator drill"}


def test_scores_figure_one_trace_per_quiz_with_shape_and_fill() -> None:
    fig = scores_figure(select_attempts(ATTEMPTS, "ada"), TITLES)
    traces = {trace.name: trace for trace in fig.data}
    assert set(traces) == {"History", "Safety"}  # the drill has no readable time: left out
    history = traces["History"]
    assert list(history.y) == [50.0, 100.0]
    assert list(history.marker.symbol) == ["circle-open", "circle"]  # not passed, then passed
    assert traces["Safety"].marker.symbol == ("square-open",)
    long = "Depth, angle and needle: the geometry of an injection"
    (trace,) = scores_figure(select_attempts(ATTEMPTS, "ada"), {"history": long}).data[:1]
    assert trace.name == "Depth, angle and needle: the geometry of an<br>injection"
    assert {trace.line.color for trace in fig.data} <= set(OKABE_ITO)
    assert all(trace.showlegend for trace in fig.data)


def test_scores_alt_says_what_the_chart_shows() -> None:
    text = scores_alt(select_attempts(ATTEMPTS, "ada"), TITLES)
    assert text.startswith("4 attempts, 2 passed.")
    assert "From 01 Mar 2026 to 03 Mar 2026." in text
    assert "Latest: Safety, 0% (not passed)." in text and "Best: History, 100%." in text
    assert scores_alt(select_attempts(ATTEMPTS, "nobody"), TITLES) == "You have no attempts yet."


def test_mastery_bars_carry_their_value_band_and_pattern() -> None:
    table = mastery(select_progress(ATTEMPTS, RESPONSES, "ada"), QUESTIONS)
    labels = {("history", "key-dates"): "Lesson 2: Key dates", ("safety", "asepsis"): "Lesson 8: Asepsis"}
    fig = mastery_figure(table, labels)
    (bars,) = fig.data
    assert list(bars.x) == [100.0, 0.0]
    assert list(bars.text) == ["100% · strong", "0% · to revise"]
    assert list(bars.marker.pattern.shape) == ["", "x"]
    assert [a.text for a in fig.layout.annotations] == ["Lesson 2: Key dates", "Lesson 8: Asepsis"]
    alt = mastery_alt(table, labels)
    assert "- Lesson 2: Key dates: 100% (strong)" in alt and "- Lesson 8: Asepsis: 0% (to revise)" in alt


def test_long_labels_wrap_and_are_never_cut() -> None:
    table = pd.DataFrame({"lesson": ["l", "m"], "objective": ["o", "p"], "share": [0.6, 1.0]})
    label = "Lesson 3: Give sourced thickness ranges for the dermis of the face, the neck, the scalp and the body"
    fig = mastery_figure(table, {("l", "o"): label, ("m", "p"): "Lesson 4: Short"})
    long, short = fig.layout.annotations
    assert long.text.count("<br>") == 2 and "…" not in long.text
    assert long.text.replace("<br>", " ") == label and short.text == "Lesson 4: Short"
    assert fig.layout.height == int(90 + (56 + 16 * 3) * 2.6)  # rows as tall as the longest name
    assert list(fig.layout.xaxis.tickvals) == [0, 20, 40, 60, 80, 100] and fig.layout.xaxis.range[1] > 100


def test_bands() -> None:
    assert band(0.8)[0] == "strong" and band(0.79)[0] == "getting there" and band(0.49)[0] == "to revise"
