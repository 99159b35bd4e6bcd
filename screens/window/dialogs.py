"""Dialogs of the window screen, each a ``ModalScreen[T]`` that returns through a callback.

    self.app.push_screen(ConfirmDialog("过号", "确认 R007 过号？"), self._confirmed)

- :class:`ConfirmDialog` -> ``bool``: a destructive act asks first; Enter confirms, Esc cancels.
- :class:`CallNumberDialog` -> ``str | None``: a ticket number to call; digits alone get the
  prefix of the window's only department ("7" -> "R007").
- :class:`WindowPickDialog` -> ``int | None``: which window this terminal serves.

The finish (办结) and transfer (转办) dialogs, which carry forms, are in
:mod:`screens.window.forms`.
Every dialog shares ``dialogs.tcss``: a bordered box in the middle of a dimmed screen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from config.schema import HallConfig

_NUMBER = re.compile(r"([A-Z]{1,2})(\d{1,6})")  # R7, R007, R10000 (past 9,999 a day)


class ConfirmDialog(ModalScreen[bool]):
    """Ask before a destructive act; True when confirmed."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="confirm.cancel"),
    ]

    def __init__(self, title: str, message: str, confirm: str = "确定") -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.confirm_label = confirm

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.message, id="confirm-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.confirm_label}（Enter）", variant="error", id="confirm-yes",
                             compact=True)
                yield Button("取消（Esc）", id="confirm-no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#confirm-yes", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def action_cancel(self) -> None:
        self.dismiss(False)


def normalise_number(text: str, prefixes: Sequence[str]) -> tuple[str, str]:
    """(ticket number, "") or ("", a Chinese error) for what was typed in a call dialog.

    "r7" -> "R007"; "7" -> "R007" when the window serves one department of prefix R.
    """
    value = text.strip().upper().replace(" ", "")
    if not value:
        return "", "请输入票号"
    if value.isdigit():
        if len(prefixes) != 1:
            shown = "、".join(f"{p}{value.zfill(3)}" for p in prefixes)
            return "", f"本窗口接待多个部门，请输入带前缀的票号（如 {shown}）"
        value = prefixes[0] + value
    match = _NUMBER.fullmatch(value)
    if match is None:
        return "", f"票号“{text.strip()}”格式不对：应为字母前缀加数字，如 R007"
    prefix, digits = match.groups()
    return f"{prefix}{int(digits):03d}", ""


class CallNumberDialog(ModalScreen[str | None]):
    """Type the ticket number to call (叫指定号); returns it normalised, None when cancelled."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="call_number.cancel"),
    ]

    def __init__(self, prefixes: Sequence[str], suggested: str = "") -> None:
        super().__init__()
        self.prefixes = tuple(prefixes)
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        example = f"如 {self.prefixes[0]}007" + ("，或只输数字 7" if len(self.prefixes) == 1
                                                else "")
        with Vertical(id="call-number", classes="dialog"):
            yield Label("叫指定号", classes="dialog-title")
            yield Input(self.suggested, placeholder=example, compact=True,
                        id="call-number-input")
            yield Label(id="call-number-error", classes="dialog-error")
            yield Label("Enter 叫号　Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#call-number-error", Label).display = False
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        number, error = normalise_number(event.value, self.prefixes)
        if error:
            label = self.query_one("#call-number-error", Label)
            label.update(error)
            label.display = True
            return
        self.dismiss(number)

    def action_cancel(self) -> None:
        self.dismiss(None)


class WindowPickDialog(ModalScreen[int | None]):
    """Which window this terminal serves; the staff member's department's window first."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="window_pick.cancel"),
    ]

    def __init__(self, config: HallConfig, department: str | None = None) -> None:
        super().__init__()
        self.config = config
        self.department = department

    def compose(self) -> ComposeResult:
        options = []
        for w in self.config.windows:
            names = "、".join(d.name for code in w.departments
                             if (d := self.config.department(code)) is not None)
            options.append(Option(Text.assemble((f"{w.title:<8}", "bold"), " ", (names, "dim")),
                                  id=str(w.number)))
        with Vertical(id="window-pick", classes="dialog"):
            yield Label("本终端是哪个窗口？", classes="dialog-title")
            yield OptionList(*options, id="window-pick-list")
            yield Label("↑↓ 选择　Enter 确认　Esc 返回", classes="dialog-hint")

    def on_mount(self) -> None:
        pick = self.query_one(OptionList)
        pick.highlighted = next((i for i, w in enumerate(self.config.windows)
                                 if self.department in w.departments), 0)
        pick.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0) or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
