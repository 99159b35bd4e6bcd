"""The banner over the desk form: who the ID number belongs to, first visit or repeat.

A valid new ID shows 新访 with the sex, birth date and age read from the number; a known one
shows 重复访 with the name on file, how many earlier visits, and the date, department and
outcome of the last, and a leader's 包案 of this visitor's matter if there is one. When the
screen is tall enough, the earlier visits are listed below. A confidential matter the clerk may
not see (检举控告 handled by 纪委监委) is 「保密事项」 with its date: listed, never counted.
A visit linked to one of the visitor's open cases (同一事项) says 重复访（同一事项） with the case's
number, state and due date, where a visit about another matter says 重复访.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from hall.text.documents import ID_CARD, Document, document_type
from hall.text.idnumber import IdNumber
from hall.views import CaseSummary as TakenCase
from hall.views import VisitorFile, VisitSummary

if TYPE_CHECKING:
    from hall.cases.views import CaseSummary


def person_text(person: IdNumber | Document, today: date) -> str:
    """「女 · 1949-12-31 生 · 76岁」, or the document's name when its number says nothing."""
    if person.birth_date is None:
        kind = document_type(getattr(person, "kind", ""))
        return f"{kind.name if kind else '证件'} {person.value}"
    return f"{person.sex_label} · {person.birth_date.isoformat()} 生 · {person.age_on(today)}岁"


def case_label(case: CaseSummary) -> str:
    """「江信〔2026〕第 0137 号 待受理 期限 2026-12-08」: a case as the desk names it."""
    due = f" 期限 {case.due_on}" if case.due_on else ""
    return f"{case.number} {case.state_label}{due}"


def open_today(file: VisitorFile, today: date) -> list[VisitSummary]:
    """The file's tickets of today still waiting, called or at a window."""
    return [v for v in file.visits if v.date == today.isoformat()
            and v.status in ("waiting", "called", "serving")]


class VisitorBanner(Static):
    """One or two lines about the visitor; more lines of history when there is room."""

    DEFAULT_CSS = """
    VisitorBanner {
        height: auto;
        padding: 0 1;
        margin-bottom: 1;
        background: $boost;
        border-left: wide $panel;
        &.-new { border-left: wide $success; }
        &.-repeat { border-left: wide $warning; background: $warning 12%; }
    }
    """

    def idle(self, kind: str = ID_CARD) -> None:
        """No valid number yet: asks for the number of the document type ``kind`` (F3)."""
        spec = document_type(kind)
        what = "身份证号" if spec is None or spec.code == ID_CARD else f"{spec.name}号码"
        self._set("", Text(f"新来访：请读取或输入{what}", style="dim"))

    def looking(self, person: IdNumber | Document, today: date) -> None:
        """Valid ID, the file is being looked up."""
        self._set("", Text.assemble(("查询档案… ", "dim"), person_text(person, today)))

    def new(self, person: IdNumber | Document, today: date) -> None:
        """Valid ID without a file: first visit."""
        self._set("-new", Text.assemble((" 新访 ", "bold reverse green"), " ",
                                        person_text(person, today), ("　首次来访", "dim")))

    def repeat(self, person: IdNumber | Document, file: VisitorFile, today: date,
               history: int, case: CaseSummary | None = None) -> None:
        """Known visitor; ``history`` is how many earlier visits to list below the summary;
        ``case`` the open case this visit is about (同一事项), None for another matter."""
        age = person.age_on(today)
        if case is not None:
            tag = (" 重复访（同一事项） ", "bold reverse yellow")
        elif not file.visit_count:  # only 保密事项 on file: no repeat visit for this desk
            tag = (" 已建档 ", "bold reverse green")
        else:
            tag = (" 重复访 ", "bold reverse yellow")
        text = Text.assemble(tag, " ", (file.name, "bold"), " ",
                             f"{person.sex_label} {age}岁" if age is not None else "",
                             ("　此前来访 ", ""), (str(file.visit_count), "bold"), " 次")
        if case is not None:
            text.append(f"\n{case_label(case)}", style="bold")
        last = file.last_visit
        if last is not None:
            text.append(f"\n最近 {last.date} {last.department_name}"
                        f"（{last.category_name}）· {last.outcome_label or '—'}")
        for visit in open_today(file, today)[:1]:  # one ticket a day, unless a reason is given
            text.append(f"\n今日已有票号 {visit.number}（{visit.department_name}，"
                        f"{visit.outcome_label or visit.status}）：再次取号须说明原因",
                        style="bold red")
        if file.history:
            renames = [c for c in file.history if c.field == "name"]
            former = "、".join(dict.fromkeys(c.old for c in renames))
            text.append(f"\n档案变更 {len(file.history)} 处"
                        + (f"，曾用名 {former}" if renames else "") + "（F8 查看）", style="bold")
        for case in file.cases[:1]:
            more = f"（另有 {len(file.cases) - 1} 件）" if len(file.cases) > 1 else ""
            text.append(f"\n包案 {case.leader_label}（{case.date}）{_standing(case)}："
                        f"{case.matter}{more}", style="bold magenta")
        if file.incidents:  # special situations on file: the operator should know at once
            latest = file.incidents[0]
            text.append(f"\n特殊情况 {len(file.incidents)} 起：最近 {latest.date} "
                        f"{latest.type_name}（{latest.status_label}）", style="bold red")
        if file.withheld_count:  # a confidential matter elsewhere: its date, nothing else
            text.append(f"\n另有保密事项 {file.withheld_count} 件（不计入来访次数）", style="dim")
        for visit in [v for v in file.visits if not v.masked][1:history]:
            text.append(f"\n　　 {visit.date} {visit.department_name}（{visit.category_name}）"
                        f"· {visit.outcome_label or '—'}", style="dim")
        self._set("-repeat" if file.visit_count or case else "-new", text)

    def _set(self, kind: str, text: Text) -> None:
        self.set_class(kind == "-new", "-new")
        self.set_class(kind == "-repeat", "-repeat")
        self.update(text)


