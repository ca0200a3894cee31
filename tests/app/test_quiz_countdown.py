"""AppTest of a timed quiz: the browser's countdown gets the seconds left and the deadline in the
learner's zone; an untimed quiz has no countdown."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.apptest import QUIZ, open_quiz, write_bank


def countdowns(at) -> dict[str, dict]:
    return {el.key: json.loads(el.proto.json) for el in at.get("bidi_component") if "countdown" in el.key}


def test_a_timed_quiz_mounts_a_countdown_in_the_learners_zone(
    app_test, make_account, content_dirs: tuple[Path, Path]
) -> None:
    write_bank(content_dirs[1])
    path = content_dirs[1] / f"{QUIZ}.yaml"
    path.write_text(path.read_text().replace("max_attempts: null", "max_attempts: null, time_limit_min: 20"))
    make_account("ada")
    at = app_test(user="ada")
    at.context = {"timezone": "America/New_York", "timezone_offset": 300}
    at.run()
    at.switch_page("views/pages/quizzes.py").run()
    at.button(key=f"quizzes:start:{QUIZ}").click().run()
    assert not at.exception, at.exception
    [data] = countdowns(at).values()
    assert 20 * 60 - 30 < data["seconds_left"] <= 20 * 60
    assert data["deadline_text"].startswith("Submit before ") and data["deadline_text"][-3:] in ("EST", "EDT")
    assert any("Time limit: 20 minutes" in w.value and data["deadline_text"][14:] in w.value for w in at.warning)


def test_an_untimed_quiz_has_no_countdown(app_test, make_account, content_dirs: tuple[Path, Path]) -> None:
    write_bank(content_dirs[1])
    make_account("ada")
    at = open_quiz(app_test)
    assert not countdowns(at)
