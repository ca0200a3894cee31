"""Learning records as xAPI 1.0.3 statements, built from the stored tables.

Every lesson completion (``progress.csv``), quiz attempt and answer (``attempts.csv``,
``responses.csv``), simulator drill (attempts of the ``simulator`` quiz), spaced review
(``reviews.csv``) and clinical-case step and run (``case_steps.csv``, ``case_attempts.csv``)
becomes one statement (a quiz attempt and a case run two: *attempted* when it started, *passed*
or *failed* when it ended):

* **actor**: an account, ``{homePage: the course's address, name: login}`` (``MESO_COURSE_URL``,
  default ``http://localhost:8501``); no name or e-mail leaves the course;
* **verb**: from the ADL vocabulary, with its real IRI (:data:`VERBS`);
* **object**: an activity whose id is an address under the course's home page, with the ADL
  activity type and, for a question, its interaction definition (type, choices, right answer);
* **result**: score (scaled, raw, min, max), success, completion, duration where the row knows them;
* **context**: the course and the lesson (``contextActivities.grouping``), the quiz or case it
  belongs to (``parent``), the attempt or run as ``registration``;
* **id**: a UUID 5 of the row's key in the course's own namespace, so building the statements
  again gives the same ids and a resend is idempotent.

Not sent: reopening a lesson (xAPI has no "uncompleted"), suspending or resuming a review card,
and an unanswered question (it has no answer; the attempt's score counts it).
Pure: :func:`course_statements` reads the tables through the store and builds the rest here.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from course.clock import parse_stamp
from course.metadata import base_url
from course.quiz.answers import decode_answer, layer_labels
from course.quiz.models import (
    DiagramQuestion,
    MatchingQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderingQuestion,
    Question,
    SingleQuestion,
    TrueFalseQuestion,
)
from course.simulator.drills import SIMULATOR_QUIZ
from course.store.base import TableStore
from course.store.tables import ATTEMPTS, CASE_ATTEMPTS, CASE_STEPS, CERTAINTY, PROGRESS, RESPONSES, REVIEWS, Table

Statement = dict[str, Any]

XAPI_VERSION = "1.0.3"

VERBS = {
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "attempted": "http://adlnet.gov/expapi/verbs/attempted",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
}
"""The ADL verbs the course uses (the xAPI spec's ADL vocabulary, http://adlnet.gov/expapi/verbs/)."""

ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "question": "http://adlnet.gov/expapi/activities/cmi.interaction",
    "simulation": "http://adlnet.gov/expapi/activities/simulation",
    "interaction": "http://adlnet.gov/expapi/activities/interaction",
}

LANGUAGE = "en"
PLATFORM = "Meso Academy"


def course_home() -> str:
    """The course's public address (:func:`course.metadata.base_url`: ``MESO_BASE_URL``), no trailing slash."""
    return base_url()


