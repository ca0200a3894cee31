"""My progress: every attempt, scores over time, mastery per objective, review my mistakes.

Reads ``attempts.csv`` and ``responses.csv`` through the store's cached reads; the learner's
share is selected once per file version (see :func:`course.analytics.learner_progress`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from course.analytics import Progress, learner_progress, mastery, mastery_by_lesson, quiz_stats
from course.progress_charts import band, mastery_alt, mastery_figure, scores_alt, scores_figure
from course.quizzes import MISTAKES_QUIZ, MISTAKES_TITLE, QuizCatalog, quiz_titles, review_quiz
from course.store import ATTEMPTS, RESPONSES
from views import state
from views.figure_blocks import show_chart
from views.quiz_widgets import attempts, quiz_catalog, start


def attempts_table(progress: Progress, titles: dict[str, str]) -> None:
    rows = progress.attempts.iloc[::-1]
    result = [
        "Time is up (not passed)" if outcome == "expired" else ("Passed" if passed else "Not passed")
        for outcome, passed in zip(rows["outcome"], rows["passed"], strict=True)
    ]
    table = pd.DataFrame(
        {
            "Date (UTC)": rows["when"].dt.strftime("%Y-%m-%d %H:%M"),
            "Quiz": [titles.get(q, q) for q in rows["quiz"]],
            "Score": [f"{s:g} / {m:g}" for s, m in zip(rows["score"], rows["max_score"], strict=True)],
            "%": rows["percentage"].round(0),
            "Result": result,
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")


def mastery_section(progress: Progress, catalog: QuizCatalog) -> None:
    st.subheader("Mastery per objective")
    table = mastery(progress, catalog.questions)
    if table.empty:
        st.info("Answer some quiz questions to see how well you master each lesson objective.")
        return
    lessons = {lesson.id: (number, lesson) for number, lesson in enumerate(state.catalog().lessons, 1)}
    table = table.sort_values(
        "lesson", key=lambda c: c.map(lambda x: lessons[x][0] if x in lessons else len(lessons) + 1), kind="stable"
    )
    labels = {}
    for lesson_id, objective_id in zip(table["lesson"], table["objective"], strict=True):
        number, lesson = lessons.get(lesson_id, (0, None))
        text = next((o.text for o in lesson.meta.objectives if o.id == objective_id), objective_id) if lesson else ""
        labels[(lesson_id, objective_id)] = f"Lesson {number}: {text or objective_id}" if lesson else objective_id
    st.caption(
        "The share of the points you earned on each objective's questions, counting your latest answer to each "
        "question. 80% or more: strong; 50 to 79%: getting there; below 50%: to revise."
    )
    per_lesson = mastery_by_lesson(table)
    st.dataframe(
        pd.DataFrame(
            {
                "Lesson": [
                    f"{lessons[x][0]}. {lessons[x][1].title}" if x in lessons else x for x in per_lesson["lesson"]
                ],
                "Points earned": [
                    f"{e:g} / {p:g}" for e, p in zip(per_lesson["earned"], per_lesson["possible"], strict=True)
                ],
                "Mastery": [f"{share:.0%} ({band(share)[0]})" for share in per_lesson["share"]],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    show_chart(mastery_figure(table, labels), mastery_alt(table, labels), key="progress:mastery")


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
        st.switch_page("views/quizzes.py", query_params={"quiz": MISTAKES_QUIZ})


account = state.require_learner()
st.title("My progress")
store = state.store()
progress = learner_progress(store.read(ATTEMPTS).frame, store.read(RESPONSES).frame, account.login)
catalog = quiz_catalog()
titles = quiz_titles(catalog)
if progress.attempts.empty:
    st.info("You have not taken a quiz yet. Your attempts, scores and strengths will appear here.")
    st.page_link("views/quizzes.py", label="Go to the quizzes", icon=":material/quiz:")
    st.stop()

stats = quiz_stats(progress.attempts)
first, second, third = st.columns(3)
first.metric("Attempts", len(progress.attempts))
second.metric("Quizzes passed", sum(s.passed for quiz, s in stats.items() if catalog.bank(quiz) is not None))
third.metric("Average score", f"{progress.attempts['percentage'].mean():.0f}%")

st.subheader("Scores over time")
st.caption("Each quiz has its own colour and marker shape; a filled marker passed, an open one did not.")
show_chart(scores_figure(progress.attempts, titles), scores_alt(progress.attempts, titles), key="progress:scores")
st.subheader("Every attempt")
attempts_table(progress, titles)
mastery_section(progress, catalog)
mistakes_section(progress, catalog, account.login)
