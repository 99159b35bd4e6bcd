"""Dialogs of the reception-day screens, each a ``ModalScreen`` that calls one facade method.

- :class:`DayFormDialog` -> the added or edited day: leader, date, time, capacity, room, topic,
  walk-ins; Ctrl+S saves, errors appear under their fields in Chinese.
- :class:`RuleFormDialog` -> the added rule (每月/每周/每季度).
- :class:`RuleListDialog` -> whether the rules changed: the rules in force, N adds, D retires.
- :class:`ReasonDialog` -> the reason a day is cancelled.
- :class:`NoticeDialog` -> a result to read (whom to notify after a cancellation).

The desk's booking and check-in dialog is :class:`screens.booking_dialog.BookingDialog`.
Every dialog shares ``leader_dialogs.tcss``.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, cast

from pydantic import ValidationError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Select, Static

from config.leaders import EVERY, ScheduleRule
from hall.errors import NotFound, Refused
from hall.leader_views import LeaderDayView, RuleView
from hall.registration import FormError

if TYPE_CHECKING:
    from screens.app import HallApp

_FIELD_LABELS = {"leader": "接待人", "date": "日期", "start": "开始", "end": "结束",
                 "capacity": "名额", "room": "地点", "topic": "主题", "every": "频率",
                 "days": "日期", "weekday": "星期", "quarter_month": "季度第几月"}


class _Form(ModalScreen[Any]):
    """Rows of labelled fields, an error line per field, Ctrl+S to save, Esc to cancel."""

    CSS_PATH = "leader_dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="leader_form.cancel"),
        Binding("ctrl+s", "save", "保存", id="leader_form.save", priority=True),
    ]
    title_text = ""

    @property
    def hall_app(self) -> HallApp:
        return cast("HallApp", self.app)

    def row(self, key: str, widget: Any) -> ComposeResult:
        with Horizontal(classes="form-row", id=f"row-{key}"):
            yield Label(_FIELD_LABELS.get(key, key), classes="form-label")
            yield widget
        yield Label(id=f"error-{key}", classes="dialog-error field-error")

    def on_mount(self) -> None:
        for label in self.query(".field-error").results(Label):
            label.display = False
        self.query_one("#form-error", Label).display = False

    def show_errors(self, errors: dict[str, str], general: str = "") -> None:
        for label in self.query(".field-error").results(Label):
            key = (label.id or "").removeprefix("error-")
            label.update(errors.get(key, ""))
            label.display = key in errors
        shown = general or "；".join(f"{_FIELD_LABELS.get(k, k)}：{v}" for k, v in errors.items()
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

    def action_save(self) -> None:
        raise NotImplementedError  # pragma: no cover - each form saves its own way


class DayFormDialog(_Form):
    """Add a one-off reception day, or edit a coming one (``day`` given)."""

    def __init__(self, on: date, day: LeaderDayView | None = None) -> None:
        super().__init__()
        self.on = on
        self.day = day

    def compose(self) -> ComposeResult:
        hall = self.hall_app.hall
        d = self.day
        leaders = [(f"{x.name}{x.title}", x.code) for x in hall.config.leaders]
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

    @work(thread=True, exclusive=True, group="day-form", exit_on_error=False)
    def _save(self, leader: str, on: date, capacity: int, walk_ins: bool) -> None:
        app, hall = self.hall_app, self.hall_app.hall
        actor = app.staff or ""
        try:
            if self.day is None:
                result = app.db_call(hall.add_day, leader, on, self.value("start"),
                                     self.value("end"), capacity, actor, room=self.value("room"),
                                     topic=self.value("topic"), walk_ins=walk_ins)
            else:
                result = app.db_call(hall.edit_day, self.day.id, actor, start=self.value("start"),
                                     end=self.value("end"), capacity=capacity,
                                     room=self.value("room"), topic=self.value("topic"),
                                     walk_ins=walk_ins)
        except FormError as exc:
            self.app.call_from_thread(self.show_errors, exc.errors)
        except (NotFound, Refused) as exc:
            self.app.call_from_thread(self.show_errors, {}, str(exc))
        else:
            self.app.call_from_thread(self.dismiss, result)


class RuleFormDialog(_Form):
    """Add a schedule rule: the days it plans move off weekends and holidays."""

    def compose(self) -> ComposeResult:
        hall = self.hall_app.hall
        leaders = [(f"{x.name}{x.title}", x.code) for x in hall.config.leaders]
        with VerticalScroll(id="rule-form", classes="dialog"):
            yield Label("新增接待规则", classes="dialog-title")
            yield from self.row("leader", Select(leaders, value=leaders[0][1], compact=True,
                                                 allow_blank=False, id="leader"))
            yield from self.row("every", Select([(v, k) for k, v in EVERY.items()],
                                                value="month", allow_blank=False, compact=True,
                                                id="every"))
            yield from self.row("days", Input("1,15", placeholder="每月/每季度：如 1,15",
                                              compact=True, id="days"))
            yield from self.row("weekday", Input("", placeholder="每周：1 周一 … 7 周日",
                                                 compact=True, id="weekday"))
            yield from self.row("quarter_month", Input("1", placeholder="每季度：1、2 或 3",
                                                       compact=True, id="quarter_month"))
            yield from self.row("start", Input("09:00", compact=True, id="start"))
            yield from self.row("end", Input("11:30", compact=True, id="end"))
            yield from self.row("capacity", Input("10", compact=True, id="capacity"))
            yield from self.row("room", Input("", placeholder="默认：接访室", compact=True,
                                              id="room"))
            yield from self.row("topic", Input("", placeholder="可不填", compact=True,
                                               id="topic"))
            yield Checkbox("接受现场排队", False, id="walk_ins", compact=True)
            yield Label(id="form-error", classes="dialog-error")
            yield Label("遇周末、法定节假日顺延至下一个工作日（调休上班日照常）",
                        classes="dialog-hint")
            yield Label("Enter 下一项　Ctrl+S 保存　Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#leader").focus()

    def rule(self) -> ScheduleRule:
        """The typed rule; raises ValidationError or ValueError."""
        def number(key: str) -> int | None:
            text = self.value(key)
            if not text:
                return None
            if not text.isdigit():
                raise ValueError(f"{_FIELD_LABELS[key]}应为数字，实际为“{text}”")
            return int(text)

        days = [d for d in self.value("days").replace("，", ",").replace("、", ",").split(",")
                if d.strip()]
        if not all(d.strip().isdigit() for d in days):
            raise ValueError(f"日期应为逗号分隔的数字，如 1,15，实际为“{self.value('days')}”")
        every = str(self.query_one("#every", Select).value)
        return ScheduleRule(
            every=every, days=[int(d) for d in days] if every != "week" else [],
            weekday=number("weekday") if every == "week" else None,
            quarter_month=number("quarter_month") or 1, start=self.value("start"),
            end=self.value("end"), capacity=number("capacity") or 0, room=self.value("room"),
            topic=self.value("topic"), walk_ins=self.query_one("#walk_ins", Checkbox).value)

    def action_save(self) -> None:
        try:
            rule = self.rule()
        except ValidationError as exc:
            from config.loader import _problem  # the configuration's Chinese wording

            errors = {}
            for err in exc.errors():
                key = str(err["loc"][0]) if err["loc"] else ""
                errors[key or "form"] = _problem("", {}, err).message
            general = errors.pop("form", "")
            self.show_errors(errors, general)
            return
        except ValueError as exc:
            self.show_errors({}, str(exc))
            return
        self._save(str(self.query_one("#leader", Select).value), rule)

    @work(thread=True, exclusive=True, group="rule-form", exit_on_error=False)
    def _save(self, leader: str, rule: ScheduleRule) -> None:
        app = self.hall_app
        try:
            result: RuleView = app.db_call(app.hall.add_rule, leader, rule, app.staff or "")
        except (NotFound, Refused) as exc:
            self.app.call_from_thread(self.show_errors, {}, str(exc))
        else:
            self.app.call_from_thread(self.dismiss, result)


class ReasonDialog(ModalScreen[str | None]):
    """Why a day is cancelled (told to the people who booked); Enter confirms."""

    CSS_PATH = "leader_dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="reason.cancel"),
    ]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="reason", classes="dialog"):
            yield Label("取消接待日", classes="dialog-title")
            yield Static(self.what)
            yield Input(placeholder="取消原因（将告知已预约的来访人）", compact=True,
                        id="reason-input")
            yield Label(id="reason-error", classes="dialog-error")
            yield Label("Enter 确认取消　Esc 返回", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#reason-error", Label).update("请填写取消原因")
            return
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoticeDialog(ModalScreen[None]):
    """Something to read and close (Enter or Esc)."""

    CSS_PATH = "leader_dialogs.tcss"
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


class RuleListDialog(ModalScreen[bool]):
    """The rules in force: the configured ones (edited in hall.yaml) and the managers' ones.

    N adds a rule, D retires the highlighted manager's rule (the days it planned stay); returns
    True when anything changed.
    """

    CSS_PATH = "leader_dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "关闭", id="rules.close"),
        Binding("n", "add", "新增规则", id="rules.add"),
        Binding("d", "retire", "停用", id="rules.retire"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.changed = False
        self.rules: list[RuleView] = []

    @property
    def hall_app(self) -> HallApp:
        return cast("HallApp", self.app)

    def compose(self) -> ComposeResult:
        from textual.widgets import OptionList

        with Vertical(id="rule-list", classes="dialog"):
            yield Label("接待规则", classes="dialog-title")
            yield OptionList(id="rule-options")
            yield Label(id="rule-message", classes="dialog-error")
            yield Label("N 新增　D 停用选中的规则　Esc 关闭（“配置”规则请改 hall.yaml）",
                        classes="dialog-hint")

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="rule-list", exit_on_error=False)
    def _load(self) -> None:
        app = self.hall_app
        rules = app.db_call(app.hall.rules)
        self.app.call_from_thread(self._show, rules)

    def _show(self, rules: list[RuleView]) -> None:
        from rich.text import Text
        from textual.widgets import OptionList
        from textual.widgets.option_list import Option

        self.rules = rules
        options = self.query_one(OptionList)
        options.clear_options()
        for r in rules:
            source = ("配置", "dim") if r.rule_id is None else (f"规则{r.rule_id}", "cyan")
            extra = "　".join(x for x in (f"{r.capacity}人", r.topic,
                                          "现场排队" if r.walk_ins else "") if x)
            options.add_option(Option(Text.assemble(source, " ", (r.leader_label, "bold"), " ",
                                                    r.description, (f"　{extra}", "dim"))))
        if rules:
            options.highlighted = 0
        options.focus()

    def action_add(self) -> None:
        self.app.push_screen(RuleFormDialog(), self._added)

    def _added(self, rule: RuleView | None) -> None:
        if rule is not None:
            self.changed = True
            self._load()

    def action_retire(self) -> None:
        from textual.widgets import OptionList

        index = self.query_one(OptionList).highlighted
        if index is None or index >= len(self.rules):
            return
        rule = self.rules[index]
        if rule.rule_id is None:
            self.query_one("#rule-message", Label).update(
                "这是配置文件中的规则：请在 hall.yaml 的 leaders 中修改")
            return
        self._retire(rule.rule_id)

    @work(thread=True, exclusive=True, group="rule-list", exit_on_error=False)
    def _retire(self, rule_id: int) -> None:
        app = self.hall_app
        try:
            app.db_call(app.hall.retire_rule, rule_id, app.staff or "")
        except (NotFound, Refused) as exc:
            self.app.call_from_thread(self.query_one("#rule-message", Label).update, str(exc))
            return
        self.changed = True
        self.app.call_from_thread(self.query_one("#rule-message", Label).update,
                                  f"规则 {rule_id} 已停用（已生成的接待日保留）")
        rules = app.db_call(app.hall.rules)
        self.app.call_from_thread(self._show, rules)

    def action_close(self) -> None:
        self.dismiss(self.changed)
