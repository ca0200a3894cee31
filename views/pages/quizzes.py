"""Quizzes: the list, taking one (questions in a form, submitted once), then the review.

The attempt being taken lives in this session (``quizzes:draw``) and, from its start, in
``drafts.csv``; each answer is kept as it is given (``answer_drafts.csv``). After a reload
(the learner stays signed in) ``?quiz=<id>`` resumes the open attempt with the same questions
and the answers given so far. ``?quiz=<id>`` opens one quiz (the review of mistakes is
``review-mistakes``). The questions are not in a form: each answer must reach the server
when it is given, to be kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from course.analytics.learner import QuizStats, quiz_stats, select_attempts
from course.analytics.outline import learner_outline, lesson_quizzes
from course.errors import MesoError
from course.quiz.attempts import (
    AlreadySubmitted,
    Attempts,
    Draw,
    Submitted,
    attempts_left,
    cbm_questions,
    display_order,
)
from course.quiz.catalog import find_quiz
from course.quiz.models import MISTAKES_QUIZ, Answer, DiagramQuestion, Question, Quiz, QuizCatalog
from course.store.tables import ATTEMPTS
from views.parts import state
from views.parts.countdown import countdown
from views.parts.notices import show_exception
from views.parts.quiz_widgets import (
    DRAW_KEY,
    RESULT_KEY,
    attempts,
    cbm_intro,
    diagram_question,
    form_question,
    outcome_summary,
    quiz_catalog,
    read_answer,
    read_certainty,
    restore_answers,
    review,
    show_notice,
    start,
)


@dataclass(frozen=True)
class Shown:
    """A stored attempt as this session shows it: the questions in the order they were asked."""

    quiz_id: str
    title: str
    question_ids: tuple[str, ...]
    answers: dict[str, Answer]
    submitted: Submitted
    notice: str | None = None


# --- the list -------------------------------------------------------------------------------


def quiz_card(
    book: Attempts,
    catalog: QuizCatalog,
    quiz: Quiz,
    learner: str,
    *,
    stats: dict[str, QuizStats],
    drafts: dict[str, Draw],
) -> None:
    settings = quiz.settings
    with st.container(border=True):
        st.markdown(f"#### {quiz.title}")
        facts = [f"{quiz.draw_size} questions", f"pass mark {settings.pass_mark:g}%"]
        if settings.time_limit_min:
            facts.append(f"time limit {settings.time_limit_min:g} min")
        if settings.cbm:
            facts.append("confidence-based marking")
        mine = stats.get(quiz.id)
        used = mine.attempts if mine else 0
        left = attempts_left(settings, used)
        if left is not None:
            facts.append(f"attempts left: {left} of {settings.max_attempts}")
        if mine and mine.best_percentage is not None:
            facts.append(f"best {mine.best_percentage:.0f}% ({'passed' if mine.passed else 'not passed yet'})")
        elif used == 0:
            facts.append("not attempted yet")
        st.caption(" · ".join(facts))
        draft = drafts.get(quiz.id)
        no_more = left == 0 and draft is None
        label = "Resume" if draft else ("Take again" if used else "Start")
        if st.button(label, key=f"quizzes:start:{quiz.id}", disabled=no_more, type="primary" if draft else "secondary"):
            start(book, catalog, quiz, learner)
            st.rerun()


def quiz_list(book: Attempts, catalog: QuizCatalog, learner: str, only: str | None) -> None:
    stats = quiz_stats(select_attempts(state.store().read(ATTEMPTS).frame, learner))
    drafts = book.open_drafts(learner)
    if only is None:
        st.caption(
            "Each quiz draws its questions from a bank about one lesson; the final exam draws from all of them. "
            "Your answers are scored when you submit; you then see every answer explained."
        )
        st.page_link(
            "views/pages/my_progress.py", label="Review my mistakes (on My progress)", icon=":material/replay:"
        )
    if only == MISTAKES_QUIZ:
        quiz = find_quiz(catalog, MISTAKES_QUIZ, state.store(), learner)
        if quiz is None or quiz.draw_size == 0:
            st.info("You have no mistakes to review: every question you answered last was right.")
        else:
            quiz_card(book, catalog, quiz, learner, stats=stats, drafts=drafts)
        return
    for bank in catalog.banks:
        quiz = catalog.quiz(bank.id)
        if quiz is not None and only in (None, quiz.id):
            quiz_card(book, catalog, quiz, learner, stats=stats, drafts=drafts)
    for path, problems in catalog.broken.items():
        if only in (None, path.stem):
            with st.container(border=True):
                st.markdown(f"#### {path.stem}")
                st.error("This quiz cannot be taken until its question file is fixed.", icon=":material/error:")
                with st.expander("Details for tutors"):
                    st.markdown("\n".join(f"- `{problem}`" for problem in problems))
    if only is not None and catalog.bank(only) is None and all(p.stem != only for p in catalog.broken):
        st.warning(f"There is no quiz '{only}'.")


# --- taking -----------------------------------------------------------------------------------


def take(book: Attempts, catalog: QuizCatalog, quiz: Quiz, draw: Draw) -> None:
    lookup = catalog.questions
    if any(q not in lookup for q in draw.question_ids):
        st.error("This quiz changed while you were taking it. Start it again to get the current questions.")
        st.session_state.pop(DRAW_KEY, None)
        return
    questions = display_order([lookup[q] for q in draw.question_ids])
    st.subheader(quiz.title)
    settings = quiz.settings
    facts = [
        f"{len(questions)} questions",
        f"pass mark {settings.pass_mark:g}%",
        f"started {state.shown_time(draw.started, date=False)}",
    ]
    st.caption(" · ".join(facts))
    deadline = draw.deadline(settings)
    if deadline is not None:
        left = book.seconds_left(draw, settings) or 0
        before = state.shown_time(deadline, date=False)
        countdown(f"quizzes:countdown:{draw.attempt_id}", left, f"Submit before {before}")
        st.warning(
            f"Time limit: {settings.time_limit_min:g} minutes. Submit before {before}; later answers are not scored.",
            icon=":material/timer:",
        )
    if settings.cbm:
        cbm_intro()
    restored = restore_answers(book, quiz, draw, questions)
    if restored:
        st.info(
            f"Your {restored} answer{'s' if restored != 1 else ''} given so far {'are' if restored != 1 else 'is'} "
            "back: carry on, then submit.",
            icon=":material/restore:",
        )
    for number, question in enumerate(questions, 1):
        if isinstance(question, DiagramQuestion):
            diagram_question(number, quiz, draw, question)
    with st.container(key=f"quiz-{quiz.id}-questions"):
        for number, question in enumerate(questions, 1):
            if question.type != "diagram":
                form_question(number, quiz, draw, question)
    submitted = st.button("Submit my answers", key=f"quizzes:submit:{quiz.id}", type="primary")
    if submitted:
        submit(book, catalog, quiz, draw, questions)
    if st.button(
        "Leave this quiz for now",
        key=f"quizzes:leave:{quiz.id}",
        help="The same questions, with the answers you have given, will be waiting when you come back.",
    ):
        st.session_state.pop(DRAW_KEY, None)
        st.query_params.clear()
        st.rerun()


def submit(book: Attempts, catalog: QuizCatalog, quiz: Quiz, draw: Draw, questions: list[Question]) -> None:
    """Score and store the attempt once, then show its result (or say what is wrong)."""
    try:
        answers: dict[str, Answer] = {q.id: read_answer(quiz, draw, q) for q in questions}
        certainties = {q.id: read_certainty(quiz, q) for q in cbm_questions(questions, quiz.settings)}
        result = book.submit(draw, quiz.settings, catalog.questions, answers, certainties)
        notice = None
    except AlreadySubmitted as exc:
        result, answers = book.stored(draw, quiz.settings, catalog.questions)
        notice = str(exc)
    except MesoError as exc:  # an unreadable answer, a full disk: nothing was stored, the answers stay on screen
        show_exception(exc)
        return
    st.session_state[RESULT_KEY] = Shown(quiz.id, quiz.title, tuple(q.id for q in questions), answers, result, notice)
    st.session_state.pop(DRAW_KEY, None)
    st.rerun()


def lesson_complete(catalog: QuizCatalog, quiz_id: str, learner: str) -> None:
    """A passed lesson quiz completes the lesson's steps: say so, and lead to the next step."""
    quizzes = lesson_quizzes(catalog)
    bank = next((b for b in catalog.banks if b.id == quiz_id and b.exam is None), None)
    lesson_id = bank.lesson if bank else None
    lessons = state.catalog().lessons
    if lesson_id is None or lesson_id not in {lesson.id for lesson in lessons}:
        return
    outline = learner_outline(
        lessons,
        catalog,
        state.lesson_progress().completed(learner),
        state.store().read(ATTEMPTS).frame,
        learner,
        # this pass counts for the lesson even if the store is read before its row lands, and whichever
        # of the lesson's banks it was
        also_passed={quiz_id, quizzes.get(lesson_id, quiz_id)},
    )
    status = next(s for s in outline.lessons if s.lesson_id == lesson_id)
    pages = st.session_state.get("_lesson_pages", {})
    with st.container(border=True, key="quizzes:lesson-complete"):
        if not status.read:
            st.markdown(
                f"**You passed the quiz for lesson {status.number}.** Mark the lesson as read on its page to "
                "complete it."
            )
            if lesson_id in pages:
                st.page_link(pages[lesson_id], label=f"Open lesson {status.number}", icon=":material/menu_book:")
            return
        st.markdown(
            f":material/workspace_premium: **Lesson {status.number} complete.** You read *{status.title}* and "
            f"passed its quiz. {outline.steps_done[0]} of {outline.steps_done[1]} course steps done."
        )
        nxt = outline.next_lesson
        if nxt is None:
            st.page_link(
                "views/pages/quizzes.py",
                label="Every lesson is complete: take the final exam",
                icon=":material/workspace_premium:",
                query_params={"quiz": "final-exam"},
            )
        elif nxt.lesson_id in pages:
            st.page_link(
                pages[nxt.lesson_id], label=f"Next: lesson {nxt.number}, {nxt.title}", icon=":material/arrow_forward:"
            )


