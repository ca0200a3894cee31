"""Taking and reviewing a quiz: the widgets of each question type, shared by the quiz pages.

Only what a learner may see before submitting is rendered: prompts, pictures, option texts
(in this attempt's order) and empty widgets. Right answers, feedback and explanations are
rendered only in the review, after the attempt is stored. Widget keys are
``quiz:{quiz_id}:{question_id}`` (plus ``:{n}`` for one widget per option, position or pair,
and ``:certainty`` for the learner's certainty in a quiz with confidence-based marking).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, assert_never

import streamlit as st

from course.content.bibliography import cite_keys
from course.content.lessons import lesson_sections
from course.errors import MesoError
from course.paths import ASSETS_DIR, quizzes_dir
from course.quiz.answers import (
    MAX_NUMBER_CHARS,
    carries_certainty,
    choice_order,
    describe_answer,
    describe_right_answer,
    encode_answer,
    left_order,
    parse_number,
)
from course.quiz.attempts import Attempts, Draw
from course.quiz.banks import current_quizzes
from course.quiz.cbm import CERTAINTIES, MARKS_TEXT, Certainty, cbm_mark, describe_certainty
from course.quiz.models import (
    Answer,
    DiagramQuestion,
    MatchingQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderingQuestion,
    Question,
    Quiz,
    QuizCatalog,
    SingleQuestion,
    TrueFalseQuestion,
)
from course.quiz.scoring import Mark, Outcome
from course.simulator.figures import layer_from_selection, layer_picker_alt, layer_picker_figure
from course.simulator.loading import layer_choices
from views.parts import state
from views.parts.notices import parts, show_error

TRUE_FALSE = ("True", "False")
DRAW_KEY = "quizzes:draw"  # the attempt this session is taking
RESULT_KEY = "quizzes:result"  # the attempt it has just submitted
NOTICE_KEY = "quizzes:notice"  # a message for the next run of the quizzes page


def quiz_catalog() -> QuizCatalog:
    """Every bank, reloaded when a bank or a lesson file changes on disk."""
    return current_quizzes(quizzes_dir())


def attempts() -> Attempts:
    return Attempts(state.store())


def start(book: Attempts, catalog: QuizCatalog, quiz: Quiz, learner: str) -> None:
    """Start or resume an attempt and show it (a refusal is shown as a message)."""
    try:
        started = book.start(learner, quiz, lookup=catalog.questions)
    except MesoError as exc:
        st.session_state[NOTICE_KEY] = ("error", *parts(exc))
        return
    st.session_state[DRAW_KEY] = started.draw
    st.session_state.pop(RESULT_KEY, None)
    notices = list(started.notices)
    if started.resumed:
        notices.append(
            f"Welcome back: this is the attempt you started at {state.shown_time(started.draw.started, date=False)}."
        )
    st.session_state[NOTICE_KEY] = ("info", " ".join(notices), "") if notices else None
    st.query_params["quiz"] = quiz.id


def show_notice() -> None:
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        kind, text, detail = notice
        if kind == "error":
            show_error(text, detail)
        else:
            st.info(text)


def widget_key(quiz_id: str, question_id: str) -> str:
    return f"quiz:{quiz_id}:{question_id}"


def _header(number: int, question: Question) -> None:
    points = f"{question.points:g} point{'' if question.points == 1 else 's'}"
    badge = " · :red-badge[:material/health_and_safety: Must-pass safety question]" if question.critical else ""
    st.markdown(f"**Question {number}** · {points}{badge}")
    st.markdown(question.prompt)
    if question.image is not None:
        st.image(str(ASSETS_DIR / question.image.path), caption=question.image.alt)


def _layer_labels(region: str) -> dict[str, str]:
    return dict(layer_choices(region))


# --- certainties (confidence-based marking) ------------------------------------------------------


def certainty_key(quiz_id: str, question_id: str) -> str:
    return f"{widget_key(quiz_id, question_id)}:certainty"


def asks_certainty(quiz: Quiz, question: Question) -> bool:
    """Whether this question of this quiz shows a certainty choice."""
    return quiz.settings.cbm and carries_certainty(question)


def cbm_intro() -> None:
    """The marks explained once, above the questions of a quiz with confidence-based marking."""
    rows = "\n".join(
        f"| {describe_certainty(c)} | +{cbm_mark(True, c):g} | {cbm_mark(False, c):g} |" for c in CERTAINTIES
    )
    st.info(
        f"**Confidence-based marking.** {MARKS_TEXT}\n\n| how sure | right | wrong |\n|---|---|---|\n{rows}\n\n"
        "Questions with several right answers, an order or pairs are marked as usual, without a certainty.",
        icon=":material/psychology:",
    )


def certainty_widget(quiz: Quiz, draw: Draw, question: Question) -> None:
    """The learner's certainty for one answer: 1, 2 or 3, each labelled with what it earns or costs."""

    def label(certainty: Certainty) -> str:
        right, wrong = cbm_mark(True, certainty, question.points), cbm_mark(False, certainty, question.points)
        return f"{describe_certainty(certainty)}: +{right:g} / {wrong:g}"

    st.radio(
        "How sure are you of this answer?",
        CERTAINTIES,
        index=None,
        format_func=label,
        horizontal=True,
        key=certainty_key(quiz.id, question.id),
        help="Marks if right / if wrong. Without a choice, your answer counts at certainty 1 (low).",
        on_change=keep_answer,
        args=(quiz, draw, question),
    )


