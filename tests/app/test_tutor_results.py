"""AppTest of the results dashboard: empty folder, each view, filters, removed questions."""

from __future__ import annotations

from pathlib import Path

import pytest

from course.accounts.accounts import Accounts, Role
from course.store.csvstore import Store
from course.store.tables import ATTEMPTS
from tests.helpers.results import ATTACK, REMOVED_ID, write_results

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
    table = at.dataframe[0].value.set_index("question")
    assert f"{REMOVED_ID} (removed question)" in table.index
    assert table.loc[f"{REMOVED_ID} (removed question)", "facility"] == "not enough data"
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
