"""The two forms a window fills: finishing a visit (办结) and transferring it (转办, the dialog in
:mod:`screens.window.transfer`).

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
from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from hall.desk.registration import FormError
from hall.windows.acts import act_text_errors
from screens.work import Failed, HallWork

if TYPE_CHECKING:
    from config.schema import Outcome
    from hall.cases.views import CasePreview
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
    unit: str = ""  # the case's unit: an outside unit's name (转送) or a department code


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


def case_text(preview: CasePreview) -> str:
    """What finishing with an outcome opens, in one or two lines (the finish dialog)."""
    if preview.linked:
        return f"本次来访将记入 {preview.linked}（不另立案）"
    if not preview.opens:
        return ""
    unit = preview.unit or ("（请填写转送单位）" if preview.outside_unit else "本部门")
    return (f"将立案：承办 {unit}\n受理告知 {preview.acceptance_due} 前　"
            f"办理期限 {preview.handling_due}")


def _row(label: str, control: Input, name: str) -> Vertical:
    return Vertical(Horizontal(Label(label, classes="form-label"), control, classes="form-row"),
                    Label(id=f"err-{name}", classes="dialog-error"), id=f"row-{name}")


def _show_errors(screen: ModalScreen, names: Sequence[str], errors: dict[str, str]) -> None:
    for name in names:
        label = screen.query_one(f"#err-{name}", Label)
        label.update(errors.get(name, ""))
        label.display = name in errors


class OutcomeDialog(HallWork, ModalScreen[FinishForm | None]):
    """Finish the current visit: outcome, note, for a refusal its reason and channel, and for an
    outcome that opens a case what it opens and the unit (:mod:`screens.window.casekeys`)."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="finish.cancel"),
        Binding("ctrl+s", "submit", "办结", id="finish.submit"),
        *(Binding(str(n), f"pick({n - 1})", show=False, id=f"finish.pick{n}")
          for n in range(1, 10)),
    ]

    def __init__(self, outcomes: Sequence[Outcome], number: str, who: str = "",
                 visit_id: int = 0) -> None:
        super().__init__()
        self.outcomes = tuple(outcomes)
        self.number = number
        self.who = who
        self.visit_id = visit_id
        self.preview: CasePreview | None = None  # what the chosen outcome opens, once read

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
            yield Label(id="finish-case", classes="form-caption")
            yield _row("承办单位", Input(compact=True, id="finish-unit"), "unit")
            yield Label("数字键选择（可再填说明）　Enter 办结　Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        _show_errors(self, ("outcome", "note", "reason", "channel", "unit"), {})
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
        self._show_case()

    def _show_case(self) -> None:
        """The unit row and what the case will be, for an outcome that opens one; the preview
        is read from the hall (a worker) whenever the outcome or the unit changes."""
        chosen = self.chosen
        opens = bool(chosen and chosen.opens_case)
        self.query_one("#row-unit").display = opens
        self.query_one("#finish-case").display = opens
        if not opens or chosen is None:
            return
        unit = self.query_one("#finish-unit", Input)
        unit.placeholder = ("必填：转送的承办单位名称" if chosen.outside_unit
                            else "承办部门代码，可不填（默认本部门）")
        if self.visit_id:
            self.run_call("preview", self.hall_app.hall.cases.preview, self.visit_id,
                          chosen.code, self._unit_code(), exclusive=True)

    @property
    def hall_app(self) -> HallApp:
        return cast("HallApp", self.app)

    def _unit_code(self) -> str:
        """The unit as typed; a department's name (or prefix) becomes its code."""
        text = self.query_one("#finish-unit", Input).value.strip()
        chosen = self.chosen
        if not text or (chosen is not None and chosen.outside_unit):
            return text
        found = next((d for d in self.hall_app.hall.config.departments
                      if text in (d.code, d.name, d.prefix)), None)
        return found.code if found is not None else text

    def preview_done(self, preview: CasePreview) -> None:
        self.preview = preview
        self.query_one("#finish-case", Label).update(Content(case_text(preview)))

    def preview_failed(self, failure: Failed) -> None:
        self.query_one("#finish-case", Label).update(f"无法预览将立的案件：{failure.text}")

    @on(OptionList.OptionHighlighted, "#finish-outcomes")
    def _highlighted(self) -> None:
        self._show_refusal()
        _show_errors(self, ("outcome",), {})

    @on(OptionList.OptionSelected, "#finish-outcomes")
    def _selected(self) -> None:
        # Enter on the list finishes at once (a refusal goes on to its fields, 转送 to its unit):
        # so "1, Enter" finishes even when the Enter overtakes the digit's move to the note.
        if self.chosen is not None and self.chosen.refusal:
            self._next_empty(["finish-reason", "finish-channel"])
        elif self.chosen is not None and self.chosen.outside_unit:
            self._next_empty(["finish-unit"])
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
        if name in ("note", "reason", "channel", "unit"):
            _show_errors(self, (name,), {})
        if name == "unit":
            self._show_case()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        refusal = bool(self.chosen and self.chosen.refusal)
        opens = bool(self.chosen and self.chosen.opens_case)
        order = ["finish-note", *(["finish-reason", "finish-channel"] if refusal else []),
                 *(["finish-unit"] if opens else [])]
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
        value["unit"] = self._unit_code() if outcome and outcome.opens_case else ""
        if outcome is not None and "unit" not in errors:
            try:
                self.hall_app.hall.cases.check_unit(outcome, value["unit"])  # config only
            except FormError as exc:
                errors.update(exc.errors)
        _show_errors(self, ("outcome", "note", "reason", "channel", "unit"), errors)
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


def __getattr__(name: str) -> Any:
    """``TransferDialog`` moved to :mod:`screens.window.transfer`; still importable from here."""
    if name == "TransferDialog":
        from screens.window.transfer import TransferDialog

        return TransferDialog
    raise AttributeError(name)
