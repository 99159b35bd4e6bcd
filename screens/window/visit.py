"""The visitor a window is serving: the ticket number large, its state, and the registration.

    panel = CurrentVisitPanel(id="current")
    panel.show(view.current, paused=view.paused, waiting=len(view.waiting))

The number is in block letters, beside it the state (已叫号 / 接谈中), when it was called, how
many recalls, and whether a no-show (过号) may be marked yet. Below, what the window needs from
the registration, one labelled line each, long texts wrapped under their label: name, sex and
age, masked ID number, masked phone and address, district, category, matter, request, people and
the representatives (a collective visit: each on its line, name, masked phone and ID), the
visitor's special situations (特殊情况) if any, and the earlier visits with their outcomes. A visit
about a case shows the case (number, state, unit, due date) and, under 前次答复, what each earlier
visit of the same case was told (outcome, note, reason, channel: 口径一致); 接谈记录 says how many
versions were saved (^E). The
details scroll when the terminal is small. With nobody current it says what to press next. A
visitor the staff member recused themselves from (回避) is marked 「已回避」 beside the name, in
the state lines (with F11 to send them back) and in the panel's title.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, Static

from hall.text.masking import mask_address, mask_phone
from hall.views import CurrentVisit
from screens.widgets.bignumber import BigNumber

ROWS = (("who", "来访人"), ("case", "案件"), ("earlier", "前次答复"), ("record", "接谈记录"),
        ("id", "身份证"), ("phone", "电话"), ("address", "住址"), ("district", "属地"),
        ("category", "类别"), ("matter", "事由"), ("request", "诉求"), ("people", "人数"),
        ("incidents", "特殊情况"), ("history", "既往来访"))
HISTORY_LINES = 8


def _details(c: CurrentVisit, year: int | None = None) -> dict[str, Content | str]:
    """The value of each detail row ("" hides the row); dates of ``year`` drop the year."""
    tags: list[tuple[str, str]] = []
    if c.recused:
        tags.append((" 已回避 ", "bold reverse $text-error"))
    if c.priority_name:
        tags.append((f" {c.priority_name} ", "bold reverse $text-warning"))
    if c.repeat:
        tags.append((" 重复访 ", "bold reverse $text-primary"))
    if c.people > 1:
        tags.append((f" {'集体访' if c.representatives else '多人'} {c.people} 人 ",
                     "bold reverse $text-error"))
    who: list[tuple[str, str] | str] = [(c.name, "bold")]
    facts = " ".join(x for x in (c.sex, f"{c.age}岁" if c.age is not None else "") if x)
    if facts:
        who.append(f" {facts}")
    for tag in tags:
        who += [" ", tag]
    people = ""
    if c.people > 1:
        people = f"{c.people} 人"
        if c.representatives:
            people += f"；代表 {len(c.representatives)} 名\n" + "\n".join(c.representatives)
    history: Content | str = ""
    if c.history:
        counted = sum(not v.masked for v in c.history)  # 保密事项 is never counted
        lines = [Content.styled(f"共 {counted} 次", "dim")]
        for v in c.history[:HISTORY_LINES]:
            day = v.date[5:] if year and v.date.startswith(f"{year}-") else v.date
            if v.masked:  # a confidential matter of another department: its date, nothing else
                lines.append(Content.assemble(f"{day} ", (v.category_name or "—", "bold")))
                continue
            where = "、".join(x for x in (
                v.department_name if v.department != c.department else "",
                v.category_name if v.category_name != c.category_name else "") if x)
            lines.append(Content.assemble(
                f"{day} ", (v.number or "—", "bold"), " ",
                (v.outcome_label or "—", "$text-success" if v.outcome else "$text-muted"),
                (f"（{where}）" if where else "", "dim")))
        if len(c.history) > HISTORY_LINES:
            lines.append(Content.styled(f"……更早 {len(c.history) - HISTORY_LINES} 次见档案",
                                        "dim"))
        history = Content("\n").join(lines)
    elif not c.repeat:
        history = Content.styled("首次来访", "dim")
    incidents = Content("\n").join(Content.assemble(
        f"{i.date[5:] if year and i.date.startswith(f'{year}-') else i.date} ",
        (i.type_name, "bold $text-error"), " ", (i.status_label, "dim")) for i in c.incidents)
    return {
        "incidents": incidents if c.incidents else "",
        "who": Content.assemble(*who), "id": c.id_number_masked, "phone": mask_phone(c.phone),
        "address": mask_address(c.address), "district": c.district_name,
        "category": c.category_name, "matter": c.matter, "request": c.request, "people": people,
        "history": history, **case_rows(c),
    }


def case_rows(c: CurrentVisit) -> dict[str, Content | str]:
    """The case the visit is about (number, state, unit, due date) and what the earlier visits
    of the same case were told (口径一致), and the 接谈记录's saved versions."""
    record: Content | str = (Content.assemble(f"已记录 {c.interview_version} 版 ",
                                              ("^E 查看/续写", "dim"))
                             if c.interview_version else Content.styled("未记录　^E 记录", "dim"))
    case = c.case
    if case is None:
        return {"case": "", "earlier": "", "record": record}
    due = ""
    if case.due_on:
        due = f"{case.due_on} 到期" + (f"（已超期 {-case.days_left} 天）" if case.overdue
                                      and case.days_left is not None else "")
    head = Content.assemble((case.number, "bold"), " ", (case.state_label, "$text-primary"),
                            f"　{case.unit}　" if case.unit else "　",
                            (due, "bold $text-error" if case.overdue else "dim"))
    lines = []
    for v in case.earlier:
        said = "；".join(x for x in (v.note, f"理由：{v.reason}" if v.reason else "",
                                     f"途径：{v.channel}" if v.channel else "") if x)
        lines.append(Content.assemble(f"{v.date} ", (v.outcome_name or "—", "$text-success"),
                                      f"（{v.department_name}）" if v.department_name else "",
                                      f" {said}" if said else ""))
    earlier: Content | str = Content("\n").join(lines) if lines else ""
    return {"case": head, "earlier": earlier, "record": record}


