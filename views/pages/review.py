"""Review: the learner's spaced-review cards, scheduled by FSRS (course.review).

A session takes up to N due cards, one at a time: the question (options in a fresh order) or
the drill task, the answer scored as in a quiz, then the right answer, the explanation, a link
to the lesson and when the card comes back. Below: the 30-day forecast, streaks, every card
(suspend or resume one) and the Anki download.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import streamlit as st
from fsrs import Rating

from course.analytics.learner_charts import forecast_alt, forecast_figure
from course.clock import now_utc, stamp, zone_label
from course.errors import MesoError
from course.quiz.answers import carries_certainty, check_answer
from course.quiz.attempts import Draw
from course.quiz.cbm import CERTAINTIES, CertaintyError, check_certainty, describe_certainty
from course.quiz.models import Answer, DiagramQuestion, Question, Quiz, Settings
from course.quiz.scoring import Mark, score_attempt
from course.review import anki
from course.review.book import SESSION_SIZE, CardState, ReviewBook, forecast
from course.review.cards import DRILL, REASON_WORDS
from course.review.rating import FAST_S, RATING_WORDS, SLOW_S, rate_answer, rate_drill
from course.review.schedule import desired_retention
from course.simulator import figures
from course.simulator.geometry import Verdict
from course.simulator.model import SkinModel
from views.parts import state
from views.parts.figure_blocks import hidden_placement, show_chart, show_verdict, skin_model
from views.parts.notices import show_exception
from views.parts.quiz_widgets import (
    certainty_key,
    diagram_question,
    form_question,
    quiz_catalog,
    read_answer,
    review,
)
from views.parts.review import review_book

KEY = "review"
SESSION_KEY = f"{KEY}:session"


@dataclass(frozen=True)
class CardResult:
    """What the learner did with the card just rated: a question's answer and marks, or a
    drill's placement; the rating it earned and when the card comes back."""

    item: str
    rating: Rating
    due: datetime
    answer: Answer = None
    marks: Sequence[Mark] = ()
    angle: float = 0.0
    length: float = 0.0


@dataclass
class Session:
    """This browser session's review: the cards still to show, what was answered, and when
    the current card was shown (for fast and slow)."""

    learner: str
    queue: list[str]
    seed: int = field(default_factory=lambda: secrets.randbits(31))
    done: list[tuple[str, str, str]] = field(default_factory=list)  # item, rating, next due
    shown_at: float = field(default_factory=time.monotonic)
    result: CardResult | None = None

    @property
    def number(self) -> int:
        return len(self.done) + (0 if self.result is None else -1) + 1


def _when(moment: str) -> str:
    return state.shown_time(moment)


def _item_title(item: str, questions: dict[str, Question], model: SkinModel | None) -> str:
    question = questions.get(item)
    if question is not None:
        prompt = question.prompt.replace("\n", " ")
        return prompt if len(prompt) <= 90 else prompt[:87] + "…"
    if model is not None and any(d.id == item for d in model.data.drills):
        drill = model.drill(item)
        return f"Drill: {model.technique(drill.technique).label} in the {model.region(drill.region).label.lower()}"
    return f"{item} (no longer in the course)"


def _card_quiz(session: Session, question: Question) -> tuple[Quiz, Draw]:
    """A one-question quiz and draw for the widgets: a fresh option order each time the card is shown."""
    quiz_id = f"{KEY}-{session.seed}-{len(session.done)}"
    settings = Settings(shuffle_options=True)  # no marks at stake: the certainty only sets the rating
    quiz = Quiz(quiz_id, "Review", "1", settings, ((question,),))
    seed = session.seed + 7919 * len(session.done)
    draw = Draw(quiz_id, session.learner, quiz_id, now_utc(), seed, (question.id,), "1")
    return quiz, draw


def _advance(session: Session) -> None:
    session.result = None
    session.shown_at = time.monotonic()


def _store(book: ReviewBook, session: Session, card: CardState, rating: Rating, seconds: float) -> CardState | None:
    try:
        after = book.record(card, rating, seconds)
    except MesoError as exc:
        show_exception(exc)
        return None
    session.queue.pop(0)
    session.done.append((card.item, RATING_WORDS[rating], stamp(after.due)))
    return after


def question_card(book: ReviewBook, session: Session, card: CardState, question: Question) -> None:
    quiz, draw = _card_quiz(session, question)
    if isinstance(question, DiagramQuestion):
        diagram_question(session.number, quiz, draw, question, keep=False)
    with st.form(f"{KEY}:form:{quiz.id}", border=False):
        if not isinstance(question, DiagramQuestion):
            form_question(session.number, quiz, draw, question, keep=False)
        if carries_certainty(question):
            st.radio(
                "How sure are you of this answer?",
                CERTAINTIES,
                index=None,
                format_func=describe_certainty,
                horizontal=True,
                key=certainty_key(quiz.id, question.id),
                help=f"No marks here: right at 1 (low) is rated Hard, right at 3 (high) within {FAST_S:g} s is Easy.",
            )
        sent = st.form_submit_button("Check my answer", key=f"{KEY}:check", type="primary")
    if not sent:
        return
    try:
        answer = check_answer(question, read_answer(quiz, draw, question))
        chosen = st.session_state.get(certainty_key(quiz.id, question.id))
        certainty = check_certainty(chosen) if carries_certainty(question) else None
    except (MesoError, CertaintyError) as exc:
        show_exception(exc)
        return
    seconds = time.monotonic() - session.shown_at
    marks = score_attempt([question], {question.id: answer}, 0).marks
    rating = rate_answer(marks[0].correct, certainty, seconds)
    after = _store(book, session, card, rating, seconds)
    if after is not None:
        session.result = CardResult(card.item, rating, after.due, answer=answer, marks=marks)
        st.rerun()


