"""Something to read and close (Enter or Esc).

    app.push_screen(NoticeDialog("已取消", "请通知以下 2 位来访人：…"))
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from screens.dialogs.form import DIALOG_CSS


class NoticeDialog(ModalScreen[None]):
    """A title, a text, Enter to close."""

    CSS_PATH = DIALOG_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "关闭", id="notice.close"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="notice", classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.text, id="notice-text")
            yield Label("Enter 关闭", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
