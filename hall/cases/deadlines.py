"""Case deadlines: N days after a date, counted in calendar or working days.

    due(date(2026, 9, 20), 15, "calendar")   # (date(2026, 10, 8), True): 10-05 is 国庆, moved on
    due(date(2026, 9, 30), 3, "working")     # (date(2026, 10, 10), True): 10-01…10-07 are off;
                                             # 10-08, 10-09 and the 调休 Saturday 10-10 count

The period starts the day after ``start`` (the day of receipt does not count):

- ``calendar`` (自然日): ``start`` + N days; when that last day is a day off (weekend, statutory
  holiday), the period ends on the next working day, as the law counts periods (期间届满的最后一日
  是法定休假日的，以法定休假日结束的次日为期间届满的日期).
- ``working`` (工作日): the Nth working day after ``start``; 调休 Saturdays count, holidays don't.

Working days come from :mod:`hall.leaders.schedule` (chinese-calendar, with its fallback for a
year it does not know: weekends and the fixed holidays); ``known`` is False when a year without
data was crossed, and the screens say the date is unchecked.

A case is overdue from the first instant of the day after its due date, in the hall's time zone
(:func:`overdue`): a due date is a whole day.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from hall.leaders.schedule import next_working_day, working_day

Counting = Literal["calendar", "working"]
MAX_DAYS = 3660
"""The longest period counted (ten years): a configured limit beyond it is a typing error."""


def due(start: date, days: int, counting: Counting) -> tuple[date, bool]:
    """The last day of a period of ``days`` days after ``start``, and whether the holiday data
    knew every year it looked at."""
    if not 0 <= days <= MAX_DAYS:
        raise ValueError(f"期限天数应在 0 至 {MAX_DAYS} 之间：{days}")
    if counting not in ("calendar", "working"):
        # a typo must not silently count working days (the configuration's schema checks it too)
        raise ValueError(f"计日方式应为 calendar 或 working：{counting}")
    if days == 0:
        return start, True
    if counting == "calendar":
        return next_working_day(start + timedelta(days=days))
    known = True
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        works, ok = working_day(day)
        known = known and ok
        counted += works
    return day, known


def overdue(due_on: date | None, today: date) -> bool:
    """Whether a case due on ``due_on`` is overdue on the hall's local date ``today``."""
    return due_on is not None and today > due_on


def days_left(due_on: date, today: date) -> int:
    """Calendar days from ``today`` to the due date (0: due today; negative: overdue)."""
    return (due_on - today).days
