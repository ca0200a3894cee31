"""An attempt's life: draw the questions, keep a draft, resume it, submit it once.

* **Draw.** Questions are drawn with a seed; the seed and the drawn ids are saved as a
  draft row (``drafts.csv``) before the first question is shown, so a reload (or another
  tab) resumes the same questions in the same order, with the same option order.
* **Resume or restart.** Opening a quiz with an open draft resumes it. A draft whose bank
  has changed since (new version, questions removed) is dropped and a new attempt begins,
  with a notice saying so; it does not count as an attempt.
* **Limits on the server.** The attempts limit is checked when an attempt starts (under the
  folder lock, so two tabs cannot both start one); the time limit runs from the draft's
  start time, which a reload does not reset. An answer that arrives after the limit (plus
  :data:`GRACE_S` for the network) is recorded as ``expired``: 0 points, not passed. A draft
  left open past its limit is recorded the same way when the learner next opens the quiz.
* **Once only.** Submitting checks, under the folder lock, that the attempt id is not
  already in ``attempts.csv`` before appending its attempt row and response rows, so a
  double click or two tabs store at most one attempt.
* **Answers kept as you go.** Each answer given in an open attempt is appended to
  ``answer_drafts.csv`` (one row per change, the latest per question wins), so a reload or a
  dropped connection brings back the same questions with the answers given so far. Only the
  submitted answers are scored; the draft rows are never rewritten.
* **Certainties.** In a quiz with confidence-based marking (``settings.cbm``), each question
  that can carry one is scored with the learner's certainty (:mod:`course.quiz.cbm`), and one
  ``certainty.csv`` row per such question is written in the same group commit. When an attempt
  is read back, those rows alone say which questions were scored with a certainty, so an
  attempt stored before its quiz asked for certainties scores as it did.
"""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from course.clock import stamp, utc_now
from course.errors import MesoError
from course.quiz.answers import (
    AnswerError,
    carries_certainty,
    check_answer,
    decode_answer,
    encode_answer,
    is_blank,
)
from course.quiz.cbm import MAX_FACTOR, Certainty, CertaintyError, check_certainty
from course.quiz.models import Answer, DiagramQuestion, Question, Quiz, Settings
from course.quiz.scoring import Mark, Outcome, score_attempt
from course.simulator.drills import SIMULATOR_QUIZ, drill_rows
from course.simulator.geometry import Placement
from course.simulator.schema import Drill, DrillScoring
from course.store.base import TableStore, explain
from course.store.commit import CommitRequest, commit_queue, write_group
from course.store.tables import ANSWER_DRAFTS, ATTEMPTS, CERTAINTY, DRAFTS, RESPONSES

GRACE_S = 30
SUBMITTED, EXPIRED = "submitted", "expired"
MAX_ANSWER_CHARS = 4000
_KEPT_ON_PAGE = (
    "They are still on this page: please submit again in a moment, and tell your tutor if this keeps happening."
)


class AttemptError(MesoError):
    """An attempt that cannot start or be stored; the message is shown to the learner."""


class AttemptLimitReached(AttemptError):
    pass


class EmptySubmission(AttemptError):
    pass


class AlreadySubmitted(AttemptError):
    """This attempt is already stored (double click, second tab): nothing was added."""

    def __init__(self, attempt_id: str) -> None:
        super().__init__(
            "This attempt was already submitted (from another tab or by a double click): it is stored once."
        )
        self.attempt_id = attempt_id


@dataclass(frozen=True)
class Draw:
    """The questions one attempt shows, fixed when it starts (the ``drafts.csv`` row)."""

    attempt_id: str
    learner: str
    quiz: str
    started: str
    seed: int
    question_ids: tuple[str, ...]
    version: str

    @property
    def started_at(self) -> datetime:
        return datetime.fromisoformat(self.started)

    def deadline(self, settings: Settings) -> datetime | None:
        if settings.time_limit_min is None:
            return None
        return self.started_at + timedelta(minutes=settings.time_limit_min)

    def row(self) -> dict[str, object]:
        return {
            "attempt_id": self.attempt_id,
            "learner": self.learner,
            "quiz": self.quiz,
            "started": self.started,
            "seed": self.seed,
            "question_ids": " ".join(self.question_ids),
            "bank_version": self.version,
        }

    @classmethod
    def from_row(cls, row: Mapping[Any, object]) -> Draw:
        return cls(
            str(row["attempt_id"]),
            str(row["learner"]),
            str(row["quiz"]),
            str(row["started"]),
            int(str(row["seed"])),
            tuple(str(row["question_ids"]).split()),
            str(row["bank_version"]),
        )