def read_certainty(quiz: Quiz, question: Question) -> object:
    """The certainty the widget holds (None: not chosen); the server checks it is 1, 2 or 3."""
    return st.session_state.get(certainty_key(quiz.id, question.id))


# --- taking --------------------------------------------------------------------------------


def diagram_question(number: int, quiz: Quiz, draw: Draw, question: DiagramQuestion, *, keep: bool = True) -> None:
    """The clickable layer picker and, as the keyboard alternative, a select box of the same
    layers. Both set one value (the select box's), which is the answer submitted. ``keep``: each
    answer is kept as a draft of the attempt (a review card, which is no attempt, passes False)."""
    key = widget_key(quiz.id, question.id)
    chart_key = f"{key}:chart"
    labels = _layer_labels(question.region)

    def picked_on_chart() -> None:
        layer = layer_from_selection(st.session_state.get(chart_key))
        if layer is not None:
            st.session_state[key] = layer
            if keep:
                keep_answer(quiz, draw, question)

    with st.container(border=True):
        _header(number, question)
        st.plotly_chart(
            layer_picker_figure(question.region, st.session_state.get(key)),
            key=chart_key,
            on_select=picked_on_chart,
            selection_mode="points",
            config={"displayModeBar": False, "responsive": True},
            width="stretch",
        )
        with st.expander("Text description of this figure"):
            st.markdown(layer_picker_alt(question.region))
        st.selectbox(
            "Your answer (click a layer above, or choose it here)",
            options=list(labels),
            format_func=labels.__getitem__,
            index=None,
            placeholder="Choose a layer",
            key=key,
            on_change=keep_answer if keep else None,
            args=(quiz, draw, question),
        )
        if asks_certainty(quiz, question):
            certainty_widget(quiz, draw, question)


def form_question(number: int, quiz: Quiz, draw: Draw, question: Question, *, keep: bool = True) -> None:
    """One question's widgets (not for diagram questions). ``keep``: each answer is kept as a
    draft row of the attempt; pass False inside a form (a review card), where widgets may not
    have callbacks."""
    with st.container(border=True):
        _header(number, question)
        answer_widgets(
            widget_key(quiz.id, question.id),
            question,
            draw.seed,
            quiz.settings.shuffle_options,
            f"Answer to question {number}",
            on_change=keep_answer if keep else None,
            args=(quiz, draw, question),
        )
        if asks_certainty(quiz, question):
            certainty_widget(quiz, draw, question)


def answer_widgets(
    key: str,
    question: Question,
    seed: int,
    shuffle_options: bool,
    label: str,
    *,
    on_change: Callable[..., None] | None = None,
    args: tuple[object, ...] = (),
) -> None:
    """The widgets a question of each type is answered with, keyed from ``key``.

    Every type has a case, and a type without one fails under mypy and at run time
    (``assert_never``): a new type must say how it is drawn. The quizzes and the lessons'
    self-checks both call this, so a question looks the same wherever it is asked. A quiz
    passes ``on_change`` to keep each answer as a draft (never inside a form, where widgets
    may not have callbacks).
    """
    order = choice_order(question, seed, shuffle_options)
    keep: dict[str, Any] = {"on_change": on_change, "args": args} if on_change else {}
    match question:
        case SingleQuestion():
            st.radio(label, order, index=None, key=key, label_visibility="collapsed", **keep)
        case MultipleQuestion():
            st.caption("Tick every right option: a wrong tick costs as much as a right one earns.")
            for index, text in enumerate(order):
                st.checkbox(text, key=f"{key}:{index}", **keep)
        case TrueFalseQuestion():
            st.radio(label, TRUE_FALSE, index=None, key=key, horizontal=True, label_visibility="collapsed", **keep)
        case NumericQuestion():
            unit = f" ({question.unit})" if question.unit else ""
            # one character more than a number may have: a pasted text is then refused with a
            # message instead of being cut silently to a valid-looking number
            st.text_input(
                f"Your answer{unit}",
                key=key,
                max_chars=MAX_NUMBER_CHARS + 1,
                placeholder="a number, e.g. 0.5",
                **keep,
            )
        case OrderingQuestion():
            st.caption("Choose the item that goes in each position.")
            for position in range(len(question.items)):
                st.selectbox(
                    f"Position {position + 1}",
                    order,
                    index=None,
                    placeholder="Choose an item",
                    key=f"{key}:{position}",
                    **keep,
                )
        case MatchingQuestion():
            for index, left in enumerate(left_order(question, seed, shuffle_options)):
                st.selectbox(left, order, index=None, placeholder="Choose a match", key=f"{key}:{index}", **keep)
        case DiagramQuestion():
            # its clickable figure reruns the page, which no widget inside a form may do
            raise TypeError("a diagram question is drawn above the form, by diagram_question()")
        case _:
            assert_never(question)


