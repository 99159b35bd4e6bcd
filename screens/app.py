"""The hall's Textual application: who works, which role screen, where tickets are saved.

    app = HallApp(hall, staff="desk01", start="desk")   # built by main.make_app
    app.run()

Who works is the signed-in :class:`hall.accounts.Actor` (:attr:`HallApp.actor`; its login is the
reactive :attr:`HallApp.staff` the screens read): the actor of every change. Without one the app
asks first (:class:`screens.launcher.LoginScreen`: login and password; on a new database the
administrator's), and opens the start screen only once someone has signed in. ``main.make_app``
gives it the actor a valid HALL_TOKEN or HALL_STAFF + HALL_PASSWORD stands for (the unattended
board, a kiosk); ``staff=`` alone is the trusted in-process path of the tests (the account is
looked up, no password asked). A screen the actor's role may not open
(:func:`hall.accounts.permissions.may_open`) is refused in Chinese, with 换人 offered. F9 on the
launcher (and any screen that needs someone) changes hands with the other person's password.
After ``accounts.idle_lock_minutes`` without a key or mouse event a staff screen locks
(:mod:`screens.dialogs.lock`). Each role in :data:`screens.launcher.ROLES` is a Textual mode, so
switching between the launcher and a role keeps that role's screen as it was.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.reactive import reactive

from config.paths import tickets_dir
from hall.accounts.actor import find_actor
from hall.accounts.permissions import may_open
from screens.cases.watch import CaseWatch
from screens.compositor import keep_wide_characters
from screens.dialogs.lock import IdleLock
from screens.incidents.watch import IncidentWatch, incident_key_allowed, open_incident_form
from screens.keys import KeyOrder
from screens.launcher.launcher import ROLES, LauncherScreen
from screens.launcher.login import LoginScreen
from screens.palette import open_palette, screen_commands
from screens.widgets.topbar import CollectiveWatch
from screens.work import Poller

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rich.console import RenderableType
    from textual.app import SystemCommand
    from textual.screen import Screen

    from hall import Hall
    from hall.accounts import Actor


class HallApp(KeyOrder):
    """The hall in a terminal: the launcher and one mode per role."""

    TITLE = "联合接访大厅"
    # Ctrl+P: the screen's actions by name (screens.palette), the theme picker and 退出.
    ENABLE_COMMAND_PALETTE = True
    # The footers keep their room for the screen's own keys (80 columns); the launcher names ^P.
    CSS = "FooterKey.-command-palette { display: none; }"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "退出", id="app.quit", priority=True),
        # Special situations, from any staff screen (not offered on the public board).
        Binding("f12", "log_incident", "特殊情况", id="app.incident", priority=True),
        Binding("ctrl+p", "command_palette", "命令", id="app.palette", show=False, priority=True),
    ]

    staff: reactive[str | None] = reactive(None, init=False)
    """Login of who is working (:attr:`actor`'s); every change the app makes is recorded under
    it."""

    idle_clock = staticmethod(time.monotonic)
    """The idle lock's clock (tests replace it)."""

    def __init__(self, hall: Hall, staff: str | None = None, start: str = "launcher",
                 data_dir: Path | str | None = None, window: int | None = None, *,
                 actor: Actor | None = None, login: str | None = None) -> None:
        """``actor``: signed in already (a token, a password checked by ``main``); ``staff``: the
        trusted in-process path (tests): that active account, looked up; ``login``: the login
        the login dialog starts with."""
        if start != "launcher" and start not in {r.mode for r in ROLES}:
            raise ValueError(f"unknown start screen {start!r}")
        # The first screen is built by switch_mode() in on_mount, over Textual's empty default
        # screen, never as the default mode itself: on Python 3.12+ Textual runs a new screen's
        # task eagerly, so a default mode's screen composes before it is on the stack and any
        # widget touching app.screen (an Input given a value) raises ScreenStackError.
        super().__init__()
        keep_wide_characters()  # Textual issue 6357: toasts lost Chinese characters at edges
        self.hall = hall
        self.start = start
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self.window = window  # the window screen's number (`hall window N`); None: it asks
        if actor is None and staff:
            actor = find_actor(staff)  # trusted (in-process): the account, no password
        self.actor: Actor | None = actor
        """Who is signed in (None: nobody yet)."""
        self.set_reactive(HallApp.staff, actor.login if actor is not None else None)
        self.login_hint = login or (staff if actor is None else None) or ""
        self.idle_lock = IdleLock(self, hall.config.accounts.idle_lock_minutes, self.idle_clock)
        self.title = hall.config.hall.name
        # The configuration's look and keys (config/terminal.py validated both at load).
        self.theme = hall.config.terminal.theme
        self.set_keymap(dict(hall.config.terminal.keys))
        self.add_mode("launcher", LauncherScreen)
        for role in ROLES:
            self.add_mode(role.mode, role.load)
        self.incident_watch = IncidentWatch(self)
        self._quit_dialog: Screen[bool] | None = None
        self.collective_watch = CollectiveWatch(self)
        self.case_watch = CaseWatch(self)  # the managers' overdue mark

    def on_mount(self) -> None:
        self.incident_watch.start()
        self.collective_watch.start()
        self.case_watch.start()
        self.idle_lock.start()
        role = next((r for r in ROLES if r.mode == self.start), None)
        if self.actor is None and (role is None or role.needs_staff):
            # No role screen is built (nor reads) before someone has signed in.
            self.push_screen(LoginScreen(cancellable=False, login=self.login_hint),
                             lambda actor: self.signed_in(actor, open_mode=self.start))
        else:
            self.open_role(self.start)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseEvent | events.Paste):
            self.idle_lock.touch()
        await super().on_event(event)

    # -- quitting -------------------------------------------------------------------------------

    def action_quit(self) -> None:
        """Ctrl+Q: quit; when a screen holds typed work (a half-filled form), ask first.

        A screen or dialog says what it would lose through ``unsaved_work() -> str``; every mode's
        stack is asked (the desk's form survives a trip to the launcher). Ctrl+Q again confirms.
        """
        if self._quit_dialog is not None and self.screen is self._quit_dialog:
            self.exit()
            return
        stacks = getattr(self, "_screen_stacks", {}).values() or [self.screen_stack]
        lost = [text for stack in stacks for screen in stack
                if callable(ask := getattr(screen, "unsaved_work", None)) and (text := ask())]
        if not lost:
            self.exit()
            return
        from screens.window.dialogs import ConfirmDialog

        self._quit_dialog = ConfirmDialog(
            "退出", f"{'、'.join(dict.fromkeys(lost))}尚未保存，退出后将丢失。\n"
            "确认退出？（再按 Ctrl+Q 也是退出）", "退出")
        self.push_screen(self._quit_dialog, self._quit_answered)

    def _quit_answered(self, yes: bool | None) -> None:
        self._quit_dialog = None
        if yes:
            self.exit()

    def exit(self, result: None = None, return_code: int = 0,
             message: RenderableType | None = None) -> None:
        """Exit; a crash's status (Textual sets 1) is kept when a quit key or a pilot follows it."""
        super().exit(result, return_code or self.return_code or 0, message)

    # -- who works -----------------------------------------------------------------------------

    @property
    def staff_label(self) -> str:
        """「王丽（desk01）」, or 未登录."""
        return self.actor.label if self.actor is not None else "未登录"

    def action_switch_staff(self, wanted: str | None = None) -> None:
        """Hand the terminal over to someone else: their login and password (Esc keeps the
        current person); the next changes are theirs. ``wanted``: the screen to open then."""
        self.push_screen(LoginScreen(cancellable=True),
                         lambda actor: self.signed_in(actor, open_mode=wanted))

    def signed_in(self, actor: Actor | None, open_mode: str | None = None) -> None:
        """``actor`` works here from now on (None: nobody new, nothing changes); then open
        ``open_mode``, or leave a screen the new person may not use for the launcher."""
        if actor is None:
            return
        first = self.actor is None
        self.actor = actor
        self.staff = actor.login
        self.idle_lock.touch()
        if not first:
            self.notify(f"当前操作人员：{self.staff_label}", timeout=3)
        if open_mode is not None:
            self.open_role(open_mode)
        elif not self.may_open(self.current_mode):
            self.open_role(self.current_mode)

    def may_open(self, mode: str) -> bool:
        """Whether the signed-in person may open ``mode`` (the launcher: everyone)."""
        role = next((r for r in ROLES if r.mode == mode), None)
        if role is None:
            return True
        if self.actor is None:
            return not role.needs_staff
        return may_open(self.actor.role, mode)

    def open_role(self, mode: str) -> None:
        """Open ``mode`` when the signed-in person may; else the launcher, and a refusal in
        Chinese offering 换人 (Enter), after which the screen opens for the new person."""
        if self.may_open(mode):
            self.switch_mode(mode)
            return
        from screens.window.dialogs import ConfirmDialog
        title = next(r.title for r in ROLES if r.mode == mode)
        if self.current_mode != "launcher":
            self.switch_mode("launcher")
        who = f"{self.actor.role_name} {self.actor.label}" if self.actor else "未登录人员"
        self.push_screen(ConfirmDialog("无权打开", f"{who}无权打开{title}。\n"
                                       "请换用有权限的账号登录。", "换人"),
                         lambda yes: self.action_switch_staff(mode) if yes else None)

    # -- special situations ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "log_incident":  # someone signed in who may (not a kiosk's account)
            return (incident_key_allowed(self) and self.actor is not None
                    and self.actor.may("incident.log"))
        if action == "command_palette" and self.idle_lock.locked:
            return False  # locked: no way around the password but F12 and quitting
        return True

    def on_poller_changed(self, message: Poller.Changed) -> None:
        if message.poller is self.incident_watch.poller:
            self.incident_watch.apply(message.data)
        elif message.poller is self.collective_watch.poller:
            self.collective_watch.apply(message.data)
        elif message.poller is self.case_watch.poller:
            self.case_watch.apply(message.data)

    def action_log_incident(self) -> None:
        """F12: open the incident form over the current screen (see screens.incidents.watch)."""
        open_incident_form(self)

    # -- the command palette --------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        return screen_commands(self, screen)

    def action_command_palette(self) -> None:
        open_palette(self)

    # -- files ---------------------------------------------------------------------------------

    def tickets_dir(self) -> Path:
        """Where ticket images are saved: ``tickets.output_dir``, relative to the data dir."""
        return tickets_dir(self.hall.config, self.data_dir)
