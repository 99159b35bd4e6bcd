"""Choosing a password: after a one-time password, and the administrator's on a new database.

Who uses them, what they do most, and how many keys it takes:

- :class:`PasswordChangeDialog` — a member of staff signing in for the first time (or after the
  administrator reset their password) with the one-time password they were given. Once per
  account: the new password, **Enter**, the same again, **Enter**. What the policy refuses
  (``hall.accounts.passwords.policy_problem``: at least 8 characters, not the login, not
  "aaaaaaaa") and two different entries are said under the fields; both fields are cleared and
  the cursor goes back to the first. Esc gives up: the login dialog stays, nobody is signed in.
- :class:`FirstAdminDialog` — whoever installs the hall, once, on a new database where nobody can
  sign in yet (``hall.accounts.needs_admin()``): the administrator's login (``admin`` is
  proposed: **Enter** keeps it), the password, **Enter**, again, **Enter**. The administrator is
  signed in at once and gives everyone else a one-time password (``hall staff passwd LOGIN``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from hall.accounts.passwords import policy_problem
from hall.desk.registration import FormError
from screens.launcher.login import LOGIN_CSS, row
from screens.work import Failed, HallWork

if TYPE_CHECKING:
    from hall.accounts import Actor
    from screens.app import HallApp

MISMATCH = "两次输入的新密码不一致，请重新输入"


class _NewPassword(HallWork, ModalScreen["Actor | None"]):
    """A new password typed twice, checked against the policy before the hall is asked."""

    CSS_PATH = LOGIN_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="password.cancel"),
    ]
    title_text = ""
    first_label = "新密码"
    first_field = "#password-new"
    """Where the cursor starts."""

    def __init__(self, cancellable: bool = True) -> None:
        super().__init__()
        self.cancellable = cancellable
        self._busy = False

    @property
    def hall_app(self) -> HallApp:
        return cast("HallApp", self.app)

    def fields(self) -> ComposeResult:
        """Rows above the two password fields (the administrator's login)."""
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(id="password", classes="login-box"):
            yield Label(self.title_text, classes="login-title")
            yield from self.fields()
            yield from row(self.first_label, Input(password=True, compact=True,
                                                   id="password-new", max_length=256))
            yield from row("再输一遍", Input(password=True, compact=True,
                                             id="password-again", max_length=256))
            yield Label(id="password-message", classes="login-message")
            yield Label("至少 8 位，不能与登录名相同　Enter 确定"
                        + ("　Esc 取消" if self.cancellable else ""), classes="login-hint")

    def on_mount(self) -> None:  # (Textual runs every class's on_mount: no super() call)
        self.say("")
        self.query_one(self.first_field, Input).focus()

    def say(self, text: str) -> None:
        message = self.query_one("#password-message", Label)
        message.update(text)
        message.display = bool(text)

    def login(self) -> str:
        """The login whose password is set (each dialog knows it its own way)."""
        raise NotImplementedError  # pragma: no cover - abstract: both dialogs define it

    @on(Input.Submitted, "#password-new")
    def _first_given(self) -> None:
        self.query_one("#password-again", Input).focus()

    @on(Input.Submitted, "#password-again")
    def _both_given(self) -> None:
        if self._busy:
            return
        new = self.query_one("#password-new", Input).value
        again = self.query_one("#password-again", Input).value
        login = self.login()
        problem = (("请输入登录名" if not login else None) or policy_problem(new, login)
                   or (MISMATCH if new != again else None))
        if problem is not None:
            self.refuse(problem)
            return
        self._busy = True
        self.say("正在保存……")
        self.save(login, new)

    def save(self, login: str, new: str) -> None:
        """Save ``new`` for ``login`` in a worker (a one-time password's change, the first
        administrator's)."""
        raise NotImplementedError  # pragma: no cover - abstract: both dialogs define it

    def refuse(self, text: str) -> None:
        """Say ``text``, clear both password fields and start again at the first."""
        self._busy = False
        self.say(text)
        for name in ("#password-again", "#password-new"):
            self.query_one(name, Input).value = ""
        self.query_one("#password-new", Input).focus()

    def save_done(self, actor: Actor) -> None:
        self._busy = False
        self.dismiss(actor)

    def save_failed(self, failure: Failed) -> None:
        error = failure.error
        self.refuse("；".join(error.errors.values()) if isinstance(error, FormError)
                    else failure.text)

    def action_cancel(self) -> None:
        if self.cancellable:
            self.dismiss(None)


class PasswordChangeDialog(_NewPassword):
    """Replace the one-time password ``current`` of ``actor``; returns the actor (None: Esc)."""

    first_label = "新密码"

    def __init__(self, actor: Actor, current: str) -> None:
        super().__init__(cancellable=True)
        self.actor = actor
        self._current = current
        self.title_text = f"{actor.label} 首次登录：一次性密码须换成自己的新密码"

    def login(self) -> str:
        return self.actor.login

    def save(self, login: str, new: str) -> None:
        if new == self._current:
            self.refuse("新密码不能与一次性密码相同")
            return
        self.run_call("save", self.hall_app.hall.accounts.change_password, login,
                      self._current, new, exclusive=True)

    def save_done(self, actor: Actor) -> None:
        self._current = ""
        super().save_done(actor)


class FirstAdminDialog(_NewPassword):
    """The first start on a new database: the administrator's login and password; returns the
    administrator, signed in."""

    first_label = "密　码"
    first_field = "#admin-login"

    def __init__(self, cancellable: bool = False) -> None:
        super().__init__(cancellable=cancellable)
        self.title_text = "首次启动：请设置系统管理员的登录名和密码"

    def fields(self) -> ComposeResult:
        yield from row("管理员", Input("admin", compact=True, id="admin-login", max_length=32))

    @on(Input.Submitted, "#admin-login")
    def _login_given(self) -> None:
        self.query_one("#password-new", Input).focus()

    def login(self) -> str:
        return self.query_one("#admin-login", Input).value.strip()

    def save(self, login: str, new: str) -> None:
        self.run_call("save", self.hall_app.hall.accounts.init_admin, login, new, exclusive=True)