@dataclass(frozen=True)
class Started:
    draw: Draw
    resumed: bool
    notices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Submitted:
    """A stored attempt: its id, status (submitted or expired) and scored outcome."""

    attempt_id: str
    status: str
    submitted: str
    outcome: Outcome


# --- drawing -------------------------------------------------------------------------------


def attempts_left(settings: Settings, used: int) -> int | None:
    """How many new attempts a quiz still allows after ``used`` stored ones (None: no limit).

    One rule for the server, which refuses to start an attempt at 0, and for the quiz list,
    which says how many are left and disables *Start* at 0 (an open draft still resumes).

    >>> attempts_left(Settings(max_attempts=3), used=1), attempts_left(Settings(max_attempts=3), used=5)
    (2, 0)
    """
    if settings.max_attempts is None:
        return None
    return max(settings.max_attempts - used, 0)


def draw_questions(quiz: Quiz, seed: int) -> tuple[str, ...]:
    """The question ids of one attempt: :meth:`Quiz.draws` questions from each pool,
    shuffled when the quiz says so. The same seed always gives the same draw.

    >>> from course.quiz.catalog import mistakes_quiz
    >>> draw_questions(mistakes_quiz([]), seed=1)
    ()
    """
    rng = random.Random(seed)
    picked: list[str] = []
    for pool, count in zip(quiz.pools, quiz.draws(), strict=True):
        chosen = {q.id for q in rng.sample(pool, count)}
        picked += [q.id for q in pool if q.id in chosen]
    if quiz.settings.shuffle_questions:
        rng.shuffle(picked)
    return tuple(picked)


def display_order(questions: Sequence[Question]) -> list[Question]:
    """The drawn questions in the order the quiz page shows them: diagram questions first,
    every other question after them, each group keeping the drawn order.

    A diagram question's clickable figure reruns the page on each click, which a widget inside
    the answer form cannot do, so those questions are shown above the form (and numbered first,
    so the numbers in the review match the page).
    """
    diagrams = [q for q in questions if isinstance(q, DiagramQuestion)]
    return diagrams + [q for q in questions if not isinstance(q, DiagramQuestion)]


def cbm_questions(questions: Sequence[Question], settings: Settings) -> list[Question]:
    """The questions of an attempt that carry a certainty: none unless the quiz asks for
    certainties (``settings.cbm``); then every question whose type can carry one, unless its
    bank opted it out (``cbm: false``)."""
    return [q for q in questions if settings.cbm and carries_certainty(q)]


def check_certainties(
    questions: Sequence[Question], settings: Settings, given: Mapping[str, object]
) -> dict[str, Certainty | None]:
    """The certainty of each question scored with CBM (None: not chosen), from what the page sent.

    Refused with a message for the learner: a certainty other than 1, 2 or 3, or one for a
    question that does not carry a certainty (a stale or forged page).
    """
    carried = {q.id for q in cbm_questions(questions, settings)}
    if any(question_id not in carried for question_id, value in given.items() if value is not None):
        raise AnswerError(
            "A certainty was sent for a question that has none (was the page out of date?): please reload the quiz."
        )
    try:
        return {question_id: check_certainty(given.get(question_id)) for question_id in carried}
    except CertaintyError as exc:
        raise AnswerError(
            "A certainty must be 1 (low), 2 (mid) or 3 (high): please choose one of them for each answer "
            "and submit again."
        ) from exc


# --- the attempt book --------------------------------------------------------------------------