@dataclass(frozen=True)
class Vocabulary:
    """What the statements name: the course's address and the titles and questions it knows.

    Titles are optional: a record of a question or lesson since removed still becomes a
    statement, with the activity's id alone.
    """

    home: str
    lessons: Mapping[str, str] = field(default_factory=dict)  # lesson id -> title
    quizzes: Mapping[str, tuple[str, str | None]] = field(default_factory=dict)  # quiz id -> (title, lesson id)
    questions: Mapping[str, Question] = field(default_factory=dict)
    cases: Mapping[str, str] = field(default_factory=dict)  # case id -> title
    drills: Mapping[str, str] = field(default_factory=dict)  # drill id -> what it asks

    @property
    def namespace(self) -> uuid.UUID:
        """The UUID namespace of this course's statement ids (two courses never collide)."""
        return uuid.uuid5(uuid.NAMESPACE_URL, self.home)

    def statement_id(self, key: str) -> str:
        """The id of the statement of a stored row, from the row's key: the same key, the same id.

        >>> vocabulary = Vocabulary("https://meso.example")
        >>> vocabulary.statement_id("progress:ada") == vocabulary.statement_id("progress:ada")
        True
        >>> uuid.UUID(vocabulary.statement_id("progress:ada")).version
        5
        """
        return str(uuid.uuid5(self.namespace, key))

    def activity_id(self, *parts: str) -> str:
        """An activity's IRI: the course's address, ``/xapi/activities/`` and the parts.

        >>> Vocabulary("https://meso.example").activity_id("lesson", "skin")
        'https://meso.example/xapi/activities/lesson/skin'
        """
        return "/".join([self.home, "xapi", "activities", *parts])

    def actor(self, login: str) -> dict[str, Any]:
        return {"objectType": "Agent", "account": {"homePage": self.home, "name": login}}

    def course(self) -> dict[str, Any]:
        return _activity(self.home, "course", PLATFORM)

    def lesson(self, lesson_id: str) -> dict[str, Any]:
        return _activity(self.activity_id("lesson", lesson_id), "lesson", self.lessons.get(lesson_id))

    def quiz(self, quiz_id: str) -> dict[str, Any]:
        title = self.quizzes.get(quiz_id, (None, None))[0]
        return _activity(self.activity_id("quiz", quiz_id), "assessment", title)

    def case(self, case_id: str) -> dict[str, Any]:
        return _activity(self.activity_id("case", case_id), "simulation", self.cases.get(case_id))

    def grouping(self, lesson_id: str | None) -> list[dict[str, Any]]:
        """The course, and the lesson when there is one (and it is known)."""
        return [self.course()] + ([self.lesson(lesson_id)] if lesson_id else [])


def _activity(activity_id: str, kind: str, name: str | None, **definition: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"type": ACTIVITY_TYPES[kind], **definition}
    if name:
        body["name"] = {LANGUAGE: name}
    return {"objectType": "Activity", "id": activity_id, "definition": body}


def _verb(name: str) -> dict[str, Any]:
    return {"id": VERBS[name], "display": {"en-US": name}}


def _duration(start: str, end: str) -> str | None:
    """ISO 8601 duration between two stored times (None if either is missing or unreadable).

    >>> _duration("2026-01-01T10:00:00+00:00", "2026-01-01T10:01:30+00:00")
    'PT90S'
    """
    try:
        seconds = (parse_stamp(end) - parse_stamp(start)).total_seconds()
    except (ValueError, TypeError):
        return None
    return f"PT{max(0.0, seconds):g}S"


def _seconds(value: str) -> str | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return f"PT{max(0.0, number):g}S"


def _timestamp(text: str) -> str | None:
    try:
        moment: datetime = parse_stamp(text)
    except (ValueError, TypeError):
        return None
    return moment.isoformat()


def _registration(run_id: str) -> str | None:
    try:
        return str(uuid.UUID(run_id))
    except ValueError:
        return None


def _score(raw: float, maximum: float, *, minimum: float | None = 0.0) -> dict[str, Any]:
    """An xAPI score: scaled within [-1, 1], raw between min and max (min left out when unknown)."""
    score: dict[str, Any] = {"raw": raw, "max": maximum}
    if minimum is not None and raw >= minimum:
        score["min"] = minimum
    if maximum > 0:
        score["scaled"] = round(max(-1.0, min(1.0, raw / maximum)), 6)
    return score


