"""The launcher (`hall`): the hall, the business day, who works, and the roles to open.

Who uses it, what they do most, and how many keys it takes: every member of staff at the start
of a shift (after signing in) and whoever moves between screens (F10 on a role screen comes back
here). Most often: open the one screen their role works in, **Enter** (it is highlighted first)
or its digit; a manager, who may open them all, picks by digit (one key). Only the screens the
signed-in person's role may open are listed (:func:`hall.accounts.permissions.may_open`: a window
clerk sees no desk, a kiosk account nothing); a digit of another screen says, in Chinese, that it
is not theirs and offers 换人. **F9** hands the terminal over (login and password of the other
person); the list follows whoever is signed in.

A role is one line in :data:`ROLES`: its mode name, title, one-line description and where its
screen class lives (imported only when opened, so start-up stays quick). A new role screen is
added by appending one :class:`Role`; the launcher and :class:`screens.app.HallApp` pick it up.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from screens.widgets.footer import KeyFooter
from screens.widgets.topbar import TopBar

if TYPE_CHECKING:
    from screens.app import HallApp


@dataclass(frozen=True)
class Role:
    """A working role and the screen that serves it."""

    mode: str
    """Mode name; also the CLI command that opens it directly (``hall desk``)."""
    title: str
    description: str
    screen: str
    """``module:ClassName`` of the screen, imported on first use."""
    key: str
    """Digit that opens it from the launcher."""
    needs_staff: bool = True
    """False for a read-only display (the hall board): opened directly, it asks for no login."""

    def load(self) -> Screen:
        """A new instance of the role's screen."""
        module, _, name = self.screen.partition(":")
        return cast(Screen, getattr(import_module(module), name)())


ROLES: tuple[Role, ...] = (
    Role("desk", "登记分流台", "登记来访人，核验身份证，分流到接待部门并出票",
         "screens.desk.screen:DeskScreen", "1"),
    Role("window", "窗口接谈", "叫号、重呼、接谈、办结与转办（一票到底）",
         "screens.window.screen:WindowScreen", "2"),
    Role("board", "大厅叫号屏", "大屏显示叫号、最近叫号与各部门候谈人数，并语音播报",
         "screens.board.screen:BoardScreen", "3", needs_staff=False),
    Role("leaders", "领导接待日", "排定与发布领导接待日和律师咨询席，查看预约，导出日程",
         "screens.leaders.screen:LeadersScreen", "4"),
    Role("incidents", "特殊情况", "处置经过与复核：筛选、时间线、更正、结案与日报",
         "screens.incidents.screen:IncidentsScreen", "5"),
    Role("cases", "案件办理", "信访事项：逾期与即将到期、时间线、受理交办督办回访、文书",
         "screens.cases.screen:CasesScreen", "6"),
    Role("stats", "统计", "来访、排队、办理与案件统计：图表、明细表，导出 Excel 与 CSV",
         "screens.stats.screen:StatsScreen", "7"),
)


class LauncherScreen(Screen[None]):
    """Pick the role to work in."""

    CSS_PATH = "launcher.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "打开", id="launcher.open", show=False),
        Binding("f9", "app.switch_staff", "换人", id="launcher.switch_staff"),
        *(Binding(r.key, f"open_role('{r.mode}')", r.title, id=f"launcher.{r.mode}",
                  show=False) for r in ROLES),
    ]

    def compose(self) -> ComposeResult:
        app = cast("HallApp", self.app)
        yield TopBar("工作台")
        with Center(), Vertical(id="launcher"):
            yield Label(app.hall.config.hall.name, id="launcher-hall")
            yield Label(id="launcher-who")
            yield Label("请选择工作台（↑↓ 选择，Enter 打开，Ctrl+P 查找命令）",
                        id="launcher-prompt")
            yield OptionList(id="roles")
            yield Label(id="launcher-none")
        yield KeyFooter()

    def _option(self, role: Role) -> Option:
        text = Text.assemble((f" {role.key} ", "bold reverse"), " ", (role.title, "bold"),
                             "\n    ", (role.description, "dim"))
        return Option(text, id=role.mode)

    def on_mount(self) -> None:
        self._show_who()
        self.watch(self.app, "staff", lambda _: self._show_who(), init=False)

    def _show_who(self) -> None:
        app = cast("HallApp", self.app)
        day = app.hall.today()
        self.query_one("#launcher-who", Label).update(
            f"营业日 {day.isoformat()}　当前人员 {app.staff_label}（F9 换人）")
        offered = [r for r in ROLES if app.may_open(r.mode)]
        roles = self.query_one("#roles", OptionList)
        roles.clear_options()
        roles.add_options([self._option(r) for r in offered])
        roles.display = bool(offered)
        self.query_one("#launcher-prompt", Label).display = bool(offered)
        if offered:
            roles.highlighted = 0
        note = self.query_one("#launcher-none", Label)
        text = self._note(bool(offered))
        note.update(text)
        note.display = bool(text)

    def _note(self, offered: bool) -> str:
        """Why nothing is offered and what to do; the administrator's tools."""
        actor = cast("HallApp", self.app).actor
        if actor is None:
            return "" if offered else "尚未登录：请按 F9 登录"
        if actor.role == "admin":
            return "账号管理请用命令行：hall staff list / add / passwd"
        return "" if offered else f"{actor.role_name}账号没有可打开的工作台，请按 F9 换人"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_open_role(event.option.id)

    def action_open(self) -> None:
        roles = self.query_one("#roles", OptionList)
        if roles.highlighted is not None:
            option = roles.get_option_at_index(roles.highlighted)
            if option.id:
                self.action_open_role(option.id)

    def action_open_role(self, mode: str) -> None:
        cast("HallApp", self.app).open_role(mode)
