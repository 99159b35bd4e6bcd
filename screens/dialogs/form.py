"""A public form dialog: labelled rows, an error line under each field, Ctrl+S saves, Esc cancels.

    class DayFormDialog(FormDialog):
        LABELS = {"date": "日期", ...}          # field key -> Chinese label
        def compose(self): ... yield from self.row("date", Input(id="date")) ...
        def action_save(self): ... self.show_errors({"date": "应为 YYYY-MM-DD"}) ...
            self.run_call("save", hall.leaders.add_day, ...)   # the result closes the dialog

Saving goes through :meth:`screens.work.HallWork.run_call` with the name ``"save"``: the result
dismisses the dialog; a form error lands under its fields, any other failure (a refusal, the
database) on the form's error line, in Chinese, and the form stays open for a retry.

The dialog needs a ``Label(id="form-error")`` for errors that belong to no shown field.
Styled by :data:`screens.dialogs.DIALOG_CSS`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from hall.desk.registration import FormError
from screens.work import Failed, HallWork

if TYPE_CHECKING:
    from screens.app import HallApp

DIALOG_CSS = Path(__file__).with_name("dialogs.tcss")
"""The shared dialog box: a bordered box in the middle of the dimmed screen, form rows, errors."""


class FormDialog(HallWork, ModalScreen[Any]):
    """Rows of labelled fields, an error line per field, Ctrl+S to save, Esc to cancel."""

    CSS_PATH = DIALOG_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="leader_form.cancel"),
        Binding("ctrl+s", "save", "保存", id="leader_form.save", priority=True),
    ]
    LABELS: ClassVar[dict[str, str]] = {}
    """Field key -> its Chinese label (rows and errors)."""
    title_text = ""

    @property
    def hall_app(self) -> HallApp:
        return cast("HallApp", self.app)

    def row(self, key: str, widget: Any) -> ComposeResult:
        with Horizontal(classes="form-row", id=f"row-{key}"):
            yield Label(self.LABELS.get(key, key), classes="form-label")
            yield widget
        yield Label(id=f"error-{key}", classes="dialog-error field-error")

    def on_mount(self) -> None:
        for label in self.query(".field-error").results(Label):
            label.display = False
        self.query_one("#form-error", Label).display = False

    def show_errors(self, errors: dict[str, str], general: str = "") -> None:
        """Errors under their fields; the others (or ``general``) on the form's error line."""
        for label in self.query(".field-error").results(Label):
            key = (label.id or "").removeprefix("error-")
            label.update(errors.get(key, ""))
            label.display = key in errors
        shown = general or "；".join(f"{self.LABELS.get(k, k)}：{v}" for k, v in errors.items()
                                     if not self.query(f"#error-{k}"))
        error = self.query_one("#form-error", Label)
        error.update(shown)
        error.display = bool(shown)

    def value(self, key: str) -> str:
        return self.query_one(f"#{key}", Input).value.strip()

    def on_input_submitted(self) -> None:
        self.focus_next()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def save_done(self, result: Any) -> None:
        self.dismiss(result)

    def save_failed(self, failure: Failed) -> None:
        if isinstance(failure.error, FormError):
            self.show_errors(failure.error.errors)
        else:
            self.show_errors({}, failure.text)

    def action_save(self) -> None:
        raise NotImplementedError  # pragma: no cover - each form saves its own way
