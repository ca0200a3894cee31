"""AppTest of sign-up, sign-in, throttling and sign-out on the Account page."""

from __future__ import annotations

from pathlib import Path

from course.accounts.accounts import Accounts
from course.store.csvstore import Store
from course.store.tables import USERS


def open_account(app_test):
    at = app_test().run()
    return at.switch_page("views/pages/account.py").run()


def fill_sign_up(at, name: str, login: str, password: str, confirm: str | None = None):
    at.text_input(key="account:new-name").input(name)
    at.text_input(key="account:new-login").input(login)
    at.text_input(key="account:new-password").input(password)
    at.text_input(key="account:confirm").input(confirm if confirm is not None else password)
    return at.form_submit_button(key="account:sign-up-submit").click().run()


def test_sign_up_signs_in_and_stores_hashed_account(app_test, data_dir: Path) -> None:
    at = fill_sign_up(open_account(app_test), "Ada Lovelace", "ada", "password123")
    assert not at.exception
    assert at.session_state["user"] == "ada"
    # sign-up ends on Home, greeting a new learner (not "welcome back") and naming the login
    assert at.success[0].value == "Your account is ready. Sign in next time with the login **ada**."
    assert [h.value for h in at.subheader][:1] == ["Welcome, Ada Lovelace"]
    assert Accounts(Store(data_dir)).get("ada").display_name == "Ada Lovelace"


def test_a_login_typed_with_capitals_is_stored_lower_case_and_the_learner_is_told(app_test) -> None:
    at = fill_sign_up(open_account(app_test), "Lena", "Lena2", "password123")
    assert at.session_state["user"] == "lena2"
    assert at.success[0].value == (
        "Your account is ready. Sign in next time with the login **lena2** (logins are lower-case)."
    )


def test_bad_sign_ups_show_clear_messages(app_test, make_account) -> None:
    make_account("taken")
    cases = [
        (("Ada", "taken", "password123"), "already taken"),
        (("", "newbie", "password123"), "enter your name"),
        (("x" * 61, "newbie", "password123"), "too long"),
        (("Ada", "newbie", "short"), "too short"),
    ]
    for (name, login, password), message in cases:
        at = fill_sign_up(open_account(app_test), name, login, password)
        assert any(message in e.value for e in at.error), (message, [e.value for e in at.error])
        assert "user" not in at.session_state
    at = fill_sign_up(open_account(app_test), "Ada", "newbie", "password123", "password321")
    assert "differ" in at.error[0].value


def sign_in(at, login: str, password: str):
    at.text_input(key="account:login").input(login)
    at.text_input(key="account:password").input(password)
    return at.form_submit_button(key="account:sign-in-submit").click().run()


def test_sign_in_wrong_password_then_right(app_test, make_account) -> None:
    make_account("bob", "password123")
    at = sign_in(open_account(app_test), "bob", "wrong-password")
    assert at.error[0].value == "Wrong login or password."
    at = sign_in(at, "bob", "password123")
    assert at.session_state["user"] == "bob"
    at.button(key="account:sign-out").click().run()
    assert "user" not in at.session_state


def test_repeated_failures_are_slowed_down(app_test, make_account) -> None:
    make_account("carol", "password123")
    at = open_account(app_test)
    for _ in range(3):
        at = sign_in(at, "carol", "nope-nope")
    at = sign_in(at, "carol", "password123")
    assert "Too many failed attempts" in at.error[0].value
    assert "user" not in at.session_state


def test_a_name_with_markdown_is_shown_literally(app_test) -> None:
    at = fill_sign_up(open_account(app_test), "**Bold** ![x](http://evil/p.png)", "marky", "password123")
    assert r"\*\*Bold\*\* \!\[x\]\(http\:\/\/evil\/p\.png\)" in at.subheader[0].value
    assert any(r"\*\*Bold\*\*" in c.value for c in at.sidebar.caption)


