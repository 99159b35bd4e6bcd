"""The side panel of today's queue per department, kept fresh by polling the change counter.

A :class:`screens.work.Poller` reads :meth:`Hall.change_version` (one primary-key read); only
when it moved, or the business day rolled over, does it reload :meth:`Hall.queue_lengths`. So
tickets issued at other desks appear within a second without reloading anything in between.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from hall.views import QueueLength
from screens.widgets.cells import fit
from screens.work import Poller

if TYPE_CHECKING:
    from screens.app import HallApp


class QueuePanel(Static):
    """Today's waiting count per department; the department being chosen is highlighted."""

    DEFAULT_CSS = """
    QueuePanel {
        width: 26;
        height: 1fr;
        border: round $primary 60%;
        border-title-color: $text;
        border-subtitle-color: $text-muted;
        padding: 0 0;
    }
    """

    lengths: reactive[tuple[QueueLength, ...]] = reactive((), init=False)
    selected: reactive[str] = reactive("")
    """Department code to highlight (where the desk is about to send the visitor)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "今日候谈"
        self.poller: Poller | None = None

    def on_mount(self) -> None:
        hall = cast("HallApp", self.app).hall
        self.poller = Poller(self, hall.board.queue_lengths, topics=("tickets",), name="queue")
        self.poller.start()

    def poll(self, force: bool = False) -> None:
        """Look for changes now; ``force`` reloads even when nothing moved."""
        if self.poller is not None:
            self.poller.poll(force)

    def on_poller_changed(self, message: Poller.Changed) -> None:
        self.lengths = tuple(message.data)

    def on_poller_trouble(self, message: Poller.Trouble) -> None:
        if message.text:
            self.border_subtitle = "⚠ 数据库暂时无法连接"
        else:
            self._draw()

    def waiting(self, department: str) -> int | None:
        """Waiting count of a department as last loaded, or None before the first load."""
        return next((q.waiting for q in self.lengths if q.department == department), None)

    def watch_lengths(self) -> None:
        self._draw()

    def watch_selected(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        width = max(10, self.content_size.width)
        wide = width >= 34
        name_width = width - (4 + 5 + (6 if wide else 0))
        out = Text()
        if wide:
            out.append(fit("", 3) + fit("部门", name_width) + "  候谈  已出\n", style="dim")
        for q in self.lengths:
            # Separate spans per column keep the columns aligned in SVG screenshots too.
            chosen = q.department == self.selected
            base = "reverse " if chosen else ""
            out.append(f"{q.prefix:>2} ", style=base + "bold")
            out.append(fit(q.department_name, name_width),
                       style=base + ("" if q.waiting or chosen else "dim"))
            out.append(f"{q.waiting:>4} ", style=base + ("bold" if q.waiting else "dim"))
            if wide:
                out.append(f"{q.issued:>5} ", style=base + "dim")
            out.append("\n")
        out.rstrip()
        self.update(out)
        total = sum(q.waiting for q in self.lengths)
        issued = sum(q.issued for q in self.lengths)
        self.border_subtitle = f"候谈{total} 已出{issued}"
