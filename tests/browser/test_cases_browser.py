"""A clinical case in Chromium: sign in, play the routine case through its placement step, reload
mid-case, sign in again and resume at the same step, finish, and read the debrief."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.helpers import ANGLE_INPUT, LENGTH_INPUT, assert_no_exception, nav_link, sign_in, sign_up, wait_idle

CASE = "rejuvenation-routine"


def commit(page: Page, label: str) -> None:
    page.get_by_role("button", name=label).click()
    wait_idle(page)
    assert_no_exception(page)


def open_cases(page: Page) -> None:
    """Through the sidebar: opening the address would be a reload, which signs the learner out."""
    nav_link(page, "Clinical cases").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Clinical cases", exact=True)).to_be_visible()


def case_card(page: Page):
    """The bordered card of the routine case in the list (the innermost block holding its title)."""
    return page.get_by_test_id("stVerticalBlock").filter(has_text="Fine lines on the forehead").last


def step_heading(page: Page, number: int) -> None:
    expect(page.get_by_text(f"Step {number}", exact=True)).to_be_visible()


def test_play_reload_resume_and_debrief(server, browser_page, tmp_path) -> None:
    page = browser_page
    sign_up(page, server.base_url, "cara", "Cara Case")
    sign_in(page, server.base_url, "cara")
    open_cases(page)
    card = case_card(page)
    expect(card.get_by_text("Not started")).to_be_visible()
    card.get_by_role("button", name="Start").click()
    wait_idle(page)

    step_heading(page, 1)
    page.get_by_text("Take her medical and drug history, and examine").click()
    commit(page, "Commit my choice")
    expect(page.get_by_text("A consultation comes first")).to_be_visible()  # the feedback on the committed choice

    step_heading(page, 2)
    page.get_by_text("Medicines, prescribed or bought").click()
    expect(page.get_by_text("No anticoagulant, no aspirin")).to_be_visible()
    commit(page, "Continue")

    step_heading(page, 3)
    for text in ("The evidence for facial mesotherapy is limited", "It is a course of several sessions"):
        page.get_by_test_id("stCheckbox").filter(has_text=text).click()
    commit(page, "Commit my choice")

    step_heading(page, 4)  # she hopes to start today: the cooling-off period comes first
    page.get_by_text("book the first session after a cooling-off period").click()
    commit(page, "Commit my choice")

    step_heading(page, 5)
    for label, value in (
        ("Technique", "Papule"),
        ("Product class", "medical device"),
        ("Region", "Forehead"),
        ("Number of sessions", "3 to 6"),
        ("Interval between sessions", "every 2 to 4 weeks"),
    ):
        box = page.get_by_role("combobox", name=label, exact=True)
        box.click()
        page.keyboard.type(value)  # the keyboard path: type to filter, Enter to choose
        page.keyboard.press("Enter")
        wait_idle(page)
    commit(page, "Commit my plan")
    expect(page.get_by_text("Technique: Papule.", exact=False)).to_be_visible()  # each field's feedback

    step_heading(page, 6)  # three days later she comes back
    commit(page, "Continue")

    step_heading(page, 7)
    page.get_by_text("A single-dose vial opened for her").click()
    commit(page, "Commit my choice")

    step_heading(page, 8)  # the placement: the browser drawing of the needle and its number inputs
    view = page.locator(".needle-view").first
    view.scroll_into_view_if_needed()
    expect(view).to_be_visible()
    page.screenshot(path=str(tmp_path / "placement.png"), full_page=True)

    page.reload()  # a reload is a new session: sign in again, and the case resumes at the same step
    wait_idle(page)
    sign_in(page, server.base_url, "cara")
    open_cases(page)
    card = case_card(page)
    expect(card.get_by_text("In progress")).to_be_visible()
    card.get_by_role("button", name="Resume").click()
    wait_idle(page)
    step_heading(page, 8)
    expect(page.get_by_role("button", name="Commit my placement")).to_be_visible()

    for name, value in ((LENGTH_INPUT, "4"), (ANGLE_INPUT, "10")):  # 4 mm at 10°: 0.69 mm, in the dermis
        field = page.get_by_role("spinbutton", name=name)
        field.fill(value)
        field.press("Enter")
        wait_idle(page)
    commit(page, "Commit my placement")
    expect(page.get_by_text("On target — you are in the dermis.")).to_be_visible()

    step_heading(page, 9)
    commit(page, "Continue")

    expect(page.get_by_role("heading", name="Debrief")).to_be_visible()
    expect(page.get_by_text("Passed", exact=False).first).to_be_visible()
    chart = page.get_by_test_id("stPlotlyChart").first
    chart.scroll_into_view_if_needed()
    expect(chart.locator(".main-svg").first).to_be_visible()
    page.get_by_text("Text description of this figure").click()
    expect(page.get_by_text("You followed the recommended path throughout.")).to_be_visible()
    page.screenshot(path=str(tmp_path / "debrief.png"), full_page=True)

    page.get_by_role("button", name="All cases").click()
    wait_idle(page)
    card = case_card(page)
    expect(card.get_by_text("Passed")).to_be_visible()
