"""A month calendar: seven columns, each day with its receptions' leaders and fill.

    grid.show(2026, 12, {date(2026, 12, 1): [day_view, ...]})
    grid.selected = date(2026, 12, 15)

The arrow keys move the selected date (across months too); the widget posts
:class:`MonthGrid.Moved` so the screen can load another month or show the date's days. Each cell
is two lines: the day number (marked for today, weekends, days moved off a holiday, and 未核: a
day planned without its year's holiday data, 节假日未核对) and the
receptions ("李红 3/10"; several: "2场 5/30"), coloured by status.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from hall.leaders.views import LeaderDayView

WEEKDAYS = "一二三四五六日"
UNCHECKED_MARK = "未核"
"""A cell's mark for 节假日未核对 (the month title explains it)."""
STATUS_STYLE = {"planned": "dim", "published": "bold", "held": "green",
                "cancelled": "strike dim red", "lapsed": "dim italic"}


def _fit(text: str, width: int, mark: str = "…") -> str:
    """``text`` cut (ending in ``mark``) and padded to ``width`` cells."""
    if cell_len(text) > width:
        while text and cell_len(text) + cell_len(mark) > width:
            text = text[:-1]
        text += mark
    return text + " " * max(0, width - cell_len(text))


def cell_lines(day: date, views: list[LeaderDayView], today: date, width: int,
               rows: int = 2) -> list[tuple[str, str]]:
    """A day's cell as ``rows`` (text, style) lines: the day number, then the receptions.

    With two rows, several receptions share one line ("2场 5/30"); with more, each gets its own
    line ("沈律师 0/20") and what does not fit is counted ("+2").
    """
    mark = "今" if day == today else ("移" if any(v.shifted_from for v in views) else "")
    if any(v.calendar_note for v in views if v.status != "cancelled"):
        mark += UNCHECKED_MARK  # planned without the year's holiday data
    out = [(_fit(f"{day.day:>2} {mark}", width), "")]
    live = [v for v in views if v.status != "cancelled"]
    if views and not live:
        out.append((_fit("已取消", width), STATUS_STYLE["cancelled"]))
    elif live and rows > 2 and 2 * len(live) <= rows - 1:
        # Room for a second line each: when and where.
        for v in live:
            out += [_reception([v], width), (_fit(f"{v.start} {v.room}", width), "dim")]
    elif live and (rows <= 2 or len(live) == 1):
        out.append(_reception(live, width))
    elif live:
        room = rows - 1
        shown = live if len(live) <= room else live[:room - 1]
        out += [_reception([v], width) for v in shown]
        if len(shown) < len(live):
            out.append((_fit(f"+{len(live) - len(shown)}", width), "dim"))
    while len(out) < rows:
        out.append((" " * width, ""))
    return out[:rows]


def _reception(live: list[LeaderDayView], width: int) -> tuple[str, str]:
    """One line for one or more receptions: who (or how many) and booked/capacity."""
    booked = sum(v.booked for v in live)
    capacity = sum(v.capacity for v in live)
    who = live[0].leader_name if len(live) == 1 else f"{len(live)}场"
    statuses = {v.status for v in live}
    if statuses == {"lapsed"}:
        # A past day that did not take place says so instead of its fill ("沈律未举行" when
        # narrow: the word matters more than the space).
        gap = " " if cell_len(who) + 7 <= width else ""
        return _fit(who, width - 6 - len(gap), mark="") + gap + "未举行", STATUS_STYLE["lapsed"]
    fill = f"{booked}/{capacity}"
    name = _fit(who, max(1, width - len(fill) - 1), mark="")  # "沈律 0/20": no room for …
    style = next(STATUS_STYLE[s] for s in ("published", "held", "planned", "lapsed")
                 if s in statuses)
    if booked >= capacity:
        style += " yellow"
    return f"{name} {fill}", style


class MonthGrid(Widget, can_focus=True):
    """A month of reception days; arrows move the selected date."""

    DEFAULT_CSS = """
    MonthGrid {
        height: auto;
        width: 1fr;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", show=False, id="grid.left"),
        Binding("right", "move(1)", show=False, id="grid.right"),
        Binding("up", "move(-7)", show=False, id="grid.up"),
        Binding("down", "move(7)", show=False, id="grid.down"),
    ]

    selected: reactive[date] = reactive(date(2000, 1, 1))
    today: reactive[date] = reactive(date(2000, 1, 1))

    class Moved(Message):
        """The selected date changed (maybe into another month)."""

        def __init__(self, selected: date) -> None:
            super().__init__()
            self.selected = selected

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.year, self.month = 2000, 1
        self.days: dict[date, list[LeaderDayView]] = {}

    def show(self, year: int, month: int, days: dict[date, list[LeaderDayView]]) -> None:
        """Draw ``year-month`` with the receptions of each date."""
        self.year, self.month, self.days = year, month, days
        self.refresh(layout=True)

    def action_move(self, delta: int) -> None:
        self.selected = self.selected + timedelta(days=delta)
        self.post_message(self.Moved(self.selected))

    def weeks(self) -> list[list[date | None]]:
        """The month's weeks, Monday first; None outside the month."""
        out = []
        for week in calendar.Calendar(0).monthdatescalendar(self.year, self.month):
            out.append([d if d.month == self.month else None for d in week])
        return out

    def rows_per_week(self) -> int:
        """Lines per week: two, or more when the widget is given the height."""
        weeks = len(self.weeks())
        return max(2, (self.content_size.height - 1) // weeks) if self.styles.height and \
            self.styles.height.is_fraction else 2

    def get_content_height(self, container: object, viewport: object, width: int) -> int:
        return 1 + 2 * len(self.weeks())

    def render(self) -> Text:
        width = max(7, self.content_size.width // 7)
        rows = self.rows_per_week()
        out = Text(no_wrap=True)
        for i, name in enumerate(WEEKDAYS):
            out.append(_fit(f" 周{name}", width), style="bold red" if i >= 5 else "bold")
        for week in self.weeks():
            lines = [Text(no_wrap=True) for _ in range(rows)]
            for i, day in enumerate(week):
                if day is None:
                    for line in lines:
                        line.append(" " * width)
                    continue
                cells = cell_lines(day, self.days.get(day, []), self.today, width - 1, rows)
                chosen = day == self.selected
                base = "reverse" if chosen and self.has_focus else ("underline" if chosen
                                                                     else "")
                for n, (text, style) in enumerate(cells):
                    if n == 0 and i >= 5:
                        style = "red"
                    line_style = " ".join(s for s in (base, style) if s) or None
                    lines[n].append(text + " ", style=line_style)
            for line in lines:
                out.append("\n")
                out.append_text(line)
        return out

    def watch_selected(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
