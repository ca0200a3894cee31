"""The needle simulator in Chromium: the browser draws and moves the needle, the server judges it.

The drawing is an ``st.components.v2`` component (views/parts/needle_view.js): its SVG carries
the placement it drew (``data-angle``, ``data-length``, ``aria-valuenow``), and the verdict is the
server's, in a Streamlit alert below it.
"""

from __future__ import annotations

import io
import re

from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    ANGLE_INPUT,
    LENGTH_INPUT,
    assert_no_exception,
    nav_link,
    needle_drawing,
    open_page,
    sign_up,
    type_needle,
    verdict,
    wait_idle,
)
from tests.browser.server import DESKTOP, PHONE

START = "On target — you are in the epidermis."  # forehead, intra-epidermal: the technique's default needle


def painted_share(png: bytes) -> tuple[float, int]:
    """Share of non-white pixels in a screenshot, and how many distinct colours it holds."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    histogram = image.convert("L").histogram()
    inked = sum(histogram[:235])
    return inked / sum(histogram), len(image.getcolors(maxcolors=1 << 24) or ())


def drawn(page: Page) -> tuple[float, float]:
    svg = needle_drawing(page)
    return float(svg.get_attribute("data-angle") or "nan"), float(svg.get_attribute("data-length") or "nan")


def drag(page: Page, start: tuple[float, float], end: tuple[float, float], release: bool = True) -> None:
    """Drag on the drawing between two points given as shares of its width and height."""
    box = needle_drawing(page).bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * start[0], box["y"] + box["height"] * start[1])
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * end[0], box["y"] + box["height"] * end[1], steps=8)
    if release:
        page.mouse.up()


def test_dragging_moves_the_needle_and_the_server_gives_the_verdict(server, browser_page, tmp_path) -> None:
    page = browser_page
    open_page(page, server.url("simulator"))
    expect(verdict(page, START)).to_be_visible()
    expect(needle_drawing(page)).to_have_attribute("data-angle", "1")  # the default placement, from the model
    assert drawn(page) == (1, 1.3)
    before = needle_drawing(page).screenshot(path=str(tmp_path / "before.png"))

    drag(page, (0.5, 0.3), (0.6, 0.4), release=False)
    angle, length = drawn(page)
    assert angle > 5 and length > 3  # redrawn while the pointer is still down...
    expect(verdict(page, START)).to_be_visible()  # ...and nothing judged yet: the browser only draws
    page.mouse.up()
    wait_idle(page)
    expect(verdict(page, "Too deep")).to_be_visible()  # the server's verdict for the released placement
    expect(verdict(page, START)).to_have_count(0)
    # the number inputs hold what the browser sent: the placement the server judged
    expect(page.get_by_role("spinbutton", name=ANGLE_INPUT)).to_have_value(f"{angle:g}")
    expect(page.get_by_role("spinbutton", name=LENGTH_INPUT)).to_have_value(f"{length:.1f}")
    after = needle_drawing(page).screenshot(path=str(tmp_path / "after.png"))
    share, colours = painted_share(after)
    assert share > 0.5 and colours > 20, (share, colours)  # layers, patterns, needle: not a blank box
    assert before != after
    assert_no_exception(page)


def test_arrow_keys_step_the_needle_and_typed_values_move_it(server, browser_page) -> None:
    page = browser_page
    open_page(page, server.url("simulator"))
    expect(verdict(page, START)).to_be_visible()
    svg = needle_drawing(page)
    expect(svg).to_have_attribute("data-length", "1.3")
    svg.focus()
    for _ in range(3):
        page.keyboard.press("ArrowUp")  # angle +1° each
    page.keyboard.press("ArrowRight")  # length +0.1 mm
    assert drawn(page) == (4, 1.4)
    expect(svg).to_have_attribute("aria-valuenow", "4")
    expect(svg).to_have_attribute("aria-valuetext", "angle 4°, length 1.4 mm, tip 0.10 mm deep")
    # after a short pause the placement goes to the server, which judges it and says so
    expect(verdict(page, "Too deep by 0.05 mm — you are in the dermis.")).to_be_visible()
    expect(page.locator(".nv-live").first).to_have_text("Needle at angle 4°, length 1.4 mm, tip 0.10 mm deep.")
    type_needle(page, 30, 2)  # the keyboard alternative: typed values redraw the needle
    expect(svg).to_have_attribute("data-angle", "30")
    expect(svg).to_have_attribute("data-length", "2")
    expect(verdict(page, "Too deep by 0.95 mm — you are in the hypodermis.")).to_be_visible()
    assert_no_exception(page)


def test_a_drill_hides_labels_and_target_until_submitted(server, browser_context) -> None:
    page = browser_context.new_page()
    sign_up(page, server.base_url, "drill-browser", "Dana Drill")
    nav_link(page, "Needle simulator").click()
    wait_idle(page)
    page.get_by_text("Drill (scored)").click()
    # the free practice's drawing (with its labels) stays until the drill's run has drawn
    expect(page.get_by_role("button", name="Submit placement")).to_be_visible()
    wait_idle(page)
    view = page.locator(".needle-view").first
    expect(view.locator("svg.nv-svg rect.nv-band").first).to_be_attached()
    assert [t for t in view.locator("text.nv-label").all_text_contents() if "mm:" not in t] == []  # no layer name
    expect(view.locator(".nv-target-box")).to_have_count(0)
    expect(view).not_to_contain_text("TARGET")
    html = view.evaluate("node => node.outerHTML").lower()
    assert "dermis" not in html and "epidermis" not in html  # not hidden by CSS: never sent
    drag(page, (0.3, 0.2), (0.4, 0.25))
    wait_idle(page)
    page.get_by_role("button", name="Submit placement").click()
    wait_idle(page)
    expect(page.get_by_text("Score:")).to_be_visible()
    result = page.locator(".needle-view").first
    expect(result.locator(".nv-target-box")).to_have_count(1)
    expect(result).to_contain_text("TARGET")
    expect(result).to_contain_text(re.compile("dermis", re.IGNORECASE))  # the drill is random: dermis or epidermis
    assert_no_exception(page)


# the layer labels the TARGET tag's box overlaps on screen (none, when it was moved clear)
TAG_ON_A_LABEL = """svg => {
    const tag = svg.querySelector('text.nv-tag').getBoundingClientRect();
    return [...svg.querySelectorAll('text.nv-label:not(.nv-tag)')]
        .filter(t => { const b = t.getBoundingClientRect();
            return tag.left < b.right && b.left < tag.right && tag.top < b.bottom && b.top < tag.bottom; })
        .map(t => t.textContent);
}"""

# whether the TARGET tag is drawn lower than the target's box (in the layer under it)
TAG_BELOW_TARGET = """svg => {
    const tag = svg.querySelector('text.nv-tag').getBoundingClientRect();
    const box = svg.querySelector('.nv-target-box').getBoundingClientRect();
    return tag.bottom > box.bottom + 1;
}"""


def test_at_phone_width_the_needle_and_the_verdict_are_in_the_first_screen(server, browser_context, tmp_path) -> None:
    page = browser_context.new_page()
    page.set_viewport_size(PHONE)
    open_page(page, server.url("simulator"))
    alert = verdict(page, START)
    expect(alert).to_be_visible()
    svg = needle_drawing(page).bounding_box()
    headline = alert.get_by_text(START).bounding_box()
    assert svg is not None and headline is not None
    assert svg["x"] >= 0 and svg["x"] + svg["width"] <= PHONE["width"]
    assert svg["height"] >= 150  # drawn large enough to aim
    assert headline["y"] + headline["height"] <= PHONE["height"], "the verdict is below the first screen"
    page.screenshot(path=str(tmp_path / "phone.png"))
    share, _ = painted_share(needle_drawing(page).screenshot())
    assert share > 0.5
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll
    assert needle_drawing(page).evaluate(TAG_ON_A_LABEL) == [], "the TARGET tag is drawn over a layer's label"
    assert needle_drawing(page).evaluate(TAG_BELOW_TARGET) is False, "the TARGET tag sits in a layer under the target"
    # touch drag works the same way (pointer events)
    drag(page, (0.4, 0.3), (0.6, 0.5))
    wait_idle(page)
    expect(verdict(page, "Too deep")).to_be_visible()
    page.set_viewport_size(DESKTOP)
    assert_no_exception(page)


def test_a_typed_angle_out_of_range_is_explained_at_phone_width(server, browser_page, tmp_path) -> None:
    """Typing 120° gets a message saying what is wrong, where the verdict was, not only a red mark."""
    page = browser_page
    page.set_viewport_size(PHONE)
    open_page(page, server.url("simulator"))
    expect(verdict(page, START)).to_be_visible()
    field = page.get_by_role("spinbutton", name=ANGLE_INPUT)
    field.fill("120")
    field.press("Enter")
    wait_idle(page)
    problem = page.get_by_test_id("stAlert").filter(has_text="The needle angle must be between 0°")
    expect(problem).to_be_visible()
    expect(problem).to_contain_text("got 120°")
    expect(problem).to_contain_text("The needle stays at its last placement in range (1°")
    expect(verdict(page, START)).to_have_count(0)  # no stale verdict beside the message
    box = problem.bounding_box()
    assert box is not None and box["y"] < PHONE["height"]  # in the first screen, under the drawing
    page.screenshot(path=str(tmp_path / "out-of-range-phone.png"))
    field.fill("30")
    field.press("Enter")
    wait_idle(page)
    expect(problem).to_have_count(0)
    assert_no_exception(page)