def _statement(  # noqa: PLR0917 (the six every statement has, then keywords)
    vocabulary: Vocabulary,
    key: str,
    login: str,
    verb: str,
    obj: dict[str, Any],
    at: str,
    *,
    result: dict[str, Any] | None = None,
    parent: dict[str, Any] | None = None,
    lesson: str | None = None,
    registration: str | None = None,
    revision: str | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> Statement:
    """One statement, without empty values (xAPI forbids them outside extensions)."""
    context: dict[str, Any] = {
        "platform": PLATFORM,
        "language": LANGUAGE,
        "contextActivities": {"grouping": vocabulary.grouping(lesson)},
    }
    if parent is not None:
        context["contextActivities"]["parent"] = [parent]
    if registration:
        context["registration"] = registration
    if revision:
        context["revision"] = revision
    if extensions:
        context["extensions"] = {vocabulary.activity_id("extension", k): v for k, v in extensions.items()}
    statement: Statement = {
        "id": vocabulary.statement_id(key),
        "actor": vocabulary.actor(login),
        "verb": _verb(verb),
        "object": obj,
        "context": context,
        "version": XAPI_VERSION,
    }
    stamp = _timestamp(at)
    if stamp:
        statement["timestamp"] = stamp
    kept = {k: v for k, v in (result or {}).items() if v not in (None, "", {})}
    if kept:
        statement["result"] = kept
    return statement


# --- interactions ---------------------------------------------------------------------------


def component_id(text: str) -> str:
    """A stable id for an option's text inside an interaction (the same text, the same id).

    >>> component_id("Epidermis") == component_id("Epidermis") != component_id("Dermis")
    True
    """
    return "c" + hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:10]


def _components(texts: Iterable[str]) -> list[dict[str, Any]]:
    return [{"id": component_id(t), "description": {LANGUAGE: t}} for t in texts]


def question_activity(vocabulary: Vocabulary, question_id: str) -> dict[str, Any]:
    """The activity of a question: its prompt and, for a known question, its interaction."""
    question = vocabulary.questions.get(question_id)
    activity_id = vocabulary.activity_id("question", question_id)
    if question is None:
        return _activity(activity_id, "question", None, interactionType="other")
    definition: dict[str, Any] = {"description": {LANGUAGE: question.prompt}}
    match question:
        case SingleQuestion() | MultipleQuestion():
            definition |= {
                "interactionType": "choice",
                "choices": _components(o.text for o in question.options),
                "correctResponsesPattern": ["[,]".join(component_id(o.text) for o in question.options if o.correct)],
            }
        case TrueFalseQuestion():
            definition |= {"interactionType": "true-false", "correctResponsesPattern": [str(question.answer).lower()]}
        case NumericQuestion():
            low, high = question.answer - question.tolerance, question.answer + question.tolerance
            definition |= {"interactionType": "numeric", "correctResponsesPattern": [f"{low:g}[:]{high:g}"]}
        case OrderingQuestion():
            definition |= {
                "interactionType": "sequencing",
                "choices": _components(question.items),
                "correctResponsesPattern": ["[,]".join(component_id(i) for i in question.items)],
            }
        case MatchingQuestion():
            rights = list(dict.fromkeys([p.right for p in question.pairs] + list(question.distractors)))
            definition |= {
                "interactionType": "matching",
                "source": _components(p.left for p in question.pairs),
                "target": _components(rights),
                "correctResponsesPattern": [
                    "[,]".join(f"{component_id(p.left)}[.]{component_id(p.right)}" for p in question.pairs)
                ],
            }
        case DiagramQuestion():
            labels = layer_labels(question.region)
            definition |= {
                "interactionType": "choice",
                "choices": [{"id": layer, "description": {LANGUAGE: label}} for layer, label in labels.items()],
                "correctResponsesPattern": [question.answer],
            }
    return _activity(activity_id, "question", question.id, **definition)


def response_text(question: Question | None, cell: str) -> str:
    """A stored answer in the interaction's response format (``[,]`` lists, ``[.]`` pairs).

    A question the course no longer has keeps the stored text.
    """
    if question is None or not cell:
        return cell
    answer = decode_answer(question, cell)
    if answer is None:
        return cell
    match question:
        case SingleQuestion() if isinstance(answer, str):
            return component_id(answer)
        case MultipleQuestion() if isinstance(answer, frozenset):
            return "[,]".join(component_id(o.text) for o in question.options if o.text in answer)
        case TrueFalseQuestion():
            return str(answer).lower()
        case NumericQuestion():
            return f"{answer:g}" if isinstance(answer, float | int) else cell
        case OrderingQuestion() if isinstance(answer, tuple):
            return "[,]".join(component_id(a) if a else "" for a in answer)
        case MatchingQuestion() if isinstance(answer, Mapping):
            return "[,]".join(f"{component_id(k)}[.]{component_id(v)}" for k, v in answer.items() if v)
        case _:
            return cell


