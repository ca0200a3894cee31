"""Sign in, create an account, sign out (here or everywhere)."""

import streamlit as st

from course.accounts.sessions import safe_next
from course.errors import MesoError
from course.text import escape_markdown
from views.parts import state
from views.parts.notices import show_exception

CHANGED_NOTICE = "Your password is changed. You were signed out on every other browser and device."

st.title("Your account")
if st.query_params.get("auth") == "refused":
    st.warning("That sign-in link could not be used (it works once, for a minute): please sign in again.")
account = state.current_user()
reason = state.signed_out_note()
if reason and account is None:
    st.warning(reason)
# where to go after signing in: the page the learner came from (a local path only)
next_path = safe_next("/" + st.query_params.get("next", "account"))

if account is not None:
    st.success(f"You are signed in as **{escape_markdown(account.display_name)}** ({account.login}).")
    devices = len(state.sessions().live_for(account.login, account.is_tutor))
    st.caption(
        "You stay signed in on this browser until you sign out"
        + (" or stop using the course for a while." if account.is_tutor else " or do not use it for 14 days.")
        + (f" You are signed in on {devices} browsers or devices." if devices > 1 else "")
    )
    buttons = st.container(horizontal=True)
    if buttons.button("Sign out", key="account:sign-out", icon=":material/logout:"):
        state.sign_out()
        st.rerun()
    if buttons.button(
        "Sign out everywhere",
        key="account:sign-out-everywhere",
        help="Ends your sessions on every browser and device, this one included.",
    ):
        state.sign_out(everywhere=True)
        st.rerun()
    notice = st.session_state.pop("account:changed-notice", None)
    if notice is None and st.query_params.get("changed") == "password":  # back from the cookie route
        notice = CHANGED_NOTICE
        del st.query_params["changed"]
    if notice:
        st.success(notice)
    with st.expander("Change your name"), st.form("account:rename"):
        new_name = st.text_input(
            "Your name",
            value=account.display_name,
            key="account:rename-name",
            max_chars=200,
            help="As the course greets you and as certificates issued from now on print it.",
        )
        if st.form_submit_button("Save my name", key="account:rename-submit"):
            try:
                renamed = state.accounts().rename(account.login, new_name)
            except MesoError as exc:
                show_exception(exc)
            else:
                shown = escape_markdown(renamed.display_name)
                st.session_state["account:changed-notice"] = f"Your name is now **{shown}**."
                st.rerun()
    with st.expander("Change your password"), st.form("account:password", clear_on_submit=True):
        current = st.text_input("Current password", type="password", key="account:current-password", max_chars=256)
        fresh = st.text_input(
            "New password", type="password", key="account:fresh-password", max_chars=256, help="At least 8 characters."
        )
        again = st.text_input("Repeat the new password", type="password", key="account:fresh-confirm", max_chars=256)
        if st.form_submit_button("Change my password", key="account:password-submit"):
            if fresh != again:
                st.error("The two new passwords differ: please type them again.")
            else:
                try:
                    changed = state.accounts().change_password(
                        account.login, current, fresh, state.sign_in_limits(), state.client_address()
                    )
                except MesoError as exc:
                    show_exception(exc)
                else:
                    # every session of the account was revoked: this browser gets a fresh one
                    state.sign_in(changed, "/account?changed=password")
                    st.session_state["account:changed-notice"] = CHANGED_NOTICE
                    st.rerun()
    st.stop()

sign_in_tab, sign_up_tab = st.tabs(["Sign in", "Create an account"])

with sign_in_tab, st.form("account:sign-in"):
    login = st.text_input("Login", key="account:login", max_chars=64)
    password = st.text_input("Password", type="password", key="account:password", max_chars=256)
    if st.form_submit_button("Sign in", key="account:sign-in-submit", type="primary"):
        try:
            signed = state.accounts().sign_in(login, password, state.sign_in_limits(), state.client_address())
        except MesoError as exc:
            show_exception(exc)
        else:
            state.sign_in(signed, next_path)
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
                show_exception(exc)
            else:
                lowered = created.login != new_login.strip()
                state.sign_in(created, "/?welcome=" + ("new-lower" if lowered else "new"))
                note = f"Your account is ready. Sign in next time with the login **{escape_markdown(created.login)}**"
                if lowered:
                    note += " (logins are lower-case)"
                st.session_state["account:created-notice"] = note + "."
                st.switch_page("views/pages/home.py")

st.caption("Tutor accounts are created by the course administrator from the command line.")