@dataclass
class Attempts:
    """Attempts of every learner in one data folder."""

    store: TableStore
    clock: Callable[[], datetime] = field(default=utc_now)

    def open_drafts(self, learner: str) -> dict[str, Draw]:
        """The learner's unsubmitted attempt per quiz (the latest draft, if not yet stored)."""
        frame = self.store.read(DRAFTS).frame
        mine = frame[frame["learner"] == learner].drop_duplicates("quiz", keep="last")
        return {
            str(row["quiz"]): Draw.from_row(row)
            for row in mine.to_dict("records")
            if not self.store.contains(ATTEMPTS, "attempt_id", str(row["attempt_id"]))
        }

    def save_answer(self, draw: Draw, question: Question, answer: Answer, certainty: object = None) -> bool:
        """Keep one answer (and its certainty) of an open attempt as a draft row; False when
        nothing was kept (the attempt is already stored, the answer is unreadable or too long)."""
        if question.id not in draw.question_ids or self.store.contains(ATTEMPTS, "attempt_id", draw.attempt_id):
            return False
        try:
            text = encode_answer(question, check_answer(question, answer))
        except AnswerError:
            return False
        if len(text) > MAX_ANSWER_CHARS:
            return False
        chosen = certainty if certainty in (1, 2, 3) else ""
        if self._kept_texts(draw.attempt_id).get(question.id) == (text, str(chosen)):
            return True  # already kept as it is (two ticks of one question change one answer)
        row = {
            "attempt_id": draw.attempt_id,
            "question_id": question.id,
            "answer": text,
            "certainty": chosen,
            "at": stamp(self.clock()),
        }
        with explain("Your answer could not be kept as a draft", "It is still on the page; submit as usual."):
            self.store.append(ANSWER_DRAFTS, [row])
        return True

    def _kept_texts(self, attempt_id: str) -> dict[str, tuple[str, str]]:
        frame = self.store.read(ANSWER_DRAFTS).frame
        mine = frame[frame["attempt_id"] == attempt_id].drop_duplicates("question_id", keep="last")
        return {str(q): (str(a), str(c)) for q, a, c in mine[["question_id", "answer", "certainty"]].values}

    def draft_answers(self, draw: Draw, lookup: Mapping[str, Question]) -> dict[str, tuple[Answer, Certainty | None]]:
        """The answers kept so far for an open attempt: question id -> (answer, certainty)."""
        frame = self.store.read(ANSWER_DRAFTS).frame
        mine = frame[frame["attempt_id"] == draw.attempt_id].drop_duplicates("question_id", keep="last")
        kept: dict[str, tuple[Answer, Certainty | None]] = {}
        for question_id, text, certainty in mine[["question_id", "answer", "certainty"]].values:
            question = lookup.get(str(question_id))
            if question is not None and question.id in draw.question_ids:
                kept[question.id] = (decode_answer(question, str(text)), _read_certainty(str(certainty)))
        return kept

    def used(self, learner: str, quiz_id: str) -> int:
        """Attempts stored for this learner and quiz (expired ones count too)."""
        frame = self.store.read(ATTEMPTS).frame
        return int(((frame["learner"] == learner) & (frame["quiz"] == quiz_id)).sum())

    def start(self, learner: str, quiz: Quiz, lookup: Mapping[str, Question] | None = None) -> Started:
        """Resume the learner's open attempt at ``quiz``, or start a new one.

        ``lookup`` finds the questions of a draft (default: the quiz's own); a draft whose
        questions or bank version changed is restarted, one past its time limit is recorded
        as expired first. Raises :class:`AttemptLimitReached` when no attempt is left.
        """
        lookup = quiz.questions if lookup is None else lookup
        notices: list[str] = []
        with explain("The quiz could not be started", "Please try again later."), self.store.lock:
            draft = self.open_drafts(learner).get(quiz.id)
            if draft is not None:
                if draft.version != quiz.version or any(q not in lookup for q in draft.question_ids):
                    notices.append("This quiz has changed since you opened it, so a fresh attempt has started.")
                elif self._late(draft, quiz.settings):
                    self._record_expired(draft, [lookup[q] for q in draft.question_ids], quiz.settings)
                    notices.append("Your previous attempt ran out of time: it is recorded as expired (not passed).")
                else:
                    return Started(draft, resumed=True)
            if attempts_left(quiz.settings, self.used(learner, quiz.id)) == 0:
                raise AttemptLimitReached(
                    f"You have used all {quiz.settings.max_attempts} attempts allowed for this quiz."
                )
            seed = secrets.randbits(31)
            draw = Draw(
                uuid.uuid4().hex, learner, quiz.id, stamp(self.clock()), seed, draw_questions(quiz, seed), quiz.version
            )
            if not draw.question_ids:
                raise AttemptError("This quiz has no questions to draw yet.")
            self.store.append(DRAFTS, [draw.row()])
        return Started(draw, resumed=False, notices=tuple(notices))

    def _late(self, draw: Draw, settings: Settings) -> bool:
        deadline = draw.deadline(settings)
        return deadline is not None and self.clock() > deadline + timedelta(seconds=GRACE_S)

    def seconds_left(self, draw: Draw, settings: Settings) -> float | None:
        deadline = draw.deadline(settings)
        return None if deadline is None else max(0.0, (deadline - self.clock()).total_seconds())

    def submit(
        self,
        draw: Draw,
        settings: Settings,
        lookup: Mapping[str, Question],
        answers: Mapping[str, Answer],
        certainties: Mapping[str, object] | None = None,
    ) -> Submitted:
        """Score and store an attempt once; refuse an empty or malformed one with a message.

        ``certainties``: question id -> the certainty the learner chose (1, 2 or 3; None or
        absent: not chosen), read only in a quiz with confidence-based marking.
        """
        missing = [q for q in draw.question_ids if q not in lookup]
        if missing:
            raise AttemptError("This quiz changed while you were taking it: please start it again.")
        questions = [lookup[q] for q in draw.question_ids]
        for question in questions:
            check_answer(question, answers.get(question.id))
        chosen = check_certainties(questions, settings, certainties or {})
        if all(is_blank(answers.get(q.id)) for q in questions):
            raise EmptySubmission("You have not answered any question yet: answer at least one, then submit.")
        if self._late(draw, settings):
            return self._record_expired(draw, questions, settings)
        outcome = score_attempt(questions, answers, settings.pass_mark, chosen)
        texts = {q.id: encode_answer(q, answers.get(q.id)) for q in questions}
        with explain("Your answers could not be saved", _KEPT_ON_PAGE):
            return self.record(draw, outcome, texts)

    def _record_expired(self, draw: Draw, questions: Sequence[Question], settings: Settings) -> Submitted:
        expired = self._expired(draw, questions, "", settings)
        return self.record(draw, expired.outcome, {}, status=EXPIRED)

    @staticmethod
    def _expired(draw: Draw, questions: Sequence[Question], submitted: str, settings: Settings) -> Submitted:
        """The outcome of an attempt past its time limit: 0 of what it could have scored."""
        note = "Time was up before this attempt was submitted, so it scores 0 and does not pass."
        carried = {q.id for q in cbm_questions(questions, settings)}
        max_score = round(sum(q.points * (MAX_FACTOR if q.id in carried else 1) for q in questions), 6)
        return Submitted(draw.attempt_id, EXPIRED, submitted, Outcome((), 0.0, max_score, 0.0, False, (), (note,)))

    def record(self, draw: Draw, outcome: Outcome, answers: Mapping[str, str], status: str = SUBMITTED) -> Submitted:
        """Append the attempt row, one response row per mark and one certainty row per mark
        scored with CBM, once per attempt id.

        Drills take the same path through :meth:`record_drill`.
        """
        too_long = [q for q, text in answers.items() if len(text) > MAX_ANSWER_CHARS]
        if too_long:
            raise AttemptError("An answer is far too long to store: please shorten it.")
        submitted = stamp(self.clock())
        attempt = {
            "attempt_id": draw.attempt_id,
            "learner": draw.learner,
            "quiz": draw.quiz,
            "started": draw.started,
            "submitted": submitted,
            "score": outcome.score,
            "max_score": outcome.max_score,
            "percentage": round(outcome.percentage, 2),
            "passed": "true" if outcome.passed else "false",
            "bank_version": draw.version,
            "outcome": status,
        }
        responses = [_response_row(draw.attempt_id, mark, answers.get(mark.question_id, "")) for mark in outcome.marks]
        certainties = [_certainty_row(draw.attempt_id, mark) for mark in outcome.marks if mark.cbm]
        self._commit(draw.attempt_id, attempt, responses, certainties)
        return Submitted(draw.attempt_id, status, submitted, outcome)

    def record_drill(
        self, placement: Placement, drill: Drill, *, learner: str, started: str, version: int, scoring: DrillScoring
    ) -> str:
        """Store a needle-simulator drill as an attempt of the ``simulator`` quiz; return its id.

        The same path as a quiz attempt: the once-only check and group commit apply.
        """
        attempt_id = uuid.uuid4().hex
        attempt, response = drill_rows(
            placement,
            drill,
            learner=learner,
            started=started,
            submitted=stamp(self.clock()),
            version=version,
            attempt_id=attempt_id,
            scoring=scoring,
        )
        with explain("Your placement could not be saved", "Please try again."):
            self._commit(attempt_id, attempt, [response])
        return attempt_id

    def _commit(
        self,
        attempt_id: str,
        attempt: dict[str, object],
        responses: list[dict[str, object]],
        certainties: list[dict[str, object]] | None = None,
    ) -> None:
        """Append an attempt, its responses and its certainties once per attempt id (group
        commit with other submitters: all three files or none)."""
        request = CommitRequest(attempt_id, attempt, responses, certainties or [])
        if self.store.holds_lock:  # this thread already holds it (start -> expire): write now
            write_group(self.store, [request])
        else:
            commit_queue(self.store).commit(self.store, request)
        if request.error is not None:
            raise request.error
        if not request.accepted:
            raise AlreadySubmitted(attempt_id)

    def stored(
        self, draw: Draw, settings: Settings, lookup: Mapping[str, Question]
    ) -> tuple[Submitted, dict[str, Answer]]:
        """An attempt as it was stored, with its answers (to show it after "already submitted").

        Its answers are rescored against the current questions for the review, with the
        certainties stored with it (an attempt stored without any is scored without them, even
        if its quiz asks for certainties now); an expired attempt comes back as expired.
        """
        attempts = self.store.read(ATTEMPTS).frame
        row = attempts[attempts["attempt_id"] == draw.attempt_id].iloc[-1]
        questions = [lookup[q] for q in draw.question_ids if q in lookup]
        if row["outcome"] == EXPIRED:
            return self._expired(draw, questions, str(row["submitted"]), settings), {}
        responses = self.store.read(RESPONSES).frame
        texts = dict(responses.loc[responses["attempt_id"] == draw.attempt_id, ["question_id", "answer"]].values)
        answers = {q.id: decode_answer(q, str(texts.get(q.id, ""))) for q in questions}
        outcome = score_attempt(questions, answers, settings.pass_mark, self.certainties(draw.attempt_id))
        return Submitted(draw.attempt_id, str(row["outcome"]), str(row["submitted"]), outcome), answers

    def submitted_draw(self, attempt_id: str, learner: str) -> Draw | None:
        """The questions of one of ``learner``'s stored attempts, to reopen its review; None when
        no stored attempt with this id is theirs (another learner's id opens nothing).

        The draw comes from ``drafts.csv``, where every quiz attempt is written when it starts;
        an attempt stored without one (before drafts existed) gets its questions in the order of
        its ``responses.csv`` rows. Simulator drills have no questions to review: None.
        """
        attempts = self.store.read(ATTEMPTS).frame
        mine = attempts[(attempts["attempt_id"] == attempt_id) & (attempts["learner"] == learner)]
        if mine.empty or str(mine["quiz"].iloc[-1]) == SIMULATOR_QUIZ:
            return None
        drafts = self.store.read(DRAFTS).frame
        drawn = drafts[(drafts["attempt_id"] == attempt_id) & (drafts["learner"] == learner)]
        if not drawn.empty:
            return Draw.from_row(drawn.iloc[-1].to_dict())
        responses = self.store.read(RESPONSES).frame
        asked = tuple(str(q) for q in responses.loc[responses["attempt_id"] == attempt_id, "question_id"])
        row = mine.iloc[-1]
        return Draw(attempt_id, learner, str(row["quiz"]), str(row["started"]), 0, asked, str(row["bank_version"]))

    def certainties(self, attempt_id: str) -> dict[str, Certainty | None]:
        """The stored certainty of each question of an attempt scored with CBM (None: left
        unanswered; a damaged cell reads as not chosen). Empty for an attempt without CBM."""
        frame = self.store.read(CERTAINTY).frame
        mine = frame.loc[frame["attempt_id"] == attempt_id, ["question_id", "certainty"]]
        return {str(q): _read_certainty(str(c)) for q, c in mine.values}


def _read_certainty(cell: str) -> Certainty | None:
    try:
        return check_certainty(int(cell))
    except ValueError:  # CertaintyError too: a damaged cell
        return None


def _certainty_row(attempt_id: str, mark: Mark) -> dict[str, object]:
    return {"attempt_id": attempt_id, "question_id": mark.question_id, "certainty": mark.certainty}


def _response_row(attempt_id: str, mark: Mark, answer: str) -> dict[str, object]:
    return {
        "attempt_id": attempt_id,
        "question_id": mark.question_id,
        "answer": answer,
        "correct": "true" if mark.correct else "false",
        "points": mark.points,
        "max_points": mark.max_points,
    }
