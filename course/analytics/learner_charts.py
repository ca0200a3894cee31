"""Figures of a learner's progress (pure builders returning ``go.Figure``) and their text twins.

Okabe–Ito colours, and never colour alone: each quiz also has its own marker shape and a
legend entry, a passed attempt is a filled marker and a failed one an open marker, and the
mastery bars carry their percentage and a band pattern. Readable at 390 px wide: legend
below the plot, short labels, small margins.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from datetime import UTC, date, timedelta, tzinfo

import pandas as pd
import plotly.graph_objects as go

from course.clock import zone_label
from course.palette import BLACK, BLUE, GREEN, ORANGE, SERIES, VERMILION
from course.simulator.figures import figure_layout  # one look (typeface, margins) for every figure of the course

SYMBOLS = ("circle", "square", "diamond", "triangle-up", "star", "hexagon", "pentagon", "triangle-down", "cross")
# mastery bands: (lower bound, name, colour, pattern)
BANDS = ((0.8, "strong", GREEN, ""), (0.5, "getting there", ORANGE, "/"), (0.0, "to revise", VERMILION, "x"))
LABEL_WIDTH = 44  # characters per label line: a line fits a 390 px screen
LINE_PX = 16  # height of a 12 px label line
ROW_PX = 56  # a mastery row besides its label's lines: the bar and the gaps
BAR_SHARE = 0.3  # a bar's height, as a share of its row


def _layout(fig: go.Figure, title: str, height: int) -> None:
    fig.update_layout(**figure_layout(title, height), legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0})


def scores_figure(attempts: pd.DataFrame, titles: Mapping[str, str], zone: tzinfo = UTC) -> go.Figure:
    """Percentage per attempt over time, one trace (colour + marker shape) per quiz; a passed
    attempt is a filled marker, a failed one an open marker.

    ``attempts`` as :func:`course.analytics.learner.select_attempts` returns them (``when``,
    ``quiz``, ``percentage``, ``passed``); attempts without a readable time are left out. The
    time axis and the hover text are in ``zone`` (the learner's), named in the hover text.
    """
    fig = go.Figure()
    timed = attempts[attempts["when"].notna()]
    # Plotly draws a time as the wall-clock time it is written with: give it the local one, without offset
    timed = timed.assign(when=pd.to_datetime(timed["when"], utc=True).dt.tz_convert(zone).dt.tz_localize(None))
    label = zone_label(zone)
    for index, (quiz, rows) in enumerate(timed.groupby("quiz", sort=False)):
        symbol = SYMBOLS[index % len(SYMBOLS)]
        name = titles.get(str(quiz), str(quiz))
        fig.add_trace(
            go.Scatter(
                x=rows["when"],
                y=rows["percentage"],
                mode="lines+markers",
                name="<br>".join(_lines(name)),  # a long quiz title wraps in the legend (cut at 390 px)
                showlegend=True,
                line={"color": SERIES[index % len(SERIES)], "width": 1.5},
                marker={
                    "size": 11,
                    "symbol": [symbol if passed else f"{symbol}-open" for passed in rows["passed"]],
                    "line": {"width": 2},
                },
                customdata=["passed" if passed else "not passed" for passed in rows["passed"]],
                hovertemplate=(
                    f"{name}<br>%{{x|%d %b %Y %H:%M}} ({label})<br>%{{y:.0f}}%% (%{{customdata}})<extra></extra>"
                ),
            )
        )
    _layout(fig, "Score per attempt (%)", 380)
    fig.update_yaxes(range=[-5, 105], gridcolor="#dddddd", fixedrange=True)
    fig.update_xaxes(gridcolor="#eeeeee", fixedrange=True, tickformat="%d %b", nticks=6)
    if not timed.empty and timed["when"].max() - timed["when"].min() < pd.Timedelta(days=2):
        middle = timed["when"].min() + (timed["when"].max() - timed["when"].min()) / 2
        fig.update_xaxes(range=[middle - pd.Timedelta(days=2), middle + pd.Timedelta(days=2)])
    return fig


def scores_alt(attempts: pd.DataFrame, titles: Mapping[str, str]) -> str:
    """The scores chart in words: how many attempts, over what time, latest and best."""
    if attempts.empty:
        return "You have no attempts yet."
    timed = attempts[attempts["when"].notna()]
    passed = int(attempts["passed"].sum())
    text = [f"{len(attempts)} attempts, {passed} passed."]
    if not timed.empty:
        first, last = timed["when"].min(), timed["when"].max()
        latest = timed.iloc[-1]
        text.append(f"From {first:%d %b %Y} to {last:%d %b %Y}.")
        text.append(
            f"Latest: {titles.get(latest['quiz'], latest['quiz'])}, {latest['percentage']:.0f}% "
            f"({'passed' if latest['passed'] else 'not passed'})."
        )
    best = attempts.iloc[int(attempts["percentage"].to_numpy().argmax())]  # the first best, in file order
    text.append(f"Best: {titles.get(best['quiz'], best['quiz'])}, {best['percentage']:.0f}%.")
    return " ".join(text)


def band(share: float) -> tuple[str, str, str]:
    """(name, colour, pattern) of a mastery share in [0, 1]."""
    for lower, name, colour, pattern in BANDS:
        if share >= lower:
            return name, colour, pattern
    return BANDS[-1][1:]  # pragma: no cover (shares are never negative)


def mastery_figure(table: pd.DataFrame, labels: Mapping[tuple[str, str], str]) -> go.Figure:
    """One bar per objective: the share of the points earned, its percentage and band written
    on it, and the objective's name above it (so the bars keep the full width at 390 px).

    ``table`` as :func:`course.analytics.learner.mastery` returns it; ``labels`` names each
    (lesson, objective) for a reader.
    """
    keys = list(zip(table["lesson"].astype(str), table["objective"].astype(str), strict=True))
    names = [labels.get((lesson, objective), f"{lesson}: {objective}") for lesson, objective in keys]
    shares = [float(share) for share in table["share"]]
    styles = [band(share) for share in shares]
    positions = list(range(len(names)))
    fig = go.Figure(
        go.Bar(
            x=[share * 100 for share in shares],
            y=positions,
            width=BAR_SHARE,
            orientation="h",
            marker={
                "color": [s[1] for s in styles],
                "pattern": {"shape": [s[2] for s in styles], "fgcolor": BLACK, "fgopacity": 0.35},
                "line": {"color": BLACK, "width": 1},
            },
            text=[f"{share:.0%} · {s[0]}" for share, s in zip(shares, styles, strict=True)],
            textposition=["inside" if share >= 0.4 else "outside" for share in shares],
            insidetextanchor="start",
            textfont={"color": BLACK},
            customdata=names,
            hovertemplate="%{customdata}<br>%{x:.0f}% of the points<extra></extra>",
        )
    )
    wrapped = [_lines(name) for name in names]
    most = max([len(lines) for lines in wrapped] + [1])  # every objective is read whole: rows fit the longest
    row_px = ROW_PX + LINE_PX * most
    for position, lines in zip(positions, wrapped, strict=True):
        fig.add_annotation(
            x=0,
            y=position,
            yshift=BAR_SHARE * row_px / 2 + 4,  # just above its bar's top edge
            yanchor="bottom",
            xanchor="left",
            text="<br>".join(lines),
            showarrow=False,
            font={"size": 12},
            align="left",
        )
    # the y range is len(names) + 0.6 rows tall; the layout's margins take about 90 px
    _layout(fig, "Share of the points earned per objective", int(90 + row_px * (max(len(names), 1) + 0.6)))
    fig.update_xaxes(  # room past 100 so its tick label is drawn
        range=[0, 104], tickvals=list(range(0, 101, 20)), ticksuffix="%", gridcolor="#dddddd", fixedrange=True
    )
    fig.update_yaxes(visible=False, range=[len(names) - 0.4, -1.0], fixedrange=True)
    return fig


def _lines(text: str) -> list[str]:
    """An objective's name in lines that fit a 390 px screen, all of them (never cut)."""
    return textwrap.wrap(text, LABEL_WIDTH) or [""]


def mastery_alt(table: pd.DataFrame, labels: Mapping[tuple[str, str], str]) -> str:
    """The mastery chart in words: every objective with its share and band."""
    if table.empty:
        return "No objective has been assessed yet."
    rows = zip(table["lesson"].astype(str), table["objective"].astype(str), table["share"].astype(float), strict=True)
    lines = [
        f"- {labels.get((lesson, objective), objective)}: {share:.0%} ({band(share)[0]})"
        for lesson, objective, share in rows
    ]
    return "Share of the points earned per objective:\n" + "\n".join(lines)


def _band_text(low: float, high: float) -> str:
    """``"below 67%"``, ``"67 to 80%"``, ``"above 80%"``: an ideal band in words."""
    if low <= 0:
        return f"below {high:.0%}"
    if high >= 1:
        return f"above {low:.0%}"
    return f"{low * 100:.0f} to {high:.0%}"


def calibration_figure(table: pd.DataFrame) -> go.Figure:
    """Accuracy by certainty: one bar per certainty (1, 2, 3) with the share of its answers that
    were right, over a shaded band where that certainty earns the most (LAPT: 1 below 67% right,
    2 from 67 to 80%, 3 above 80%). Each bar carries its percentage, its count and its verdict in
    words, so the colour is never the only carrier.

    ``table`` as :func:`course.analytics.learner.calibration` returns it.
    """
    positions = list(range(len(table)))
    fig = go.Figure()
    for position, low, high in zip(positions, table["low"], table["high"], strict=True):
        fig.add_shape(
            type="rect",
            x0=position - 0.42,
            x1=position + 0.42,
            y0=float(low) * 100,
            y1=float(high) * 100,
            fillcolor=GREEN,
            opacity=0.22,
            line={"color": GREEN, "width": 1.5, "dash": "dot"},
            layer="below",
        )
    fig.add_trace(  # the bands' legend entry (shapes have none)
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            name="where this certainty earns the most",
            marker={"symbol": "square", "size": 14, "color": GREEN, "opacity": 0.35},
            hoverinfo="skip",
        )
    )
    shares = [None if pd.isna(share) else float(share) * 100 for share in table["share"]]
    fig.add_trace(
        go.Bar(
            x=positions,
            y=[0 if share is None else share for share in shares],
            width=0.45,
            name="your answers right",
            marker={"color": BLUE, "line": {"color": BLACK, "width": 1}},
            text=[
                "no answers" if share is None else f"{share:.0f}% · {right} of {answers}<br>{verdict}"
                for share, right, answers, verdict in zip(
                    shares, table["right"], table["answers"], table["verdict"], strict=True
                )
            ],
            textposition="outside",
            constraintext="none",  # keep the text readable, wider than its bar
            textfont={"color": BLACK, "size": 12},
            cliponaxis=False,
            customdata=table["label"],
            hovertemplate="Certainty %{customdata}<br>%{y:.0f}% right<extra></extra>",
        )
    )
    _layout(fig, "How often you were right at each certainty", 420)
    fig.update_layout(legend={"y": -0.24})  # below the axis title
    fig.update_xaxes(tickvals=positions, ticktext=list(table["label"]), title_text="certainty", fixedrange=True)
    ticks = [0, 20, 40, 60, 80, 100]
    fig.update_yaxes(
        range=[0, 118], tickvals=ticks, ticktext=[f"{t}%" for t in ticks], gridcolor="#dddddd", fixedrange=True
    )
    return fig


