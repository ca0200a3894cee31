"""My progress: the certificate of completion (its checklist, then the download), every attempt,
scores over time, mastery per objective, calibration of the certainties given (confidence-based
marking), review my mistakes.

Reads ``attempts.csv`` and ``responses.csv`` through the store's cached reads; the learner's
share is selected once per file version (see :func:`course.analytics.learner.learner_progress`).
"""

from __future__ import annotations

import streamlit as st

from course.analytics.cases import case_labels, case_mastery, cases_table, with_cases
from course.analytics.learner import (
    Progress,
    attempts_table,
    calibration,
    certainty_answers,
    course_order,
    learner_progress,
    lesson_mastery_table,
    mastery,
    objective_labels,
    quiz_stats,
    quizzes_passed,
    reviewable_attempts,
)
from course.analytics.learner_charts import (
    calibration_alt,
    calibration_figure,
    mastery_alt,
    mastery_figure,
    scores_alt,
    scores_figure,
)
from course.cases.loading import current_cases
from course.quiz.catalog import quiz_titles, review_quiz
from course.quiz.models import MISTAKES_QUIZ, MISTAKES_TITLE, QuizCatalog, Settings
from course.store.tables import ATTEMPTS, CASE_ATTEMPTS, CERTAINTY, RESPONSES
from course.text import escape_markdown
from views.parts import state
from views.parts.certificate import certificate_section
from views.parts.figure_blocks import show_chart
from views.parts.quiz_widgets import attempts, quiz_catalog, review, start


def mastery_section(progress: Progress, catalog: QuizCatalog, learner: str) -> None:
    st.subheader("Mastery per objective")
    cases = {case.id: case for case in current_cases().cases}
    case_rows = case_mastery(state.store().read(CASE_ATTEMPTS).frame, learner, cases)
    table = with_cases(mastery(progress, catalog.questions), case_rows)
    if table.empty:
        st.info("Answer some quiz questions or finish a clinical case to see how well you master each lesson.")
        return
    course_catalog = state.catalog()
    table = course_order(table, course_catalog)
    labels = objective_labels(table, course_catalog) | case_labels(table, {c: case.title for c, case in cases.items()})
    st.caption(
        "The share of the points you earned on each objective's questions, counting your latest answer to each "
        "question, and on each clinical case (your latest finished run counts towards every lesson its objectives "
        "name). 80% or more: strong; 50 to 79%: getting there; below 50%: to revise."
    )
    per_lesson = lesson_mastery_table(table, course_catalog)
    st.markdown(  # a list, not a grid: a lesson's name and its mastery read whole at 390 px
        "\n".join(
            f"- **{escape_markdown(lesson)}**: {mastery}, {points} points"
            for lesson, points, mastery in zip(
                per_lesson["Lesson"], per_lesson["Points earned"], per_lesson["Mastery"], strict=True
            )
        )
    )
    show_chart(mastery_figure(table, labels), mastery_alt(table, labels), key="progress:mastery")


def cases_section(learner: str) -> None:
    """The learner's finished clinical cases, newest first."""
    attempts = state.store().read(CASE_ATTEMPTS).frame
    titles = {case.id: case.title for case in current_cases().cases}
    table = cases_table(attempts, learner, titles, state.user_zone())
    st.subheader("Clinical cases")
    if table.empty:
        st.caption("You have not finished a clinical case yet.")
        st.page_link("views/pages/cases.py", label="Go to the clinical cases", icon=":material/personal_injury:")
        return
    passed = int((table["Result"] == "Passed").sum())
    st.caption(f"{len(table)} finished run(s), {passed} passed. An unsafe choice fails a case whatever its score.")
    st.dataframe(table, hide_index=True, width="stretch")


def calibration_section(progress: Progress) -> None:
    """Accuracy by certainty, shown once the learner has answered with certainties."""
    answers = certainty_answers(state.store().read(CERTAINTY).frame, progress)
    if answers.empty:
        return
    st.subheader("How sure, how right")
    st.caption(
        "In quizzes with confidence-based marking you said how sure you were of each answer. Each bar is the share "
        "of your answers at that certainty that were right; the shaded band is where that certainty earns the most: "
        "1 (low) below 67% right, 2 (mid) from 67 to 80%, 3 (high) above 80%. A bar below its band means you were "
        "surer than your answers deserved; above it, you knew more than you thought."
    )
    table = calibration(answers)
    show_chart(calibration_figure(table), calibration_alt(table), key="progress:calibration")


