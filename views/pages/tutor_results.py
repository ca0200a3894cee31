"""Results dashboard (tutors only): learners, quizzes, item analysis, confident errors, simulator, export.

The joined results are cached once per server (``st.cache_resource``, keyed on the result
files' inode, size and mtime), so a filter change only masks cached arrays. Only the view
the tutor picked is computed on each rerun.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from course.analytics.cases import branch_counts, unsafe_choices
from course.analytics.cases_charts import branch_sankey
from course.analytics.export import to_safe_csv
from course.analytics.item_analysis import FACILITY_BAND, MIN_ATTEMPTS, MIN_DISCRIMINATION, distractors
from course.analytics.results import (
    REMOVED,
    Filters,
    QuestionIndex,
    Results,
    Selection,
    filter_choices,
    load_results,
    pass_marks,
    question_index,
    results_signature,
    select,
)
from course.analytics.results_charts import Chart, attempts_over_time, score_histogram, simulator_chart
from course.analytics.summaries import (
    attempts_export,
    confident_wrong,
    items_table,
    learner_quizzes,
    learner_summary,
    quiz_items,
    quiz_summaries,
    quizzes_in,
    responses_export,
    simulator_summary,
)
from course.cases.loading import current_cases
from course.paths import quizzes_dir
from course.quiz.banks import current_quizzes, quiz_signature
from course.store.tables import CASE_ATTEMPTS, CASE_STEPS, PROGRESS
from views.parts import state

VIEWS = ("Learners", "Quizzes", "Item analysis", "Confident and wrong", "Simulator drills", "Cases", "Export")


@st.cache_resource(max_entries=2, show_spinner="Loading results…")
def _results(folder: str, signature: tuple[tuple[str, int, int, int], ...]) -> Results:
    return load_results(state.store())


@st.cache_resource(max_entries=4)
def _questions(folder: str, signature: tuple[tuple[str, int, int], ...]) -> tuple[QuestionIndex, dict[str, float]]:
    quizzes = current_quizzes()
    return question_index(quizzes), pass_marks(quizzes)


def _bank_info() -> tuple[QuestionIndex, dict[str, float]]:
    """Question sources and pass marks, reloaded when a bank (or lesson) file changes."""
    return _questions(str(quizzes_dir()), quiz_signature())


def _names() -> dict[str, str]:
    return {login: account.display_name for login, account in state.accounts().all().items()}


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _filters(results: Results) -> Filters:
    choices = filter_choices(results, date.today())
    first, last = choices.first, choices.last
    with st.container(border=True):
        left, middle = st.columns(2)
        chosen_quizzes = left.multiselect("Quizzes", choices.quizzes, key="results:quizzes", placeholder="All quizzes")
        chosen_learners = middle.multiselect(
            "Learners", choices.learners, key="results:learners", placeholder="All learners"
        )
        period = st.date_input(
            "Submitted between (UTC dates)", value=(first, last), min_value=first, max_value=last, key="results:dates"
        )
    dates = period if isinstance(period, tuple) else (period,)  # a range being picked has one date
    start = dates[0] if dates else None
    end = dates[1] if len(dates) > 1 else None
    return Filters(tuple(chosen_quizzes), tuple(chosen_learners), start, end)


def _learners_view(selection: Selection) -> None:
    lesson_ids = [lesson.id for lesson in state.catalog().lessons]
    progress = state.store().read(PROGRESS).frame
    names = _names()
    table = learner_summary(selection, progress, lesson_ids, names)
    st.caption(
        "One row per learner in the selection. *Best score* is the mean over quizzes of the learner's best "
        "attempt; *passed* counts quizzes passed at least once; *lessons* counts current lessons completed."
    )
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "learner": "Login",
            "name": "Name",
            "attempts": st.column_config.NumberColumn("Attempts"),
            "quizzes": st.column_config.NumberColumn("Quizzes taken"),
            "passed": st.column_config.NumberColumn("Quizzes passed"),
            "best_pct": st.column_config.NumberColumn("Best score (%)", format="%.0f"),
            "lessons": "Lessons completed",
            "last_attempt": "Last attempt (UTC)",
        },
        key="results:learner-table",
    )
    if table.empty:
        return
    learner = st.selectbox(
        "Details for one learner",
        table["learner"].tolist(),
        key="results:learner",
        format_func=lambda login: f"{names.get(login, '')} ({login})",
    )
    st.dataframe(
        learner_quizzes(selection, learner),
        hide_index=True,
        column_config={
            "quiz": "Quiz",
            "attempts": "Attempts",
            "best_pct": st.column_config.NumberColumn("Best (%)", format="%.0f"),
            "latest_pct": st.column_config.NumberColumn("Latest (%)", format="%.0f"),
            "passed": st.column_config.CheckboxColumn("Passed"),
            "last_attempt": "Last attempt (UTC)",
        },
    )


def _pick_quiz(selection: Selection, key: str) -> str | None:
    quizzes = quizzes_in(selection)
    if not quizzes:
        st.info("No quiz attempts match these filters.")
        return None
    return st.selectbox("Quiz", quizzes, key=key)


def _quizzes_view(selection: Selection, marks: dict[str, float]) -> None:
    summaries = {s.quiz: s for s in quiz_summaries(selection)}
    quiz = _pick_quiz(selection, "results:quiz")
    if quiz is None:
        return
    summary = summaries[quiz]
    cols = st.columns(4)
    cols[0].metric("Attempts", summary.attempts)
    cols[1].metric("Learners", summary.learners)
    cols[2].metric("Pass rate (attempts)", _pct(summary.pass_rate))
    cols[3].metric("Mean score", "–" if summary.mean_pct is None else f"{summary.mean_pct:.0f}%")
    st.caption(f"{summary.learners_passed} of {summary.learners} learners passed at least once.")
    _show_chart(score_histogram(selection.attempts, quiz, marks.get(quiz)))
    _show_chart(attempts_over_time(selection.attempts, quiz))


def _show_chart(chart: Chart) -> None:
    """A dashboard chart with its text alternative as a caption (and as the chart's alt for screen readers)."""
    st.plotly_chart(chart.figure, config={"displayModeBar": False}, alt=chart.alt)
    st.caption(chart.alt)


def _items_view(selection: Selection, questions: QuestionIndex) -> None:
    st.caption(
        f"Computed from each learner's **first** attempt at the quiz (later attempts are practice), within the "
        f"filters. *Facility* is the share of the marks earned (healthy: {FACILITY_BAND[0]}–{FACILITY_BAND[1]}). "
        "*Discrimination* is the **corrected item-total correlation** (Moodle's discrimination index: the "
        f"correlation between the question and the rest of the quiz; below {MIN_DISCRIMINATION} is weak, negative "
        "suggests a wrong key). The point-biserial is the same correlation with the whole total, uncorrected. "
        f"Below {MIN_ATTEMPTS} attempts a value reads *not enough data*; *n/a* means everyone scored the same."
    )
    quiz = _pick_quiz(selection, "results:items-quiz")
    if quiz is None:
        return
    responses = selection.item_responses(quiz, answers=True)
    items = quiz_items(responses, quiz, questions)
    reliability = items.reliability
    approx = (
        f" Approximate: questions are drawn at random, so attempts saw {reliability.items_per_attempt:.1f} "
        "questions each on average and the statistic uses each pair of questions over the attempts that saw both."
        if reliability.approximate
        else ""
    )
    st.metric("Cronbach's alpha (internal consistency)", reliability.display)
    st.caption(
        f"Over {reliability.attempts} first attempts; meaningful with about 10 questions and 20 attempts or more."
        + approx
    )
    table = items_table(items)
    if table.empty:
        st.info("No responses to analyse for this quiz yet.")
        return
    st.dataframe(table, hide_index=True, key="results:item-table")
    flagged = [item for item in items.items if item.flags]
    if flagged:
        st.subheader("Questions to review")
        for item in flagged:
            source = items.sources.get(item.question_id)
            where = f"in `{source.location}`" if source else REMOVED
            st.markdown(f"- **{item.question_id}** ({where}): {'; '.join(item.flags)}")
    st.subheader("Distractor analysis")
    question = st.selectbox(
        "Question", [item.question_id for item in items.items], key="results:distractor-q", format_func=items.label
    )
    source = items.sources.get(question)
    st.caption(source.prompt if source else f"{REMOVED}: it is no longer in the bank.")
    split = source is not None and source.kind == "multiple"
    options = distractors(responses, question, split_lists=split)
    st.dataframe(
        options,
        hide_index=True,
        column_config={
            "option": "Answer given",
            "chosen": "Attempts",
            "share": st.column_config.NumberColumn("Share", format="percent"),
            "mean_total_pct": st.column_config.NumberColumn("Mean total of those (%)", format="%.0f"),
        },
    )
    st.caption(
        "A wrong option nobody picks does no work; one picked by learners with high totals may be a second right "
        "answer or a confusing key."
    )


def _confident_wrong_view(selection: Selection, questions: QuestionIndex) -> None:
    st.caption(
        "Must-pass questions answered **wrong at certainty 3 (high)** in quizzes with confidence-based marking: "
        "the learner was sure of a wrong safety decision. Such an attempt does not pass, whatever its score; "
        "a wrong belief held with confidence is worth a conversation, not only a retake."
    )
    table = confident_wrong(selection, questions, _names())
    if table.empty:
        st.info("No must-pass question was answered wrong at high certainty in these attempts.")
        return
    answers, learners = len(table), table["learner"].nunique()
    st.markdown(
        f"**{answers} answer{'s' if answers > 1 else ''}** by **{learners} learner{'s' if learners > 1 else ''}**, "
        "by learner:"
    )
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "learner": "Login",
            "name": "Name",
            "quiz": "Quiz",
            "question": "Question",
            "question_id": "Question id",
            "where": "In the bank",
            "submitted": "Submitted (UTC)",
        },
        key="results:confident-wrong",
    )


