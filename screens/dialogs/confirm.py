"""Ask for an explicit yes on something that changes a record (F5 confirms, Esc returns).

    app.push_screen(ConfirmDialog("确认改名", "档案姓名：张三\n本次填写：张叁"), on_answer)

Enter does not confirm: an Enter typed ahead for the next screen (the ticket) must not say yes to
a question the operator has not read.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from screens.dialogs.form import DIALOG_CSS


class ConfirmDialog(ModalScreen[bool]):
    """A question, F5 for yes (True), Esc for no (False)."""

    CSS_PATH = DIALOG_CSS
    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > #confirm { border: round $warning; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "answer(True)", "确认", id="confirm.yes", priority=True),
        Binding("escape", "answer(False)", "返回", id="confirm.no"),
    ]

    def __init__(self, title: str, text: str, hint: str = "F5 确认　Esc 返回修改") -> None:
        super().__init__()
        self.title_text, self.text, self.hint = title, text, hint

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.text, id="confirm-text")
            yield Label(self.hint, classes="dialog-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
