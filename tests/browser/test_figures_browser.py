"""The lesson figures at phone width (390 px) in Chromium: no label covers another or a line.

Measured as painted: each label's box (layer names, source labels, tags, title and subtitle)
against every other, and the lesson figures' lines (needles, threads, source bars, arrows)
against every label. The simulators embedded in the injection-depth lesson are drawn by their
own browser component (tests/browser/test_simulator_browser.py), not by Plotly.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_no_exception, chart_labels, crossed, open_page, overlapping
from tests.browser.server import PHONE

LESSON_FIGURE = re.compile(r"side view|top view|Depth = sin")  # titles of the figures a lesson draws
LESSONS = [("lesson-techniques", 9), ("lesson-injection-depth", 1)]  # intra-epidermal's top view is a sentence


def chart_problems(page: Page, url: str, charts: int, lines: bool, shots: Path) -> list[str]:
    """What covers what in each chart of a page at phone width (screenshots of the charts concerned)."""
    page.set_viewport_size(PHONE)
    open_page(page, url)
    chart = page.get_by_test_id("stPlotlyChart")
    expect(chart.locator(".main-svg:first-child")).to_have_count(charts, timeout=30_000)
    problems = []
    for i in range(charts):
        chart.nth(i).scroll_into_view_if_needed()
        boxes, paths = chart_labels(chart.nth(i))
        title = next((name.split(": ", 1)[1][:45] for name in boxes if LESSON_FIGURE.search(name)), f"chart {i}")
        found = [] if lines else [f"{a[:50]!r} covers {b[:50]!r}" for a, b in overlapping(boxes)]
        if lines and LESSON_FIGURE.search(title):
            found += [f"a line runs through {name[:50]!r}" for name in crossed(boxes, paths)]
        if found:
            chart.nth(i).screenshot(path=str(shots / f"chart-{i}.png"))
            problems += [f"{title}: {problem}" for problem in found]
    assert_no_exception(page)
    return problems


@pytest.mark.parametrize(("lesson", "charts"), LESSONS)
def test_no_label_covers_another_at_phone_width(server, browser_context, lesson, charts, tmp_path) -> None:
    problems = chart_problems(browser_context.new_page(), server.url(lesson), charts, False, tmp_path)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(("lesson", "charts"), LESSONS)
def test_no_line_runs_through_a_label_at_phone_width(server, browser_context, lesson, charts, tmp_path) -> None:
    problems = chart_problems(browser_context.new_page(), server.url(lesson), charts, True, tmp_path)
    assert problems == [], "\n".join(problems)
