"""Home: what the course is, where to continue, and the course outline with each lesson's steps."""

import streamlit as st

from course.accounts.progress import completion_ratio
from course.analytics.outline import Outline, Step, learner_outline
from course.brand import BANNER_ALT, banner_svg
from course.content.lessons import DISCLAIMER
from course.metadata import FINAL_EXAM
from course.store.tables import ATTEMPTS
from course.text import escape_markdown
from views.parts import state
from views.parts.quiz_widgets import quiz_catalog
from views.parts.review import due_link

QUIZZES_PAGE = "views/pages/quizzes.py"


def continue_box(outline: Outline, pages: dict) -> None:
    """The one next step: read the next lesson, pass its quiz, or take the final exam."""
    with st.container(border=True):
        nxt = outline.next_lesson
        if nxt is None:
            st.markdown("**You have read every lesson and passed every lesson quiz.** Next: the final exam.")
            st.page_link(
                QUIZZES_PAGE,
                label="Take the final exam",
                icon=":material/workspace_premium:",
                query_params={"quiz": FINAL_EXAM},
            )
            return
        lesson = f"lesson {nxt.number}, *{escape_markdown(nxt.title)}*"
        if nxt.next_step is Step.READ:
            st.markdown(f"**Continue where you left off:** read {lesson} (about {nxt.minutes} min).")
            if nxt.lesson_id in pages:
                st.page_link(pages[nxt.lesson_id], label=f"Open lesson {nxt.number}", icon=":material/menu_book:")
        else:
            st.markdown(f"**Continue where you left off:** you have read {lesson}; check yourself with its quiz.")
            st.page_link(
                QUIZZES_PAGE,
                label=f"Take the quiz for lesson {nxt.number}",
                icon=":material/quiz:",
                query_params={"quiz": nxt.quiz or ""},
            )


st.image(banner_svg(), width="stretch", alt=BANNER_ALT)
st.title("Meso Academy")
st.markdown(
    "An interactive course on **mesotherapy** in aesthetic medicine: micro-injections into the "
    "skin, and above all into the dermis. Read the lessons in order, place a virtual needle in the "
    "simulator, and check yourself with the quizzes."
)
st.info(DISCLAIMER, icon=":material/school:")

account = state.current_user()
catalog = state.catalog()
done = state.lesson_progress().completed(account.login) if account else frozenset()
ids = [lesson.id for lesson in catalog.lessons]
outline = learner_outline(
    catalog.lessons, quiz_catalog(), done, state.store().read(ATTEMPTS).frame, account.login if account else None
)
pages = st.session_state.get("_lesson_pages", {})
if account:
    notice = st.session_state.pop("account:created-notice", None)
    welcome = st.query_params.get("welcome")
    if notice is None and welcome in ("new", "new-lower"):  # back from the cookie route after sign-up
        lowered = " (logins are lower-case)" if welcome == "new-lower" else ""
        login = escape_markdown(account.login)
        notice = f"Your account is ready. Sign in next time with the login **{login}**{lowered}."
    if notice:
        st.success(notice, icon=":material/check:")
    greeting = "Welcome back" if done else "Welcome"  # a new account has nothing to come back to
    st.subheader(f"{greeting}, {escape_markdown(account.display_name)}")
    steps, total = outline.steps_done
    st.progress(
        completion_ratio(done, ids),
        text=f"{len(done & set(ids))} of {len(ids)} lessons read · {steps} of {total} steps done "
        "(read each lesson, then pass its quiz)",
    )
    continue_box(outline, pages)
    due_link(account.login)
else:
    st.page_link(
        "views/pages/account.py",
        label="Sign in or create a free account to track your progress",
        icon=":material/login:",
    )

st.subheader("Course outline")
ICONS = {
    Step.DONE: ":material/check_circle:",
    Step.QUIZ: ":material/quiz:",
    Step.READ: ":material/radio_button_unchecked:",
}
for lesson, status in zip(catalog.lessons, outline.lessons, strict=True):
    label = f"{status.number}. {lesson.title} · {lesson.meta.duration_min} min"
    # a passed quiz on a lesson not yet marked read is half done, not "not started"
    half = status.next_step is Step.READ and status.quiz_passed
    st.page_link(
        pages[lesson.id], label=label, icon=":material/incomplete_circle:" if half else ICONS[status.next_step]
    )
    summary = f"{lesson.meta.summary} " if lesson.meta.summary else ""
    st.caption(f"{summary}**{status.status.capitalize()}**" if account else lesson.meta.summary or "")
if catalog.broken:
    names = ", ".join(path.name for path in catalog.broken)
    st.warning(f"Some lesson files need fixing and are not shown here: {names}.", icon=":material/error:")