def show_result(book: Attempts, catalog: QuizCatalog, shown: Shown, learner: str) -> None:
    st.subheader(f"{shown.title}: your result")
    if shown.notice:
        st.info(shown.notice)
    questions = [catalog.questions[q] for q in shown.question_ids if q in catalog.questions]
    numbers = {q.id: n for n, q in enumerate(questions, 1)}
    submitted = shown.submitted
    outcome_summary(submitted.outcome, submitted.status, numbers)
    if submitted.outcome.passed and submitted.status != "expired":
        lesson_complete(catalog, shown.quiz_id, learner)
    left, right = st.columns(2)
    if left.button("Back to all quizzes", key="quizzes:back"):
        st.session_state.pop(RESULT_KEY, None)
        st.query_params.clear()
        st.rerun()
    quiz = find_quiz(catalog, shown.quiz_id, state.store(), learner)
    if quiz is not None and quiz.draw_size and right.button("Take this quiz again", key="quizzes:again"):
        start(book, catalog, quiz, learner)
        st.rerun()
    if submitted.status == "expired":
        return
    st.markdown("### Review")
    review(questions, shown.answers, submitted.outcome.marks)


# --- the page -------------------------------------------------------------------------------------


account = state.require_learner()
st.title("Quizzes")
catalog = quiz_catalog()
book = attempts()
show_notice()
draw: Draw | None = st.session_state.get(DRAW_KEY)
if draw is not None and draw.learner != account.login:
    st.session_state.pop(DRAW_KEY, None)
    draw = None
shown: Shown | None = st.session_state.get(RESULT_KEY)
if shown is not None:
    show_result(book, catalog, shown, account.login)
elif draw is not None:
    quiz = find_quiz(catalog, draw.quiz, state.store(), account.login)
    if quiz is None:
        st.error("This quiz is no longer available.")
        st.session_state.pop(DRAW_KEY, None)
    else:
        take(book, catalog, quiz, draw)
else:
    requested = st.query_params.get("quiz")
    open_draft = book.open_drafts(account.login).get(requested) if requested else None
    resumable = find_quiz(catalog, requested, state.store(), account.login) if open_draft and requested else None
    if resumable is not None:  # a reload in the middle of an attempt: take it up again
        start(book, catalog, resumable, account.login)
        st.rerun()
    if requested:
        st.page_link("views/pages/quizzes.py", label="All quizzes", icon=":material/arrow_back:")
    quiz_list(book, catalog, account.login, requested)