def drill_card(book: ReviewBook, session: Session, card: CardState, model: SkinModel) -> None:
    drill = model.drill(card.item)
    tech, region = model.technique(drill.technique), model.region(drill.region)
    st.markdown(f"**Card {session.number}** · simulator drill")
    task = f"Place the needle for the **{tech.label.lower()}** technique in the **{region.label.lower()}**."
    st.info(f"**Case: {drill.case}.** {task}" if drill.case else task, icon=":material/target:")
    needle = f"{KEY}:{session.seed}-{len(session.done)}:needle"
    placement = hidden_placement(needle, model, drill.region, drill.technique)
    angle, length = placement.angle_deg, placement.length_mm
    if st.button("Check my placement", key=f"{KEY}:check-drill", type="primary"):
        seconds = time.monotonic() - session.shown_at
        rating = rate_drill(placement.verdict is Verdict.ON_TARGET, placement.score, seconds)
        after = _store(book, session, card, rating, seconds)
        if after is not None:
            session.result = CardResult(card.item, rating, after.due, angle=angle, length=length)
            st.rerun()


def show_result(session: Session, questions: dict[str, Question], model: SkinModel | None) -> None:
    result = session.result
    assert result is not None
    item = result.item
    rating = result.rating
    due = stamp(result.due)
    question = questions.get(item)
    if question is not None:
        review([question], {item: result.answer}, result.marks)
    elif model is not None:
        drill = model.drill(item)
        placed = model.assess(drill.region, drill.technique, result.angle, result.length)
        st.markdown(f"**Score: {placed.score:.0%}** · off target by {placed.distance_mm:.2f} mm")
        show_chart(
            figures.cross_section_figure(drill.region, placement=placed, model=model),
            figures.placement_alt(placed, model),
            f"{KEY}:result-chart:{len(session.done)}",
        )
        show_verdict(placed, model)
    st.success(
        f"Rated **{RATING_WORDS[rating]}**: this card comes back on **{_when(due)}**.",
        icon=":material/event_repeat:",
    )
    label = "Next card" if session.queue else "Finish the session"
    if st.button(label, key=f"{KEY}:next", type="primary", icon=":material/skip_next:"):
        _advance(session)
        st.rerun()


def run_session(book: ReviewBook, session: Session, questions: dict[str, Question], model: SkinModel | None) -> None:
    if session.result is not None:
        show_result(session, questions, model)
        return
    cards = {c.item: c for c in book.cards(session.learner)}
    while session.queue and session.queue[0] not in cards:
        session.queue.pop(0)  # suspended elsewhere, or gone from the course meanwhile
    if not session.queue:
        summary(session, questions, model)
        return
    card = cards[session.queue[0]]
    st.caption(
        f"Card {session.number} of {len(session.done) + len(session.queue)} · "
        f"why it is here: {REASON_WORDS.get(card.reason, card.reason)}"
    )
    question = questions.get(card.item)
    if question is not None:
        question_card(book, session, card, question)
    elif model is not None and card.kind == DRILL:
        drill_card(book, session, card, model)
    if st.button(
        "Suspend this card",
        key=f"{KEY}:suspend",
        icon=":material/pause_circle:",
        help="A suspended card never comes due until you resume it (under All my cards).",
    ):
        try:
            book.suspend(card)
        except MesoError as exc:
            show_exception(exc)
            return
        session.queue.pop(0)
        _advance(session)
        st.rerun()


def summary(session: Session, questions: dict[str, Question], model: SkinModel | None) -> None:
    if session.done:
        st.success(f"Session done: {len(session.done)} card{'' if len(session.done) == 1 else 's'} reviewed.")
        rows = [
            {"next review": _when(due), "rated": rated, "card": _item_title(item, questions, model)}
            for item, rated, due in session.done
        ]
        st.dataframe(rows, hide_index=True, key=f"{KEY}:summary")
    if st.button("Close the session", key=f"{KEY}:close"):
        st.session_state.pop(SESSION_KEY, None)
        st.rerun()


