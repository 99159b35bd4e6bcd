"""The schedule-rule dialogs of the manager screen (``hall leaders``, key R).

- :class:`RuleListDialog` -> whether the rules changed: the rules in force (configured ones
  marked 配置, edited in hall.yaml), N adds one, D retires a manager's one.
- :class:`RuleFormDialog` -> the added rule (每月/每周/每季度), errors worded in Chinese as the
  configuration loader words them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from pydantic import ValidationError
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from config.leaders import EVERY, ScheduleRule
from hall.leaders.views import LeaderInfo, RuleView
from screens.dialogs.form import DIALOG_CSS
from screens.leaders.dialogs import FIELD_LABELS, LeaderForm
from screens.work import Failed, HallWork

if TYPE_CHECKING:
    from screens.app import HallApp


class RuleListDialog(HallWork, ModalScreen[bool]):
    """The rules in force: the configured ones (edited in hall.yaml) and the managers' ones.

    N adds a rule, D retires the highlighted manager's rule (the days it planned stay); returns
    True when anything changed.
    """

    CSS_PATH = DIALOG_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "关闭", id="rules.close"),
        Binding("n", "add", "新增规则", id="rules.add"),
        Binding("d", "retire", "停用", id="rules.retire"),
    ]

    def __init__(self, leaders: tuple[LeaderInfo, ...] = ()) -> None:
        super().__init__()
        self.changed = False
        self.rules: list[RuleView] = []
        self.leaders = leaders  # the roster, for the new rule's leader

    @property
    def hall_app(self) -> HallApp:
        return cast("HallApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="rule-list", classes="dialog"):
            yield Label("接待规则", classes="dialog-title")
            yield OptionList(id="rule-options")
            yield Label(id="rule-message", classes="dialog-error")
            yield Label("N 新增　D 停用选中的规则　Esc 关闭（“配置”规则请改 hall.yaml）",
                        classes="dialog-hint")

    def on_mount(self) -> None:
        self._load()

    def _load(self) -> None:
        self.run_call("load", self.hall_app.hall.leaders.plan.rules, exclusive=True)

    def load_failed(self, failure: Failed) -> None:
        self._say(f"读取失败：{failure.text}")

    def _say(self, text: str) -> None:
        self.query_one("#rule-message", Label).update(text)

    def load_done(self, rules: list[RuleView]) -> None:
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
        if not self.leaders:
            self.query_one("#rule-message", Label).update("名册中没有可安排的领导（A 打开名册）")
            return
        self.app.push_screen(RuleFormDialog(self.leaders), self._added)

    def _added(self, rule: RuleView | None) -> None:
        if rule is not None:
            self.changed = True
            self._load()

    def action_retire(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is None or index >= len(self.rules):
            return
        rule = self.rules[index]
        if rule.rule_id is None:
            self.query_one("#rule-message", Label).update(
                "这是配置文件中的规则：请在 hall.yaml 的 leaders 中修改")
            return
        self._retire(rule.rule_id)

    def _retire(self, rule_id: int) -> None:
        hall, actor = self.hall_app.hall, self.hall_app.staff or ""
        self.run_call("retire", lambda: (hall.leaders.plan.retire_rule(rule_id, actor), rule_id)[1])

    def retire_done(self, rule_id: int) -> None:
        self.changed = True
        self._say(f"规则 {rule_id} 已停用（已生成的接待日保留）")
        self._load()

    def retire_failed(self, failure: Failed) -> None:
        self._say(failure.text)

    def action_close(self) -> None:
        self.dismiss(self.changed)


class RuleFormDialog(LeaderForm):
    """Add a schedule rule: the days it plans move off weekends and holidays."""

    def __init__(self, leaders: tuple[LeaderInfo, ...] = ()) -> None:
        super().__init__()
        self.leaders = leaders

    def compose(self) -> ComposeResult:
        leaders = [(x.label, x.code) for x in self.leaders]
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
                raise ValueError(f"{FIELD_LABELS[key]}应为数字，实际为“{text}”")
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

    def _save(self, leader: str, rule: ScheduleRule) -> None:
        self.run_call("save", self.hall_app.hall.leaders.plan.add_rule, leader, rule,
                      self.hall_app.staff or "", exclusive=True)
