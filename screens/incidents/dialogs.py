"""Dialogs of the incident screen, each a ``ModalScreen[T]`` returning through a callback.

- :class:`ActionDialog` -> ``ActionForm | None``: record a step. The type's chain comes first in
  its order, the suggested next step highlighted, so 「F5, Enter, Enter」 records it; a digit
  picks one of the first nine; result and note are optional.
- :class:`TextDialog` -> ``str | None``: one required text (the conclusion, the reason).
- :class:`CorrectionDialog` -> ``tuple[int, str] | None``: which entry, and the corrected text.
- :class:`ReportDialog` -> None: the day's report on screen; S saves it as CSV.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from hall.incidents.form import text_errors
from hall.incidents.views import IncidentDetail, IncidentEntryView, IncidentReport

if TYPE_CHECKING:
    from config.incidents import IncidentAction


@dataclass(frozen=True)
class ActionForm:
    """What the action dialog returns."""

    action: str
    result: str = ""
    note: str = ""


def ordered_actions(actions: Sequence[IncidentAction], chain: Sequence[str]) -> list[
        IncidentAction]:
    """The chain's actions in its order, then every other action in configured order."""
    by_code = {a.code: a for a in actions}
    first = [by_code[c] for c in chain if c in by_code]
    return first + [a for a in actions if a.code not in chain]


