"""The needle simulator in Chromium: change the angle, the verdict changes, the chart is painted."""

from __future__ import annotations

import io

from PIL import Image
from playwright.sync_api import expect

from tests.browser.helpers import (
    assert_no_exception,
    chart_labels,
    flatten_needle_to_on_target,
    open_page,
    overlapping,
    verdict,
)


def painted_share(png: bytes) -> tuple[float, int]:
    """Share of non-white pixels in a screenshot, and how many distinct colours it holds."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    histogram = image.convert("L").histogram()
    inked = sum(histogram[:235])
    return inked / sum(histogram), len(image.getcolors(maxcolors=1 << 24) or ())


def test_changing_the_angle_changes_the_verdict_and_the_chart_is_painted(server, browser_page, tmp_path) -> None:
    page = browser_page
    open_page(page, server.url("simulator"))
    expect(page.get_by_role("heading", name="Needle simulator")).to_be_visible()
    # defaults: forehead, intra-epidermal, a 4 mm needle at 45° -> 2.83 mm, far below the epidermis
    expect(verdict(page, "Too deep by 2.78 mm — you are in the hypodermis.")).to_be_visible()
    chart = page.get_by_test_id("stPlotlyChart").first
    expect(chart.locator(".main-svg").first).to_be_visible()
    before = chart.screenshot(path=str(tmp_path / "before.png"))

    flatten_needle_to_on_target(page)
    assert_no_exception(page)

    page.screenshot(path=str(tmp_path / "simulator.png"), full_page=True)
    after = chart.screenshot(path=str(tmp_path / "after.png"))
    share, colours = painted_share(after)
    assert share > 0.2, f"chart area looks blank ({share:.0%} painted)"
    assert colours > 50  # layer colours, patterns, text: not a flat placeholder
    assert before != after  # the needle moved


def test_simulator_reads_at_phone_width(server, browser_context, tmp_path) -> None:
    page = browser_context.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, server.url("simulator"))
    chart = page.get_by_test_id("stPlotlyChart").first
    chart.scroll_into_view_if_needed()
    expect(chart.locator(".main-svg").first).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] <= 390
    share, _ = painted_share(chart.screenshot(path=str(tmp_path / "phone.png")))
    assert share > 0.1
    # The drawing fills its chart: with the aspect locked by shrinking the plot box, the plot
    # area was 37% of the chart's height at 390 px, the rest a blank band.
    plot = chart.locator(".nsewdrag").first.bounding_box()
    assert plot is not None
    assert plot["height"] > 0.5 * box["height"], f"plot {plot['height']:.0f} of {box['height']:.0f} px high"
    assert plot["width"] > 0.75 * box["width"], f"plot {plot['width']:.0f} of {box['width']:.0f} px wide"
    assert 300 <= box["height"] <= 600
    # No label covers another: the layer labels (text of a trace), annotations (TARGET tag;
    # the tip label used to cover the hypodermis label), the max-depth line's label and the
    # title with its subtitle.
    boxes, _ = chart_labels(chart)
    assert len(boxes) >= 6, list(boxes)  # four layers, TARGET, title (and subtitle)
    assert overlapping(boxes) == []
    expect(verdict(page, "Too deep by 2.78 mm")).to_be_visible()
    assert_no_exception(page)
