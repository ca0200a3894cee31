"""The shipped nginx configuration (deploy/nginx/meso.conf) in front of two replicas, for real.

Debian's nginx runs that very file (its replica list, port and log path swapped for the
test's) before two ``streamlit run app.py`` servers on one PostgreSQL. Browsers without a
route cookie are spread over both replicas; one with a cookie stays on its replica; and a
learner signs up, takes a quiz and sees the result through the proxy, every request of that
browser (the page, its WebSocket, the sign-in cookie route) going to one replica, which the
access log's ``$upstream_addr`` shows.
"""

from __future__ import annotations

import os
import re
import time
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from course.store.pgstore import PgStore
from course.store.tables import ATTEMPTS
from tests.browser.helpers import answer_fixture_quiz_basics, assert_no_exception, open_page, sign_up
from tests.browser.server import free_port
from tests.helpers import nginx
from tests.helpers.apptest import QUIZ
from tests.helpers.postgres import Server
from tests.helpers.replicas import Replica, fresh_database, start_replicas

LINE = re.compile(
    r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) route=(?P<route>\S+) upstream=(?P<upstream>\S+)'
)
Proxied = tuple[nginx.Proxy, list[Replica], str]


@pytest.fixture(scope="module")
def behind_nginx(postgres: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxied]:
    if not nginx.NGINX.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{nginx.NGINX} is missing: scripts/test.sh must install Debian's nginx")
        pytest.skip(f"{nginx.NGINX} is not installed (apt-get install nginx)")
    folder = tmp_path_factory.mktemp("nginx")
    url = fresh_database(postgres, f"proxied{os.getpid()}")
    with (
        start_replicas(url, folder, count=2) as replicas,
        nginx.start_proxy([r.port for r in replicas], free_port(), folder / "nginx") as proxy,
    ):
        yield proxy, replicas, url


def requests_by_route(proxy: nginx.Proxy, at_least: int = 0) -> dict[str, list[dict[str, str]]]:
    """The access log's requests by route cookie (waiting until it has ``at_least`` lines: nginx
    writes a line once the response has gone)."""
    deadline = time.monotonic() + 10
    while len(proxy.log_lines()) < at_least and time.monotonic() < deadline:
        time.sleep(0.1)
    routes: dict[str, list[dict[str, str]]] = {}
    for line in proxy.log_lines():
        match = LINE.search(line)
        assert match, f"an access log line the test cannot read: {line}"
        routes.setdefault(match["route"], []).append(match.groupdict())
    return routes


def get(url: str, cookie: str | None = None) -> tuple[int, str | None]:
    """The status and the proxy's route cookie, if it set one (Streamlit sets its XSRF cookie too)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        routes = [c for c in response.headers.get_all("Set-Cookie") or [] if c.startswith("meso_route=")]
        assert len(routes) <= 1, routes
        return response.status, routes[0] if routes else None


def test_new_browsers_are_spread_over_the_replicas_and_each_stays_on_its_own(behind_nginx) -> None:
    proxy, replicas, _ = behind_nginx
    addresses = {f"127.0.0.1:{r.port}" for r in replicas}
    given = []
    for _ in range(20):  # 20 browsers without the cookie: all on one replica by chance 1 in 2^19
        status, cookie = get(f"{proxy.base_url}/_stcore/health")
        assert status == 200 and cookie is not None
        assert "HttpOnly" in cookie and "Path=/" in cookie
        given.append(cookie.split(";")[0])
    for _ in range(10):
        assert get(f"{proxy.base_url}/_stcore/health", cookie=given[0]) == (200, None)  # no new cookie
    routes = requests_by_route(proxy, at_least=30)
    first = routes[given[0].split("=", 1)[1]]
    assert len(first) == 11 and len({r["upstream"] for r in first}) == 1
    used = {r["upstream"] for c in given for r in routes[c.split("=", 1)[1]]}
    assert used == addresses


def test_a_learner_takes_a_quiz_through_the_proxy_and_stays_on_one_replica(behind_nginx, browser_context) -> None:
    proxy, replicas, url = behind_nginx
    page = browser_context.new_page()
    sign_up(page, proxy.base_url, "proxied1", "Pat Proxied")
    open_page(page, f"{proxy.base_url}/quizzes?quiz={QUIZ}")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_text("Question 1").first).to_be_visible()
    answer_fixture_quiz_basics(page)
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("5 / 8")
    expect(page.get_by_text("Passed.", exact=False)).to_be_visible()
    assert_no_exception(page)
    page.reload()  # a new page load and a new WebSocket: still the same replica
    open_page(page, f"{proxy.base_url}/progress")
    expect(page.get_by_text("1 attempts, 1 passed.", exact=False)).to_be_attached()

    (route,) = [c["value"] for c in browser_context.cookies() if c["name"] == "meso_route"]
    page.close()  # the WebSockets close, so nginx logs them
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        mine = requests_by_route(proxy).get(route, [])
        if sum(r["path"] == "/_stcore/stream" for r in mine) >= 3:  # sign-up, quiz, progress pages
            break
        time.sleep(0.2)
    paths = [r["path"] for r in mine]
    assert sum(p == "/_stcore/stream" for p in paths) >= 3, paths
    assert any(p.startswith("/auth/session?code=") for p in paths), paths  # the sign-in cookie route
    assert {r["upstream"] for r in mine} <= {f"127.0.0.1:{r.port}" for r in replicas}
    assert len({r["upstream"] for r in mine}) == 1, mine  # every request of this browser: one replica
    # Streamlit's page first looks for its server under the page's own path (/quizzes/_stcore/health),
    # a 404 without a proxy too, then at the root; every other request must have succeeded
    probes = re.compile(r"^/[\w-]+/_stcore/(health|host-config)$")
    answered = [(r["path"], r["status"]) for r in mine if not probes.match(r["path"])]
    # (206: a range of a static file the browser had partly cached; 499: the browser dropped a
    # request itself when the test moved to the next page)
    assert {status for _, status in answered} <= {"101", "200", "206", "303", "304", "499"}, answered

    store = PgStore(url)
    try:
        attempts = store.read(ATTEMPTS).frame
    finally:
        store.close()
    mine_stored = attempts[attempts["learner"] == "proxied1"]
    assert list(mine_stored["score"]) == [5.0]