# --- rows to statements ----------------------------------------------------------------------


def progress_statements(rows: Iterable[Mapping[str, Any]], vocabulary: Vocabulary) -> Iterator[Statement]:
    """*completed* for each lesson completion (a reopening has no xAPI verb and is not sent)."""
    for row in rows:
        if row.get("action") != "complete":
            continue
        lesson = row["lesson_id"]
        yield _statement(
            vocabulary,
            f"progress:{row['learner']}:{lesson}:{row['at']}",
            row["learner"],
            "completed",
            vocabulary.lesson(lesson),
            row["at"],
            result={"completion": True},
        )


def attempt_statements(
    attempts: Iterable[Mapping[str, Any]],
    responses: Mapping[str, Sequence[Mapping[str, Any]]],
    vocabulary: Vocabulary,
    with_certainty: frozenset[str] = frozenset(),
) -> Iterator[Statement]:
    """For each quiz attempt: *attempted* (at its start), *passed*/*failed* (at its end) and
    *answered* for each answered question; for a simulator drill, one *passed*/*failed*."""
    for attempt in attempts:
        attempt_id = str(attempt["attempt_id"])
        learner, quiz = str(attempt["learner"]), str(attempt["quiz"])
        mine = responses.get(attempt_id, ())
        if quiz == SIMULATOR_QUIZ:
            yield from _drill_statements(attempt, mine, vocabulary)
            continue
        lesson = vocabulary.quizzes.get(quiz, ("", None))[1]
        registration = _registration(attempt_id)
        common: dict[str, Any] = {
            "lesson": lesson,
            "registration": registration,
            "revision": str(attempt["bank_version"]),
        }
        yield _statement(
            vocabulary,
            f"attempted:{attempt_id}",
            learner,
            "attempted",
            vocabulary.quiz(quiz),
            str(attempt["started"]),
            **common,
        )
        passed = str(attempt["passed"]).lower() == "true"
        cbm = attempt_id in with_certainty
        raw, maximum = float(attempt["score"]), float(attempt["max_score"])
        result = {
            "score": _score(raw, maximum, minimum=None if cbm else 0.0)
            | {"scaled": round(float(attempt["percentage"]) / 100, 6)},
            "success": passed,
            "completion": str(attempt.get("outcome") or "submitted") == "submitted",
            "duration": _duration(str(attempt["started"]), str(attempt["submitted"])),
        }
        yield _statement(
            vocabulary, f"result:{attempt_id}", learner, "passed" if passed else "failed", vocabulary.quiz(quiz),
            str(attempt["submitted"]), result=result, **common,
        )  # fmt: skip
        for response in mine:
            cell = str(response.get("answer") or "")
            if not cell:
                continue  # unanswered: nothing was answered
            qid = str(response["question_id"])
            question = vocabulary.questions.get(qid)
            points, most = float(response["points"]), float(response["max_points"])
            yield _statement(
                vocabulary,
                f"answer:{attempt_id}:{qid}",
                learner,
                "answered",
                question_activity(vocabulary, qid),
                str(attempt["submitted"]),
                result={
                    "response": response_text(question, cell),
                    "score": _score(points, most),
                    "success": str(response["correct"]).lower() == "true",
                },
                parent=vocabulary.quiz(quiz),
                lesson=question.lesson if question is not None else lesson,
                registration=registration,
                revision=str(attempt["bank_version"]),
            )


