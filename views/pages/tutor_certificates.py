"""Certificates (tutors only): every certificate issued, and revoking one with a reason.

A revoked certificate's verification page says *revoked* from then on; the reason stays in the
record (tutors and the learner see it, the public page does not).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from course.certificates.codes import HOW_TO_SET
from course.certificates.registry import REASON_CHARS, Certificates, revocation_text
from course.errors import MesoError
from course.text import escape_markdown
from views.parts import state
from views.parts.certificate import certificates
from views.parts.notices import show_exception

KEY = "tutor-certificates"

tutor = state.require_tutor()
st.title("Certificates")
done = st.session_state.pop(f"{KEY}:done", None)
if done:  # the revocation just made (the page ran again to show it in the list)
    st.success(escape_markdown(done))
try:
    found = certificates()
except MesoError as exc:
    st.error(f"Certificates are not available on this server: {exc}")
    st.stop()
if found is None:
    st.info(f"Certificates are not available on this server yet: {HOW_TO_SET}.")  # the course's own text
    st.stop()
book: Certificates = found
every = book.all()
st.caption(
    "Every certificate of completion issued, newest first. Anyone can check a code at /verify/<code>; a revoked "
    "certificate then reads as revoked, with the date (the reason stays private). The same list is printed by "
    "`python -m course certificates list`."
)
if not every:
    st.info("No certificate has been issued yet.")
    st.stop()

live = sum(c.revocation is None for c in every)
first, second = st.columns(2)
first.metric("Certificates issued", len(every))
second.metric("Of them revoked", len(every) - live)
table = pd.DataFrame(
    {
        "Status": ["genuine" if c.revocation is None else revocation_text(c.revocation) for c in every],
        "Name printed": [c.name for c in every],
        "Learner": [c.learner for c in every],
        "Issued (UTC)": [c.issued[:16].replace("T", " ") for c in every],
        "Version": [c.course_version for c in every],
        "Final exam": [f"{c.scores.exam.percentage:.0f}%" if c.scores.exam else "" for c in every],
        "Code": [book.code(c) for c in every],
    }
)
st.dataframe(table, hide_index=True, width="stretch", key=f"{KEY}:table")

st.subheader("Revoke a certificate")
revocable = [c for c in every if c.revocation is None]
if not revocable:
    st.caption("Every certificate is revoked already.")
    st.stop()
labels = {book.code(c): f"{book.code(c)} · {c.name} ({c.learner}), issued {c.issued[:10]}" for c in revocable}
with st.form(f"{KEY}:revoke", border=True):
    code = st.selectbox("Certificate", list(labels), format_func=labels.__getitem__, key=f"{KEY}:code")
    low, high = REASON_CHARS
    reason = st.text_input(
        "Reason (kept in the record, shown to the learner, never on the public page)",
        max_chars=high,
        key=f"{KEY}:reason",
    )
    reissue = st.checkbox(
        "Let the learner ask for a new certificate (for instance when the name printed was wrong)",
        key=f"{KEY}:reissue",
    )
    pressed = st.form_submit_button("Revoke this certificate", type="primary", icon=":material/block:")
if pressed and code is not None:
    try:
        revoked = book.revoke(code, tutor.login, reason, reissue=reissue)
    except MesoError as exc:
        show_exception(exc)
    else:
        st.session_state[f"{KEY}:done"] = f"Revoked the certificate of {revoked.name} ({revoked.learner})."
        st.rerun()
