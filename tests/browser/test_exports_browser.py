"""The tutors' Exports page in a real browser: download a bank as GIFT, see what it left out,
download the learning records; screenshots at desktop and phone width."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import expect

from course.accounts.accounts import Accounts, Role
from course.store.csvstore import Store
from tests.browser.helpers import assert_no_exception, nav_link, sign_in, wait_idle
from tests.browser.server import DESKTOP, PHONE
from tests.helpers.gift_moodle import read_gift
from tests.helpers.xapi_rows import write_records


def test_tutor_downloads_a_bank_and_the_statements(server, browser, tmp_path: Path) -> None:
    Accounts(Store(server.data_dir)).create("tutor-ex", "Export Tutor", "password123", Role.TUTOR)
    expected = write_records(Store(server.data_dir), learner="exporter")
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    try:
        page = context.new_page()
        sign_in(page, server.base_url, "tutor-ex")
        nav_link(page, "Exports").click()
        wait_idle(page)
        expect(page.get_by_role("heading", name="Exports", exact=True)).to_be_visible()
        page.get_by_test_id("stButtonGroup").get_by_text("GIFT", exact=True).click()
        wait_idle(page)
        expect(page.get_by_text("Left out of this file")).to_be_visible()
        expect(page.get_by_text("GIFT has no ordering question type")).to_be_visible()
        page.screenshot(path=str(tmp_path / "exports-1280.png"))

        with page.expect_download() as download:
            page.get_by_role("button", name="questions (GIFT)").click()
        gift = Path(download.value.path()).read_text(encoding="utf-8")
        assert download.value.suggested_filename == "meso-academy-banks.gift.txt"
        assert len([q for q in read_gift(gift) if q.qtype != "category"]) > 200

        with page.expect_download() as download:
            page.get_by_role("button", name="Download every statement (JSONL)").click()
        lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
        mine = [json.loads(line) for line in lines if '"exporter"' in line]
        assert len(mine) == expected
        assert_no_exception(page)

        page.set_viewport_size(PHONE)
        page.wait_for_timeout(300)  # let the layout settle after the resize
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.get_by_text("Left out of this file").scroll_into_view_if_needed()
        page.screenshot(path=str(tmp_path / "exports-390.png"))
        shots = Path("/tmp/meso-exports-shots")
        shots.mkdir(exist_ok=True)
        for name in ("exports-1280.png", "exports-390.png"):
            (shots / name).write_bytes((tmp_path / name).read_bytes())
    finally:
        context.close()