def calibration_alt(table: pd.DataFrame) -> str:
    """The calibration chart in words: per certainty, how many answers, the share right, the
    band where it earns the most, and what that says."""
    if int(table["answers"].sum()) == 0:
        return "You have not answered a question with a certainty yet."
    lines = []
    for row in table.to_dict("records"):
        band_text = _band_text(float(row["low"]), float(row["high"]))
        label = row["label"]
        if not row["answers"]:
            lines.append(f"- Certainty {label}: no answers yet (best when you are right {band_text} of the time).")
            continue
        lines.append(
            f"- Certainty {label}: {row['right']} of {row['answers']} right ({float(row['share']):.0%}); "
            f"it earns the most when you are right {band_text} of the time: {row['verdict']}."
        )
    return "How often you were right at each certainty:\n" + "\n".join(lines)


def forecast_figure(counts: Sequence[int], today: date) -> go.Figure:
    """Review cards coming due on each of the next days (the first bar holds today and the overdue).

    Bars carry their count as text, so the figure reads without colour.
    """
    days = [today + timedelta(days=offset) for offset in range(len(counts))]
    fig = go.Figure(
        go.Bar(
            x=[d.isoformat() for d in days],
            y=list(counts),
            text=[str(c) if c else "" for c in counts],
            textposition="outside",
            marker={"color": BLUE, "pattern": {"shape": "/"}},
            hovertemplate="%{x}: %{y} cards due<extra></extra>",
        )
    )
    _layout(fig, f"Cards due over the next {len(counts)} days", 300)
    fig.update_layout(showlegend=False, bargap=0.15)
    fig.update_xaxes(tickformat="%d %b", title=None)
    fig.update_yaxes(
        title="cards", rangemode="tozero", range=[0, max([*counts, 1]) * 1.25], dtick=max(1, max([*counts, 1]) // 4)
    )
    return fig


def forecast_alt(counts: Sequence[int], today: date) -> str:
    """The forecast in words: today's count, the week's, the month's and the busiest day.

    >>> forecast_alt([2, 0, 1], date(2026, 3, 10))[:60]
    'Cards due: 2 today (overdue ones included), 3 in the next 7 '
    """
    total = sum(counts)
    if total == 0:
        return f"No cards are due in the next {len(counts)} days."
    busiest = max(range(len(counts)), key=lambda i: (counts[i], -i))
    day = (today + timedelta(days=busiest)).isoformat()
    week = sum(counts[:7])
    return (
        f"Cards due: {counts[0]} today (overdue ones included), {week} in the next 7 days, "
        f"{total} in the next {len(counts)} days; busiest day {day} with {counts[busiest]}."
    )
