"""Two app replicas on one PostgreSQL: learners submit through both at once, nothing is lost.

The test makes an empty database, creates its schema with ``python -m course db upgrade``,
starts two ``streamlit run app.py`` servers with ``MESO_DATABASE_URL`` set, and has two
learners per server (one Chromium, a context each) take the test quiz twice. In each round
every learner answers first, then all press *Submit* together. (The learners' accounts and
sign-in cookies are made with the course's own account and session code, so the test spends
its time on submitting; signing up through the page is the browser tests' job elsewhere.)
The database must then hold every attempt that was started exactly once (the ids of the
attempts equal the ids of the drafts they were started as), each with its response rows and
the right score.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest

from course.accounts.accounts import Accounts
from course.accounts.sessions import COOKIE_NAME, Sessions
from course.store.pgstore import PgStore
from course.store.tables import ATTEMPTS, DRAFTS, RESPONSES
from tests.browser import learners_async as steps
from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, DESKTOP
from tests.helpers.apptest import QUIZ
from tests.helpers.postgres import Server
from tests.helpers.replicas import fresh_database, start_replicas

PER_REPLICA, ROUNDS = 2, 2
QUESTIONS = 7  # the test bank's questions: one response row each


def run_in_thread(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run an async scenario on its own thread and loop (the sync Playwright of other tests may
    already own this thread's loop); re-raise what it raised."""
    failure: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coroutine)
        except BaseException as exc:  # handed back to the test's thread
            failure.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def signed_in_learners(url: str, count: int) -> list[str]:
    """Make ``count`` learner accounts in the database and a session for each: their cookies' tokens."""
    store = PgStore(url)
    try:
        tokens = []
        for n in range(count):
            Accounts(store).create(f"rep{n}", f"Replica Learner {n}", "password123")
            tokens.append(Sessions(store).create(f"rep{n}")[0])
        return tokens
    finally:
        store.close()


async def learners_submit_together(base_urls: list[str], tokens: list[str], shots: Path) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        where = [url for url in base_urls for _ in range(PER_REPLICA)]
        contexts = []
        for url, token in zip(where, tokens, strict=True):
            context = await browser.new_context(viewport=DESKTOP)
            await context.add_cookies([{"name": COOKIE_NAME, "value": token, "url": url, "httpOnly": True}])
            contexts.append(context)
        pages = [await steps.new_learner_page(c) for c in contexts]
        try:
            for _ in range(ROUNDS):
                await asyncio.gather(*(steps.start_test_quiz(p, url) for p, url in zip(pages, where, strict=True)))
                await asyncio.gather(*(steps.answer_basics(p) for p in pages))
                go = asyncio.Event()
                submits = [asyncio.create_task(steps.submit_when_told(p, go)) for p in pages]
                await asyncio.sleep(0)  # every task is waiting on the signal
                go.set()  # four Submit clicks, on two servers, at the same moment
                await asyncio.gather(*submits)
        except BaseException:
            for n, page in enumerate(pages):
                await page.screenshot(path=str(shots / f"learner-{n}.png"), full_page=True)
            raise
        finally:
            await browser.close()


def test_learners_submitting_through_two_replicas_at_once_store_every_attempt_once(
    postgres: Server, tmp_path: Path
) -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    url = fresh_database(postgres, f"replicas{os.getpid()}")
    with start_replicas(url, tmp_path, count=2) as replicas:
        tokens = signed_in_learners(url, 2 * PER_REPLICA)
        run_in_thread(learners_submit_together([r.base_url for r in replicas], tokens, tmp_path))
        for replica in replicas:
            assert "Traceback" not in replica.log.read_text(), replica.log.read_text()

    store = PgStore(url)
    try:
        attempts, drafts, responses = store.read(ATTEMPTS).frame, store.read(DRAFTS).frame, store.read(RESPONSES).frame
    finally:
        store.close()
    learners = {f"rep{n}" for n in range(2 * PER_REPLICA)}
    assert set(attempts["learner"]) == learners
    started = list(drafts.loc[drafts["quiz"] == QUIZ, "attempt_id"])
    stored = list(attempts["attempt_id"])
    assert len(started) == len(set(started)) == 2 * PER_REPLICA * ROUNDS
    assert len(stored) == len(set(stored)), "an attempt was stored twice"
    assert sorted(stored) == sorted(started), "an attempt that was started and submitted is missing"
    assert attempts.groupby("learner").size().to_dict() == dict.fromkeys(learners, ROUNDS)
    assert set(attempts["score"]) == {5.0}
    per_attempt = responses.groupby("attempt_id").size().to_dict()
    assert per_attempt == dict.fromkeys(stored, QUESTIONS)
