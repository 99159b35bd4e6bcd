"""转办: the dialog that picks the department a window transfers its current visitor to.

    self.app.push_screen(TransferDialog(config.departments, "xfj", "R007"), self._transfer)

It finds the target department by Chinese, pinyin initials, code or ticket prefix, and asks the
hall whether the department takes a transfer now (a lawyer seat or leader room closed today
names its next duty day) as soon as one is picked and again before it closes: a refusal shows
under the department and the dialog stays open for another choice. It returns a
:class:`~screens.window.forms.TransferForm`, or None when cancelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, cast

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from hall.windows.acts import act_text_errors
from screens.widgets.picker import Choice, filter_choices
from screens.window.forms import TransferForm, _row, _show_errors
from screens.window.waiting import fit
from screens.work import Failed, HallWork

if TYPE_CHECKING:
    from config.schema import Department
    from screens.app import HallApp


class TransferDialog(HallWork, ModalScreen[TransferForm | None]):
    """Pick the department to transfer the current visitor to, with a note; a department that
    refuses a transfer now (closed today) says so here, and the dialog stays open."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="transfer.cancel"),
        Binding("down", "move(1)", show=False, id="transfer.down"),
        Binding("up", "move(-1)", show=False, id="transfer.up"),
    ]

    def __init__(self, departments: Sequence[Department], current: str, number: str) -> None:
        super().__init__()
        self.choices = [Choice(d.code, d.name, d.description, keys=(d.code, d.prefix,
                                                                     d.description))
                        for d in departments if d.code != current]
        self.number = number
        self._shown: list[Choice] = []
        self._asking: tuple[str, bool] | None = None  # (department, submit when it may)

    def compose(self) -> ComposeResult:
        with Vertical(id="transfer", classes="dialog"):
            yield Label(f"转办 {self.number}：票号和排队顺序不变（一票到底）",
                        classes="dialog-title")
            yield Input(placeholder="输入部门名称或拼音首字母，如 rsj、人社、欠薪", compact=True,
                        id="transfer-search")
            yield OptionList(id="transfer-list")
            yield Label(id="err-department", classes="dialog-error")
            yield _row("转办说明", Input(placeholder="可不填", compact=True, id="transfer-note"),
                       "note")
            yield Label("↑↓ 选择部门　Enter 下一项/确定　Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        _show_errors(self, ("department", "note"), {})
        self._fill("")
        self.query_one("#transfer-search", Input).focus()

    def _fill(self, query: str) -> None:
        self._shown = filter_choices(self.choices, query)
        listing = self.query_one("#transfer-list", OptionList)
        listing.clear_options()
        width = max((cell_len(c.label) for c in self.choices), default=0) + 2
        listing.add_options([Option(Text.assemble((fit(c.label, width), "bold"), (c.detail, "dim"),
                                                  no_wrap=True, overflow="ellipsis"),
                                    id=c.value) for c in self._shown])
        if self._shown:
            listing.highlighted = 0

    @property
    def chosen(self) -> Choice | None:
        """The highlighted department, if any."""
        index = self.query_one("#transfer-list", OptionList).highlighted
        return self._shown[index] if index is not None and index < len(self._shown) else None

    @on(Input.Changed, "#transfer-search")
    def _search(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(OptionList.OptionHighlighted, "#transfer-list")
    def _moved(self) -> None:
        _show_errors(self, ("department",), {})  # another department: the refusal was not its

    @on(Input.Submitted, "#transfer-search")
    @on(OptionList.OptionSelected, "#transfer-list")
    def _picked(self) -> None:
        choice = self._check()
        if choice is not None:
            self._ask(choice.value, submit=False)

    @on(Input.Submitted, "#transfer-note")
    def _submit(self) -> None:
        choice = self._check()
        note = self.query_one("#transfer-note", Input).value.strip()
        errors = act_text_errors(note=note)
        _show_errors(self, ("note",), errors)
        if choice is not None and not errors:
            self._ask(choice.value, submit=True)

    def _ask(self, department: str, submit: bool) -> None:
        """Whether ``department`` takes a transfer now (the hall's own rule, read only); the
        transfer itself checks again."""
        self._asking = (department, submit)
        check = self.hall_app.hall.leaders.check_transfer
        self.run_call("may_transfer", check, department, exclusive=True)

    @property
    def hall_app(self) -> HallApp:
        return cast("HallApp", self.app)

    def may_transfer_done(self, _: None) -> None:
        asked, self._asking = self._asking, None
        choice = self.chosen
        if asked is None or choice is None or choice.value != asked[0]:
            return  # the operator moved on meanwhile
        if asked[1]:
            note = self.query_one("#transfer-note", Input).value.strip()
            self.dismiss(TransferForm(choice.value, note))
        else:
            self.query_one("#transfer-note", Input).focus()

    def may_transfer_failed(self, failure: Failed) -> None:
        self._asking = None
        text = failure.text if failure.refused else f"无法确认能否转入：{failure.text}"
        _show_errors(self, ("department",), {"department": text + "；请另选部门或按 Esc 取消"})
        self.query_one("#transfer-search", Input).focus()

    def _check(self) -> Choice | None:
        choice = self.chosen
        _show_errors(self, ("department",), {} if choice else {
            "department": "没有匹配的部门：请换个说法或清空后用 ↑↓ 选择"})
        if choice is None:
            self.query_one("#transfer-search", Input).focus()
        return choice

    def action_move(self, step: int) -> None:
        listing = self.query_one("#transfer-list", OptionList)
        if step > 0:
            listing.action_cursor_down()
        else:
            listing.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
