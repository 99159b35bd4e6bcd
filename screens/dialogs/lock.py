"""The idle lock: a staff terminal left alone covers itself and asks for the password again.

Who uses it, what they do most, and how many keys it takes:

- Desk and window staff coming back to their terminal after ``accounts.idle_lock_minutes``
  (configuration, 10 by default) without touching keyboard or mouse: the screen is hidden behind
  :class:`LockScreen`, their login shown, the cursor in the password field: the password and
  **Enter**; they are back where they were (a half-filled desk form, a dialog, the window's
  visitor: the screen stays underneath, untouched). A wrong password says so and clears the
  field; five in a row lock the account (``accounts.lock_after``).
- A colleague taking over a locked terminal: **F9**, then their own login and password; the next
  changes are theirs (the screen underneath stays as it was).
- Anyone, in an emergency: **F12** logs a special situation for the signed-in person without
  unlocking (Ctrl+Q quits, asking first when work would be lost, as everywhere).

The board and a self-service kiosk (roles ``board`` and ``kiosk``, and the board screen whoever
opened it) never lock: nobody sits at them. :class:`IdleLock` is the app's timer: every
:attr:`IdleLock.check_seconds` it compares the time of the last key or mouse event with the limit,
on the clock it was given (``HallApp.idle_clock``; tests move it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widgets import Input

from screens.launcher.login import PasswordDialog

if TYPE_CHECKING:
    from hall.accounts import Actor
    from screens.app import HallApp

UNATTENDED_ROLES = frozenset({"board", "kiosk"})
"""Roles of terminals nobody sits at: they never lock."""
UNATTENDED_MODES = frozenset({"board"})
"""Screens shown to the public: they never lock, whoever opened them."""


class LockScreen(PasswordDialog):
    """The signed-in person's password again; returns the actor who unlocked (another one after
    F9 换人), never None: it cannot be dismissed otherwise."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f9", "switch", "换人", id="lock.switch"),
    ]

    def __init__(self, actor: Actor) -> None:
        super().__init__(f"屏幕已锁定　{actor.label}，请输入密码解锁", actor.login,
                         fixed=True, cancellable=False)

    def hint(self) -> str:
        return "Enter 解锁　F9 换人　F12 特殊情况"

    def action_switch(self) -> None:
        """F9: someone else signs in here (their login, their password)."""
        name = self.query_one("#login-name", Input)
        name.disabled = False
        name.value = ""
        self.query_one("#login-password", Input).value = ""
        self.say("换人：请输入接班人员的登录名和密码")
        name.focus()


class IdleLock:
    """Lock ``app`` after ``minutes`` without a key or mouse event (see the module docstring)."""

    check_seconds: float = 5.0
    """How often the timer looks (tests shorten it)."""

    def __init__(self, app: HallApp, minutes: int, clock: Callable[[], float]) -> None:
        self.app = app
        self.seconds = minutes * 60.0
        self.clock = clock
        self.last = clock()
        self.screen: LockScreen | None = None
        self._timer: Timer | None = None

    @property
    def locked(self) -> bool:
        return self.screen is not None

    def start(self) -> None:
        if self._timer is None:
            self._timer = self.app.set_interval(self.check_seconds, self.check)

    def touch(self) -> None:
        """A key or a mouse event: the terminal is in use."""
        self.last = self.clock()

    def due(self) -> bool:
        """Whether the terminal has been left alone long enough to lock, and may lock."""
        app = self.app
        if not app.is_running:  # shutting down: the timer may fire once more with no screen left
            return False
        actor = app.actor
        if self.locked or actor is None or actor.role in UNATTENDED_ROLES:
            return False
        if app.current_mode in UNATTENDED_MODES or isinstance(app.screen, PasswordDialog):
            return False
        return self.clock() - self.last >= self.seconds

    def check(self) -> None:
        if self.due():
            self.lock()

    def lock(self) -> None:
        """Cover the screen; it comes back as it was once the password is given."""
        actor = self.app.actor
        if actor is None or self.locked:
            return
        self.screen = LockScreen(actor)
        self.app.push_screen(self.screen, self._unlocked)

    def _unlocked(self, actor: Actor | None) -> None:
        self.screen = None
        self.touch()
        if actor is not None and actor.login != self.app.staff:
            self.app.signed_in(actor)
