"""Real-browser fixtures: a ``streamlit run`` server and headless Debian Chromium.

The server starts once per test session on a free localhost port, with throwaway data and
content folders, and is waited for on ``/_stcore/health``. Each test gets a fresh browser
context; when a test fails, a screenshot of every open page is saved in its tmp folder.
In CI (``CI=true``) a missing Chromium is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, DESKTOP, start_server

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@dataclass(frozen=True)
class Server:
    base_url: str
    data_dir: Path
    lessons_dir: Path
    quizzes_dir: Path
    log: Path

    def url(self, path: str = "") -> str:
        return f"{self.base_url}/{path.lstrip('/')}"


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("server")
    lessons, quizzes, data = base / "lessons", base / "quizzes", base / "data"
    shutil.copytree(ROOT / "lessons", lessons)
    shutil.copytree(ROOT / "quizzes", quizzes)
    data.mkdir()
    log = base / "streamlit.log"
    env = {"MESO_DATA_DIR": str(data), "MESO_LESSONS_DIR": str(lessons), "MESO_QUIZZES_DIR": str(quizzes)}
    process, url = start_server(ROOT, env, log)
    yield Server(url, data, lessons, quizzes, log)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[FAILED] = report.failed


FAILED = pytest.StashKey[bool]()


@pytest.fixture
def browser_context(browser, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    """A fresh context (own cookies and storage); screenshots of its pages on failure."""
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(30_000)
    yield context
    if request.node.stash.get(FAILED, False):
        for index, page in enumerate(context.pages):
            shot = tmp_path / f"failure-{index}.png"
            page.screenshot(path=str(shot), full_page=True)
            print(f"failure screenshot: {shot}")
    context.close()


@pytest.fixture
def browser_page(browser_context) -> object:
    """A page in a fresh context at desktop size."""
    return browser_context.new_page()
