"""Home: what the course is, the lesson list with ticks, and where to start."""

import streamlit as st

from course.accounts.progress import completion_ratio
from course.content.lessons import DISCLAIMER
from course.text import escape_markdown
from views.parts import state

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
    st.progress(completion_ratio(done, ids), text=f"{len(done & set(ids))} of {len(ids)} lessons completed")
else:
    st.page_link(
        "views/pages/account.py",
        label="Sign in or create a free account to track your progress",
        icon=":material/login:",
    )

st.subheader("Lessons")
pages = st.session_state.get("_lesson_pages", {})
for number, lesson in enumerate(catalog.lessons, 1):
    tick = ":material/check_circle:" if lesson.id in done else ":material/radio_button_unchecked:"
    st.page_link(pages[lesson.id], label=f"{number}. {lesson.title} · {lesson.meta.duration_min} min", icon=tick)
    if lesson.meta.summary:
        st.caption(lesson.meta.summary)
if catalog.broken:
    names = ", ".join(path.name for path in catalog.broken)
    st.warning(f"Some lesson files need fixing and are not shown here: {names}.", icon=":material/error:")
