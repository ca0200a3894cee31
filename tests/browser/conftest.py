"""Real-browser fixtures: a ``streamlit run`` server and headless Debian Chromium.

The server starts once per test session on a free localhost port, with throwaway data and
content folders, and is waited for on ``/_stcore/health``. Each test gets a fresh browser
context; when a test fails, a screenshot of every open page is saved in its tmp folder.
In CI (``CI=true``) a missing Chromium is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"streamlit did not become healthy in {timeout}s:\n{log.read_text()}")


def start_server(root: Path, env_extra: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run app.py`` headless on a free port; return the process and URL."""
    port = free_port()
    env = {**os.environ, **env_extra, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=root, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, log)
    except RuntimeError:
        process.kill()
        raise
    return process, url


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
