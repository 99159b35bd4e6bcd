"""The two forms a window fills: finishing a visit (办结) and transferring it (转办).

    self.app.push_screen(OutcomeDialog(config.outcomes, "R007", "张三"), self._finish)
    self.app.push_screen(TransferDialog(config.departments, "xfj", "R007"), self._transfer)

:class:`OutcomeDialog` offers the configured outcomes (办理方式) in order, numbered: a digit picks
one and moves on to the note, so 「F8, 1, Enter」 finishes a visit answered on the spot. Nothing
is chosen beforehand (the outcome goes into the visitor's file); Enter on the list finishes too,
Ctrl+S from anywhere. A refusal (不予受理, 不再受理) also asks for the reason and the channel the
visitor was told of (litigation, arbitration, administrative review...); both are checked here,
in Chinese, before the facade checks them again. :class:`TransferDialog` finds the target
department by Chinese, pinyin initials, code or ticket prefix, and asks the hall whether the
department takes a transfer now (a lawyer seat or leader room closed today names its next duty day)
as soon as one is picked and again before it closes: a refusal shows under the department and the
dialog stays open for another choice. Both return a small frozen form, or None when cancelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from hall.windows.acts import act_text_errors
from screens.widgets.picker import Choice, filter_choices
from screens.window.waiting import fit
from screens.work import Failed, HallWork

if TYPE_CHECKING:
    from config.schema import Department, Outcome
    from screens.app import HallApp

CHANNELS = (
    "向人民法院提起诉讼",
    "申请劳动人事争议仲裁",
    "申请行政复议",
    "向原办理机关的上一级机关申请复查",
    "向复查机关的上一级机关请求复核",
    "向人民检察院申请监督",
)
"""Channels offered as completions in the refusal's 告知途径 field (typing is free)."""


@dataclass(frozen=True)
class FinishForm:
    """What the outcome dialog returns."""

    outcome: str
    note: str = ""
    reason: str = ""
    channel: str = ""


@dataclass(frozen=True)
class TransferForm:
    """What the transfer dialog returns."""

    department: str
    note: str = ""


def finish_errors(outcome: Outcome | None, reason: str, channel: str,
                  note: str = "") -> dict[str, str]:
    """Chinese messages by field (outcome, note, reason, channel); empty when the form is
    complete. The texts are checked by the facade's own rule (control characters, length...)."""
    if outcome is None:
        return {"outcome": "请选择办理方式（按数字键 1-9，或 ↑↓ 后 Enter）"}
    errors = act_text_errors(note=note, **({"reason": reason, "channel": channel}
                                           if outcome.refusal else {}))
    if outcome.refusal and not reason.strip():
        errors.setdefault("reason", f"“{outcome.name}”须填写理由")
    if outcome.refusal and not channel.strip():
        errors.setdefault("channel", "须填写已告知来访人的法定途径（诉讼、仲裁、行政复议等）")
    return errors


def _row(label: str, control: Input, name: str) -> Vertical:
    return Vertical(Horizontal(Label(label, classes="form-label"), control, classes="form-row"),
                    Label(id=f"err-{name}", classes="dialog-error"), id=f"row-{name}")


def _show_errors(screen: ModalScreen, names: Sequence[str], errors: dict[str, str]) -> None:
    for name in names:
        label = screen.query_one(f"#err-{name}", Label)
        label.update(errors.get(name, ""))
        label.display = name in errors