def _drill_statements(
    attempt: Mapping[str, Any], responses: Sequence[Mapping[str, Any]], vocabulary: Vocabulary
) -> Iterator[Statement]:
    attempt_id = str(attempt["attempt_id"])
    for response in responses[:1]:  # a drill stores one placement
        drill = str(response["question_id"])
        passed = str(response["correct"]).lower() == "true"
        try:
            placement = json.loads(str(response.get("answer") or "{}"))
        except ValueError:
            placement = {}
        obj = _activity(vocabulary.activity_id("drill", drill), "simulation", vocabulary.drills.get(drill) or drill)
        points, most = float(response["points"]), float(response["max_points"])
        yield _statement(
            vocabulary,
            f"drill:{attempt_id}",
            str(attempt["learner"]),
            "passed" if passed else "failed",
            obj,
            str(attempt["submitted"]),
            result={
                "score": _score(points, most),
                "success": passed,
                "completion": True,
                "duration": _duration(str(attempt["started"]), str(attempt["submitted"])),
                "extensions": {vocabulary.activity_id("extension", "placement"): placement} if placement else None,
            },
            parent=_activity(vocabulary.activity_id("simulator"), "simulation", "Needle simulator"),
            lesson=None,
            registration=_registration(attempt_id),
            revision=str(attempt["bank_version"]),
        )


def review_statements(rows: Iterable[Mapping[str, Any]], vocabulary: Vocabulary) -> Iterator[Statement]:
    """*answered* for each spaced-review answer: the question (or drill) again, rated by FSRS
    (1 Again = not right; 2-4 = right), with the seconds it took. Suspensions are not sent."""
    review = _activity(vocabulary.activity_id("review"), "assessment", "Spaced review")
    for row in rows:
        if row.get("event") != "review" or not row.get("rating"):
            continue
        item = row["item"]
        question = vocabulary.questions.get(item)
        if question is not None or item not in vocabulary.drills:
            obj = question_activity(vocabulary, item)
        else:
            obj = _activity(vocabulary.activity_id("drill", item), "simulation", vocabulary.drills.get(item))
        rating = int(float(row["rating"]))
        yield _statement(
            vocabulary,
            f"review:{row['learner']}:{item}:{row['at']}",
            row["learner"],
            "answered",
            obj,
            row["at"],
            result={
                "success": rating > 1,
                "duration": _seconds(row.get("seconds") or ""),
                "extensions": {vocabulary.activity_id("extension", "fsrs-rating"): rating},
            },
            parent=review,
            lesson=question.lesson if question is not None else None,
            extensions={"next-review": row["due"]} if row.get("due") else None,
        )


def case_step_statements(rows: Iterable[Mapping[str, Any]], vocabulary: Vocabulary) -> Iterator[Statement]:
    """*answered* for each committed step of a clinical case."""
    for row in rows:
        case, step = str(row["case"]), str(row["step"])
        points, most = float(row["points"]), float(row["max_points"])
        result: dict[str, Any] = {"response": str(row.get("answer") or "")}
        if most > 0:
            result |= {"score": _score(points, most, minimum=None if points < 0 else 0.0), "success": points >= most}
        yield _statement(
            vocabulary,
            f"case-step:{row['step_key']}",
            str(row["learner"]),
            "answered",
            _activity(vocabulary.activity_id("case", case, "step", step), "interaction", f"{case}: {step}"),
            str(row["at"]),
            result=result,
            parent=vocabulary.case(case),
            registration=_registration(str(row["run_id"])),
            extensions={"step-kind": str(row["kind"]), "position": int(float(row["seq"]))},
        )


def case_attempt_statements(rows: Iterable[Mapping[str, Any]], vocabulary: Vocabulary) -> Iterator[Statement]:
    """*attempted* (at its start) and *passed*/*failed* for each finished case run."""
    for row in rows:
        run_id, case, learner = str(row["run_id"]), str(row["case"]), str(row["learner"])
        registration = _registration(run_id)
        yield _statement(
            vocabulary, f"case-attempted:{run_id}", learner, "attempted", vocabulary.case(case), str(row["started"]),
            registration=registration,
        )  # fmt: skip
        passed = str(row["passed"]).lower() == "true"
        raw, maximum = float(row["score"]), float(row["max_score"])
        failure = {"failed-step": row.get("failed_step"), "reason": row.get("reason")}
        yield _statement(
            vocabulary,
            f"case-result:{run_id}",
            learner,
            "passed" if passed else "failed",
            vocabulary.case(case),
            str(row["finished"]),
            result={
                "score": _score(raw, maximum, minimum=None if raw < 0 else 0.0)
                | {"scaled": round(float(row["percentage"]) / 100, 6)},
                "success": passed,
                "completion": True,
                "duration": _duration(str(row["started"]), str(row["finished"])),
                "extensions": {
                    vocabulary.activity_id("extension", k): str(v) for k, v in failure.items() if v and str(v) != "nan"
                }
                or None,
            },
            registration=registration,
        )


