"""What the case screen writes: the list's cells (cut to the table's width) and a case's detail.

    cells = list_cells(rows)                     # one tuple of cells per case
    fill_table(table, [r.id for r in rows], cells, keep=3)
    static.update(detail_text(detail, keys))     # keys: the steps this person may take now
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

from hall.cases.states import CLOSED, DETAIL_LABELS, DOCUMENT_KINDS, STEPS
from hall.cases.views import CaseDetail, CaseEntryView, CaseSummary
from screens.widgets.cells import cut, share_widths

COLUMNS = (("number", "编号"), ("state", "状态"), ("matter", "事由"), ("unit", "承办单位"),
           ("due", "期限"), ("leader", "包案"))
SHRINKABLE = {"number": 11, "matter": 8, "unit": 8, "leader": 4}
"""The columns cut with … when the table is too narrow, and the fewest cells each keeps (the
number is cut from the left: its end tells cases apart)."""
CLOSED_STYLE = "dim"

if TYPE_CHECKING:
    pass

Cells = tuple[str | Text, ...]


def due_text(s: CaseSummary) -> Text:
    """「12-08 剩15天」; overdue in red (「12-08 逾期3天」), due today or soon in yellow."""
    if not s.due_on or s.days_left is None:
        return Text("—", style=CLOSED_STYLE)
    day = s.due_on[5:]
    if s.overdue:
        return Text(f"{day} 逾期{-s.days_left}天", style="bold red")
    if s.days_left == 0:
        return Text(f"{day} 今天到期", style="bold yellow")
    return Text(f"{day} 剩{s.days_left}天", style="yellow" if s.due_soon else "")


def list_cells(rows: Sequence[CaseSummary]) -> list[Cells]:
    """One row of cells per case, uncut."""
    cells: list[Cells] = []
    for r in rows:
        matter = Text(r.matter, style="italic dim") if r.masked else r.matter
        state_style = (CLOSED_STYLE if r.state in CLOSED else "bold red" if r.overdue
                       else "bold")
        cells.append((r.number, Text(r.state_label, style=state_style), matter, r.unit,
                      due_text(r), r.leader_label))
    return cells


def cut_left(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` cells from the left (…0137 号)."""
    if cell_len(text) <= width:
        return text
    while text and cell_len(text) + 1 > width:
        text = text[1:]
    return "…" + text


def _plain(cell: str | Text) -> str:
    return cell.plain if isinstance(cell, Text) else cell


def _cut(key: str, cell: str | Text, width: int) -> str | Text:
    if key == "number":
        return cut_left(_plain(cell), width)
    if isinstance(cell, Text):
        return Text(cut(cell.plain, width), style=cell.style)
    return cut(cell, width)


def fill_table(table: DataTable, ids: Sequence[int], rows: Sequence[Cells],
               keep: int | None) -> None:
    """Put the rows in the table with columns as wide as the table allows (Chinese text takes two
    cells a character; the widest text columns give way first). ``keep``: the case whose row
    keeps the cursor."""
    natural = [max([cell_len(label), *(cell_len(_plain(row[i])) for row in rows)])
               for i, (_, label) in enumerate(COLUMNS)]
    minimum = [n if key not in SHRINKABLE else min(n, SHRINKABLE[key])
               for n, (key, _) in zip(natural, COLUMNS, strict=True)]
    width = table.size.width - 2 * table.cell_padding * len(COLUMNS)
    if len(rows) + 1 > table.size.height:  # + the header
        width -= table.styles.scrollbar_size_vertical
    # The number tells cases apart: it gives way only when the other columns cannot.
    whole = [n if key == "number" else m for n, m, (key, _) in zip(natural, minimum, COLUMNS,
                                                                    strict=True)]
    widths = share_widths(natural, whole if sum(whole) <= width else minimum, width)
    table.clear(columns=True)
    for (key, label), w in zip(COLUMNS, widths, strict=True):
        table.add_column(label, key=key, width=w)
    for case_id, row in zip(ids, rows, strict=True):
        table.add_row(*(_cut(COLUMNS[i][0], cell, widths[i]) for i, cell in enumerate(row)),
                      key=str(case_id))
    if keep is not None and keep in ids:
        table.move_cursor(row=table.get_row_index(str(keep)))