def past_review_section(progress: Progress, catalog: QuizCatalog, learner: str, titles: dict[str, str]) -> None:
    """Reopen the review of one of the learner's own past attempts, read-only, as it was shown after submitting."""
    choices = reviewable_attempts(progress.attempts, titles, state.user_zone())
    if not choices:
        return
    st.subheader("Review a past attempt")
    chosen = st.selectbox(
        "Attempt",
        list(choices),
        index=None,
        format_func=choices.__getitem__,
        placeholder="Choose an attempt to see its review",
        key="progress:past-attempt",
    )
    if chosen is None:
        return
    book = attempts()
    draw = book.submitted_draw(chosen, learner)  # None for anyone else's attempt
    if draw is None:
        st.warning("This attempt cannot be reopened.")
        return
    quiz = catalog.quiz(draw.quiz)
    submitted, answers = book.stored(draw, quiz.settings if quiz else Settings(), catalog.questions)
    row = progress.attempts[progress.attempts["attempt_id"] == chosen].iloc[-1]
    with st.container(border=True, key="progress-past-review"):
        st.markdown(
            f"**{escape_markdown(titles.get(draw.quiz, draw.quiz))}**, {choices[chosen].split(' · ')[0]}: "
            f"{float(row['score']):g} / {float(row['max_score']):g} ({float(row['percentage']):.0f}%), "
            f"{'passed' if row['passed'] else 'not passed'}."
        )
        if submitted.status == "expired":
            st.info("Time was up before this attempt was submitted: it has no answers to review.")
            return
        questions = [catalog.questions[q] for q in draw.question_ids if q in catalog.questions]
        if len(questions) < len(draw.question_ids):
            st.caption("Some questions of this attempt are no longer in the course and are not shown.")
        st.caption("Each question with your answer, the right answer and why, against the questions as they are now.")
        review(questions, answers, submitted.outcome.marks)


def mistakes_section(progress: Progress, catalog: QuizCatalog, learner: str) -> None:
    st.subheader(MISTAKES_TITLE)
    quiz = review_quiz(catalog, progress)
    count = quiz.draw_size
    if not count:
        st.info("No mistakes to review: your latest answer to every question you have met was right.")
        return
    st.markdown(
        f"A short quiz of the **{count} question{'s' if count > 1 else ''}** you got wrong most "
        "recently. It is stored like any other attempt."
    )
    if st.button("Start the review of my mistakes", key="progress:mistakes", type="primary"):
        start(attempts(), catalog, quiz, learner)
        st.switch_page("views/pages/quizzes.py", query_params={"quiz": MISTAKES_QUIZ})


account = state.require_learner()
st.title("My progress")
certificate_section(account)
store = state.store()
progress = learner_progress(store.read(ATTEMPTS).frame, store.read(RESPONSES).frame, account.login)
catalog = quiz_catalog()
titles = quiz_titles(catalog)
if progress.attempts.empty:
    st.info("You have not taken a quiz yet. Your attempts, scores and strengths will appear here.")
    st.page_link("views/pages/quizzes.py", label="Go to the quizzes", icon=":material/quiz:")
    cases_section(account.login)
    mastery_section(progress, catalog, account.login)
    st.stop()

stats = quiz_stats(progress.attempts)
first, second, third = st.columns(3)
first.metric("Attempts", len(progress.attempts))
second.metric("Quizzes passed", quizzes_passed(stats, {bank.id for bank in catalog.banks}))
third.metric("Average score", f"{progress.attempts['percentage'].mean():.0f}%")

st.subheader("Scores over time")
st.caption("Each quiz has its own colour and marker shape; a filled marker passed, an open one did not.")
show_chart(
    scores_figure(progress.attempts, titles, state.user_zone()),
    scores_alt(progress.attempts, titles),
    key="progress:scores",
)
st.subheader("Every attempt")
st.dataframe(attempts_table(progress.attempts, titles, state.user_zone()), hide_index=True, width="stretch")
past_review_section(progress, catalog, account.login, titles)
cases_section(account.login)
mastery_section(progress, catalog, account.login)
calibration_section(progress)
mistakes_section(progress, catalog, account.login)
