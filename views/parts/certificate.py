"""The certificate of completion on My progress: the checklist, then the certificate to download.

Reads the learner's progress through the store, asks :mod:`course.certificates` what is left
and issues the certificate; the PDF is built only when the learner downloads it.
"""

from __future__ import annotations

import streamlit as st

from course.accounts.accounts import Account
from course.analytics.cases import case_records
from course.cases.loading import current_cases
from course.certificates.codes import HOW_TO_SET, load_secret
from course.certificates.eligibility import Eligibility, certificate_request, eligibility
from course.certificates.registry import Certificate, Certificates
from course.errors import MesoError
from course.metadata import COURSE_VERSION, base_url
from course.store.tables import ATTEMPTS, CASE_ATTEMPTS
from course.text import escape_markdown
from views.parts import state
from views.parts.notices import DETAILS, capitalised, show_error, show_exception
from views.parts.quiz_widgets import quiz_catalog

KEY = "certificate"
SHOWN_PER_REQUIREMENT = 6


def certificates() -> Certificates | None:
    """The certificate record with the server's secret, or None when none is configured."""
    secret = load_secret()
    return None if secret is None else Certificates(state.store(), secret)


def learner_eligibility(login: str) -> Eligibility:
    """The learner's checklist from the current lessons, banks, cases and stored results."""
    store = state.store()
    lessons = state.catalog()
    quizzes = quiz_catalog()
    cases = current_cases()
    broken = [*lessons.broken, *quizzes.broken, *cases.broken]
    return eligibility(
        learner=login,
        lessons=lessons.lessons,
        quizzes=quizzes,
        cases=cases,
        read=state.lesson_progress().completed(login),
        attempts=store.read(ATTEMPTS).frame,
        case_records=case_records(store.read(CASE_ATTEMPTS), login),
        broken=broken,
    )


def _checklist(found: Eligibility) -> None:
    """Each requirement, done or to do (in words, not by the icon alone); what is left in an expander."""
    lines = []
    for requirement in found.requirements:
        done = ":material/check_circle: **Done:**"
        mark = done if requirement.met else ":material/radio_button_unchecked: **To do:**"
        lines.append(f"- {mark} {escape_markdown(requirement.label)}")
    st.markdown("\n".join(lines))
    left = [r for r in found.requirements if not r.met and r.left]
    if not left:
        return
    count = sum(len(r.left) for r in left)
    with st.expander(f"What is left ({count})", key=f"{KEY}:left"):
        items = []
        for requirement in left:
            shown = requirement.left[:SHOWN_PER_REQUIREMENT]
            items += [f"- {escape_markdown(item[:1].upper() + item[1:])}" for item in shown]
            if len(requirement.left) > len(shown):
                items.append(f"- and {len(requirement.left) - len(shown)} more")
        st.markdown("\n".join(items))


def _download(book: Certificates, certificate: Certificate) -> None:
    from course.certificates.pdf import certificate_pdf  # fpdf2 and segno load only for a certificate

    code = book.code(certificate)
    url = f"{base_url()}/verify/{code}"
    st.success(
        f"Your certificate was issued on **{certificate.issued_date}** to "
        f"**{escape_markdown(certificate.name)}** (course version {escape_markdown(certificate.course_version)})."
    )
    st.markdown(f"Verification code: `{code}`  \nAnyone can check it at [{escape_markdown(url)}]({url}).")
    st.download_button(
        "Download my certificate (PDF)",
        data=lambda: certificate_pdf(certificate, code, url),
        file_name=f"meso-academy-certificate-{certificate.learner}.pdf",
        mime="application/pdf",
        key=f"{KEY}:download",
        icon=":material/download:",
        type="primary",
        on_click="ignore",
    )


def certificate_section(account: Account) -> None:
    """The certificate box: why not yet (the checklist), or the button to get it, or the download."""
    with st.container(border=True, key=f"{KEY}:box"):
        st.subheader("Certificate of completion")
        try:
            book = certificates()
        except MesoError as exc:
            show_error("Certificates cannot be issued on this course right now: please tell your tutor.", str(exc))
            return
        if book is None:
            st.info(
                "Certificates are not switched on for this course yet. Your progress counts all the "
                "same: ask your tutor, who can have them turned on.",
                icon=":material/info:",
            )
            with st.expander(DETAILS, icon=":material/build:"):
                st.markdown(capitalised(HOW_TO_SET) + ".")  # the course's own text: its `code` is meant
            return
        existing = book.current(account.login, COURSE_VERSION)
        if existing is not None and existing.revocation is None:
            try:
                _download(book, existing)
            except MesoError as exc:
                show_exception(exc)
            return
        if existing is not None and existing.revocation is not None:
            revoked = existing.revocation
            st.warning(
                f"Your certificate was revoked by a tutor on {revoked.at[:10]}: {escape_markdown(revoked.reason)}"
                + ("" if revoked.reissue else " Please ask a tutor if you think this is a mistake.")
            )
            if not revoked.reissue:
                return
        found = learner_eligibility(account.login)
        st.caption(
            "When you have read every lesson and passed its quiz, passed the final exam and finished every clinical "
            "case, you can download a certificate of completion that an employer can verify online. It certifies "
            "completion of a theory course, not competence to inject."
        )
        _checklist(found)
        if not found.eligible:
            return
        st.markdown(
            f"The certificate will carry your account's name, **{escape_markdown(account.display_name)}**, "
            "exactly as shown here."
        )
        if st.button("Get my certificate", key=f"{KEY}:issue", type="primary", icon=":material/workspace_premium:"):
            try:
                book.issue(certificate_request(found, account.login, account.display_name))
            except MesoError as exc:  # not eligible after all, revoked meanwhile, or the store is busy
                show_exception(exc)
                return
            st.rerun()