def read_answer(quiz: Quiz, draw: Draw, question: Question) -> Answer:
    """The answer the widgets hold (after the form's submit); a bad number raises AnswerError."""
    return widget_answer(widget_key(quiz.id, question.id), question, draw.seed, quiz.settings.shuffle_options)


def widget_answer(key: str, question: Question, seed: int, shuffle_options: bool) -> Answer:
    """The answer the widgets of :func:`answer_widgets` hold; a bad number raises AnswerError."""
    values = st.session_state
    match question:
        case SingleQuestion() | DiagramQuestion():
            return values.get(key)
        case MultipleQuestion():
            order = choice_order(question, seed, shuffle_options)
            return frozenset(text for index, text in enumerate(order) if values.get(f"{key}:{index}"))
        case TrueFalseQuestion():
            chosen = values.get(key)
            return None if chosen is None else chosen == TRUE_FALSE[0]
        case NumericQuestion():
            return parse_number(str(values.get(key) or ""))
        case OrderingQuestion():
            return tuple(values.get(f"{key}:{position}") for position in range(len(question.items)))
        case MatchingQuestion():
            lefts = left_order(question, seed, shuffle_options)
            return {left: values.get(f"{key}:{index}") for index, left in enumerate(lefts)}
        case _:
            assert_never(question)


def keep_answer(quiz: Quiz, draw: Draw, question: Question) -> None:
    """Widget callback: keep this question's answer (and certainty) as a draft row, so a reload
    brings it back. A number that does not read yet is simply not kept (submitting says why)."""
    try:
        answer = read_answer(quiz, draw, question)
    except MesoError:
        return
    try:
        attempts().save_answer(draw, question, answer, read_certainty(quiz, question))
    except MesoError as exc:  # the store is busy or full: the answer stays on the page
        st.session_state[NOTICE_KEY] = ("error", *parts(exc))


def restore_answers(book: Attempts, quiz: Quiz, draw: Draw, questions: Sequence[Question]) -> int:
    """Put the answers kept for this attempt back into its widgets, once per attempt and tab
    (after a reload, say); widgets this tab already holds win. Returns how many came back."""
    flag = f"quiz:{draw.attempt_id}:restored"
    if st.session_state.get(flag):
        return 0
    st.session_state[flag] = True
    kept = book.draft_answers(draw, {q.id: q for q in questions})
    values: dict[str, object] = {}
    for question in questions:
        if question.id not in kept:
            continue
        answer, certainty = kept[question.id]
        values.update(widget_values(quiz, draw, question, answer))
        if certainty is not None and asks_certainty(quiz, question):
            values[certainty_key(quiz.id, question.id)] = certainty
    for key, value in values.items():
        st.session_state.setdefault(key, value)
    return len(kept)


def widget_values(quiz: Quiz, draw: Draw, question: Question, answer: Answer) -> dict[str, object]:
    """The widget states that show ``answer`` (the inverse of :func:`read_answer`)."""
    key = widget_key(quiz.id, question.id)
    if answer is None:
        return {}
    match question:
        case SingleQuestion() | DiagramQuestion():
            return {key: answer}
        case MultipleQuestion():
            order = choice_order(question, draw.seed, quiz.settings.shuffle_options)
            chosen = answer if isinstance(answer, frozenset | set) else frozenset()
            return {f"{key}:{index}": text in chosen for index, text in enumerate(order)}
        case TrueFalseQuestion():
            return {key: TRUE_FALSE[0] if answer else TRUE_FALSE[1]}
        case NumericQuestion():
            return {key: encode_answer(question, answer)}
        case OrderingQuestion():
            items = tuple(answer) if isinstance(answer, tuple | list) else ()
            return {f"{key}:{position}": item for position, item in enumerate(items) if item is not None}
        case MatchingQuestion():
            pairs = answer if isinstance(answer, dict) else {}
            lefts = left_order(question, draw.seed, quiz.settings.shuffle_options)
            return {f"{key}:{index}": pairs[left] for index, left in enumerate(lefts) if pairs.get(left) is not None}
        case _:
            assert_never(question)


