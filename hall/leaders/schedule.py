"""Expanding schedule rules into dates, moving days off to the next working day.

    dates = rule_dates(rule, date(2025, 10, 1), date(2025, 10, 31))
    # [RuleDate(date=2025-10-09, original=2025-10-01, checked=True)]   国庆 moves the 1st

Working days come from chinese-calendar, which knows the statutory holidays and the adjusted
working days (调休): a 调休 Saturday is a working day and a reception may fall on it. Its data
covers the years the State Council has published (the package is updated each year, usually in
November, when the next year's holiday schedule is announced). For a year it does not know yet,
:func:`working_day` falls back to "Monday to Friday" less the holidays the law
fixes by date (:data:`FIXED_HOLIDAYS`: 元旦 1 January, 劳动节 1–2 May, 国庆节 1–3
October) and says so (``known`` False): the days planned that way are marked
unchecked (节假日未核对), and the screens and the CLI show the message in
:data:`NO_DATA` until the package is updated and the month planned again. The lunar
holidays (春节, 端午, 中秋), 清明 (a solar term) and the 调休 working weekends cannot be
known before the State Council publishes them: those stay unchecked.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

from config.leaders import ScheduleRule
from hall.leaders.views import UNCHECKED

NO_DATA = ("chinese-calendar 没有 {year} 年的法定节假日数据：已按周末和法定固定"
           "日期的假日（元旦1月1日、劳动节5月1日至2日、国庆节10月1日至3日）顺延；"
           "春节、清明、端午、中秋等节日和调休尚未核对，这些接待日标为"
           f"“{UNCHECKED}”。节假日安排公布后请升级 chinese-calendar"
           "（pip install -U chinese-calendar）并核对这些日期")
FIXED_HOLIDAYS = {(1, 1): "元旦", (5, 1): "劳动节", (5, 2): "劳动节", (10, 1): "国庆节",
                  (10, 2): "国庆节", (10, 3): "国庆节"}
"""(month, day) → the statutory holidays whose dates the law itself fixes
(《全国年节及纪念日放假办法》 as revised in 2024: 元旦 1 day, 劳动节 2 days, 国庆节
3 days): days off in any year, data or not. The days the State Council adds around
them by 调休 are not known until it publishes them."""
_LOOKAHEAD = 40  # the longest run of days off (Spring Festival) is far shorter


@dataclass(frozen=True)
class RuleDate:
    """A reception date from a rule: where it falls after moving, and where the rule put it."""

    date: date
    original: date
    checked: bool
    """False when the year had no holiday data and only weekends were considered."""

    @property
    def shifted(self) -> bool:
        """The rule's date was a day off and the reception moved."""
        return self.date != self.original


def working_day(day: date) -> tuple[bool, bool]:
    """(is a working day, the holiday data knew the year).

    Without the year's data: Monday to Friday, less the :data:`FIXED_HOLIDAYS`."""
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS, False


def holiday_name(day: date) -> str:
    """The statutory holiday ``day`` belongs to in Chinese (国庆节), or '' (weekend, no data)."""
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return FIXED_HOLIDAYS.get((day.month, day.day), "")
    if not on_holiday or name is None:
        return ""
    holiday = next((h for h in chinese_calendar.Holiday if h.value == name), None)
    return holiday.chinese if holiday is not None else ""


def day_note(day: date) -> str:
    """What the calendar says of a date: 国庆节, 休息日 or 调休上班; and a year without data."""
    works, known = working_day(day)
    note = "" if works else (holiday_name(day) or "休息日")
    if works and day.weekday() >= 5:
        note = "调休上班"
    return "　".join(x for x in (note, "" if known else f"（{UNCHECKED}）") if x)


def next_working_day(day: date) -> tuple[date, bool]:
    """``day`` itself if it is a working day, else the next one; and whether the data knew."""
    known = True
    for offset in range(_LOOKAHEAD):
        candidate = day + timedelta(days=offset)
        works, ok = working_day(candidate)
        known = known and ok
        if works:
            return candidate, known
    raise AssertionError(f"no working day within {_LOOKAHEAD} days of {day}")  # pragma: no cover


def raw_dates(rule: ScheduleRule, first: date, last: date) -> list[date]:
    """The rule's dates in [first, last], before moving days off."""
    out: list[date] = []
    if rule.every == "week":
        weekday = (rule.weekday or 1) - 1
        day = first + timedelta(days=(weekday - first.weekday()) % 7)
        while day <= last:
            out.append(day)
            day += timedelta(days=7)
        return out
    year, month = first.year, first.month
    while date(year, month, 1) <= last:
        if rule.every == "month" or (month - 1) % 3 == rule.quarter_month - 1:
            length = calendar.monthrange(year, month)[1]
            for d in sorted(set(rule.days)):
                day = date(year, month, min(d, length))  # the 31st of April: the 30th
                if first <= day <= last and day not in out:
                    out.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def rule_dates(rule: ScheduleRule, first: date, last: date) -> list[RuleDate]:
    """The rule's reception dates whose original date lies in [first, last], moved to working
    days; two dates moved onto the same day make one reception."""
    out: list[RuleDate] = []
    taken: set[date] = set()
    for original in raw_dates(rule, first, last):
        moved, known = next_working_day(original)
        if moved in taken:
            continue
        taken.add(moved)
        out.append(RuleDate(moved, original, known))
    return out


YEARS_AHEAD = 2
"""Reception days are planned at most this many years ahead: a far date is a typing error (and
9999-12 ran the calendar past year 9999)."""


def last_plannable(today: date) -> date:
    """The last date a reception day may be planned or added for, seen from ``today``: the end of
    the same month :data:`YEARS_AHEAD` years on."""
    return month_bounds(today.year + YEARS_AHEAD, today.month)[1]


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
