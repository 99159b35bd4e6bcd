"""Who is working: a dialog over the staff roster, shown at start when no ``--staff`` was given.

The chosen login becomes the actor of every change this terminal makes (the audit log records
it). Type to filter by name, login or pinyin initials ("wl" finds 王丽); Enter takes the
highlighted person. At start it cannot be skipped; when changing hands (F9) Esc keeps the
current person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from screens.widgets.cells import fit

if TYPE_CHECKING:
    from config.schema import Staff
    from screens.app import HallApp

ROLE_LABELS = {"desk": "登记分流", "window": "窗口接谈", "manager": "管理", "admin": "系统管理"}


class LoginScreen(ModalScreen[str | None]):
    """Pick who is working from the roster; returns the login (None when cancelled)."""

    CSS_PATH = "login.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="login.cancel"),
        Binding("down", "move(1)", show=False, id="login.down"),
        Binding("up", "move(-1)", show=False, id="login.up"),
    ]

    def __init__(self, cancellable: bool = True) -> None:
        super().__init__()
        self.cancellable = cancellable
        self._shown: list[Staff] = []

    def compose(self) -> ComposeResult:
        app = cast("HallApp", self.app)
        with Vertical(id="login"):
            yield Label(f"{app.hall.config.hall.name}　请选择当班人员", id="login-title")
            yield Input(placeholder="输入姓名、登录名或拼音首字母筛选", compact=True,
                        id="login-filter")
            yield OptionList(id="login-staff")
            yield Label("↑↓ 选择　Enter 确认" + ("　Esc 取消" if self.cancellable else ""),
                        id="login-hint")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#login-filter", Input).focus()

    def _fill(self, query: str) -> None:
        roster = cast("HallApp", self.app).hall.config.staff
        if query.strip():
            from hall.text.search import matches  # pypinyin is slow to load: only when filtering

            self._shown = [s for s in roster if matches(query, s.name, s.login)]
        else:
            self._shown = list(roster)
        staff = self.query_one("#login-staff", OptionList)
        staff.clear_options()
        staff.add_options([Option(Text.assemble(
            (fit(s.name, 16), "bold"), " ", (fit(s.login, 10), ""),
            (ROLE_LABELS.get(s.role, s.role), "dim"))) for s in self._shown])
        if self._shown:
            staff.highlighted = 0

    @on(Input.Changed, "#login-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#login-filter")
    def _submit(self) -> None:
        staff = self.query_one("#login-staff", OptionList)
        if staff.highlighted is not None and self._shown:
            self.dismiss(self._shown[staff.highlighted].login)

    @on(OptionList.OptionSelected, "#login-staff")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._shown[event.option_index].login)

    def action_move(self, step: int) -> None:
        staff = self.query_one("#login-staff", OptionList)
        if step > 0:
            staff.action_cursor_down()
        else:
            staff.action_cursor_up()

    def action_cancel(self) -> None:
        if self.cancellable:
            self.dismiss(None)
