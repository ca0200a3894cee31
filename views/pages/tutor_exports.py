"""Exports (tutors only): question banks as GIFT or Moodle XML, learning records as xAPI statements.

The files are built by the package (``course.interop``) only when the tutor clicks a download
button; the page shows what each bank export leaves out and why, and the learning record
store's outbox when one is configured.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from course.interop.exports import BANK_FORMATS, FORMAT_INFO, BankFormat, export_banks, file_name
from course.interop.lrs import LrsConfig, outbox_counts, read_outbox
from course.interop.questions import Export
from course.interop.xapi import course_home, course_statements, to_jsonl
from course.paths import quizzes_dir
from course.quiz.banks import current_quizzes, quiz_signature
from course.text import escape_markdown
from views.parts import state


@st.cache_data(max_entries=16, show_spinner=False)
def _bank_export(fmt: BankFormat, banks: tuple[str, ...], folder: str, signature: object) -> Export:
    return export_banks(fmt, current_quizzes(), banks)


def _banks_section() -> None:
    st.subheader("Question banks")
    st.caption(
        "For Moodle: import the file in *Question bank → Import* (GIFT or Moodle XML format). Each bank becomes a "
        "category under *Meso Academy*; every question keeps its id, points, feedback, explanation and sources. "
        "Multiple choice keeps the course's partial credit. Moodle XML also carries ordering questions "
        "(Moodle's *Ordering* type, standard since Moodle 4.4) and pictures; diagram questions go out as their list "
        "of layers."
    )
    quizzes = current_quizzes()
    banks = [b for b in quizzes.banks if b.exam is None and b.questions]
    titles = {b.id: b.title for b in banks}
    fmt = (
        st.segmented_control(
            "Format",
            BANK_FORMATS,
            format_func=lambda f: FORMAT_INFO[f].label,
            key="exports:format",
            default="moodle-xml",
        )
        or "moodle-xml"
    )
    picked = st.multiselect(
        "Banks (none chosen: every bank)", list(titles), format_func=titles.__getitem__, key="exports:banks"
    )
    export = _bank_export(fmt, tuple(picked), str(quizzes_dir()), quiz_signature())
    info = FORMAT_INFO[fmt]
    st.download_button(
        f"Download {len(export.exported)} questions ({info.label})",
        data=lambda: export.text.encode("utf-8"),
        file_name=file_name(fmt, picked),
        mime=info.mime,
        key="exports:banks-download",
        icon=":material/download:",
        disabled=not export.exported,
        on_click="ignore",  # the file is built on click; no rerun racing it
    )
    skipped = [s for s in export.skipped if s.question]
    if not skipped:
        st.caption(f"Every question of the chosen banks is in the {info.label} file.")
        return
    st.markdown(f"**Left out of this file: {len(skipped)} question{'s' if len(skipped) > 1 else ''}**")
    by_reason: dict[str, list[str]] = {}
    for item in skipped:  # one line per reason, so a phone shows every question without a wide table
        by_reason.setdefault(item.reason, []).append(
            f"`{item.question}` ({escape_markdown(titles.get(item.bank, item.bank))})"
        )
    st.markdown("\n".join(f"- {escape_markdown(reason)}: {', '.join(names)}" for reason, names in by_reason.items()))


def _records_section() -> None:
    st.subheader("Learning records (xAPI)")
    st.caption(
        "Every lesson completion, quiz attempt and answer, simulator drill, review and clinical-case step as an "
        f"xAPI 1.0.3 statement, one per line (JSON Lines). Learners are named by their login, as accounts of "
        f"{course_home()} (set `MESO_BASE_URL` to the course's public address)."
    )
    store = state.store()
    stamp = date.today().isoformat()
    st.download_button(
        "Download every statement (JSONL)",
        data=lambda: to_jsonl(course_statements(store)).encode("utf-8"),
        file_name=f"meso-academy-xapi-{stamp}.jsonl",
        mime="application/x-ndjson",
        key="exports:xapi-download",
        icon=":material/download:",
        on_click="ignore",  # the file is built on click; no rerun racing it
    )
    config = LrsConfig.from_env()
    if config is None:
        st.info(
            "No learning record store is set up. Set `MESO_LRS_URL` (the LRS's xAPI endpoint) with "
            "`MESO_LRS_USERNAME` and `MESO_LRS_PASSWORD`, and the course sends every statement to it "
            "in the background.",
            icon=":material/cloud_off:",
        )
        return
    counts = outbox_counts(store)
    st.markdown(f"**Sending to** `{config.statements_url}`")
    waiting, sent, failed = st.columns(3)
    waiting.metric("Waiting", counts["waiting"])
    sent.metric("Sent", counts["sent"])
    failed.metric("Refused by the LRS", counts["failed"])
    refused = read_outbox(store).failed
    if refused:
        st.dataframe(
            pd.DataFrame([{"statement": sid, "the LRS said": why} for sid, why in refused.items()]),
            hide_index=True,
            width="stretch",
            key="exports:refused",
        )


state.require_tutor()
st.title("Exports")
_banks_section()
st.divider()
_records_section()
