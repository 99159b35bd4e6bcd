"""What the incident screen writes: the list's cells (cut to the table's width) and the detail.

    cells = list_cells(rows, many_days=False)   # one tuple of cells per incident
    fill_table(table, [r.id for r in rows], cells, keep=3)
    static.update(detail_text(detail))
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable

from hall.incidents.views import IncidentDetail, IncidentSummary
from screens.incidents.dialogs import entry_text, entry_title
from screens.widgets.cells import cut, share_widths

COLUMNS = (("id", "号"), ("time", "时间"), ("level", "级"), ("type", "类型"), ("place", "地点"),
           ("status", "状态"), ("next", "建议下一步"))
SHRINKABLE = {"type": 8, "place": 6, "next": 6}
"""The columns cut with … when the table is too narrow, and the fewest cells each keeps."""
SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "dim"}

Cells = tuple[str | Text, ...]


def list_cells(rows: Sequence[IncidentSummary], many_days: bool) -> list[Cells]:
    """One row of cells per incident, uncut (the date too when the list spans days)."""
    return [(str(r.id), r.logged_at[5:] if many_days else r.logged_at[11:],
             Text(r.severity_label, style=SEVERITY_STYLE.get(r.severity, "")),
             r.type_name, r.place,
             Text(r.status_label, style="bold" if r.status == "open" else "dim"),
             r.next_action_name) for r in rows]


def fill_table(table: DataTable, ids: Sequence[int], rows: Sequence[Cells],
               keep: int | None) -> None:
    """Put the rows in the table with columns as wide as the table allows.

    Columns are sized here, not by the table: Chinese text takes two cells a character, and what
    the width cannot hold is cut with … from the widest text columns first (type, then place and
    the next step), so at 80 columns a type and its next step show whole whenever the row has
    room. ``keep``: the incident whose row keeps the cursor."""
    natural = [max([cell_len(label), *(cell_len(str(row[i])) for row in rows)])
               for i, (_, label) in enumerate(COLUMNS)]
    minimum = [n if key not in SHRINKABLE else min(n, SHRINKABLE[key])
               for n, (key, _) in zip(natural, COLUMNS, strict=True)]
    widths = share_widths(natural, minimum, room(table, len(rows)))
    table.clear(columns=True)
    for (key, label), width in zip(COLUMNS, widths, strict=True):
        table.add_column(label, key=key, width=width)
    for incident, row in zip(ids, rows, strict=True):
        table.add_row(*(cut(cell, widths[i]) if isinstance(cell, str) else cell
                        for i, cell in enumerate(row)), key=str(incident))
    if keep is not None and keep in ids:
        table.move_cursor(row=table.get_row_index(str(keep)))


def room(table: DataTable, rows: int) -> int:
    """Cells the columns' text may take: the table's width less each column's padding and the
    vertical scrollbar when the rows overflow."""
    width = table.size.width - 2 * table.cell_padding * len(COLUMNS)
    if rows + 1 > table.size.height:  # + the header
        width -= table.styles.scrollbar_size_vertical
    return width


def detail_text(d: IncidentDetail) -> Text:
    """The detail: header, what happened, the chain with steps done, the timeline."""
    s = d.summary
    text = Text.assemble((f"{s.type_name}", "bold"), "  ",
                         (f"{s.severity_label}级", SEVERITY_STYLE.get(s.severity, "")), "\n")
    facts = [s.logged_at, s.place, f"{s.people} 人"]
    if s.ticket:
        facts.append(f"票号 {s.ticket}")
    if d.visitor:
        facts.append(f"来访人 {d.visitor}")
    text.append(" · ".join(facts) + "\n", style="dim")
    text.append("经过：", style="bold")
    text.append(d.note + "\n")
    if d.chain:
        text.append("流程：", style="bold")
        for i, step in enumerate(d.chain):
            if i:
                text.append(" → ", style="dim")
            style = "green" if step.done else ("bold yellow" if step.code == s.next_action
                                               else "")
            text.append(("✓" if step.done else "") + step.name, style=style)
        text.append("\n")
    text.append("\n")
    for e in d.entries:
        text.append(f"#{e.seq} ", style="bold")
        text.append(f"{e.at[11:16]} {e.actor_name} ", style="dim")
        text.append(entry_title(e), style="bold" if e.kind != "correction" else "italic")
        body = entry_text(e)
        if body:
            text.append(f"　{body}")
        if e.corrected_by:
            text.append(f"　（已被 {'、'.join(f'#{n}' for n in e.corrected_by)} 更正）",
                        style="yellow")
        text.append("\n")
    if d.conclusion:
        text.append("结论：", style="bold")
        text.append(d.conclusion + "\n")
    elif s.status == "open" and s.next_action_name:
        text.append(f"建议下一步：{s.next_action_name}（F5）\n", style="yellow")
    return text

