"""Dialogs of the case screen, each a ``ModalScreen[T]`` returning through a callback.

- :class:`StepDialog` -> ``CaseSummary | None``: what one step needs (note, how, satisfaction,
  unit, days, reason, leader, due date, told), checked in Chinese beside each field before
  anything is sent (:func:`hall.cases.case_text_errors` for the texts), then the step is taken
  in a thread worker (:class:`screens.dialogs.FormDialog`): a refusal (the state changed
  meanwhile, not allowed, a rule) stays in the dialog, in Chinese, and nothing was written.
  Enter moves to the next field and saves on the last; Ctrl+S saves; Esc cancels.
- :class:`DocumentDialog` -> ``str | None``: which document (:data:`DOCUMENT_KINDS`), by digit or
  ↑↓ Enter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from hall.cases import STEPS, case_text_errors
from hall.cases.states import DOCUMENT_KINDS, SATISFACTION
from screens.dialogs.form import DIALOG_CSS, FormDialog
from screens.widgets.picker import Choice, Picker

if TYPE_CHECKING:
    from config import HallConfig
    from hall import Hall
    from hall.cases.views import CaseSummary

DIALOG_ALIGN = "StepDialog, DocumentDialog { align: center middle; }"


@dataclass(frozen=True)
class Field:
    """One thing a step asks for."""

    key: str  # the facade's parameter (and the FormError key)
    label: str
    kind: str = "text"  # text | choice | date | days
    required: bool = False
    placeholder: str = ""
    choices: tuple[Choice, ...] = ()
    default: str = ""


NOTE = Field("note", "说明", placeholder="可不填")
TEXT_KEYS = {"note": "note", "reason": "reason", "channel": "channel", "unit": "unit",
             "how": "how", "told": "how"}
"""A field → the text rule it follows (:func:`hall.cases.case_text_errors`)."""


def step_fields(step: str, config: HallConfig) -> tuple[Field, ...]:
    """What ``step`` asks for, in order."""
    limits = config.time_limits
    if step == "accept":
        return (Field("how", "告知方式", placeholder="如 电话告知、当面送达（可不填）"), NOTE)
    if step == "refuse":
        kinds = (Choice("rejected", "不予受理", keys=("byshl",)),
                 Choice("not_again", "不再受理", keys=("bzshl",)))
        return (Field("kind", "类型", "choice", True, choices=kinds, default="rejected"),
                Field("reason", "理由", required=True),
                Field("channel", "告知途径", required=True, placeholder="如 向法院提起诉讼"))
    if step == "assign":
        return (Field("unit", "承办单位", required=True,
                      placeholder="部门名称或代码，外单位写全称"), NOTE)
    if step in ("reply", "refuse_extension"):
        return (Field("note", "答复内容" if step == "reply" else "理由", required=True),)
    if step == "return":
        return (Field("reason", "退回理由", required=True),)
    if step == "followup":
        ways = tuple(Choice(code, name, keys=(code,))
                     for code, name in config.cases.followup_ways.items())
        return (Field("how", "回访方式", "choice", True, choices=ways,
                      default=next(iter(config.cases.followup_ways), "")),
                Field("satisfaction", "满意度", "choice", True,
                      choices=tuple(Choice(s, s) for s in SATISFACTION),
                      placeholder="满意 / 基本满意 / 不满意"),
                Field("note", "来访人意见", placeholder="可不填"))
    if step == "urge":
        return (Field("note", "督办意见", required=True),
                Field("due", "新期限", "date", placeholder="YYYY-MM-DD（可不填）"))
    if step == "extend":
        return (Field("days", "延期天数", "days", True, placeholder=f"1–{limits.extension_days}"),
                Field("reason", "延期理由", required=True))
    if step == "approve_extension":
        return (Field("told", "告知来访人", required=True,
                      placeholder="如何、何时告知，如 11月24日电话告知"), NOTE)
    if step == "lead":
        leaders = tuple(Choice(x.code, x.label, keys=(x.code,)) for x in config.leaders
                        if x.kind == "leader")
        return (Field("leader", "包案领导", "choice", True, choices=leaders), NOTE)
    if step == "note":
        return (Field("note", "备注", required=True),)
    return (NOTE,)  # close, review


def field_errors(fields: tuple[Field, ...], values: dict[str, str],
                 extension_days: int) -> dict[str, str]:
    """What is wrong with ``values``, by field key, in Chinese (empty: the step may be sent)."""
    errors: dict[str, str] = {}
    texts = {TEXT_KEYS[f.key]: values[f.key] for f in fields if f.key in TEXT_KEYS}
    for key, text in case_text_errors(**texts).items():
        errors.update({f.key: text for f in fields if TEXT_KEYS.get(f.key) == key})
    for f in fields:
        value = values[f.key]
        if f.key in errors:
            continue
        if f.required and not value:
            errors[f.key] = "请选择" if f.kind == "choice" else "不能为空"
        elif f.kind == "date" and value:
            try:
                date.fromisoformat(value)
            except ValueError:
                errors[f.key] = "应为 YYYY-MM-DD，如 2026-12-10"
        elif f.kind == "days" and value and not (
                value.isdigit() and 1 <= int(value) <= extension_days):
            errors[f.key] = (f"应为 1 至 {extension_days} 天" if extension_days
                             else "本厅不允许延期")
    return errors


def unit_code(config: HallConfig, unit: str) -> str:
    """A department's code for its name or code as typed; anything else is an outside unit."""
    found = next((d.code for d in config.departments if unit in (d.code, d.name)), None)
    return found or unit