# --- the whole course --------------------------------------------------------------------------


def _records(store: TableStore, table: Table) -> list[dict[str, Any]]:
    """A table's valid rows as dicts, an empty cell as ``""``."""
    frame = store.read(table).frame
    cleaned = frame.astype(object).where(frame.notna(), "")
    return [{str(k): v for k, v in row.items()} for row in cleaned.to_dict("records")]


def course_vocabulary(home: str | None = None) -> Vocabulary:
    """The course's titles and questions as the content files are now."""
    from course.cases.loading import current_cases  # noqa: PLC0415 (content loads only when statements are built)
    from course.content.lessons import current_catalog  # noqa: PLC0415
    from course.quiz.banks import current_quizzes  # noqa: PLC0415
    from course.simulator.loading import load_skin_model  # noqa: PLC0415

    quizzes = current_quizzes()
    lessons = {lesson.id: lesson.title for lesson in current_catalog().lessons}
    try:
        drills = {d.id: f"{d.technique} on the {d.region}" for d in load_skin_model().data.drills}
    except Exception:  # a broken skin model loses the drills' names, never the statements
        drills = {}
    return Vocabulary(
        home or course_home(),
        lessons=lessons,
        quizzes={b.id: (b.title, b.lesson) for b in quizzes.banks},
        questions=quizzes.questions,
        cases={c.id: c.title for c in current_cases().cases},
        drills=drills,
    )


SOURCES: tuple[Table, ...] = (PROGRESS, ATTEMPTS, RESPONSES, CERTAINTY, REVIEWS, CASE_STEPS, CASE_ATTEMPTS)
"""The tables statements are built from."""


def build_statements(tables: Mapping[str, Sequence[Mapping[str, Any]]], vocabulary: Vocabulary) -> list[Statement]:
    """The statements of some rows of each source table (by table file name), in table order
    (progress, attempts, reviews, case steps, case runs). An attempt's answers must come with it:
    they are written in one commit, so any consistent slice of the tables has both."""
    responses: dict[str, list[Mapping[str, Any]]] = {}
    for row in tables.get(RESPONSES.name, ()):
        responses.setdefault(str(row["attempt_id"]), []).append(row)
    with_certainty = frozenset(str(r["attempt_id"]) for r in tables.get(CERTAINTY.name, ()))
    statements: list[Statement] = []
    statements += progress_statements(tables.get(PROGRESS.name, ()), vocabulary)
    statements += attempt_statements(tables.get(ATTEMPTS.name, ()), responses, vocabulary, with_certainty)
    statements += review_statements(tables.get(REVIEWS.name, ()), vocabulary)
    statements += case_step_statements(tables.get(CASE_STEPS.name, ()), vocabulary)
    statements += case_attempt_statements(tables.get(CASE_ATTEMPTS.name, ()), vocabulary)
    return statements


def course_statements(store: TableStore, vocabulary: Vocabulary | None = None) -> list[Statement]:
    """Every statement the stored records give (what the JSONL export holds)."""
    return build_statements({t.name: _records(store, t) for t in SOURCES}, vocabulary or course_vocabulary())


def to_jsonl(statements: Iterable[Statement]) -> str:
    """One statement per line (JSON Lines), keys sorted so the same records give the same file."""
    return "".join(json.dumps(s, ensure_ascii=False, sort_keys=True) + "\n" for s in statements)
