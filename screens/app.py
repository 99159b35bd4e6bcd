"""The hall's Textual application: who works, which role screen, where tickets are saved.

    app = HallApp(hall, staff="desk01", start="desk")   # built by main.make_app
    app.run()

Without ``staff`` the app asks who is working (:class:`screens.launcher.LoginScreen`) before
anything can change: the login is the actor of every change. Each role in
:data:`screens.launcher.ROLES` is a Textual mode, so switching between the launcher and a role
keeps that role's screen as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.reactive import reactive

from config.paths import tickets_dir
from screens.compositor import keep_wide_characters
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
    """Login of who is working; every change the app makes is recorded under it."""

    def __init__(self, hall: Hall, staff: str | None = None, start: str = "launcher",
                 data_dir: Path | str | None = None, window: int | None = None) -> None:
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
        self.set_reactive(HallApp.staff, staff)
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

    def on_mount(self) -> None:
        self.incident_watch.start()
        self.collective_watch.start()
        self.switch_mode(self.start)
        role = next((r for r in ROLES if r.mode == self.start), None)
        if self.staff is None and (role is None or role.needs_staff):
            self.push_screen(LoginScreen(cancellable=False), self._logged_in)

    # -- quitting -------------------------------------------------------------------------------

    def action_quit(self) -> None:
        """Ctrl+Q: quit; when a screen holds typed work (a half-filled form), ask first.

        A screen or dialog says what it would lose through ``unsaved_work() -> str``; every mode's
        stack is asked (the desk's form survives a trip to the launcher). Ctrl+Q again confirms.
        """
        from screens.window.dialogs import ConfirmDialog

        if self._quit_dialog is not None and self.screen is self._quit_dialog:
            self.exit()
            return
        stacks = getattr(self, "_screen_stacks", {}).values() or [self.screen_stack]
        lost = [text for stack in stacks for screen in stack
                if callable(ask := getattr(screen, "unsaved_work", None)) and (text := ask())]
        if not lost:
            self.exit()
            return
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
        if not self.staff:
            return "未登录"
        member = self.hall.config.staff_member(self.staff)
        return f"{member.name}（{self.staff}）" if member else self.staff

    def action_switch_staff(self) -> None:
        """Hand the terminal over to someone else (the next changes are theirs)."""
        self.push_screen(LoginScreen(cancellable=True), self._logged_in)

    def _logged_in(self, login: str | None) -> None:
        if login:
            self.staff = login
            self.notify(f"当前操作人员：{self.staff_label}", timeout=3)

    # -- special situations ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "log_incident":
            return incident_key_allowed(self)
        return True

    def on_poller_changed(self, message: Poller.Changed) -> None:
        if message.poller is self.incident_watch.poller:
            self.incident_watch.apply(message.data)
        elif message.poller is self.collective_watch.poller:
            self.collective_watch.apply(message.data)

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