class VisitHistory(Static):
    """The visitor's file beside the form on wide screens: details and every earlier visit."""

    DEFAULT_CSS = """
    VisitHistory {
        width: 1fr;
        height: 1fr;
        border: round $primary 60%;
        border-title-color: $text;
        padding: 0 1;
        display: none;
    }
    """

    def on_mount(self) -> None:
        self.border_title = "来访档案"
        self.idle()

    def idle(self) -> None:
        self.update(Text("读取身份证号后，这里显示此人的档案和历次来访。", style="dim"))

    def new(self, person: IdNumber | Document, today: date) -> None:
        self.update(Text.assemble(person_text(person, today), "\n\n",
                                  ("首次来访，出票时建立档案", "dim")))

    def repeat(self, person: IdNumber | Document, file: VisitorFile, today: date) -> None:
        text = Text.assemble((file.name, "bold"), "  ", person_text(person, today), "\n")
        for label, value in (("电话", file.phone), ("住址", file.address)):
            if value:
                text.append(f"{label} {value}\n")
        if file.history:
            text.append("\n档案变更（新的在前）\n", style="bold")
            for change in file.history:
                text.append(f"{change.at[:10]} {change.field_label} ", style="dim")
                text.append(f"{change.old or '（空）'} → {change.new or '（空）'}\n")
        if file.open_cases:
            text.append("\n未结案件\n", style="bold")
            for open_case in file.open_cases:
                text.append(f"{case_label(open_case)}\n　{open_case.unit}：{open_case.matter}\n")
        if file.cases:
            text.append("\n领导包案\n", style="bold magenta")
            for case in file.cases:
                text.append(f"{case.date} {case.leader_label}{_standing(case)}：{case.matter}\n")
        if file.incidents:
            text.append(f"\n特殊情况（{len(file.incidents)} 起）\n", style="bold red")
            for incident in file.incidents:
                text.append(f"{incident.date} {incident.type_name} {incident.status_label}\n")
        text.append(f"\n历次来访（{file.visit_count} 次，新的在前）\n", style="bold")
        for visit in file.visits:
            if visit.masked:  # 保密事项: the date and nothing else
                text.append(f"{visit.date} ", style="dim")
                text.append(f"{visit.category_name or '—'}\n", style="bold")
                continue
            text.append(f"{visit.date} ", style="dim")
            text.append(f"{visit.number or '—':<5}", style="bold")
            text.append(f"{visit.outcome_label or '—'}\n", style="yellow")
            text.append(f"　{visit.category_name} → {visit.department_name}\n")
        self.update(text)


def _standing(case: TakenCase) -> str:
    """Where a 包案 stands: 「江信〔2026〕第 0137 号 办理中 期限 2027-01-22」 ("" for a 包案
    recorded before cases existed)."""
    parts = [case.number, case.state_label, f"期限 {case.due_on}" if case.due_on else ""]
    shown = " ".join(p for p in parts if p)
    return f" {shown}" if shown else ""