def _simulator_view(selection: Selection) -> None:
    table = simulator_summary(selection)
    if table.empty:
        st.info("No simulator drills match these filters.")
        return
    _show_chart(simulator_chart(table))
    st.dataframe(table, hide_index=True)


def _cases_view() -> None:
    """Per case: finished runs and pass rate, how many learners took each branch, and the most
    common unsafe choices (all learners and dates: the filters above apply to quizzes)."""
    store = state.store()
    steps, attempts = store.read(CASE_STEPS).frame, store.read(CASE_ATTEMPTS).frame
    catalog = current_cases()
    cases = {case.id: case for case in catalog.cases}
    if steps.empty:
        st.info("No clinical case has been started yet.")
        return
    st.caption("Every learner's committed steps, all dates: the quiz filters above do not apply to cases.")
    st.markdown("**Most common unsafe choices**")
    unsafe = unsafe_choices(steps, cases)
    if unsafe.empty:
        st.caption("No learner has made an unsafe choice.")
    else:
        titles = {c: case.title for c, case in cases.items()}
        st.dataframe(
            unsafe.assign(case=unsafe["case"].map(lambda c: titles.get(c, c))),
            hide_index=True,
            column_config={
                "case": "Case",
                "step": "Step",
                "option": "Unsafe choice",
                "learners": "Learners",
                "times": "Times chosen",
            },
            key="results:cases-unsafe",
        )
    labels = {case.id: case.title for case in catalog.cases}
    picked = st.selectbox("Case", list(labels), format_func=labels.__getitem__, key="results:case")
    if picked is None:
        return
    mine = attempts[attempts["case"] == picked]
    passed = int((mine["passed"].astype(str).str.lower() == "true").sum())
    first, second, third = st.columns(3)
    first.metric("Learners who started", int(steps.loc[steps["case"] == picked, "learner"].nunique()))
    second.metric("Finished runs", len(mine))
    third.metric("Passed", f"{passed} of {len(mine)}" if len(mine) else "–")
    branches = branch_counts(steps, picked)
    if branches.empty:
        st.info("No learner has committed a step of this case yet.")
        return
    _show_chart(branch_sankey(cases[picked], branches))