def status_text(c: CurrentVisit) -> Content:
    """The lines beside the big number: state, call time, recalls, department, no-show rule."""
    style = "bold $text-success" if c.status == "serving" else "bold $text-warning"
    lines = [Content.styled(c.status_label, style)]
    if c.recused:
        lines.append(Content.styled("已回避 F11退回", "bold $text-error"))
    if c.called_at:
        lines.append(Content(f"{c.called_at} 叫号"))
    if c.recalls:
        lines.append(Content(f"已重呼 {c.recalls} 次"))
    lines.append(Content.styled(c.department_name, "dim"))
    if c.status == "called":
        lines.append(Content.styled("可过号 F3", "$text-error") if c.no_show_allowed
                     else Content.styled("未到过号条件", "dim"))
    return Content("\n").join(lines)


class CurrentVisitPanel(Vertical):
    """The current visitor, or what to do when there is none."""

    DEFAULT_CSS = """
    CurrentVisitPanel {
        & > #visit-head { height: auto; margin-bottom: 1; }
        & #visit-number { margin-right: 2; color: $text-warning; text-style: bold; }
        & #visit-status { width: 1fr; height: auto; }
        & > #visit-details { height: 1fr; scrollbar-size-vertical: 1; }
        & .visit-row { height: auto; }
        & .visit-label { width: 9; color: $text-muted; }
        & .visit-value { width: 1fr; height: auto; }
        & > #visit-empty {
            width: 1fr; height: 1fr; content-align: center middle; text-align: center;
            color: $text-muted;
        }
        &.-serving #visit-number { color: $text-success; }
        &.-none > #visit-head, &.-none > #visit-details { display: none; }
        &.-some > #visit-empty { display: none; }
    }
    """

    def compose(self) -> ComposeResult:
        with Horizontal(id="visit-head"):
            yield BigNumber(id="visit-number")
            yield Static(id="visit-status")
        with VerticalScroll(id="visit-details"):
            for name, label in ROWS:
                with Horizontal(id=f"visit-row-{name}", classes="visit-row"):
                    yield Label(label, classes="visit-label")
                    yield Static(id=f"visit-{name}", classes="visit-value")
        yield Static(id="visit-empty")

    def on_mount(self) -> None:
        self.show(None, paused=False, waiting=0)

    def show(self, current: CurrentVisit | None, paused: bool, waiting: int,
             scale: int = 1, year: int | None = None) -> None:
        """Show ``current`` (None: nobody), the window's pause state and the waiting count.

        ``scale`` sizes the big number; earlier visits of ``year`` are shown without it.
        """
        self.set_class(current is None, "-none")
        self.set_class(current is not None, "-some")
        self.set_class(current is not None and current.status == "serving", "-serving")
        if current is None:
            if paused:
                text = Content.assemble(("窗口已暂停", "bold $text-error"),
                                        "\n\n按 F2 恢复服务后再叫号")
            elif waiting:
                text = Content.assemble(("当前没有来访", "bold"),
                                        f"\n\n候谈 {waiting} 人　按 F5 叫下一位")
            else:
                text = Content.assemble(("当前没有来访", "bold"), "\n\n候谈队列已空")
            self.query_one("#visit-empty", Static).update(text)
            self.border_title = "当前来访"
            return
        number = self.query_one("#visit-number", BigNumber)
        number.text = current.number
        number.scale = scale
        self.query_one("#visit-status", Static).update(status_text(current))
        for name, value in _details(current, year).items():
            # A str is what the visitor said: shown as typed, never read as markup ("[b]").
            self.query_one(f"#visit-{name}", Static).update(
                value if isinstance(value, Content) else Content(value))
            self.query_one(f"#visit-row-{name}").display = bool(value)
        recused = " · 已回避" if current.recused else ""
        self.border_title = f"当前来访 {current.number} · {current.status_label}{recused}"
