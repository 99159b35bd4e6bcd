"""The leaders' roster (领导名册) of the manager screen (``hall leaders``, key A).

Who uses it: the hall's manager, rarely: a new duty lawyer, a leader's new title or portfolio
after a reshuffle, a leader who moved on. What they do most often is correct a profile, so the
roster opens on the list with the first leader highlighted: ↑↓ and E (or Enter) edit, two keys
and the change; N adds one; D retires the highlighted leader (or reinstates a retired one).
Changes are stored in the database (:mod:`hall.roster`), so every terminal sees them within a
second; an edit made on a profile another terminal changed meanwhile is refused, not lost.

- :class:`RosterDialog` -> whether anything changed.
- :class:`LeaderFormDialog` -> the added or edited leader (code, name, title, portfolio, kind,
  department), errors in Chinese under their fields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Select
from textual.widgets.option_list import Option

from config.leaders import KINDS
from hall.leaders.views import LeaderInfo
from screens.dialogs.form import DIALOG_CSS
from screens.leaders.dialogs import LeaderForm
from screens.work import Failed, HallWork, Poller

if TYPE_CHECKING:
    from screens.app import HallApp

CSS = [DIALOG_CSS, "roster.tcss"]


class RosterDialog(HallWork, ModalScreen[bool]):
    """The roster with the retired leaders (dimmed); returns True when anything changed."""

    CSS_PATH = CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "关闭", id="roster.close"),
        Binding("n", "add", "新增", id="roster.add"),
        Binding("e", "edit", "修改", id="roster.edit"),
        Binding("d", "retire", "停用/恢复", id="roster.retire"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.changed = False
        self.leaders: list[LeaderInfo] = []
        self.departments: list[tuple[str, str]] = []

    @property
    def hall_app(self) -> HallApp:
        return cast("HallApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="roster", classes="dialog"):
            yield Label("领导名册", classes="dialog-title")
            yield OptionList(id="roster-options")
            yield Label(id="roster-message", classes="dialog-error")
            yield Label("E/Enter 修改　N 新增　D 停用/恢复　Esc 关闭", classes="dialog-hint")

    def on_mount(self) -> None:
        hall = self.hall_app.hall
        self.poller = Poller(self, lambda: (hall.leaders.roster.list(include_retired=True),
                                            hall.leaders.roster.departments()),
                             topics=("leaders",), name="roster")
        self.poller.start()

    def on_unmount(self) -> None:
        self.poller.stop()

    def _load(self) -> None:
        self.poller.poll(force=True)

    def on_poller_changed(self, message: Poller.Changed) -> None:
        self._show(*message.data)

    def _show(self, leaders: list[LeaderInfo], departments: list[tuple[str, str]]) -> None:
        self.leaders, self.departments = leaders, departments
        names = dict(departments)
        options = self.query_one(OptionList)
        keep = options.highlighted
        options.clear_options()
        for x in leaders:
            style = "dim" if x.retired else ""
            line = Text.assemble((f"{x.code:<10} ", "cyan"), (x.label, "bold"),
                                 f"　{KINDS[x.kind]}·{names.get(x.department, x.department)}",
                                 style=style)
            if not x.configured:
                line.append("　新增", style="green")
            if x.retired:
                line.append("　已停用", style="red")
            if x.portfolio:
                line.append(f"\n           分管：{x.portfolio}", style="dim")
            options.add_option(Option(line, id=x.code))
        if leaders:
            options.highlighted = min(keep or 0, len(leaders) - 1)
        options.focus()

    def _picked(self) -> LeaderInfo | None:
        index = self.query_one(OptionList).highlighted
        return self.leaders[index] if index is not None and index < len(self.leaders) else None

    def _say(self, text: str) -> None:
        self.query_one("#roster-message", Label).update(Content(text))  # typed names: no markup

    def action_add(self) -> None:
        # A new lawyer most likely sits where the lawyers sit, a new leader where leaders do.
        usual = {x.kind: x.department for x in reversed(self.leaders)}
        self.app.push_screen(LeaderFormDialog(None, self.departments, usual), self._saved)

    @on(OptionList.OptionSelected, "#roster-options")
    def action_edit(self) -> None:
        leader = self._picked()
        if leader is not None:
            self.app.push_screen(LeaderFormDialog(leader, self.departments), self._saved)

    def _saved(self, leader: LeaderInfo | None) -> None:
        if leader is not None:
            self.changed = True
            self._say(f"已保存：{leader.label}（{leader.code}）")
            self._load()

    def action_retire(self) -> None:
        leader = self._picked()
        if leader is None:
            return
        hall = self.hall_app.hall
        roster = hall.leaders.roster
        act = roster.reinstate if leader.retired else roster.retire
        self.run_call("retire", act, leader.code, self.hall_app.staff or "",
                      expected_version=leader.version, exclusive=True)

    def retire_done(self, done: LeaderInfo) -> None:
        self.changed = True
        verb = "已停用（接待日与包案记录保留；D 可恢复）" if done.retired else "已恢复"
        self._say(f"{done.label} {verb}")
        self._load()

    def retire_failed(self, failure: Failed) -> None:
        self._say(failure.text)

    def action_close(self) -> None:
        self.dismiss(self.changed)


class LeaderFormDialog(LeaderForm):
    """Add a leader (``leader`` None) or edit one; the code cannot change once given."""

    CSS_PATH = CSS

    def __init__(self, leader: LeaderInfo | None, departments: list[tuple[str, str]],
                 usual: dict[str, str] | None = None) -> None:
        super().__init__()
        self.leader = leader
        self.departments = departments
        self.usual = usual or {}  # kind → the department that kind usually receives in

    def compose(self) -> ComposeResult:
        x = self.leader
        departments = [(name, code) for code, name in self.departments]
        codes = [code for _, code in departments]
        department = (x.department if x else self.usual.get("leader")
                      or (codes[0] if codes else Select.BLANK))
        with VerticalScroll(id="leader-form", classes="dialog"):
            yield Label(f"修改：{x.label}" if x else "新增领导或值班律师", classes="dialog-title")
            yield from self.row("code", Input(x.code if x else "", compact=True, id="code",
                                              placeholder="小写字母开头，如 zhaomin",
                                              disabled=x is not None))
            yield from self.row("name", Input(x.name if x else "", compact=True, id="name"))
            yield from self.row("title", Input(x.title if x else "", compact=True, id="title",
                                               placeholder="如 副市长、值班律师"))
            yield from self.row("portfolio", Input(x.portfolio if x else "", compact=True,
                                                   id="portfolio", placeholder="分管领域"))
            yield from self.row("kind", Select([(v, k) for k, v in KINDS.items()],
                                               value=x.kind if x else "leader",
                                               allow_blank=False, compact=True, id="kind"))
            yield from self.row("department", Select(departments, value=department,
                                                     compact=True, id="department"))
            yield Label(id="form-error", classes="dialog-error")
            yield Label("接待部门：签到后排入的队列（领导接访室、律师咨询席）",
                        classes="dialog-hint")
            yield Label("Enter 下一项　Ctrl+S 保存　Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#name" if self.leader else "#code").focus()

    @on(Select.Changed, "#kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        usual = self.usual.get(str(event.value))
        if self.leader is None and usual:
            self.query_one("#department", Select).value = usual

    def action_save(self) -> None:
        department = self.query_one("#department", Select).value
        fields = {"name": self.value("name"), "title": self.value("title"),
                  "portfolio": self.value("portfolio"),
                  "kind": str(self.query_one("#kind", Select).value),
                  "department": "" if department is Select.BLANK else str(department)}
        self._save(self.value("code"), fields)

    def _save(self, code: str, fields: dict[str, str]) -> None:
        hall, actor = self.hall_app.hall, self.hall_app.staff or ""
        if self.leader is None:
            name = fields.pop("name")
            self.run_call("save", hall.leaders.roster.add, code, name, actor, **fields)
        else:
            self.run_call("save", hall.leaders.roster.edit, self.leader.code, actor,
                          expected_version=self.leader.version, **fields)
