"""The statistics screen's one dialog: a period typed as two dates.

    self.app.push_screen(RangeDialog(current, today), self._range_chosen)   # -> Period | None

Both dates are written ``2026-11-01`` (or ``20261101``); a missing start is the first of this
month, a missing end today (:func:`hall.stats.period.range_period`). A date that does not parse,
an end before the start or a span too long is refused under its field, in Chinese, and the
dialog stays open. Enter moves to the next field, Ctrl+S (or Enter on the last field) applies,
Esc cancels.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from hall.desk.registration import FormError
from hall.stats.period import LABELS, Period, range_period
from screens.dialogs.form import FormDialog

__all__ = ["RangeDialog"]


class RangeDialog(FormDialog):
    """Ask for a period from–to; dismissed with the :class:`Period`, or None."""

    LABELS: ClassVar[dict[str, str]] = {"start": LABELS["start"], "end": LABELS["end"]}

    def __init__(self, current: Period, today: date) -> None:
        super().__init__()
        self.current = current
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="range-form", classes="dialog"):
            yield Label("统计时段（自定义起止日期）", classes="dialog-title")
            yield from self.row("start", Input(self.current.start.isoformat(), compact=True,
                                               placeholder="2026-11-01", id="start"))
            yield from self.row("end", Input(self.current.end.isoformat(), compact=True,
                                             placeholder="2026-11-30", id="end"))
            yield Label(id="form-error", classes="dialog-error")
            yield Label("Enter 下一项　Ctrl+S 确定　Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#start", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "end":
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        try:
            period = range_period(self.value("start") or None, self.value("end") or None,
                                  self.today)
        except FormError as exc:
            self.show_errors(exc.errors)
            return
        self.dismiss(period)