def entry_line(e: CaseEntryView) -> Text:
    """One step of the timeline: 「#3 11-24 10:02 张主任 督办 → 已受理　说明…」."""
    text = Text.assemble((f"#{e.seq} ", "bold"), (f"{e.at[5:16]} {e.actor_name} ", "dim"),
                         (e.kind_label, "bold"), (f" → {e.state_label}", "dim"))
    extra = [f"{DETAIL_LABELS[k]}：{v}" for k, v in e.detail.items()
             if k in DETAIL_LABELS and v]
    if e.due_on:
        extra.append(f"期限：{e.due_on}")
    if e.note:
        extra.insert(0, e.note)
    if extra:
        text.append("　" + "；".join(extra))
    return text


def detail_text(d: CaseDetail, keys: Sequence[str]) -> Text:
    """The case: what it is about, its dates, the visits about it (口径一致), documents, the
    timeline, and the steps ``keys`` (step codes) this person may take now."""
    s = d.summary
    text = Text.assemble((s.number, "bold"), "  ",
                         (s.state_label, "bold red" if s.overdue else "bold"), "\n")
    if s.masked:
        text.append(f"{s.matter}（保密事项，仅承办部门与中心领导可见）\n", style="italic")
    else:
        text.append(f"{s.category_name} · {s.visitor}\n", style="dim")
        text.append("事由：", style="bold")
        text.append(s.matter + "\n")
        if d.request:
            text.append("诉求：", style="bold")
            text.append(d.request + "\n")
    facts = [f"承办：{s.unit}", f"方式：{d.outcome_name}"]
    if s.leader_label:
        facts.append(f"包案：{s.leader_label}")
    text.append("　".join(facts) + "\n")
    dates = [f"立案 {s.opened_on}", f"受理告知期限 {d.acceptance_due}"]
    if d.accepted_on:
        dates.append(f"受理 {d.accepted_on}")
    handling = f"办理期限 {d.handling_due}"
    if d.extension_days:
        handling += f"（含延期 {d.extension_days} 天）"
    dates.append(handling)
    text.append("　".join(dates) + "\n", style="dim")
    if s.due_on:
        text.append("下一期限：", style="bold")
        text.append_text(due_text(s))
        text.append("\n")
    if s.extension_state:
        text.append(f"延期：{_EXTENSION.get(s.extension_state, s.extension_state)}\n",
                    style="yellow")
    if s.satisfaction:
        text.append(f"回访满意度：{s.satisfaction}\n")
    if d.parent:
        text.append(f"复查自：{d.parent}\n")
    if d.reviews:
        text.append(f"复查案件：{'、'.join(d.reviews)}\n")
    if d.visits:
        text.append("\n来访记录（口径一致）\n", style="bold")
        for v in d.visits:
            line = [v.date, v.department_name, v.outcome_name]
            said = "；".join(x for x in (v.note, v.reason, v.channel) if x)
            text.append(" ".join(x for x in line if x) + (f"　{said}" if said else "") + "\n")
    if d.documents:
        text.append("\n文书\n", style="bold")
        for kind, number, at in d.documents:
            text.append(f"{DOCUMENT_KINDS.get(kind, kind)} {number} {at}\n")
    text.append("\n时间线\n", style="bold")
    for e in d.entries:
        text.append_text(entry_line(e))
        text.append("\n")
    if keys:
        text.append("\n可进行：", style="bold")
        # [a]受理告知: a line may wrap between two steps, never inside one
        text.append("　".join(f"[{STEPS[k].key}]{STEPS[k].label}" for k in keys),
                    style="yellow")
    return text


_EXTENSION = {"requested": "已申请，待批准", "approved": "已批准", "refused": "未批准"}
