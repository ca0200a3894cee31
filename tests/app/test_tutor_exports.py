"""AppTest of the tutors' Exports page: question banks as GIFT or Moodle XML, statements as JSONL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course.accounts.accounts import Accounts, Role
from course.interop.lrs import stop_senders
from course.store.csvstore import Store
from tests.helpers.apptest import capture_downloads
from tests.helpers.gift_moodle import read_gift
from tests.helpers.lrs_server import free_port
from tests.helpers.xapi_rows import write_records

EXPORTS = "views/pages/tutor_exports.py"


@pytest.fixture
def tutor(data_dir: Path, content_dirs) -> str:
    Accounts(Store(data_dir)).create("tina", "Tina Tutor", "password123", Role.TUTOR)
    Accounts(Store(data_dir)).create("lena", "Lena Learner", "password123", Role.LEARNER)
    return "tina"


def open_exports(app_test, user: str):
    return app_test(user).run().switch_page(EXPORTS).run()


def test_learners_are_refused(app_test, tutor: str) -> None:
    at = open_exports(app_test, "lena")
    assert "for tutors only" in at.error[0].value
    assert not at.get("download_button")


def test_bank_downloads_and_what_they_leave_out(app_test, tutor: str, real_quizzes, monkeypatch) -> None:
    downloads = capture_downloads(monkeypatch)
    at = open_exports(app_test, tutor)
    assert not at.exception
    total = sum(len(b.questions) for b in real_quizzes.banks)
    [banks_button, _records_button] = at.get("download_button")
    assert f"Download {total} questions (Moodle XML)" in str(banks_button.proto)
    assert "Every question of the chosen banks is in the Moodle XML file." in [c.value for c in at.caption]
    xml = downloads["meso-academy-banks.moodle.xml"]()
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')

    at.get("button_group")[0].set_value("gift")
    at = at.run()
    orderings = [q.id for b in real_quizzes.banks for q in b.questions if q.type == "ordering"]
    text = " ".join(m.value for m in at.markdown)
    assert f"Left out of this file: {len(orderings)} questions" in text
    [listing] = [m.value for m in at.markdown if "no ordering question type" in m.value]
    assert listing.startswith("- GIFT has no ordering question type \\(Moodle XML carries it\\): ")
    assert sorted(part.split("`")[1] for part in listing.split(": ", 1)[1].split("), ")) == sorted(orderings)

    at.multiselect(key="exports:banks").set_value(["history"])
    at = at.run()
    gift = downloads["meso-academy-history.gift.txt"]().decode("utf-8")
    history = real_quizzes.bank("history")
    assert [q.name for q in read_gift(gift) if q.qtype != "category"] == [
        q.id for q in history.questions if q.type != "ordering"
    ]


def test_statements_download_and_no_lrs(app_test, tutor: str, data_dir: Path, monkeypatch) -> None:
    monkeypatch.delenv("MESO_LRS_URL", raising=False)
    expected = write_records(Store(data_dir), learner="lena")
    downloads = capture_downloads(monkeypatch)
    at = open_exports(app_test, tutor)
    assert not at.exception
    [name] = [n for n in downloads if n.endswith(".jsonl")]
    assert name.startswith("meso-academy-xapi-")
    lines = downloads[name]().decode("utf-8").splitlines()
    assert len(lines) == expected
    assert {json.loads(line)["actor"]["account"]["name"] for line in lines} == {"lena"}
    assert "No learning record store is set up" in at.info[0].value


def test_lrs_outbox_is_shown(app_test, tutor: str, data_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("MESO_LRS_URL", f"http://127.0.0.1:{free_port()}/xAPI")  # nothing listens: statements wait
    monkeypatch.setenv("MESO_LRS_INTERVAL", "3600")
    write_records(Store(data_dir), learner="lena")
    try:
        at = open_exports(app_test, tutor)
        assert not at.exception
        metrics = {m.label: m.value for m in at.metric}
        assert set(metrics) == {"Waiting", "Sent", "Refused by the LRS"}
        assert metrics["Sent"] == "0"
        assert "/xAPI/statements" in " ".join(m.value for m in at.markdown)
    finally:
        stop_senders()
