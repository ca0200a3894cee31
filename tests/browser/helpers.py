"""Helpers for driving the Streamlit app in Chromium without fixed sleeps."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Locator, Page, Response, expect

APP = '[data-testid="stApp"]'


def wait_idle(page: Page, timeout: float = 30_000) -> None:
    """Wait until the app is connected and the script is not running."""
    page.wait_for_selector(f'{APP}[data-test-connection-state="CONNECTED"]', timeout=timeout)
    page.wait_for_function(
        """() => { const app = document.querySelector('[data-testid="stApp"]');
                   return app && app.getAttribute('data-test-script-state') !== 'running'; }""",
        timeout=timeout,
    )


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def assert_no_exception(page: Page) -> None:
    """No Streamlit exception box anywhere on the page."""
    expect(page.get_by_test_id("stException")).to_have_count(0)


def through_cookie_route(page: Page, route: str, action: Callable[[], None]) -> None:
    """Do ``action`` (a click that signs in or out), then wait for the browser's round trip
    through the cookie route (``/auth/session`` or ``/auth/signed-out``, answered with a 303)
    and for the page it lands on to be loaded and idle."""

    def landed(response: Response) -> bool:
        source = response.request.redirected_from
        return response.request.resource_type == "document" and source is not None and route in source.url

    with page.expect_response(landed, timeout=30_000):
        action()
    page.wait_for_load_state("load")
    wait_idle(page)


def sign_up(page: Page, base_url: str, login: str, name: str, password: str = "password123") -> None:
    """Create an account on the Account page; the browser comes back signed in (the cookie set)."""
    open_page(page, f"{base_url}/account")
    page.get_by_role("tab", name="Create an account").click()
    page.get_by_role("textbox", name="Your name").fill(name)
    page.get_by_role("textbox", name="Choose a login").fill(login)
    page.get_by_role("textbox", name="Choose a password").fill(password)
    page.get_by_role("textbox", name="Repeat the password").fill(password)
    button = page.get_by_role("button", name="Create my account")
    through_cookie_route(page, "/auth/session", button.click)
    # sign-up ends on Home, greeting the new learner and naming the login to sign in with
    expect(page.get_by_role("heading", name=f"Welcome, {name}")).to_be_visible()
    expect(page.get_by_text("Your account is ready. Sign in next time with the login")).to_be_visible()


def sign_in(page: Page, base_url: str, login: str, password: str = "password123", path: str = "account") -> None:
    """Sign in on the Account page (``/account?next=<path>`` when ``path`` is another page); the
    browser goes through the cookie route and lands back on ``path`` signed in."""
    query = "" if path == "account" else f"?next={path}"
    open_page(page, f"{base_url}/account{query}")
    signed_in = page.get_by_text("You are signed in as")
    if signed_in.count():  # the cookie kept this browser signed in (after a reload, say)
        if f"({login})" in signed_in.inner_text():
            if path != "account":
                open_page(page, f"{base_url}/{path}")
            return
        sign_out(page, where="account")
        open_page(page, f"{base_url}/account{query}")
    page.get_by_role("textbox", name="Login", exact=True).fill(login)
    page.get_by_role("textbox", name="Password", exact=True).fill(password)
    button = page.get_by_role("button", name="Sign in", exact=True)
    through_cookie_route(page, "/auth/session", button.click)
    if path == "account":
        expect(page.get_by_text("You are signed in as")).to_be_visible()
    else:
        expect(page.get_by_test_id("stSidebar").get_by_text("Signed in as")).to_be_visible()


def sign_out(page: Page, where: str = "sidebar") -> None:
    """Press *Sign out* (in the sidebar, on the ``"account"`` page, or *Sign out everywhere* there
    with ``"everywhere"``) and wait for the
    browser to come back from the route that clears the cookie."""
    if where == "everywhere":
        button = page.get_by_role("button", name="Sign out everywhere")
    elif where == "account":
        button = page.get_by_role("button", name="Sign out", exact=True)
    else:
        button = page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out")
    through_cookie_route(page, "/auth/signed-out", button.click)


# true once the closed sidebar is inert (out of the Tab order; views/parts/sidebar_closer.py)
SIDEBAR_INERT = """() => document.querySelector('[data-testid="stSidebar"]').inert"""


def nav_link(page: Page, name: str):
    """A sidebar navigation link by its visible title."""
    return page.get_by_test_id("stSidebarNav").get_by_role("link", name=name)


# --- shared steps of the simulator and quiz tests ---------------------------------------------

ANGLE_INPUT = "Needle angle to the skin (°) (type a value)"
LENGTH_INPUT = "Needle length inserted (mm) (type a value)"


def verdict(page: Page, text: str):
    """The verdict box holding ``text`` (the same words also appear in the figure's text description)."""
    return page.get_by_test_id("stAlert").filter(has_text=text)


def type_needle(page: Page, angle: float, length: float) -> None:
    """Type a placement into the number inputs (the keyboard alternative to dragging)."""
    for name, value in ((LENGTH_INPUT, length), (ANGLE_INPUT, angle)):
        field = page.get_by_role("spinbutton", name=name)
        field.fill(f"{value:g}")
        field.press("Enter")
        wait_idle(page)


def needle_drawing(page: Page) -> Locator:
    """The simulator's drawing (the ``st.components.v2`` SVG; its data-angle/-length are what it drew)."""
    return page.locator("svg.nv-svg").first


def flatten_needle_to_on_target(page: Page) -> None:
    """Type 2 mm inserted and a 1° angle: the tip (0.03 mm) then stays in the forehead's epidermis
    (0.03-0.06 mm on histology)."""
    for name, value in ((LENGTH_INPUT, "2"), (ANGLE_INPUT, "1")):
        field = page.get_by_role("spinbutton", name=name)
        field.fill(value)
        field.press("Enter")
        wait_idle(page)
    expect(verdict(page, "On target — you are in the epidermis.")).to_be_visible()
    expect(verdict(page, "Too deep")).to_have_count(0)


def question_box(page: Page, prompt: str):
    """The bordered container of the quiz question whose prompt contains ``prompt``."""
    return page.get_by_test_id("stVerticalBlock").filter(has_text=prompt).last


def answer_fixture_quiz_basics(page: Page) -> None:
    """Answer the fixture bank's single, true/false, numeric and multiple questions right."""
    question_box(page, "Which option is right?").get_by_text("Right one").click()
    question_box(page, "This statement is false.").get_by_text("False", exact=True).click()
    page.get_by_label("Your answer (mm)").fill("0.9")
    page.get_by_test_id("stCheckbox").get_by_text("A-ok", exact=True).click()
    page.get_by_test_id("stCheckbox").get_by_text("C-ok", exact=True).click()


# --- labels in a Plotly chart -----------------------------------------------------------------

# Every label's box and every drawn line's points, in page pixels, read in one round trip:
# text of text traces (layer names), shape labels, the title with its subtitle, and the
# background box of each annotation that has text; lines are scatter lines (needles, threads,
# source bars) and annotation arrows, sampled every 2 px along the path as painted.
_CHART_GEOMETRY = """chart => {
  const box = (el, name) => { const r = el.getBoundingClientRect();
                              return {name, x: r.x, y: r.y, width: r.width, height: r.height}; };
  const labels = [];
  chart.querySelectorAll('g.textpoint text, text.shape-label-text, g.g-gtitle').forEach(
    el => labels.push(box(el, el.textContent)));
  chart.querySelectorAll('g.annotation').forEach(g => {
    const text = g.querySelector('text.annotation-text');
    if (text && text.textContent.trim()) labels.push(box(g.querySelector('rect.bg'), text.textContent));
  });
  const lines = [];
  chart.querySelectorAll('.scatterlayer path.js-line, g.annotation-arrow-g path').forEach(path => {
    const m = path.getScreenCTM(), points = [];
    for (let s = 0; s <= path.getTotalLength(); s += 2) {
      const p = path.getPointAtLength(s);
      points.push([m.a * p.x + m.c * p.y + m.e, m.b * p.x + m.d * p.y + m.f]);
    }
    lines.push(points);
  });
  return {labels, lines};
}"""


def chart_labels(chart: Locator) -> tuple[dict[str, dict], list[list[tuple[float, float]]]]:
    """The chart's labels as ``{"index: text": box}`` and its lines as lists of points (page px)."""
    geometry = chart.evaluate(_CHART_GEOMETRY)
    boxes = {f"{i}: {label.pop('name')}": label for i, label in enumerate(geometry["labels"])}
    return boxes, geometry["lines"]


def overlapping(boxes: dict[str, dict]) -> list[tuple[str, str]]:
    """Pairs of named boxes (Playwright bounding boxes) that overlap by more than a pixel."""
    names = sorted(boxes)
    pairs = []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            p, q = boxes[a], boxes[b]
            dx = min(p["x"] + p["width"], q["x"] + q["width"]) - max(p["x"], q["x"])
            dy = min(p["y"] + p["height"], q["y"] + q["height"]) - max(p["y"], q["y"])
            if dx > 1 and dy > 1:
                pairs.append((a, b))
    return pairs


def crossed(boxes: dict[str, dict], lines: list[list[tuple[float, float]]]) -> list[str]:
    """Names of the boxes that a line runs through (a point more than a pixel inside the box)."""
    return [
        name
        for name, b in boxes.items()
        if any(
            b["x"] + 1 < x < b["x"] + b["width"] - 1 and b["y"] + 1 < y < b["y"] + b["height"] - 1
            for line in lines
            for x, y in line
        )
    ]


# --- keyboard only ----------------------------------------------------------------------------

# What has the keyboard focus, looking through the shadow roots of st.components.v2 components:
# its tag, role, type, accessible label (aria-label, <label> or aria-labelledby), value, own text,
# checked and aria-expanded state, nearest Streamlit test id and the text of its block.
_FOCUSED = """() => {
  let e = document.activeElement;
  while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
  if (!e) return {};
  const by = e.getAttribute('aria-labelledby');
  const named = by ? by.split(' ').map(id => (document.getElementById(id) || {}).innerText || '').join(' ') : '';
  const label = e.getAttribute('aria-label') || (e.labels && e.labels[0] ? e.labels[0].innerText : '') || named;
  const testid = e.closest('[data-testid]');
  const block = e.closest('[data-testid="stVerticalBlock"]');
  return {tag: e.tagName.toLowerCase(), role: e.getAttribute('role') || '', type: e.type || '',
          label: (label || '').trim(), value: typeof e.value === 'string' ? e.value : '',
          text: (e.innerText || '').trim().slice(0, 300), checked: !!e.checked,
          expanded: e.getAttribute('aria-expanded') || '', testid: testid ? testid.dataset.testid : '',
          block: block ? block.innerText.slice(0, 400) : ''};
}"""


def focused(page: Page) -> dict:
    """What has the keyboard focus now (see ``_FOCUSED`` for the fields)."""
    return page.evaluate(_FOCUSED)


def tab_to(page: Page, wanted: Callable[[dict], bool], *, back: bool = False, limit: int = 150) -> dict:
    """Press Tab (Shift+Tab with ``back``) until the focused element is ``wanted``; fail, naming
    the last elements the focus went through, when ``limit`` presses never reach it: a control
    the keyboard cannot reach."""
    seen: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        now = focused(page)
        if wanted(now):
            return now
        seen.append({k: v for k, v in now.items() if k != "block"})
    trail = "\n".join(str(item) for item in seen[-30:])
    raise AssertionError(f"not reached with the keyboard in {limit} presses; the focus went through:\n{trail}")


def named(text: str, tag: str | None = None, exact: bool = False) -> Callable[[dict], bool]:
    """A :func:`tab_to` test: the focused element's label or own text holds ``text`` (or is
    ``text`` with ``exact``), and its tag is ``tag`` when given."""

    def matches(now: dict) -> bool:
        names = (now.get("label", ""), now.get("text", "").split("\n")[-1])
        hit = text in names if exact else any(text in name for name in names)
        return hit and (tag is None or now.get("tag") == tag)

    return matches
