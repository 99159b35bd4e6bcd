"""The month the reception-day screen shows: what one read brings, and how a day's bookings read.

    data = read_month(hall, date(2026, 11, 23))   # inside a connection (a worker or a poller)
    static.update(bookings_text(data.details[0]))
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text

from hall.leaders.schedule import month_bounds
from hall.leaders.views import DayDetail, LeaderDayView, LeaderInfo

if TYPE_CHECKING:
    from hall import Hall


@dataclass(frozen=True)
class MonthData:
    """A month's days and the selected date's details, loaded in one worker call."""

    year: int
    month: int
    days: tuple[LeaderDayView, ...]
    details: tuple[DayDetail, ...]  # the selected date's receptions with their bookings
    version: int
    leaders: tuple[LeaderInfo, ...]  # the roster, for the day and rule forms


def read_month(hall: Hall, selected: date) -> MonthData:
    """The month of ``selected`` with that date's receptions (inside a connection)."""
    version = hall.change_version("leaders")
    days = hall.leaders.days(*month_bounds(selected.year, selected.month))
    details = tuple(hall.leaders.bookings.day_detail(d.id)
                    for d in days if d.date == selected.isoformat())
    return MonthData(selected.year, selected.month, tuple(days), details, version,
                     tuple(hall.leaders.roster.list()))


def bookings_text(detail: DayDetail) -> Text:
    """A reception's facts and its bookings (visitors masked), as the screen lists them."""
    text = Text()
    d = detail.day
    if d.topic:
        text.append(f"主题：{d.topic}\n")
    facts = [f"编号 {d.id}", "接受现场排队" if d.walk_ins else "仅预约"]
    if d.shifted_from:
        facts.append(f"原定 {d.shifted_from}，遇休息日顺延")
    if not d.calendar_checked:
        facts.append(f"⚠ {d.calendar_note}：该年节假日安排未公布，请核对")
    text.append("　".join(facts) + "\n", style="dim")
    if d.status == "cancelled":
        text.append(f"已取消：{d.cancel_reason}\n", style="red")
    if not detail.bookings:
        text.append("尚无预约", style="dim")
    for b in detail.bookings:
        mark = {"booked": "", "checked_in": f"→{b.ticket_number}",
                "waitlisted": f"候补{b.waitlist_position}"}.get(b.status, b.status_label)
        style = "dim" if b.status not in ("booked", "checked_in", "waitlisted") else ""
        text.append(f"{b.seq:>2}. {b.name_masked:<4} {b.id_number_masked} {mark}\n",
                    style=style)
    return text
