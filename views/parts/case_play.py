"""Clinical cases: the list with each case's status and best score, taking a case one step at a
time, and the debrief with the path taken beside the recommended one (the page file
``views/pages/cases.py`` only calls :func:`page`).

Every committed step is stored at once (:class:`course.cases.progress.CaseRuns`); the run lives in
the session between reruns and is replayed from the store after a reload or a new sign-in. The
page reads widgets, calls the package and renders.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from course.analytics.cases import FAILED, IN_PROGRESS, NOT_STARTED, PASSED, case_records, case_statuses
from course.cases.figures import path_alt, path_figure, step_label
from course.cases.loading import current_cases
from course.cases.models import (
    Case,
    CaseCatalog,
    ChoiceStep,
    DebriefStep,
    InformationStep,
    OutcomeStep,
    PlacementStep,
    PlanStep,
)
from course.cases.progress import AlreadyCommitted, CaseRuns, Committed, Run
from course.cases.scoring import CaseOutcome, case_outcome, outcome_variant, placement_technique
from course.content.bibliography import render_citations
from course.content.lessons import lesson_sections
from course.errors import MesoError
from course.simulator.model import SkinModel
from course.store.tables import CASE_ATTEMPTS
from views.parts import state
from views.parts.figure_blocks import HIDDEN_HINT, hidden_placement, show_chart, skin_model
from views.parts.notices import show_exception

KEY = "case"
STATUS_TEXT = {
    NOT_STARTED: "Not started",
    IN_PROGRESS: "In progress",
    PASSED: "Passed",
    FAILED: "Not passed",
}
STATUS_ICON = {
    NOT_STARTED: ":material/radio_button_unchecked:",
    IN_PROGRESS: ":material/pending:",
    PASSED: ":material/check_circle:",
    FAILED: ":material/cancel:",
}


def md(text: str) -> str:
    """Case markdown with its ``[@key]`` citations as links to the References page."""
    return render_citations(text, state.references())


def runs() -> CaseRuns:
    return CaseRuns(state.store())


def run_key(case: Case) -> str:
    return f"{KEY}:{case.id}:run"


def feedback_key(case: Case) -> str:
    return f"{KEY}:{case.id}:feedback"


def open_case(case_id: str | None) -> None:
    if case_id is None:
        st.query_params.clear()
    else:
        st.query_params["case"] = case_id
    st.rerun()


# --- the list ---------------------------------------------------------------------------------


def case_list(learner: str | None) -> None:
    catalog = current_cases()
    st.caption(
        "Take a patient from the consultation to the follow-up, one decision at a time. What you choose "
        "earlier decides what happens later, and a choice cannot be taken back once you commit it. An unsafe "
        "choice fails the case whatever your score."
    )
    statuses = {}
    if learner is not None:
        records = case_records(state.store().read(CASE_ATTEMPTS), learner)
        statuses = case_statuses(records, runs().open_cases(learner), [c.id for c in catalog.cases])
    else:
        st.info("Sign in to take a case: your steps and scores are saved as you go.")
    if not catalog.cases and not catalog.broken:
        st.info("No clinical cases yet.")
    for case in catalog.cases:
        status = statuses.get(case.id)
        with st.container(border=True):
            # one Markdown element per case (every element costs each rerun of the list)
            text = (
                f"#### {case.title}\n\n{case.data.summary}  \n"
                f"*About {case.data.duration_min} min · pass mark {case.data.pass_mark}%*"
            )
            if status is not None:
                best = "" if status.best_percentage is None else f" · best score {status.best_percentage:.0f}%"
                text += f"\n\n{STATUS_ICON[status.status]} **{STATUS_TEXT[status.status]}**{best}"
            st.markdown(text)
            if status is not None:
                label = {NOT_STARTED: "Start", IN_PROGRESS: "Resume"}.get(status.status, "Take it again")
                if st.button(label, key=f"{KEY}:open:{case.id}", type="primary"):
                    open_case(case.id)
    for path in catalog.broken:
        with st.container(border=True):
            st.markdown(f"#### {path.name} (needs fixing)")
            st.caption("This case file has problems, so it cannot be taken until a tutor fixes it.")
            if st.button("See what is wrong", key=f"{KEY}:open:{path.stem}"):
                open_case(path.stem)


def broken_case(catalog: CaseCatalog, case_id: str) -> bool:
    """Show the problems of a broken case file; True if ``case_id`` is one."""
    for path, problems in catalog.broken.items():
        if path.stem == case_id:
            st.title(f"{path.name} (needs fixing)")
            lines = "\n".join(f"- `{problem}`" for problem in problems)
            st.error(f"This clinical case has problems, so it cannot be taken yet:\n\n{lines}")
            st.markdown("Tutors: fix the file and run `python -m course check`; the other cases keep working.")
            return True
    return False


# --- taking a case -----------------------------------------------------------------------------


def patient_card(case: Case, first: bool) -> None:
    patient = case.data.patient
    with st.expander(f"The patient: {patient.label} ({patient.sex}, {patient.age} years old)", expanded=first):
        st.markdown(
            f"**Request.** {md(patient.request)}\n\n**History.** {md(patient.history)}\n\n"
            f"**Medicines.** {md(patient.medications)}\n\n**Photographs.** {md(patient.photos)}"
        )


def current_run(case: Case, learner: str) -> Run:
    run: Run | None = st.session_state.get(run_key(case))
    if run is None or run.learner != learner or run.state.case is not case:
        if run is not None and run.learner == learner and run.state.case is not case:
            run = None  # the case file changed: replay the stored steps against the new version
        run = runs().resume(learner, case)
        st.session_state[run_key(case)] = run
        for notice in run.notices:
            st.warning(notice)
    return run


def commit(case: Case, run: Run, answer: dict[str, Any], skin: SkinModel | None = None) -> None:
    try:
        committed: Committed = runs().commit(run, answer, skin)
    except AlreadyCommitted as exc:
        st.session_state[run_key(case)] = runs().resume(run.learner, case)
        st.session_state[feedback_key(case)] = {"notice": str(exc)}
        st.rerun()
    except MesoError as exc:
        show_exception(exc)
        return
    st.session_state[run_key(case)] = committed.run
    result = committed.result
    st.session_state[feedback_key(case)] = {
        "step": result.record.step,
        "points": result.record.points,
        "max": result.record.max_points,
        "feedback": list(result.feedback),
        "unsafe": result.unsafe,
        "outcome": committed.outcome,
    }
    st.rerun()


def last_feedback(case: Case) -> None:
    shown = st.session_state.get(feedback_key(case))
    if not shown:
        return
    if "notice" in shown:
        st.warning(shown["notice"])
        return
    if not shown["feedback"] and not shown["unsafe"]:
        return
    points = f" · {shown['points']:g} of {shown['max']:g} points" if shown["max"] else ""
    text = "\n\n".join(md(f) for f in shown["feedback"])
    if shown["unsafe"]:
        st.error(f"**Unsafe choice{points}.** {text}", icon=":material/dangerous:")
    else:
        st.info(f"**Feedback{points}.** {text}", icon=":material/feedback:")


def take(case: Case, run: Run, skin: SkinModel | None) -> None:
    step = case.step(run.state.current)
    prefix = f"{KEY}:{case.id}:{run.run_id}:{len(run.state.records)}"
    if isinstance(step, ChoiceStep):
        choice_step(case, run, step, prefix)
    elif isinstance(step, InformationStep):
        information_step(case, run, step, prefix)
    elif isinstance(step, PlanStep):
        plan_step(case, run, step, prefix)
    elif isinstance(step, PlacementStep):
        placement_step(case, run, step, prefix, skin)
    elif isinstance(step, OutcomeStep):
        outcome_step(case, run, step, prefix)


def step_text(run: Run, *parts: str) -> str:
    """The step's number above its text, as one Markdown element (each element costs time on
    every rerun)."""
    return "\n\n".join((f"**Step {len(run.state.records) + 1}**", *parts))


def choice_step(case: Case, run: Run, step: ChoiceStep, prefix: str) -> None:
    st.markdown(step_text(run, md(step.prompt)))
    with st.form(f"{prefix}:form", border=False):
        if step.multiple:
            picked = [o.id for o in step.options if st.checkbox(md(o.text), key=f"{prefix}:{o.id}")]
        else:
            labels = {o.id: md(o.text) for o in step.options}
            one = st.radio(
                "Your choice", list(labels), format_func=labels.__getitem__, index=None, key=f"{prefix}:choice"
            )
            picked = [one] if one is not None else []
        sent = st.form_submit_button("Commit my choice", type="primary", icon=":material/lock:", key=f"{prefix}:submit")
    st.caption("Once committed, a choice cannot be changed.")
    if sent:
        commit(case, run, {"options": picked})


def information_step(case: Case, run: Run, step: InformationStep, prefix: str) -> None:
    st.markdown(step_text(run, md(step.prompt)))
    asked = []
    for i, finding in enumerate(step.findings):
        if st.toggle(finding.ask, key=f"{prefix}:ask:{i}"):
            asked.append(i)
            st.markdown(f"> {md(finding.finding)}")
    if st.button("Continue", key=f"{prefix}:continue", type="primary", icon=":material/arrow_forward:"):
        commit(case, run, {"asked": asked})


def plan_step(case: Case, run: Run, step: PlanStep, prefix: str) -> None:
    st.markdown(step_text(run, md(step.prompt)))
    labels = {"technique": "Technique", "product_class": "Product class", "region": "Region"}
    labels |= {"sessions": "Number of sessions", "interval": "Interval between sessions"}
    skin = skin_model()
    with st.form(f"{prefix}:form", border=False):
        answer = {}
        for name, plan_field in step.fields.present():

            def shown(value: str, name: str = name) -> str:
                if skin is not None and name == "technique" and value in skin.technique_ids:
                    return skin.technique(value).label
                if skin is not None and name == "region" and value in skin.region_ids:
                    return skin.region(value).label
                return value

            answer[name] = st.selectbox(
                labels[name], plan_field.options, index=None, format_func=shown, key=f"{prefix}:{name}"
            )
        sent = st.form_submit_button("Commit my plan", type="primary", icon=":material/lock:", key=f"{prefix}:submit")
    if sent:
        commit(case, run, answer)


@st.fragment
def placement_step(case: Case, run: Run, step: PlacementStep, prefix: str, skin: SkinModel | None) -> None:
    """The needle placement, hidden labels and target, then the commit.

    A fragment: a release of the needle in the browser reruns this step only, not the app frame
    and the rest of the case page; the commit reruns the whole app (the next step).
    """
    if skin is None:
        return
    technique = placement_technique(step, run.state)
    where = skin.region(step.region).label.lower()
    aim = f"Technique: **{skin.technique(technique).label.lower()}** · region: **{where}**"
    st.info(step_text(run, md(step.prompt), aim, HIDDEN_HINT), icon=":material/target:")  # the task, as a drill's
    placement = hidden_placement(f"{prefix}:needle", skin, step.region, technique, hint=False)
    angle, length = placement.angle_deg, placement.length_mm
    if st.button("Commit my placement", key=f"{prefix}:commit", type="primary", icon=":material/lock:"):
        commit(case, run, {"angle": angle, "length_mm": length}, skin)


def outcome_step(case: Case, run: Run, step: OutcomeStep, prefix: str) -> None:
    variant = step.variants[outcome_variant(step, run.state.chosen)]
    prompt = (f"**{md(step.prompt)}**",) if step.prompt else ()
    st.markdown(step_text(run, *prompt, md(variant.text)))
    if st.button("Continue", key=f"{prefix}:continue", type="primary", icon=":material/arrow_forward:"):
        commit(case, run, {})


# --- the debrief -------------------------------------------------------------------------------


def debrief(case: Case, run: Run) -> None:
    step = case.step(run.state.current)
    assert isinstance(step, DebriefStep)
    shown = st.session_state.get(feedback_key(case)) or {}
    outcome: CaseOutcome = shown.get("outcome") or runs().outcome_of(run.run_id) or case_outcome(run.state)
    st.subheader("Debrief")
    verdict = "Passed" if outcome.passed else "Not passed"
    score = f"**{verdict}** · {outcome.score:g} of {outcome.max_score:g} points ({outcome.percentage:.0f}%)"
    score += f" · pass mark {case.data.pass_mark}%"
    if outcome.passed:
        st.success(score, icon=":material/check_circle:")
    elif outcome.failed_step:
        st.error(
            f"{score}\n\n**Failed on safety at {step_label(case, outcome.failed_step)}:** {outcome.reason}",
            icon=":material/dangerous:",
        )
    else:
        st.warning(f"{score}\n\nBelow the pass mark.", icon=":material/info:")
    st.markdown(md(step.text))
    recommended = step.recommended or case.recommended
    unsafe = [s for s, _ in run.state.unsafe]
    st.markdown("**Your path and the recommended path**")
    st.caption(
        "Read each column from top to bottom. An open diamond is a step off the recommended path; a cross marks "
        "an unsafe choice."
    )
    show_chart(
        path_figure(case, run.state.path, recommended, unsafe),
        path_alt(case, run.state.path, recommended, unsafe),
        f"{KEY}:{case.id}:{run.run_id}:path",
    )
    lesson_links(step)
    if st.button("Take this case again", key=f"{KEY}:{case.id}:{run.run_id}:again", icon=":material/replay:"):
        st.session_state[run_key(case)] = runs().new_run(run.learner, case)
        st.session_state.pop(feedback_key(case), None)
        st.rerun()


def lesson_links(step: DebriefStep) -> None:
    if not step.read_more:
        return
    st.markdown("**Read more**")
    pages = st.session_state.get("_lesson_pages", {})
    catalog = state.catalog()
    for link in step.read_more:
        lesson_id, _, anchor = link.partition("#")
        found = catalog.find(lesson_id)
        if found is None or lesson_id not in pages:
            continue
        lesson = found[1]
        heading = lesson_sections(lesson).get(anchor, (anchor,))[0]
        st.page_link(
            pages[lesson_id],
            label=f"{lesson.title} › {heading}",
            icon=":material/menu_book:",
            query_params={"section": anchor},
        )


def case_page(case: Case, learner: str) -> None:
    st.title(case.title)
    run = current_run(case, learner)
    patient_card(case, first=not run.state.records)
    last_feedback(case)
    if run.state.finished:
        debrief(case, run)
        return
    take(case, run, skin_model())


def page() -> None:
    requested = st.query_params.get("case")
    account = state.current_user()
    if requested:
        if st.button("All cases", key=f"{KEY}:back", icon=":material/arrow_back:"):
            open_case(None)
        catalog = current_cases()  # the case files, looked at once in this run
        if broken_case(catalog, requested):
            return
        case = catalog.find(requested)
        if case is None:
            st.warning(f"There is no clinical case '{requested}'.")
            return
        learner = state.require_learner()
        case_page(case, learner.login)
        return
    st.title("Clinical cases")
    case_list(account.login if account else None)
