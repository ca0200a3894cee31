"""AppTest of the results dashboard: empty folder, each view, filters, removed questions."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from course.accounts.accounts import Accounts, Role
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS, CERTAINTY, RESPONSES
from tests.helpers.apptest import capture_downloads
from tests.helpers.results import ATTACK, LEARNERS, REMOVED_ID, attempt_row, response_row, write_results

RESULTS = "views/pages/tutor_results.py"


@pytest.fixture
def tutor(data_dir: Path, content_dirs) -> str:
    Accounts(Store(data_dir)).create("tina", "Tina Tutor", "password123", Role.TUTOR)
    return "tina"


def open_results(app_test, user: str):
    at = app_test(user).run()
    return at.switch_page(RESULTS).run()


def choose_view(at, view: str):
    at.get("button_group")[0].set_value(view)
    return at.run()


def page_text(at) -> str:
    return " ".join(str(e.proto) for e in at.main)


def test_empty_results_folder_says_so(app_test, tutor: str) -> None:
    at = open_results(app_test, tutor)
    assert not at.exception
    assert "No quiz results yet" in at.info[0].value
    assert not at.get("button_group")


def test_each_view_renders_from_the_results(app_test, tutor: str, data_dir: Path) -> None:
    write_results(data_dir)
    at = open_results(app_test, tutor)
    assert not at.exception
    assert "32 of 32 attempts match the filters." in [c.value for c in at.caption]
    learners = at.dataframe[0].value
    assert ATTACK in set(learners["name"])  # shown as text in the table, never run
    assert len(learners) == 12

    at = choose_view(at, "Quizzes")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Attempts"] == "24" and metrics["Learners"] == "12"
    assert len(at.get("plotly_chart")) == 2
    # quizzes are named by their titles, not their file ids
    assert at.selectbox(key="results:quiz").value == "history"
    assert "History of mesotherapy" in at.selectbox(key="results:quiz").options
    assert any(c.value.startswith("Bar chart of 24 attempt scores in History of mesotherapy") for c in at.caption)
    assert any(c.value.startswith("Bar chart of attempts per day at History of mesotherapy") for c in at.caption)
    [practice] = [d.value for d in at.dataframe if "learners" in d.value.columns]  # drills, apart from quizzes
    assert list(practice["quiz"]) == ["Needle simulator drill"]

    at = choose_view(at, "Item analysis")
    assert not at.exception
    assert "first" in at.caption[1].value and "corrected item-total correlation" in at.caption[1].value
    table = at.dataframe[0].value.set_index("question_id")
    assert table.loc[REMOVED_ID, "question"] == f"{REMOVED_ID} (removed question)"
    assert table.loc[REMOVED_ID, "facility"] == "not enough data"
    assert table.loc["history-founder", "question"] == "Who founded mesotherapy? (history-founder)"
    assert table.loc["history-founder", "source"].startswith("quizzes/history.yaml")
    assert "Cronbach" in at.metric[0].label
    assert "Approximate" in page_text(at)
    at.selectbox(key="results:distractor-q").set_value("history-founder").run()
    options = at.dataframe[1].value.set_index("option")
    assert options.loc["Right", "chosen"] == 9  # first attempts of learners 1-4, 6-9 and 11

    at = choose_view(at, "Simulator drills")
    assert any("Papule" in c.value and "mm" in c.value for c in at.caption)  # the technique's label
    [drills] = [d.value for d in at.dataframe if "technique" in d.value.columns]
    assert set(drills["technique"]) == {"Papule", "Nappage"}

    at = choose_view(at, "Export")
    assert len(at.get("download_button")) == 2
    assert "single quote" in page_text(at)


def test_filters_narrow_the_selection(app_test, tutor: str, data_dir: Path) -> None:
    write_results(data_dir)
    at = open_results(app_test, tutor)
    at.multiselect(key="results:learners").select("learner03").run()
    assert "4 of 32 attempts match the filters." in [c.value for c in at.caption]
    at.multiselect(key="results:quizzes").select("history").run()
    assert "2 of 32 attempts match the filters." in [c.value for c in at.caption]
    assert list(at.dataframe[0].value["learner"]) == ["learner03"]


def test_damaged_lines_are_reported_not_fatal(app_test, tutor: str, data_dir: Path) -> None:
    store = write_results(data_dir)
    with open(store.path(ATTEMPTS), "a", encoding="utf-8") as handle:
        handle.write("a,torn,line\n")
    at = open_results(app_test, tutor)
    assert not at.exception
    assert "1 damaged line(s)" in at.expander[0].label
    assert "32 of 32 attempts" in " ".join(c.value for c in at.caption)


def test_questions_to_review_name_the_rule_or_statistic_and_the_bank_line(
    app_test, tutor: str, data_dir: Path, content_dirs: tuple[Path, Path]
) -> None:
    """An option of history-founder becomes "None of the above" (the all-none-of-above rule);
    history-motto is right in 2 of 12 first attempts (facility 0.17, below the band)."""
    bank = content_dirs[1] / "history.yaml"
    text = bank.read_text(encoding="utf-8")
    bank.write_text(text.replace("Lionel Bissoon, who brought the method to the USA", "None of the above"))
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.strip() == "- id: history-founder")
    write_results(data_dir)
    at = choose_view(open_results(app_test, tutor), "Item analysis")
    assert not at.exception, at.exception
    assert "Questions to review" in [s.value for s in at.subheader]
    entries = {m.value.split("**")[1]: m.value for m in at.markdown if m.value.startswith("**")}
    founder = entries["Who founded mesotherapy? \\(history\\-founder\\)"]
    assert f"`quizzes/history.yaml:{line}`" in founder
    assert "- rule `all-none-of-above`: option 'None of the above' lets a learner answer by elimination" in founder
    assert founder.endswith(f"(`quizzes/history.yaml:{line}`)")
    motto = next(value for label, value in entries.items() if label.endswith("\\(history\\-motto\\)"))
    assert "- statistic: facility 0\\.17 below 0\\.3 \\(too hard, or a wrong key\\)" in motto
    table = at.dataframe[0].value.set_index("question_id")
    assert table.loc["history-founder", "review"] == "rule unequal-options; rule all-none-of-above"
    assert table.loc["history-motto", "review"] == "facility 0.17 below 0.3 (too hard, or a wrong key)"


def test_the_responses_download_holds_each_certainty(app_test, tutor: str, data_dir: Path, monkeypatch) -> None:
    """A final-exam attempt with certainties beside the history attempts scored without them."""
    store = write_results(data_dir)
    learner = LEARNERS[1]
    store.append(ATTEMPTS, [attempt_row("exam-1", learner, "final-exam", "2026-11-06", score=-3, top=9, passed=False)])
    store.append(
        RESPONSES,
        [
            response_row("exam-1", "safety-sterile-needle", "Right", 1.0),
            response_row("exam-1", "safety-infected-site", "Wrong", 0.0),
            response_row("exam-1", "safety-fainting", "", 0.0),
        ],
    )
    store.append(
        CERTAINTY,
        [
            {"attempt_id": "exam-1", "question_id": "safety-sterile-needle", "certainty": "3"},
            {"attempt_id": "exam-1", "question_id": "safety-infected-site", "certainty": "1"},
            {"attempt_id": "exam-1", "question_id": "safety-fainting", "certainty": ""},
        ],
    )
    downloads = capture_downloads(monkeypatch)
    at = choose_view(open_results(app_test, tutor), "Export")
    assert not at.exception, at.exception
    (name,) = [n for n in downloads if n.startswith("responses-")]
    rows = list(csv.DictReader(io.StringIO(downloads[name]().decode("utf-8-sig"))))
    assert list(rows[0]) == [*RESPONSES.columns, "certainty"]
    exam = {r["question_id"]: r["certainty"] for r in rows if r["attempt_id"] == "exam-1"}
    assert exam == {"safety-sterile-needle": "3", "safety-infected-site": "1", "safety-fainting": ""}
    assert {r["certainty"] for r in rows if r["attempt_id"] != "exam-1"} == {""}
    assert "'=1+1" in {r["answer"] for r in rows}  # still through the formula neutraliser