def overview(book: ReviewBook, learner: str, cards: list[CardState], due: list[CardState]) -> None:
    zone = state.user_zone()
    streak = book.streaks(learner, zone)
    left, middle, right = st.columns(3)
    left.metric("Due now", len(due))
    middle.metric("Cards", len(cards))
    right.metric(
        "Streak",
        f"{streak.current} day{'' if streak.current == 1 else 's'}",
        help=f"Days in a row ({zone_label(zone)}) with at least one review. Longest: {streak.longest}.",
    )
    st.caption(
        f"Longest streak: {streak.longest} day{'' if streak.longest == 1 else 's'}"
        + ("" if streak.today or not streak.current else " · review today to keep it going")
    )


def all_cards(
    book: ReviewBook, cards: list[CardState], questions: dict[str, Question], model: SkinModel | None
) -> None:
    with st.expander(f"All my cards ({len(cards)})"):
        rows = [
            {
                "next review": "suspended" if c.suspended else _when(stamp(c.due)),
                "card": _item_title(c.item, questions, model),
                "why": REASON_WORDS.get(c.reason, c.reason),
                "reviews": c.reviews,
            }
            for c in sorted(cards, key=lambda c: (c.suspended, c.due))
        ]
        st.dataframe(rows, hide_index=True, key=f"{KEY}:cards")
        suspended = {c.item: c for c in cards if c.suspended}
        if suspended:
            chosen = st.selectbox(
                "Resume a suspended card",
                list(suspended),
                format_func=lambda item: _item_title(item, questions, model),
                index=None,
                key=f"{KEY}:resume-choice",
            )
            if st.button("Resume it", key=f"{KEY}:resume", disabled=chosen is None) and chosen:
                try:
                    book.suspend(suspended[chosen], suspended=False)
                except MesoError as exc:
                    show_exception(exc)
                else:
                    st.rerun()


def anki_download(learner: str, cards: list[CardState], questions: dict[str, Question]) -> None:
    catalog = state.catalog()

    def lesson_title(question: Question) -> str | None:
        found = None if question.lesson is None else catalog.find(question.lesson)
        return None if found is None else found[1].title

    notes = [
        anki.question_note(questions[c.item], lesson_title(questions[c.item])) for c in cards if c.item in questions
    ]
    if not notes:
        return
    st.download_button(
        "Download my cards for Anki (.apkg)",
        data=lambda: anki.build_package(notes, learner=learner),
        file_name=f"meso-academy-{learner}.apkg",
        mime="application/octet-stream",
        key=f"{KEY}:anki",
        icon=":material/download:",
        help="Import it in Anki (File › Import). Importing a newer download updates the same notes.",
        on_click="ignore",  # the file is built on click; no rerun racing it
    )


def page() -> None:
    account = state.require_learner()
    st.title("Review")
    st.caption(
        "Every question you got wrong (or right only at certainty 1) and every drill placed off target becomes a "
        "card that comes back just before you would forget it (the FSRS scheduler, as in Anki). Your answer sets "
        f"the rating: wrong is *Again*; right but unsure or slow (over {SLOW_S:g} s) is *Hard*; right is *Good*; "
        f"right at certainty 3 within {FAST_S:g} s is *Easy*."
    )
    book = review_book()
    try:
        retention = desired_retention()
    except MesoError as exc:
        show_exception(exc)
        return
    for problem in book.problems():
        st.warning(f"A line of the review log was skipped: {problem}", icon=":material/warning:")
    catalog = quiz_catalog()
    questions = catalog.questions
    model = skin_model()
    drills = set() if model is None else {d.id for d in model.data.drills}
    known = [c for c in book.cards(account.login) if c.item in questions or c.item in drills]
    due = [c for c in book.due(account.login) if c.item in questions or c.item in drills]
    session: Session | None = st.session_state.get(SESSION_KEY)
    if session is not None and session.learner != account.login:
        session = None
        st.session_state.pop(SESSION_KEY, None)
    if session is not None:
        run_session(book, session, questions, model)
        st.divider()
    overview(book, account.login, known, due)
    if session is None:
        if not known:
            st.info("You have no review cards yet: each mistake in a quiz or a drill will become one.")
            return
        if due:
            size = st.number_input(
                "Cards in this session", min_value=1, max_value=50, value=min(SESSION_SIZE, len(due)), key=f"{KEY}:size"
            )
            if st.button("Start a review session", key=f"{KEY}:start", type="primary", icon=":material/play_arrow:"):
                st.session_state[SESSION_KEY] = Session(account.login, [c.item for c in due[: int(size)]])
                st.rerun()
        else:
            upcoming = min((c.due for c in known if not c.suspended), default=None)
            later = "" if upcoming is None else f" The next one is due on {_when(stamp(upcoming))}."
            st.success(f"Nothing is due now.{later}", icon=":material/task_alt:")
    today = book.clock().date()
    counts = forecast(known, today)
    st.plotly_chart(
        forecast_figure(counts, today),
        config={"displayModeBar": False},
        alt=forecast_alt(counts, today),
        key=f"{KEY}:forecast",
    )
    st.caption(forecast_alt(counts, today) + f" Desired retention: {retention:.0%}.")
    all_cards(book, known, questions, model)
    anki_download(account.login, known, questions)


page()
