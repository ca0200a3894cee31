"""xAPI statements from the stored records, validated with Ralph's pydantic models (ralph-malph).

Every statement must be a valid xAPI statement for ``BaseXapiStatement`` (which also refuses
empty values and unknown keys); the verbs are ADL's IRIs; ids are UUID 5 of the rows, the same
on every build; result and context carry what the rows know.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement

from course.__main__ import main
from course.interop.xapi import VERBS, Statement, Vocabulary, course_home, course_statements, to_jsonl
from course.metadata import base_url
from course.store.csvstore import Store
from course.store.tables import XAPI_OUTBOX
from tests.helpers.banks import fixture_catalog
from tests.helpers.xapi_rows import ATTEMPT, DRILL, EXPIRED, HOME, RUN, fixture_vocabulary, write_records


@pytest.fixture
def statements(tmp_path: Path) -> list[Statement]:
    store = Store(tmp_path)
    expected = write_records(store)
    built = course_statements(store, fixture_vocabulary(fixture_catalog()))
    assert len(built) == expected
    return built


def _by(statements: list[Statement], verb: str, object_end: str) -> list[Statement]:
    return [s for s in statements if s["verb"]["id"] == VERBS[verb] and s["object"]["id"].endswith(object_end)]


def test_every_statement_is_valid_xapi(statements: list[Statement]) -> None:
    for statement in statements:
        BaseXapiStatement.model_validate(statement)
        assert statement["version"] == "1.0.3"
        assert statement["actor"] == {"objectType": "Agent", "account": {"homePage": HOME, "name": "ada"}}
        assert statement["verb"]["id"].startswith("http://adlnet.gov/expapi/verbs/")
        grouping = statement["context"]["contextActivities"]["grouping"]
        assert grouping[0]["id"] == HOME and grouping[0]["definition"]["type"].endswith("/activities/course")


def test_ids_are_uuid5_of_the_rows_and_stable(tmp_path: Path, statements: list[Statement]) -> None:
    ids = [s["id"] for s in statements]
    assert len(set(ids)) == len(ids)
    assert all(uuid.UUID(i).version == 5 for i in ids)
    again = course_statements(Store(tmp_path), fixture_vocabulary(fixture_catalog()))
    assert [s["id"] for s in again] == ids and again == statements
    other_course = course_statements(Store(tmp_path), fixture_vocabulary(fixture_catalog(), "https://other.example"))
    assert not {s["id"] for s in other_course} & set(ids)  # two courses never share an id


def test_lesson_completion(statements: list[Statement]) -> None:
    [completed] = _by(statements, "completed", "/lesson/quiz-lesson")
    assert completed["result"] == {"completion": True}
    assert completed["object"]["definition"]["name"] == {"en": "A lesson that fixture banks refer to"}
    assert completed["timestamp"] == "2026-03-01T09:00:00+00:00"
    assert not [s for s in statements if "reopen" in json.dumps(s)]  # a reopening sends nothing


def test_quiz_attempt_and_its_answers(statements: list[Statement]) -> None:
    registration = str(uuid.UUID(ATTEMPT))
    [attempted] = [
        s for s in _by(statements, "attempted", "/quiz/valid-bank") if s["context"]["registration"] == registration
    ]
    assert attempted["timestamp"] == "2026-03-01T10:00:00+00:00"
    [failed] = [
        s for s in _by(statements, "failed", "/quiz/valid-bank") if s["context"]["registration"] == registration
    ]
    assert failed["result"]["score"] == {"raw": 5.5, "max": 10.0, "scaled": 0.55}  # CBM attempt: no minimum
    assert failed["result"]["success"] is False and failed["result"]["completion"] is True
    assert failed["result"]["duration"] == "PT750S"
    assert failed["context"]["revision"] == "3"
    lesson = failed["context"]["contextActivities"]["grouping"][1]
    assert lesson["id"] == f"{HOME}/xapi/activities/lesson/quiz-lesson"

    answered = [
        s
        for s in statements
        if s["verb"]["id"] == VERBS["answered"] and s["context"].get("registration") == registration
    ]
    by_question = {s["object"]["id"].rsplit("/", 1)[1]: s for s in answered}
    assert set(by_question) == {"vb-single", "vb-multiple", "vb-true-false", "vb-numeric", "vb-ordering", "vb-matching"}
    for s in answered:
        assert s["context"]["contextActivities"]["parent"][0]["id"] == f"{HOME}/xapi/activities/quiz/valid-bank"
    single = by_question["vb-single"]
    definition = single["object"]["definition"]
    assert definition["interactionType"] == "choice"
    assert single["result"]["response"] == definition["correctResponsesPattern"][0]
    assert single["result"]["score"] == {"raw": 1.0, "max": 1.0, "min": 0.0, "scaled": 1.0}
    assert single["result"]["success"] is True
    assert by_question["vb-true-false"]["result"]["response"] == "true"
    assert by_question["vb-numeric"]["object"]["definition"]["correctResponsesPattern"] == ["0.76[:]0.96"]
    assert by_question["vb-numeric"]["result"]["response"] == "0.9"
    ordering = by_question["vb-ordering"]
    assert ordering["object"]["definition"]["interactionType"] == "sequencing"
    assert ordering["result"]["response"].count("[,]") == 2
    matching = by_question["vb-matching"]
    assert matching["object"]["definition"]["interactionType"] == "matching"
    assert matching["result"]["score"]["scaled"] == 0.5 and "[.]" in matching["result"]["response"]


def test_an_expired_attempt_is_failed_and_not_completed(statements: list[Statement]) -> None:
    registration = str(uuid.UUID(EXPIRED))
    [failed] = [
        s for s in _by(statements, "failed", "/quiz/valid-bank") if s["context"]["registration"] == registration
    ]
    assert failed["result"]["completion"] is False and failed["result"]["score"]["min"] == 0.0


def test_drill_review_and_case(statements: list[Statement]) -> None:
    [drill] = _by(statements, "passed", "/drill/drill-papule-forehead")
    assert drill["context"]["registration"] == str(uuid.UUID(DRILL))
    assert drill["result"]["score"]["scaled"] == 0.67 and drill["result"]["duration"] == "PT20S"
    assert drill["context"]["contextActivities"]["parent"][0]["id"] == f"{HOME}/xapi/activities/simulator"
    placement = drill["result"]["extensions"][f"{HOME}/xapi/activities/extension/placement"]
    assert placement["layer"] == "papillary-dermis"

    [review] = [
        s
        for s in statements
        if s["context"]["contextActivities"].get("parent", [{}])[0].get("id") == f"{HOME}/xapi/activities/review"
    ]
    assert review["object"]["id"].endswith("/question/vb-multiple")
    assert review["result"]["success"] is True and review["result"]["duration"] == "PT12S"
    assert review["result"]["extensions"] == {f"{HOME}/xapi/activities/extension/fsrs-rating": 3}

    steps = _by(statements, "answered", "/step/consult") + _by(statements, "answered", "/step/outcome")
    assert [s["context"]["registration"] for s in steps] == [str(uuid.UUID(RUN))] * 2
    assert steps[0]["result"] == {
        "response": "ask-history",
        "score": {"raw": 2.0, "max": 2.0, "min": 0.0, "scaled": 1.0},
        "success": True,
    }
    assert "result" not in steps[1]  # an information step has nothing to score
    [passed] = _by(statements, "passed", "/case/routine-forehead")
    assert passed["result"]["duration"] == "PT240S" and passed["result"]["success"] is True
    assert _by(statements, "attempted", "/case/routine-forehead")[0]["timestamp"] == "2026-03-04T08:58:00+00:00"


def test_jsonl_export(statements: list[Statement]) -> None:
    lines = to_jsonl(statements).splitlines()
    assert [json.loads(line) for line in lines] == statements


def test_cli_exports_the_data_folder_as_jsonl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MESO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MESO_BASE_URL", raising=False)
    monkeypatch.setenv("MESO_COURSE_URL", "https://old.example/")
    assert course_home() == "https://old.example"  # the older name still works alone
    monkeypatch.setenv("MESO_BASE_URL", "https://academy.example/")
    assert course_home() == "https://academy.example" == base_url()  # one address for xAPI and certificates
    write_records(Store(tmp_path / "data"))
    out = tmp_path / "statements.jsonl"
    assert main(["export", "xapi", "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and all(
        json.loads(line)["actor"]["account"]["homePage"] == "https://academy.example" for line in lines
    )
    assert f"{len(lines)} statements written" in capsys.readouterr().err
    assert main(["export", "xapi", "history"]) == 2


def test_a_question_the_course_no_longer_has_still_makes_a_statement(tmp_path: Path) -> None:
    store = Store(tmp_path)
    write_records(store)
    bare = course_statements(store, Vocabulary(HOME))
    for statement in bare:
        BaseXapiStatement.model_validate(statement)
    assert len(bare) == len(course_statements(store, fixture_vocabulary(fixture_catalog())))


def test_the_sender_queues_exactly_what_the_export_holds(tmp_path: Path) -> None:
    """The sender reads only the rows appended since its last round; what it queues over several
    rounds (and after a restart) is the export's statements, each once."""
    from course.interop.lrs import LrsConfig, LrsSender, read_outbox

    store = Store(tmp_path)
    vocabulary = fixture_vocabulary(fixture_catalog())
    config = LrsConfig("http://127.0.0.1:9/xAPI")
    sender = LrsSender(store, config, lambda: vocabulary)
    first = write_records(store, learner="ada")
    assert sender.queue_new() == first
    assert sender.queue_new() == 0  # nothing new: nothing read again
    second = write_records(store, learner="bob")
    assert sender.queue_new() == second
    queued = {sid: json.loads(text) for sid, text in read_outbox(store).queued.items()}
    assert queued == {s["id"]: s for s in course_statements(store, vocabulary)}
    assert len(store.read(XAPI_OUTBOX).frame) == first + second
    assert LrsSender(store, config, lambda: vocabulary).queue_new() == 0  # a restart queues nothing twice