def step_call(hall: Hall, case_id: int, step: str, v: dict[str, str],
              actor: str) -> Callable[[], CaseSummary]:
    """The facade call that takes ``step`` with the dialog's values."""
    c = hall.cases
    calls: dict[str, Callable[[], CaseSummary]] = {
        "accept": lambda: c.accept(case_id, actor, how=v["how"], note=v["note"]),
        "refuse": lambda: c.refuse(case_id, v["kind"], v["reason"], v["channel"], actor),
        "assign": lambda: c.assign(case_id, unit_code(hall.config, v["unit"]), actor,
                                   note=v["note"]),
        "reply": lambda: c.reply(case_id, v["note"], actor),
        "return": lambda: c.send_back(case_id, v["reason"], actor),
        "followup": lambda: c.followup(case_id, v["how"], v["satisfaction"], actor,
                                       note=v["note"]),
        "close": lambda: c.close(case_id, actor, note=v["note"]),
        "urge": lambda: c.urge(case_id, v["note"], actor,
                               due=date.fromisoformat(v["due"]) if v["due"] else None),
        "extend": lambda: c.extend(case_id, int(v["days"]), v["reason"], actor),
        "approve_extension": lambda: c.approve_extension(case_id, actor, v["told"],
                                                         note=v["note"]),
        "refuse_extension": lambda: c.refuse_extension(case_id, actor, v["note"]),
        "lead": lambda: c.lead(case_id, v["leader"], actor, note=v["note"]),
        "note": lambda: c.note(case_id, v["note"], actor),
        "review": lambda: c.review(case_id, actor, note=v["note"]),
    }
    return calls[step]


class StepDialog(FormDialog):
    """Ask what one step needs, check it, take it (in a worker); returns the case's summary."""

    CSS_PATH = DIALOG_CSS
    DEFAULT_CSS = DIALOG_ALIGN
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="case_step.cancel"),
        Binding("ctrl+s", "save", "保存", id="case_step.save", priority=True),
    ]

    def __init__(self, case_id: int, number: str, step: str, actor: str) -> None:
        super().__init__()
        self.case_id, self.number, self.step, self.actor = case_id, number, step, actor
        self.title_text = f"{number}：{STEPS[step].label}"
        self.fields: tuple[Field, ...] = ()

    def compose(self) -> ComposeResult:
        config = self.hall_app.hall.config
        self.fields = step_fields(self.step, config)
        self.LABELS = {f.key: f.label for f in self.fields}
        with Vertical(id="case-step", classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            for f in self.fields:
                widget: Any
                if f.kind == "choice":
                    widget = Picker(list(f.choices), placeholder=f.placeholder or "↓ 选择",
                                    id=f"field-{f.key}")
                else:
                    widget = Input(placeholder=f.placeholder, compact=True, id=f"field-{f.key}")
                yield from self.row(f.key, widget)
            yield Label(id="form-error", classes="dialog-error")
            yield Label("Enter 下一项/保存　Ctrl+S 保存　Esc 取消", classes="dialog-hint")

    def on_mount(self) -> None:  # after FormDialog's (Textual calls both)
        for f in self.fields:
            if f.kind == "choice" and f.default:
                self.query_one(f"#field-{f.key}", Picker).choose(f.default)
        self.query_one(f"#field-{self.fields[0].key}").focus()

    def values(self) -> dict[str, str]:
        """The fields' values as typed or chosen (texts stripped)."""
        out = {}
        for f in self.fields:
            widget = self.query_one(f"#field-{f.key}")
            out[f.key] = (widget.value if isinstance(widget, Picker)
                          else widget.value.strip())  # type: ignore[attr-defined]
        return out

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        event.prevent_default()  # FormDialog's handler would move the focus once more

        last = self.fields[-1]
        last_input = self.query_one(f"#field-{last.key}")
        if event.input is last_input or event.input.parent is last_input:
            self.action_save()
        else:
            self.focus_next()

    def action_save(self) -> None:
        values = self.values()
        config = self.hall_app.hall.config
        errors = field_errors(self.fields, values, config.time_limits.extension_days)
        if errors:
            self.show_errors(errors)
            first = next(f for f in self.fields if f.key in errors)
            self.query_one(f"#field-{first.key}").focus()  # where the fix is typed
            return
        self.show_errors({})
        self.run_call("save", step_call(self.hall_app.hall, self.case_id, self.step, values,
                                        self.actor))


class DocumentDialog(ModalScreen[str | None]):
    """Pick the document to print: a digit, or ↑↓ and Enter; Esc cancels."""

    CSS_PATH = DIALOG_CSS
    DEFAULT_CSS = DIALOG_ALIGN + " #case-documents { height: auto; max-height: 10; }"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消", id="case_document.cancel"),
        *(Binding(str(n), f"pick({n - 1})", show=False, id=f"case_document.pick{n}")
          for n in range(1, len(DOCUMENT_KINDS) + 1)),
    ]

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number
        self.kinds = list(DOCUMENT_KINDS)

    def compose(self) -> ComposeResult:
        options = [Option(Text.assemble((f"{n} ", "bold"), DOCUMENT_KINDS[k]), id=k)
                   for n, k in enumerate(self.kinds, 1)]
        with Vertical(id="case-document", classes="dialog"):
            yield Label(f"{self.number}：出具文书（PDF）", classes="dialog-title")
            yield OptionList(*options, id="case-documents")
            yield Label("数字键或 ↑↓ Enter 选择　Esc 取消", classes="dialog-hint")

    def action_pick(self, index: int) -> None:
        self.dismiss(self.kinds[index])

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