def _export_view(selection: Selection) -> None:
    st.caption(
        "Downloads hold the attempts and responses that match the filters. Cells that a spreadsheet would run as "
        "a formula (starting with =, +, -, @, tab or carriage return) are prefixed with a single quote."
    )
    stamp = date.today().isoformat()
    exports = {
        "attempts": lambda: to_safe_csv(attempts_export(selection, _names())),
        "responses": lambda: to_safe_csv(responses_export(selection)),
    }
    for name, csv in exports.items():  # built only when clicked
        st.download_button(
            f"Download {name} (CSV)",
            data=csv,
            file_name=f"{name}-{stamp}.csv",
            mime="text/csv",
            key=f"results:export-{name}",
            icon=":material/download:",
        )


st.set_page_config(layout="wide")  # side-by-side editing and wide tables need the room
state.require_tutor()
st.title("Results")
store = state.store()
results = _results(str(store.folder), results_signature(store))
if results.problems:
    with st.expander(f"{len(results.problems)} damaged line(s) in the results files were skipped"):
        st.code("\n".join(results.problems), language=None)
if results.empty:
    st.info(
        "No quiz results yet. Attempts appear here as soon as learners submit a quiz or a simulator drill.",
        icon=":material/inbox:",
    )
    if not store.read(CASE_STEPS).frame.empty:
        st.subheader("Clinical cases")
        _cases_view()
    st.stop()
filters = _filters(results)
selection = select(results, filters)
st.caption(f"{int(selection.mask.sum())} of {len(results.attempts)} attempts match the filters.")
view = st.segmented_control("View", VIEWS, key="results:view", default=VIEWS[0]) or VIEWS[0]
if view == "Learners":
    _learners_view(selection)
elif view == "Quizzes":
    _quizzes_view(selection, _bank_info()[1])
elif view == "Item analysis":
    _items_view(selection, _bank_info()[0])
elif view == "Confident and wrong":
    _confident_wrong_view(selection, _bank_info()[0])
elif view == "Simulator drills":
    _simulator_view(selection)
elif view == "Cases":
    _cases_view()
else:
    _export_view(selection)
