"""References: every work the course cites, grouped by kind, with how far the course trusts it
and which lessons rely on it. Lessons' in-text citations link here."""

import streamlit as st

from course.content.bibliography import KIND_LABELS, RELIABILITY_MARKS, by_kind, citing_lessons
from course.text import escape_markdown
from views.parts import state
from views.parts.lesson import reference_markdown

st.title("References")
st.caption(
    "Every source the lessons cite. Reliability: ●●● high (trials, systematic reviews, guidelines, "
    "regulators, product labels), ●●○ moderate, ●○○ low (practitioner websites, secondary copies): "
    "low-reliability sources are used for background only."
)
bibliography = state.references()
if bibliography.problems:
    lines = "\n".join(f"- `{problem}`" for problem in bibliography.problems)
    st.error(f"Some references cannot be shown until the references file is fixed:\n\n{lines}", icon=":material/error:")
account = state.current_user()
is_tutor = bool(account and account.is_tutor)
cited_by = citing_lessons(state.catalog())
groups = by_kind(bibliography.entries.values())
if not groups:
    st.info("There are no references to show.")
    st.stop()

left, middle, right = st.columns([2, 2, 3])
kind_names = ["All kinds", *(KIND_LABELS[kind] for kind in groups)]
chosen_kind = left.selectbox("Kind", kind_names, key="references:kind")
chosen_reliability = middle.multiselect(
    "Reliability", ["high", "moderate", "low"], default=["high", "moderate", "low"], key="references:reliability"
)
query = right.text_input("Find", key="references:query", placeholder="author, title or key").strip().lower()

shown = 0
for kind, references in groups.items():
    if chosen_kind != "All kinds" and KIND_LABELS[kind] != chosen_kind:
        continue
    matching = [
        r
        for r in references
        if r.reliability in chosen_reliability
        and (not query or query in r.citation.lower() or query in r.id or query in r.supports.lower())
    ]
    if not matching:
        continue
    st.header(f"{KIND_LABELS[kind]} ({len(matching)})", anchor=f"kind-{kind}")
    for reference in matching:
        shown += 1
        st.subheader(reference.short, anchor=reference.anchor)
        st.markdown(reference_markdown(reference))
        lessons = cited_by.get(reference.id, ())
        cited = ", ".join(f"[{escape_markdown(lesson.title)}](/{lesson.url_path})" for lesson in lessons)
        st.markdown(
            f"{RELIABILITY_MARKS[reference.reliability]} **{reference.reliability}** reliability · "
            f"key `{reference.id}` · used for: {escape_markdown(reference.supports)}"
            + (f"\n\nCited in: {cited}" if cited else "\n\nCited in no lesson yet.")
        )
        if reference.correction:
            st.warning(f"Correction: {escape_markdown(reference.correction)}", icon=":material/rule:")
        if reference.note and is_tutor:
            st.caption(f"Note for tutors: {escape_markdown(reference.note)}")
if not shown:
    st.caption("No reference matches your filters.")