class OutcomeDialog(ModalScreen[FinishForm | None]):
    """Finish the current visit: outcome, note, and for a refusal its reason and channel."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="finish.cancel"),
        Binding("ctrl+s", "submit", "办结", id="finish.submit"),
        *(Binding(str(n), f"pick({n - 1})", show=False, id=f"finish.pick{n}")
          for n in range(1, 10)),
    ]

    def __init__(self, outcomes: Sequence[Outcome], number: str, who: str = "") -> None:
        super().__init__()
        self.outcomes = tuple(outcomes)
        self.number = number
        self.who = who

    def compose(self) -> ComposeResult:
        options = []
        for n, o in enumerate(self.outcomes, 1):
            text = Text.assemble((f"{n if n <= 9 else ' '} ", "bold"), o.name)
            if o.refusal:
                text.append("  须填理由和告知途径", style="dim")
            options.append(Option(text, id=o.code))
        title = f"办结 {self.number}" + (f" · {self.who}" if self.who else "")
        with Vertical(id="finish", classes="dialog"):
            yield Label(title, classes="dialog-title")
            yield Label("办理方式", id="finish-caption", classes="form-caption")
            yield OptionList(*options, id="finish-outcomes")
            yield Label(id="err-outcome", classes="dialog-error")
            yield _row("情况说明", Input(placeholder="可不填", compact=True, id="finish-note"),
                       "note")
            yield _row("理由", Input(placeholder="必填：为何不予/不再受理", compact=True,
                                     id="finish-reason"), "reason")
            yield _row("告知途径", Input(placeholder="必填：如 向人民法院提起诉讼", compact=True,
                                         suggester=SuggestFromList(CHANNELS),
                                         id="finish-channel"), "channel")
            yield Label("数字键选择（可再填说明）　Enter 办结　Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        _show_errors(self, ("outcome", "note", "reason", "channel"), {})
        outcomes = self.query_one("#finish-outcomes", OptionList)
        outcomes.highlighted = None  # the outcome goes into the visitor's file: no default
        outcomes.focus()
        self._show_refusal()

    @property
    def chosen(self) -> Outcome | None:
        """The highlighted outcome, if any."""
        index = self.query_one("#finish-outcomes", OptionList).highlighted
        return self.outcomes[index] if index is not None else None

    def _show_refusal(self) -> None:
        chosen = self.chosen
        self.query_one("#finish-caption", Label).update(
            f"办理方式：[b]{chosen.name}[/b]" if chosen else "办理方式（按数字键选择）")
        refusal = bool(chosen and chosen.refusal)
        self.query_one("#row-reason").display = refusal
        self.query_one("#row-channel").display = refusal

    @on(OptionList.OptionHighlighted, "#finish-outcomes")
    def _highlighted(self) -> None:
        self._show_refusal()
        _show_errors(self, ("outcome",), {})

    @on(OptionList.OptionSelected, "#finish-outcomes")
    def _selected(self) -> None:
        # Enter on the list finishes at once (a refusal goes on to its fields): so "1, Enter"
        # finishes even when the Enter overtakes the digit's move of the focus to the note.
        if self.chosen is not None and self.chosen.refusal:
            self._next_empty(["finish-reason", "finish-channel"])
        else:
            self.action_submit()

    def action_pick(self, index: int) -> None:
        if index < len(self.outcomes):
            self.query_one("#finish-outcomes", OptionList).highlighted = index
            self._show_refusal()
            self.query_one("#finish-note", Input).focus()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("finish-")
        if name in ("note", "reason", "channel"):
            _show_errors(self, (name,), {})

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        refusal = bool(self.chosen and self.chosen.refusal)
        order = ["finish-note", *(["finish-reason", "finish-channel"] if refusal else [])]
        following = order[order.index(event.input.id or "") + 1:] if event.input.id in order \
            else []
        self._next_empty(following)

    def _next_empty(self, fields: list[str]) -> None:
        """Focus the first empty one of ``fields``; submit when all are filled."""
        empty = [i for i in fields if not self.query_one(f"#{i}", Input).value.strip()]
        if empty:
            self.query_one(f"#{empty[0]}", Input).focus()
        else:
            self.action_submit()

    def action_submit(self) -> None:
        outcome = self.chosen
        value = {name: self.query_one(f"#finish-{name}", Input).value.strip()
                 for name in ("note", "reason", "channel")}
        errors = finish_errors(outcome, value["reason"], value["channel"], value["note"])
        _show_errors(self, ("outcome", "note", "reason", "channel"), errors)
        if errors:
            first = next(iter(errors))
            target = "#finish-outcomes" if first == "outcome" else f"#finish-{first}"
            self.query_one(target).focus()
            return
        assert outcome is not None
        if not outcome.refusal:
            value["reason"] = value["channel"] = ""
        self.dismiss(FinishForm(outcome.code, **value))

    def action_cancel(self) -> None:
        self.dismiss(None)


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