class ActionDialog(ModalScreen[ActionForm | None]):
    """Pick the step taken, with its result and a note."""

    CSS_PATH = "incidents.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="incident_action.cancel"),
        Binding("ctrl+s", "submit", "保存", id="incident_action.submit"),
        *(Binding(str(n), f"pick({n - 1})", show=False, id=f"incident_action.pick{n}")
          for n in range(1, 10)),
    ]

    def __init__(self, title: str, actions: Sequence[IncidentAction], chain: Sequence[str],
                 done: Sequence[str], suggested: str) -> None:
        super().__init__()
        self.title_text = title
        self.actions = ordered_actions(actions, chain)
        self.chain = tuple(chain)
        self.done = set(done)
        self.suggested = suggested

    def compose(self) -> ComposeResult:
        options = []
        for n, a in enumerate(self.actions, 1):
            text = Text.assemble((f"{n if n <= 9 else ' '} ", "bold"), a.name)
            if a.code == self.suggested:
                text.append("  建议下一步", style="bold green")
            elif a.code in self.done:
                text.append("  已记录", style="dim")
            elif a.code in self.chain:
                text.append("  流程内", style="dim")
            options.append(Option(text, id=a.code))
        with Vertical(id="incident-action", classes="incident-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield OptionList(*options, id="incident-action-list")
            yield Label("结果", classes="form-caption")
            yield Input(placeholder="可不填，如 已交出刀具、120 已到场", compact=True,
                        id="incident-action-result")
            yield Label("说明", classes="form-caption")
            yield Input(placeholder="可不填", compact=True, id="incident-action-note")
            yield Label(id="incident-action-error", classes="dialog-error")
            yield Label("数字键或 ↑↓ 选择　Enter 下一项/保存　Ctrl+S 保存　Esc 取消",
                        classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#incident-action-error").display = False
        listing = self.query_one(OptionList)
        codes = [a.code for a in self.actions]
        listing.highlighted = codes.index(self.suggested) if self.suggested in codes else 0
        listing.focus()

    def action_pick(self, index: int) -> None:
        if index < len(self.actions):
            self.query_one(OptionList).highlighted = index
            self.query_one("#incident-action-result", Input).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self) -> None:
        self.query_one("#incident-action-result", Input).focus()

    @on(Input.Submitted, "#incident-action-result")
    def _result(self) -> None:
        self.query_one("#incident-action-note", Input).focus()

    @on(Input.Submitted, "#incident-action-note")
    def action_submit(self) -> None:
        index = self.query_one(OptionList).highlighted
        if index is None:
            return
        texts = {key: self.query_one(f"#incident-action-{key}", Input).value.strip()
                 for key in ("result", "note")}
        errors = text_errors(**texts)
        if errors:  # beside the fields, the one at fault focused
            error = self.query_one("#incident-action-error", Label)
            error.update("；".join(f"{'结果' if k == 'result' else '说明'}：{v}"
                                  for k, v in errors.items()))
            error.display = True
            self.query_one(f"#incident-action-{next(iter(errors))}", Input).focus()
            return
        self.dismiss(ActionForm(self.actions[index].code, **texts))

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextDialog(ModalScreen[str | None]):
    """Ask for one required text; Enter saves, Esc cancels."""

    CSS_PATH = "incidents.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="incident_text.cancel"),
    ]

    def __init__(self, title: str, placeholder: str, required: str, key: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder
        self.required = required
        self.key = key
        """The text's key in :data:`hall.incidents.form.INCIDENT_TEXTS`: checked before saving."""

    def compose(self) -> ComposeResult:
        with Vertical(id="incident-text", classes="incident-dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Input(placeholder=self.placeholder, compact=True, id="incident-text-input")
            yield Label(id="incident-text-error", classes="dialog-error")
            yield Label("Enter 保存　Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#incident-text-error").display = False
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        problem = text_errors(**{self.key: text}).get(self.key) if self.key and text else None
        if not text or problem:
            error = self.query_one("#incident-text-error", Label)
            error.update(problem or self.required)
            error.display = True
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class CorrectionDialog(ModalScreen[tuple[int, str] | None]):
    """Pick the entry to correct and type what it should say; the original stays."""

    CSS_PATH = "incidents.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="incident_correct.cancel"),
    ]

    def __init__(self, detail: IncidentDetail) -> None:
        super().__init__()
        self.detail = detail

    def compose(self) -> ComposeResult:
        options = [Option(Text.assemble((f"#{e.seq} ", "bold"), f"{e.at[11:16]} ",
                                        entry_title(e), (f"  {entry_text(e)}", "dim"),
                                        no_wrap=True, overflow="ellipsis"), id=str(e.seq))
                   for e in self.detail.entries]
        with Vertical(id="incident-correct", classes="incident-dialog"):
            yield Label(f"更正第 {self.detail.summary.id} 号的记录（原记录保留，两者都显示）",
                        classes="dialog-title")
            yield OptionList(*options, id="incident-correct-list")
            yield Input(placeholder="更正后的内容（必填）", compact=True,
                        id="incident-correct-note")
            yield Label(id="incident-correct-error", classes="dialog-error")
            yield Label("↑↓ 选择记录　Enter 下一项/保存　Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#incident-correct-error").display = False
        listing = self.query_one(OptionList)
        listing.highlighted = len(self.detail.entries) - 1
        listing.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        index = self.query_one(OptionList).highlighted
        problem = text_errors(note=event.value).get("note") if event.value.strip() else None
        if not event.value.strip() or index is None or problem:
            error = self.query_one("#incident-correct-error", Label)
            error.update(problem or "请填写更正后的内容")
            error.display = True
            return
        self.dismiss((self.detail.entries[index].seq, event.value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReportDialog(ModalScreen[None]):
    """The daily incident report; S saves it as CSV through ``save``."""

    CSS_PATH = "incidents.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "关闭", id="incident_report.close"),
        Binding("s,f4", "save", "保存CSV", id="incident_report.save"),
    ]

    def __init__(self, report: IncidentReport, save: Callable[[IncidentReport], None]) -> None:
        super().__init__()
        self.report = report
        self.save = save

    def compose(self) -> ComposeResult:
        r = self.report
        with Vertical(id="incident-report", classes="incident-dialog"):
            yield Label(f"特殊情况日报 {r.date}", classes="dialog-title")
            with VerticalScroll(id="incident-report-body"):
                yield Static(report_text(r), id="incident-report-text")
            yield Label("S 保存为 CSV　Enter/Esc 关闭", classes="dialog-hint")

    def action_save(self) -> None:
        self.save(self.report)

    def action_close(self) -> None:
        self.dismiss(None)


def report_text(r: IncidentReport) -> Text:
    """The report as shown: totals, counts by type, then one block per incident."""
    text = Text.assemble(("共 ", ""), (str(r.total), "bold"), " 起　处置中 ",
                         (str(r.open), "bold red" if r.open else "bold"), " 起　已结案 ",
                         (str(r.closed), "bold"), " 起\n")
    if not r.total:
        text.append("\n当日没有特殊情况记录。", style="dim")
        return text
    for name, count in r.by_type:
        text.append(f"　{name} {count}\n", style="dim")
    for d in r.incidents:
        s = d.summary
        text.append(f"\n#{s.id} {s.logged_at[11:]} [{s.severity_label}] {s.type_name}",
                    style="bold")
        text.append(f"　{s.place}　{s.status_label}\n")
        text.append(f"　经过：{d.note}\n")
        for e in d.entries[1:]:
            body = entry_text(e)
            text.append(f"　#{e.seq} {e.at[11:16]} {e.actor_name} {entry_title(e)}"
                        f"{'　' + body if body else ''}\n", style="dim")
        if d.conclusion:
            text.append(f"　结论：{d.conclusion}\n")
    return text


def entry_title(e: IncidentEntryView) -> str:
    """What an entry is: the action's name, 更正 #n, 结案 ..."""
    if e.kind == "action":
        return e.action_name
    if e.corrects is not None:
        return f"更正 #{e.corrects}"
    return e.kind_label


def entry_text(e: IncidentEntryView) -> str:
    """An entry's result and note, joined."""
    return "；".join(x for x in (f"结果：{e.result}" if e.result else "", e.note) if x)