# --- reviewing -----------------------------------------------------------------------------------


def outcome_summary(outcome: Outcome, status: str, numbers: Mapping[str, int]) -> None:
    """Score, percentage, and pass or fail with every reason (must-pass questions by number)."""
    left, right = st.columns(2)
    left.metric("Score", f"{outcome.score:g} / {outcome.max_score:g}")
    right.metric("Percentage", f"{outcome.percentage:.0f}%")
    if outcome.cbm_average is not None:
        st.caption(
            "Confidence-based marking: each answer with a certainty earned that certainty's marks. Your average "
            f"mark per question with a certainty is {outcome.cbm_average:.2f} (the most is 3). Without the "
            f"certainties, your answers earned {outcome.accuracy:.0f}% of the points."
        )
    if outcome.passed:
        st.success("**Passed.** Well done.", icon=":material/check_circle:")
        return
    reasons = list(outcome.reasons)
    if outcome.critical_missed:
        missed = ", ".join(str(numbers[q]) for q in outcome.critical_missed if q in numbers)
        reasons.append(f"Must-pass question(s) missed: {missed}.")
    heading = "**Time is up: not passed.**" if status == "expired" else "**Not passed.**"
    st.error("\n".join([heading, *[f"- {reason}" for reason in reasons]]), icon=":material/cancel:")


def review(questions: Sequence[Question], answers: Mapping[str, Answer], marks: Sequence[Mark]) -> None:
    """Every question: the learner's answer, the right one, feedback, explanation, and a link
    to the lesson section that teaches it."""
    by_id = {mark.question_id: mark for mark in marks}
    for number, question in enumerate(questions, 1):
        mark = by_id.get(question.id)
        if mark is None:
            continue
        if mark.correct:
            status = ":material/check_circle: Right"
        elif mark.points > 0:
            status = ":material/adjust: Partly right"
        else:
            status = ":material/cancel: Not right"
        with st.container(border=True):
            critical = " · must-pass" if question.critical else ""
            unit = ("mark" if mark.cbm else "point") + ("" if mark.max_score == 1 else "s")
            st.markdown(f"**{number}. {status}** · {mark.score:g} / {mark.max_score:g} {unit}{critical}")
            st.markdown(question.prompt)
            given = describe_answer(question, answers.get(question.id))  # a diagram's layer by its label
            right = describe_right_answer(question)
            st.markdown(f"**Your answer:** {given}  \n**Right answer:** {right}")
            if mark.cbm:
                st.markdown(certainty_note(mark))
            for note in mark.feedback:
                st.markdown(f"> {note}")
            st.markdown(f"**Why:** {question.explanation}")
            if question.sources:
                st.caption(f"Sources: {cite_keys(question.sources, state.references())}")
            lesson_link(question)


def certainty_note(mark: Mark) -> str:
    """The certainty given with an answer and the mark it earned, for the review."""
    if mark.certainty is None:
        return "**Your certainty:** none (no answer, so 0 marks)"
    outcome = "right" if mark.correct else "wrong"
    marks = f"{mark.score:g} mark{'' if abs(mark.score) == 1 else 's'}"
    return f"**Your certainty:** {describe_certainty(mark.certainty)}, {outcome}: {marks}"


def lesson_link(question: Question) -> None:
    """A link to the lesson (and section) that teaches this question."""
    pages = st.session_state.get("_lesson_pages", {})
    found = None if question.lesson is None else state.catalog().find(question.lesson)
    if found is None or question.lesson not in pages:
        return
    lesson = found[1]
    section_id = question.section
    section = None if section_id is None else lesson_sections(lesson).get(section_id)
    if section_id is None or section is None:
        st.page_link(pages[lesson.id], label=f"Revise: {lesson.title}", icon=":material/menu_book:")
        return
    st.page_link(
        pages[lesson.id],
        label=f"Revise: {lesson.title} › {section[0]}",
        icon=":material/menu_book:",
        query_params={"section": section_id},
    )
