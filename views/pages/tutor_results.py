"""Results dashboard (tutors only): learners, quizzes, item analysis, confident errors, simulator, export.

The joined results are cached once per server (``st.cache_resource``, keyed on the result
files' inode, size and mtime), so a filter change only masks cached arrays. Only the view
the tutor picked is computed on each rerun.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import streamlit as st

from course.analytics.cases import branch_counts, unsafe_choices
from course.analytics.cases_charts import branch_sankey
from course.analytics.export import to_safe_csv
from course.analytics.item_analysis import FACILITY_BAND, MIN_ATTEMPTS, MIN_DISCRIMINATION, Flag, distractors
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
    rule_flags,
    select,
)
from course.analytics.results_charts import Chart, attempts_over_time, score_histogram, simulator_chart
from course.analytics.summaries import (
    attempts_export,
    confident_wrong,
    items_table,
    learner_quizzes,
    learner_summary,
    practice_summary,
    quiz_items,
    quiz_summaries,
    quizzes_in,
    responses_export,
    simulator_summary,
)
from course.analytics.times import time_heading
from course.cases.loading import current_cases
from course.clock import utc_now
from course.paths import quizzes_dir
from course.quiz.answers import decode_answer, describe_answer
from course.quiz.banks import current_quizzes, quiz_signature
from course.quiz.catalog import quiz_titles
from course.quiz.models import Question
from course.review import anki
from course.review.tutor import learner_review_table, question_card_counts
from course.store.tables import ATTEMPTS, CASE_ATTEMPTS, CASE_STEPS, CERTAINTY, PROGRESS, RESPONSES, REVIEWS
from course.text import escape_markdown
from views.parts import state
from views.parts.figure_blocks import skin_model

VIEWS = (
    "Learners",
    "Quizzes",
    "Item analysis",
    "Confident and wrong",
    "Simulator drills",
    "Cases",
    "Spaced review",
    "Export",
)


@st.cache_resource(max_entries=2, show_spinner="Loading results…")
def _results(where: str, signature: tuple[tuple[str, tuple[int, ...]], ...]) -> Results:
    return load_results(state.store())


@dataclass(frozen=True)
class BankInfo:
    """What the dashboard needs from the banks: where each question lives, pass marks, quiz
    titles (ids are for files, titles for people) and the questions themselves."""

    index: QuestionIndex
    marks: dict[str, float]
    titles: dict[str, str]
    questions: dict[str, Question]

    def title(self, quiz: str) -> str:
        return self.titles.get(quiz, quiz)


@st.cache_resource(max_entries=4)
def _questions(folder: str, signature: tuple[tuple[str, int, int], ...]) -> BankInfo:
    quizzes = current_quizzes()
    questions = {q.id: q for bank in quizzes.banks for q in bank.questions}
    return BankInfo(question_index(quizzes), pass_marks(quizzes), quiz_titles(quizzes), questions)


def _bank_info() -> BankInfo:
    """Question sources, pass marks and titles, reloaded when a bank (or lesson) file changes."""
    return _questions(str(quizzes_dir()), quiz_signature())


@st.cache_resource(max_entries=16)
def _quiz_rules(folder: str, signature: tuple[tuple[str, int, int], ...], quiz: str) -> dict[str, tuple[Flag, ...]]:
    return rule_flags(current_quizzes(), quiz)


def _rules(quiz: str) -> dict[str, tuple[Flag, ...]]:
    """The item-writing rules each question of ``quiz`` breaks, once per bank version and quiz."""
    return _quiz_rules(str(quizzes_dir()), quiz_signature(), quiz)


def _names() -> dict[str, str]:
    return {login: account.display_name for login, account in state.accounts().all().items()}


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _filters(results: Results) -> Filters:
    choices = filter_choices(results, date.today())
    first, last = choices.first, choices.last
    with st.container(border=True):
        left, middle = st.columns(2)
        chosen_quizzes = left.multiselect(
            "Quizzes",
            choices.quizzes,
            key="results:quizzes",
            placeholder="All quizzes",
            format_func=_bank_info().title,
        )
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
    table = learner_summary(selection, progress, lesson_ids, names, state.user_zone())
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
            "practice": st.column_config.NumberColumn(
                "Own practice", help="Reviews of their own mistakes and simulator drills: not counted as quizzes"
            ),
            "lessons": "Lessons completed",
            "last_attempt": time_heading("Last attempt", state.user_zone()),
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
    mine = learner_quizzes(selection, learner, state.user_zone())
    mine["quiz"] = mine["quiz"].map(_bank_info().title)
    st.dataframe(
        mine,
        hide_index=True,
        column_config={
            "quiz": "Quiz",
            "attempts": "Attempts",
            "best_pct": st.column_config.NumberColumn("Best (%)", format="%.0f"),
            "latest_pct": st.column_config.NumberColumn("Latest (%)", format="%.0f"),
            "passed": st.column_config.CheckboxColumn("Passed"),
            "last_attempt": time_heading("Last attempt", state.user_zone()),
        },
    )


def _pick_quiz(selection: Selection, key: str) -> str | None:
    quizzes = quizzes_in(selection)
    if not quizzes:
        st.info("No quiz attempts match these filters.")
        return None
    return st.selectbox("Quiz", quizzes, key=key, format_func=_bank_info().title)


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
    title = _bank_info().title(quiz)
    _show_chart(score_histogram(selection.attempts, quiz, marks.get(quiz), title))
    _show_chart(attempts_over_time(selection.attempts, quiz, title))
    _practice_section(selection)


def _practice_section(selection: Selection) -> None:
    """The learners' own practice, shown apart from the course quizzes' statistics."""
    practice = practice_summary(selection)
    if practice.empty:
        return
    st.subheader("Learners' own practice")
    st.caption(
        "Reviews of a learner's own mistakes and simulator drills are practice: they are not course quizzes, so "
        "they are left out of the statistics above and of item analysis."
    )
    practice["quiz"] = practice["quiz"].map(_bank_info().title)
    st.dataframe(
        practice,
        hide_index=True,
        column_config={
            "quiz": "Practice",
            "attempts": "Attempts",
            "learners": "Learners",
            "mean_pct": st.column_config.NumberColumn("Mean score (%)", format="%.0f"),
        },
        key="results:practice",
    )


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
    items = quiz_items(responses, quiz, questions, _rules(quiz))
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
    else:
        st.dataframe(
            table,
            hide_index=True,
            column_config={"question": st.column_config.TextColumn("Question", width="medium")},
            key="results:item-table",
        )
    review = items.review()
    if review:
        st.subheader("Questions to review")
        st.caption(
            "Each question names what flagged it: an item-writing **rule** it breaks (the warning "
            "`python -m course check` prints, with its bank line; quizzes/README.md explains each rule) or a "
            "**statistic** outside its band."
        )
        for entry in review:
            where = f"`{entry.location}`" if entry.location else REMOVED
            unseen = " · not drawn in these attempts yet" if not entry.seen else ""
            flags = "\n".join(f"- {flag.markdown}" for flag in entry.flags)
            st.markdown(f"**{escape_markdown(entry.label)}** · {where}{unseen}\n\n{flags}")
    if table.empty:
        return
    st.subheader("Distractor analysis")
    question = st.selectbox(
        "Question", [item.question_id for item in items.items], key="results:distractor-q", format_func=items.label
    )
    source = items.sources.get(question)
    st.caption(source.prompt if source else f"{REMOVED}: it is no longer in the bank.")
    split = source is not None and source.kind == "multiple"
    options = distractors(responses, question, split_lists=split, describe=_describer(question))
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


def _describer(question_id: str) -> Callable[[str], str] | None:
    """Stored answers (JSON for an ordering or a matching, a layer id for a diagram) in words."""
    question = _bank_info().questions.get(question_id)
    if question is None:
        return None
    return lambda text: describe_answer(question, decode_answer(question, text))


def _confident_wrong_view(selection: Selection, questions: QuestionIndex) -> None:
    st.caption(
        "Must-pass questions answered **wrong at certainty 3 (high)** in quizzes with confidence-based marking: "
        "the learner was sure of a wrong safety decision. Such an attempt does not pass, whatever its score; "
        "a wrong belief held with confidence is worth a conversation, not only a retake."
    )
    table = confident_wrong(selection, questions, _names(), state.user_zone())
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
            "submitted": time_heading("Submitted", state.user_zone()),
        },
        key="results:confident-wrong",
    )


def _simulator_view(selection: Selection) -> None:
    table = simulator_summary(selection)
    if table.empty:
        st.info(
            "No simulator drills match these filters. Drills appear here once learners submit a placement in "
            "Practice → Needle simulator → Drill (scored).",
            icon=":material/vaccines:",
        )
        return
    model = skin_model()
    labels = {t: model.technique(t).label for t in model.technique_ids} if model else {}
    st.caption("How far from the target layer learners placed the needle tip, per technique (0 mm = on target).")
    _show_chart(simulator_chart(table, labels))
    table["technique"] = table["technique"].map(lambda t: labels.get(t, t))
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "technique": "Technique",
            "drills": st.column_config.NumberColumn("Drills"),
            "mean_distance_mm": st.column_config.NumberColumn("Mean distance from target (mm)", format="%.2f"),
        },
        key="results:drills",
    )


def _review_view(questions: QuestionIndex) -> None:
    """Spaced review across every learner (the filters do not apply: cards outlive attempts)."""
    now = utc_now()
    store = state.store()
    frames = [store.read(table).frame for table in (ATTEMPTS, RESPONSES, CERTAINTY, REVIEWS)]
    st.caption(
        "Every learner's review cards (all results; the filters above do not apply). *Due now* counts cards whose "
        "FSRS due time has come, *overdue* those due before today (UTC); suspended cards count in neither. The "
        "*retention estimate* is the mean FSRS probability of recall, now, of the learner's reviewed cards."
    )
    table = learner_review_table(*frames, now=now, names=_names())
    if table.empty:
        st.info("No learner has a review card yet: cards come from wrong or unsure answers and missed drills.")
    else:
        st.dataframe(
            table,
            hide_index=True,
            column_config={
                "learner": "Login",
                "name": "Name",
                "retention estimate": st.column_config.NumberColumn("Retention estimate", format="percent"),
            },
            key="results:review-learners",
        )
        st.markdown("**Per question**: how many learners have it as a card (many may mean a hard or unclear question).")
        counts = question_card_counts(*frames[:3])
        counts.insert(1, "question", [questions[i].prompt if i in questions else "" for i in counts["item"]])
        counts.insert(2, "bank", [questions[i].location if i in questions else "" for i in counts["item"]])
        st.dataframe(counts, hide_index=True, key="results:review-items")
    catalog = current_quizzes()
    lessons = state.catalog()

    def lesson_title(lesson_id: str | None) -> str | None:
        found = None if lesson_id is None else lessons.find(lesson_id)
        return None if found is None else found[1].title

    notes = [anki.question_note(q, lesson_title(q.lesson)) for q in catalog.questions.values()]
    st.download_button(
        "Download the whole course's deck for Anki (.apkg)",
        data=lambda: anki.build_package(notes),
        file_name="meso-academy-course.apkg",
        mime="application/octet-stream",
        key="results:anki-course",
        on_click="ignore",  # the file is built on click; no rerun racing it
        icon=":material/download:",
        help="Every question of every bank; note ids come from the question ids, so importing a newer deck updates it.",
    )


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
            on_click="ignore",  # the file is built on click; no rerun racing it
        )


st.set_page_config(layout="wide")  # side-by-side editing and wide tables need the room
state.require_tutor()
st.title("Results")
store = state.store()
results = _results(store.where, results_signature(store))
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
    _quizzes_view(selection, _bank_info().marks)
elif view == "Item analysis":
    _items_view(selection, _bank_info().index)
elif view == "Confident and wrong":
    _confident_wrong_view(selection, _bank_info().index)
elif view == "Simulator drills":
    _simulator_view(selection)
elif view == "Cases":
    _cases_view()
elif view == "Spaced review":
    _review_view(_bank_info().index)
else:
    _export_view(selection)
