"""Signing in: the login dialog, and the password dialog every sign-in screen shares.

Who uses it, what they do most, and how many keys it takes:

- Every member of staff, at the start of a shift and when taking over a terminal (F9 换人 on
  the launcher): type the login, **Enter**, the password, **Enter**. Started with ``--staff`` /
  HALL_STAFF the login is already there and the cursor waits in the password field: the password
  and one **Enter**. Nothing else is asked; a wrong password, a locked or disabled account says so
  in Chinese inside the dialog, the password is cleared and the cursor is back in its field, so
  the next try is the password and **Enter** again.
- An account given a one-time password by the administrator: after it, the new password twice
  (:class:`screens.launcher.password.PasswordChangeDialog`: new, **Enter**, repeat, **Enter**);
  the policy's message (at least 8 characters, not the login…) shows under the fields.
- The administrator, once, on a new database (nobody can sign in yet): the dialog asks for the
  administrator's login and password twice instead
  (:class:`screens.launcher.password.FirstAdminDialog`) and signs them in.

At start the dialog cannot be skipped (Esc does nothing); when changing hands Esc keeps the
current person. The password is checked by the hall (``hall.accounts.sign_in``) in a thread
worker; it is kept in the dialog only until then (or until a one-time password is replaced) and
never shown, logged or written. The idle lock (:class:`screens.dialogs.lock.LockScreen`) is the
same dialog with the login fixed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from screens.work import Failed, HallWork

if TYPE_CHECKING:
    from hall.accounts import Actor
    from screens.app import HallApp

LOGIN_CSS = Path(__file__).with_name("login.tcss")
"""The sign-in dialogs' look (shared by the lock in screens/dialogs)."""


def row(label: str, field: Input) -> ComposeResult:
    """One labelled field of a sign-in dialog."""
    with Horizontal(classes="login-row"):
        yield Label(label, classes="login-label")
        yield field


class PasswordDialog(HallWork, ModalScreen["Actor | None"]):
    """A login and a password, checked by ``hall.accounts.sign_in``; returns the signed-in
    :class:`~hall.accounts.Actor` (None when cancelled). A one-time password is replaced before
    the dialog closes."""

    CSS_PATH = LOGIN_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="login.cancel"),
    ]

    def __init__(self, title: str, login: str = "", *, fixed: bool = False,
                 cancellable: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.login = login
        self.fixed = fixed  # the login cannot be changed (the idle lock)
        self.cancellable = cancellable
        self._password = ""  # kept only while a one-time password is being replaced
        self._busy = False

    @property
    def hall_app(self) -> HallApp:
        return cast("HallApp", self.app)

    def hint(self) -> str:
        return "Enter 登录" + ("　Esc 取消" if self.cancellable else "")

    def compose(self) -> ComposeResult:
        with Vertical(id="login", classes="login-box"):
            yield Label(self.title_text, id="login-title", classes="login-title")
            yield from row("登录名", Input(self.login, compact=True, id="login-name",
                                           disabled=self.fixed, max_length=32))
            yield from row("密　码", Input(password=True, compact=True, id="login-password",
                                           max_length=256))
            yield Label(id="login-message", classes="login-message")
            yield Label(self.hint(), id="login-hint", classes="login-hint")

    def on_mount(self) -> None:  # (Textual runs every class's on_mount: no super() call)
        self.say("")
        field = "#login-password" if self.login else "#login-name"
        self.query_one(field, Input).focus()

    def say(self, text: str) -> None:
        """A message under the fields (empty: none)."""
        message = self.query_one("#login-message", Label)
        message.update(text)
        message.display = bool(text)

    @on(Input.Submitted, "#login-name")
    def _name_given(self) -> None:
        if self.query_one("#login-name", Input).value.strip():
            self.query_one("#login-password", Input).focus()
        else:
            self.say("请输入登录名")

    @on(Input.Submitted, "#login-password")
    def _password_given(self) -> None:
        if self._busy:
            return
        login = self.query_one("#login-name", Input).value.strip()
        password = self.query_one("#login-password", Input).value
        if not login:
            self.say("请输入登录名")
            self.query_one("#login-name", Input).focus()
            return
        if not password:
            self.say("请输入密码")
            return
        self._busy = True
        self._password = password
        self.say("正在验证……")
        self.run_call("sign_in", self.hall_app.hall.accounts.sign_in, login, password,
                      exclusive=True)

    def sign_in_done(self, actor: Actor) -> None:
        self._busy = False
        if actor.must_change:
            from screens.launcher.password import PasswordChangeDialog

            self.say("")
            self.app.push_screen(PasswordChangeDialog(actor, self._password), self._changed)
            return
        self._forget_password()
        self.dismiss(actor)

    def sign_in_failed(self, failure: Failed) -> None:
        self._busy = False
        self._forget_password()
        self.say(failure.text)

    def _changed(self, actor: Actor | None) -> None:
        self._forget_password()
        if actor is None:
            self.say("一次性密码须先改为自己的新密码，才能继续")
        else:
            self.dismiss(actor)

    def _forget_password(self) -> None:
        self._password = ""
        field = self.query_one("#login-password", Input)
        field.value = ""
        field.focus()

    def action_cancel(self) -> None:
        if self.cancellable:
            self.dismiss(None)


class LoginScreen(PasswordDialog):
    """Who is working: login and password; returns the signed-in actor (None when cancelled).

    ``login`` fills the login (``--staff`` / HALL_STAFF, or the person asked for); at start
    (``cancellable=False``) a new database first asks for the administrator."""

    def __init__(self, cancellable: bool = True, login: str = "",
                 title: str = "") -> None:
        super().__init__(title, login, cancellable=cancellable)

    def compose(self) -> ComposeResult:
        self.title_text = self.title_text or f"{self.hall_app.hall.config.hall.name}　请登录"
        yield from super().compose()

    def on_mount(self) -> None:  # PasswordDialog.on_mount runs too (Textual runs both)
        self.run_call("needs_admin", self.hall_app.hall.accounts.needs_admin)

    def needs_admin_done(self, needed: bool) -> None:
        if needed:
            from screens.launcher.password import FirstAdminDialog

            self.app.push_screen(FirstAdminDialog(cancellable=self.cancellable),
                                 self._admin_ready)

    def needs_admin_failed(self, failure: Failed) -> None:
        self.say(failure.text)

    def _admin_ready(self, actor: Actor | None) -> None:
        if actor is not None:
            self.dismiss(actor)
