"""A self-check inside a lesson: one bank question, answered on the spot, kept as practice.

The question is drawn with the quiz widgets (:func:`views.parts.quiz_widgets.answer_widgets`)
in a form of its own; only the prompt and option texts reach the browser before an answer is
checked. A signed-in learner's answer is stored in ``practice.csv`` (never as a quiz attempt);
without an account the answer is marked but not kept. Widget keys are
``selfcheck:{where}:{question_id}``.
"""

from __future__ import annotations

import zlib

import streamlit as st

from course.content.models import CheckRef, Lesson
from course.errors import MesoError
from course.paths import ASSETS_DIR
from course.quiz.answers import describe_right_answer, is_blank
from course.quiz.models import Question
from course.quiz.practice import Practice
from course.quiz.scoring import Mark, score_question
from course.quiz.self_checks import self_check_question
from views.parts import state
from views.parts.notices import show_exception
from views.parts.quiz_widgets import answer_widgets, quiz_catalog, widget_answer


def self_check_key(where: str, question_id: str) -> str:
    return f"selfcheck:{where}:{question_id}"


def render_self_check(ref: CheckRef, lesson: Lesson, where: str, keep: bool = True) -> None:
    """Ask the question ``ref`` names; after "Check my answer", show the feedback and the
    explanation, and (for a signed-in learner, when ``keep``) store the answer as practice."""
    question = self_check_question(quiz_catalog(), ref)
    if question is None:
        st.warning(
            f"A self-check question ({ref.bank}/{ref.question}) cannot be shown: its bank or question is missing. "
            "Tutors: run `python -m course check`.",
            icon=":material/warning:",
        )
        return
    key = self_check_key(where, question.id)
    seed = zlib.crc32(question.id.encode())  # the same option order on every visit
    with st.container(border=True):
        st.markdown(":material/quiz: **Check yourself**")
        st.markdown(question.prompt)
        if question.image is not None:
            st.image(str(ASSETS_DIR / question.image.path), caption=question.image.alt)
        with st.form(f"{key}:form", border=False):
            answer_widgets(key, question, seed, True, "Your answer")
            checked = st.form_submit_button("Check my answer", icon=":material/fact_check:", key=f"{key}:check")
        if checked:
            _check(key, lesson, question, seed, keep)
        mark = st.session_state.get(f"{key}:mark")
        if isinstance(mark, Mark):
            _feedback(key, question, mark)


def _check(key: str, lesson: Lesson, question: Question, seed: int, keep: bool) -> None:
    st.session_state.pop(f"{key}:mark", None)
    try:
        answer = widget_answer(key, question, seed, True)
    except MesoError as exc:
        show_exception(exc)
        return
    if is_blank(answer):
        st.warning("Give an answer first.", icon=":material/edit:")
        return
    account = state.current_user()
    try:
        if keep and account is not None:
            mark = Practice(state.store()).record(account.login, lesson.id, question, answer)
        else:
            mark = score_question(question, answer)
    except MesoError as exc:
        show_exception(exc)
        return
    st.session_state[f"{key}:mark"] = mark
    st.session_state[f"{key}:kept"] = keep and account is not None


def _feedback(key: str, question: Question, mark: Mark) -> None:
    if mark.correct:
        st.success("**Right.**", icon=":material/check_circle:")
    elif mark.points > 0:
        st.warning("**Partly right.**", icon=":material/adjust:")
    else:
        st.error("**Not right.**", icon=":material/cancel:")
    for note in mark.feedback:
        st.markdown(f"> {note}")
    st.markdown(f"**Right answer:** {describe_right_answer(question)}")
    st.markdown(f"**Why:** {question.explanation}")
    if st.session_state.get(f"{key}:kept"):
        st.caption("Kept as practice: self-checks never count in your quiz scores.")
    else:
        st.caption("Practice only: sign in to keep your self-check answers. They never count in quiz scores.")
