"""The reception-day form, and the words of a cancellation.

- :class:`DayFormDialog` -> the added or edited day: leader, date, time, capacity, room, topic,
  walk-ins; Ctrl+S saves, errors appear under their fields in Chinese.
- :func:`cancel_notice` -> what a cancellation tells the manager (shown in a
  :class:`screens.dialogs.NoticeDialog`; the reason from :class:`screens.dialogs.ReasonDialog`).

The rule dialogs are in :mod:`screens.leaders.rules`, the roster's in :mod:`screens.leaders.roster`;
the desk's booking and check-in dialog is :class:`screens.dialogs.BookingDialog`. Every form is a
:class:`LeaderForm`: the shared :class:`screens.dialogs.FormDialog` with the leaders' labels.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select

from hall.leaders.roster import ROSTER_LABELS
from hall.leaders.views import CancelResult, LeaderDayView, LeaderInfo
from screens.dialogs.form import FormDialog

if TYPE_CHECKING:
    pass

FIELD_LABELS = {"leader": "接待人", "date": "日期", "start": "开始", "end": "结束",
                 "capacity": "名额", "room": "地点", "topic": "主题", "every": "频率",
                 "days": "日期", "weekday": "星期", "quarter_month": "季度第几月",
                 **ROSTER_LABELS}


class LeaderForm(FormDialog):
    """A reception-day form: the shared form dialog with the leaders' field labels."""

    LABELS = FIELD_LABELS


class DayFormDialog(LeaderForm):
    """Add a one-off reception day, or edit a coming one (``day`` given); ``leaders``: the
    roster the screen loaded (``Hall.leaders``)."""

    def __init__(self, on: date, day: LeaderDayView | None = None,
                 leaders: tuple[LeaderInfo, ...] = ()) -> None:
        super().__init__()
        self.on = on
        self.day = day
        self.leaders = leaders

    def compose(self) -> ComposeResult:
        d = self.day
        leaders = [(x.label, x.code) for x in self.leaders]
        if d is not None and d.leader not in {code for _, code in leaders}:
            leaders.append((d.leader_label, d.leader))  # a retired leader's coming day
        with VerticalScroll(id="day-form", classes="dialog"):
            yield Label("修改接待日" if d else "新增接待日", classes="dialog-title")
            yield from self.row("leader", Select(leaders, value=d.leader if d else leaders[0][1],
                                                 allow_blank=False, compact=True, id="leader",
                                                 disabled=d is not None))
            yield from self.row("date", Input(d.date if d else self.on.isoformat(),
                                              placeholder="YYYY-MM-DD", compact=True, id="date",
                                              disabled=d is not None))
            yield from self.row("start", Input(d.start if d else "09:00", compact=True,
                                               id="start"))
            yield from self.row("end", Input(d.end if d else "11:30", compact=True, id="end"))
            yield from self.row("capacity", Input(str(d.capacity) if d else "10", compact=True,
                                                  id="capacity", type="integer"))
            yield from self.row("room", Input(d.room if d else "", placeholder="默认：接访室",
                                              compact=True, id="room"))
            yield from self.row("topic", Input(d.topic if d else "", placeholder="可不填",
                                               compact=True, id="topic"))
            yield Checkbox("接受现场排队（未预约者在预约者之后）", d.walk_ins if d else False,
                           id="walk_ins", compact=True)
            yield Label(id="form-error", classes="dialog-error")
            yield Label("Enter 下一项　Ctrl+S 保存　Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#start" if self.day else "#leader").focus()

    def action_save(self) -> None:
        errors: dict[str, str] = {}
        try:
            on = date.fromisoformat(self.value("date"))
        except ValueError:
            errors["date"] = "应为 YYYY-MM-DD，如 2026-12-01"
            on = self.on
        text = self.value("capacity")
        capacity = int(text) if text.lstrip("-").isdigit() else -1
        if capacity < 0:
            errors["capacity"] = "应为整数"
        if errors:
            self.show_errors(errors)
            return
        leader = str(self.query_one("#leader", Select).value)
        walk_ins = self.query_one("#walk_ins", Checkbox).value
        self._save(leader, on, capacity, walk_ins)

    def _save(self, leader: str, on: date, capacity: int, walk_ins: bool) -> None:
        hall, actor = self.hall_app.hall, self.hall_app.staff or ""
        if self.day is None:
            self.run_call("save", hall.leaders.add_day, leader, on, self.value("start"),
                          self.value("end"), capacity, actor, room=self.value("room"),
                          topic=self.value("topic"), walk_ins=walk_ins, exclusive=True)
        else:
            self.run_call("save", hall.leaders.edit_day, self.day.id, actor,
                          start=self.value("start"), end=self.value("end"), capacity=capacity,
                          room=self.value("room"), topic=self.value("topic"), walk_ins=walk_ins,
                          exclusive=True)


def cancel_notice(result: CancelResult, reason: str) -> str:
    """What a cancellation tells the manager: the day, then whom to call (names and phones)."""
    lines = [f"{result.day.date} {result.day.leader_label} 已取消：{reason}", ""]
    if result.notify:
        lines.append(f"请通知以下 {len(result.notify)} 位来访人：")
        lines += [f"  {n.name}  {n.phone or '（无电话）'}  "
                  f"{'预约' if n.status == 'booked' else '候补'}（预约 {n.booking_id}）"
                  for n in result.notify]
    else:
        lines.append("没有需要通知的来访人。")
    return "\n".join(lines)


