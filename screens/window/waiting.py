"""A window's waiting list: one line per ticket in call order, personal data masked.

    waiting = WaitingList(id="waiting-list")
    waiting.show(view.waiting, several_departments=False)

Columns fit the width: number, minutes waited, masked name, then the marks (回避 for a visitor the
staff member recused from, whom another window calls; priority group, 重 for a repeat visit,
集N for a collective visit of N people), which are cut with … when the panel is narrow. From 56
cells on it also shows the time the ticket was issued, and the department when the window serves
several. The highlighted line survives reloads (it follows the ticket number), so Enter on it
can call that number.

It lists the first :data:`SHOWN` in call order and then says how many more wait (F4 calls any
number): Textual's OptionList measures every line it holds on every change, and a window reloads
whenever any terminal changes a ticket, so a thousand lines cost about 90 ms a reload.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from hall.views import QueueEntry, WindowView

WIDE = 56
SHOWN = 100
"""Lines listed at most; far more than a screen shows, and the rest are counted."""


def fit(text: str, width: int, right: bool = False) -> str:
    """``text`` cut to ``width`` cells (with …) and padded to exactly ``width``."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        while text and cell_len(text) + 1 > width:
            text = text[:-1]
        text += "…"
    pad = " " * max(0, width - cell_len(text))
    return pad + text if right else text + pad


def marks(entry: QueueEntry) -> list[tuple[str, str]]:
    """The marks of a waiting ticket as (text, style) pairs."""
    out = []
    if entry.recused:  # this clerk's F5 passes over them: another window calls them (回避)
        out.append(("回避", "bold reverse $text-error"))
    if entry.waits_for:  # a reception room: whom the visitor waits for, first (「候李红 09:00」)
        out.append((f"候{entry.waits_for.split('–')[0]}", "$text-accent"))
    if entry.priority_name:
        out.append((entry.priority_name, "bold $text-warning"))
    if entry.collective:
        out.append((f"集{entry.people}", "bold $text-error"))
    if entry.repeat:
        out.append(("重", "bold $text-primary"))
    return out


class WaitingList(OptionList):
    """Today's waiting tickets of a window's departments, in the order they will be called."""

    DEFAULT_CSS = """
    WaitingList, WaitingList:focus {
        height: 1fr;
        border: none;
        padding: 0;
        & > .option-list--option { padding: 0 1; }
    }
    """

    def __init__(self, *, header: Static | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: tuple[QueueEntry, ...] = ()
        self.several = False
        self.header_widget = header
        """Where the column titles go, kept in step with the lines' widths."""

    @property
    def highlighted_number(self) -> str:
        """The ticket number on the highlighted line ("" when none)."""
        index = self.highlighted
        if index is None or not 0 <= index < min(len(self.entries), SHOWN):
            return ""
        return self.entries[index].number

    def show(self, entries: Sequence[QueueEntry], several_departments: bool = False) -> None:
        """Replace the lines, keeping the highlight on the same ticket when it still waits."""
        keep = self.highlighted_number
        self.entries = tuple(entries)
        self.several = several_departments
        self._draw()
        numbers = [e.number for e in self.entries[:SHOWN]]
        if keep in numbers:
            self.highlighted = numbers.index(keep)
        elif self.entries:
            self.highlighted = 0

    def header(self, width: int) -> Content:
        """The column titles for a list ``width`` cells wide (the panel draws them above)."""
        cols = self._columns(width)
        parts = [fit("票号", cols["number"]), fit("等候", cols["wait"], right=True)]
        if cols["issued"]:
            parts.append(fit("取号", cols["issued"]))
        parts.append(fit("姓名", cols["name"]))
        if cols["dept"]:
            parts.append(fit("部门", cols["dept"]))
        parts.append(fit("标记", cols["marks"]))
        return Content.styled(" " + " ".join(parts), "dim")

    def on_resize(self) -> None:
        keep = self.highlighted
        self._draw()
        if keep is not None and keep < min(len(self.entries), SHOWN):
            self.highlighted = keep

    def _columns(self, width: int) -> dict[str, int]:
        inner = max(20, width - 2)  # the option's padding
        wide = inner >= WIDE
        number = max([4, *(cell_len(e.number) for e in self.entries[:SHOWN])])
        cols = {"number": number, "wait": 5, "issued": 5 if wide else 0, "name": 6,
                "dept": 14 if wide and self.several else 0}
        used = sum(cols.values()) + sum(1 for v in cols.values() if v)  # one space after each
        cols["marks"] = max(2, inner - used)
        return cols

    def _draw(self) -> None:
        width = self.scrollable_content_region.width or self.size.width or 34
        if self.header_widget is not None:
            self.header_widget.update(self.header(width))
        cols = self._columns(width)
        options = []
        for e in self.entries[:SHOWN]:
            parts: list[tuple[str, str]] = [(fit(e.number, cols["number"]) + " ", "bold")]
            parts.append((fit(f"{e.waiting_minutes}分", cols["wait"], right=True) + " ",
                          "$text-warning" if e.waiting_minutes >= 60 else ""))
            if cols["issued"]:
                parts.append((fit(e.issued_at, cols["issued"]) + " ", "dim"))
            parts.append((fit(e.name_masked, cols["name"]) + " ", ""))
            if cols["dept"]:
                parts.append((fit(e.department_name, cols["dept"]) + " ", "dim"))
            room = cols["marks"]
            for label, style in marks(e):
                if room <= 0:
                    break
                piece = fit(label, room) if cell_len(label) > room else label
                parts.append((piece, style))
                room -= cell_len(piece) + 1
                if room > 0:
                    parts.append((" ", ""))
            text = Content.assemble(*parts)
            options.append(Option(text, id=e.number))
        if len(self.entries) > SHOWN:
            more = f"…… 另有 {len(self.entries) - SHOWN} 人候谈，F4 可指定叫号"
            options.append(Option(Content.styled(more, "dim"), disabled=True))
        self.clear_options()
        self.add_options(options)


def appointments_text(view: WindowView) -> Content:
    """The window's 约谈 for today, one line each: time, masked name, what for (the first line
    of it), and the case when there is one."""
    lines = [Content.styled(f"今日约谈 {len(view.appointments)}", "bold")]
    for a in view.appointments:
        note = a.note.splitlines()[0] if a.note else ""
        lines.append(Content.assemble((a.time, "bold"), f" {a.visitor or '—'} ", (note, "dim"),
                                      (f" {a.case_number}" if a.case_number else "", "dim")))
    return Content("\n").join(lines)
