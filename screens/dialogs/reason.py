"""Ask why (a reason that must not be empty); Enter confirms, Esc returns None.

    app.push_screen(ReasonDialog("2026-12-01 王局长"), on_reason)   # -> "临时公务" | None
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from hall.text import freetext
from screens.dialogs.form import DIALOG_CSS


class ReasonDialog(ModalScreen[str | None]):
    """Why something is done (by default: why a reception day is cancelled)."""

    CSS_PATH = DIALOG_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="reason.cancel"),
    ]

    def __init__(self, what: str, title: str = "取消接待日",
                 placeholder: str = "取消原因（将告知已预约的来访人）",
                 hint: str = "Enter 确认取消　Esc 返回", empty: str = "请填写取消原因") -> None:
        super().__init__()
        self.what = what
        self.title_text, self.placeholder, self.hint, self.empty = title, placeholder, hint, empty

    def compose(self) -> ComposeResult:
        with Vertical(id="reason", classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(Content(self.what))  # names typed in the roster: never markup
            yield Input(placeholder=self.placeholder, compact=True, id="reason-input")
            yield Label(id="reason-error", classes="dialog-error")
            yield Label(self.hint, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        errors: dict[str, str] = {}  # the facade's rule for a reason, checked before closing
        text = freetext.field(errors, "reason", event.value, freetext.REASON, lines=True,
                              required=self.empty)
        if errors:
            self.query_one("#reason-error", Label).update(errors["reason"])
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
