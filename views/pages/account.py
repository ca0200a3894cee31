"""Sign in, create an account, sign out."""

import streamlit as st

from course.errors import MesoError
from course.text import escape_markdown
from views.parts import state

st.title("Your account")
reason = st.session_state.pop("signed_out_reason", None)
if reason:
    st.warning(reason)
account = state.current_user()

if account is not None:
    st.success(f"You are signed in as **{escape_markdown(account.display_name)}** ({account.login}).")
    if st.button("Sign out", key="account:sign-out"):
        state.sign_out()
        st.rerun()
    st.stop()

sign_in_tab, sign_up_tab = st.tabs(["Sign in", "Create an account"])

with sign_in_tab, st.form("account:sign-in"):
    login = st.text_input("Login", key="account:login", max_chars=64)
    password = st.text_input("Password", type="password", key="account:password", max_chars=256)
    if st.form_submit_button("Sign in", key="account:sign-in-submit", type="primary"):
        try:
            signed = state.accounts().sign_in(login, password, state.login_throttle())
        except MesoError as exc:
            st.error(str(exc))
        else:
            state.sign_in(signed)
            st.rerun()

with sign_up_tab, st.form("account:sign-up"):
    name = st.text_input("Your name", key="account:new-name", max_chars=200)
    new_login = st.text_input(
        "Choose a login",
        key="account:new-login",
        max_chars=64,
        help="3 to 32 characters: lowercase letters, digits, '.', '_' or '-'.",
    )
    new_password = st.text_input(
        "Choose a password", type="password", key="account:new-password", max_chars=256, help="At least 8 characters."
    )
    confirm = st.text_input("Repeat the password", type="password", key="account:confirm", max_chars=256)
    if st.form_submit_button("Create my account", key="account:sign-up-submit", type="primary"):
        if new_password != confirm:
            st.error("The two passwords differ: please type them again.")
        else:
            try:
                created = state.accounts().create(new_login, name, new_password)
            except MesoError as exc:
                st.error(str(exc))
            else:
                state.sign_in(created)
                note = f"Your account is ready. Sign in next time with the login **{escape_markdown(created.login)}**"
                if created.login != new_login.strip():
                    note += " (logins are lower-case)"
                st.session_state["account:created-notice"] = note + "."
                st.switch_page("views/pages/home.py")

st.caption("Tutor accounts are created by the course administrator from the command line.")