def test_sign_in_starts_a_server_session_and_sign_out_revokes_it(app_test, make_account, data_dir: Path) -> None:
    from course.accounts.sessions import Sessions

    make_account("dora", "password123")
    at = sign_in(open_account(app_test), "dora", "password123")
    session_id = at.session_state["auth:session"]
    sessions = Sessions(Store(data_dir))
    assert sessions.by_id(session_id).login == "dora" and sessions.by_id(session_id).revoked is None
    # the browser is sent to the cookie route with a one-time code only (never the token)
    scripts = [e.proto.body for e in at.get("html") if "<script" in e.proto.body]  # not the frame's stylesheet
    assert len(scripts) == 1 and "/auth/session?code=" in scripts[0]
    assert at.button(key="account:sign-out-everywhere")
    at.button(key="account:sign-out").click().run()
    assert sessions.by_id(session_id).revoked == "signed out"
    assert "user" not in at.session_state and "auth:session" not in at.session_state
    assert any("/auth/signed-out?code=" in e.proto.body for e in at.get("html"))


def test_a_session_revoked_elsewhere_signs_this_tab_out_with_a_note(app_test, make_account, data_dir: Path) -> None:
    from course.accounts.sessions import Sessions

    make_account("eve", "password123")
    at = sign_in(open_account(app_test), "eve", "password123")
    Sessions(Store(data_dir)).revoke_all("eve", "signed out everywhere")
    at.run()
    assert "user" not in at.session_state
    assert any("You were signed out" in w.value for w in at.warning)


def test_a_learner_changes_their_name_and_password(app_test, make_account, data_dir: Path) -> None:
    from course.accounts.sessions import Sessions

    make_account("finn", "password123")
    at = sign_in(open_account(app_test), "finn", "password123")
    other = Sessions(Store(data_dir)).create("finn")[1].session_id  # signed in on a second device

    at.text_input(key="account:rename-name").input("Finn *Bold* Mac")
    at.form_submit_button(key="account:rename-submit").click().run()
    assert not at.exception
    assert Accounts(Store(data_dir)).get("finn").display_name == "Finn *Bold* Mac"
    assert at.success[0].value.startswith("You are signed in as **Finn \\*Bold\\* Mac**")  # shown literally

    # a wrong current password is refused and counted like a failed sign-in
    at.text_input(key="account:current-password").input("not-it-at-all")
    at.text_input(key="account:fresh-password").input("new-password-1")
    at.text_input(key="account:fresh-confirm").input("new-password-1")
    at.form_submit_button(key="account:password-submit").click().run()
    assert [e.value for e in at.error] == ["That is not your current password."]
    assert Accounts(Store(data_dir)).authenticate("finn", "password123")

    at.text_input(key="account:current-password").input("password123")
    at.text_input(key="account:fresh-password").input("new-password-1")
    at.text_input(key="account:fresh-confirm").input("new-password-2")
    at.form_submit_button(key="account:password-submit").click().run()
    assert [e.value for e in at.error] == ["The two new passwords differ: please type them again."]

    old_session = at.session_state["auth:session"]
    at.text_input(key="account:current-password").input("password123")
    at.text_input(key="account:fresh-password").input("new-password-1")
    at.text_input(key="account:fresh-confirm").input("new-password-1")
    at.form_submit_button(key="account:password-submit").click().run()
    assert not at.exception and not at.error
    accounts = Accounts(Store(data_dir))
    assert accounts.authenticate("finn", "new-password-1").display_name == "Finn *Bold* Mac"
    sessions = Sessions(Store(data_dir))
    assert sessions.by_id(other).revoked == "password changed"  # the other device is signed out
    assert sessions.by_id(old_session).revoked == "password changed"
    fresh = at.session_state["auth:session"]
    assert fresh != old_session and sessions.by_id(fresh).revoked is None  # this browser stays signed in
    assert at.session_state["user"] == "finn"
    assert any("Your password is changed" in s.value for s in at.success)
    history = Store(data_dir).read(USERS).frame
    assert list(history.loc[history["login"] == "finn", "event"]) == ["created", "renamed", "password-change"]
