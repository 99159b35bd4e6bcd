"""The period a figure covers: a day, a week, a month, a quarter, a year, or from–to.

    period = named_period("last-month", today=date(2026, 12, 6))   # 2026-11-01 … 2026-11-30
    period = range_period("2026-11-01", "2026-11-15", today=...)  # FormError on bad input
    period.label                                                   # 「2026年11月」

Days are the hall's **business days** (营业日): a visit belongs to the day its ticket is numbered
in (the configured time zone and rollover hour, :func:`hall.clock.business_day`), so a month's
figures and the tickets' own day always agree. A visit at 07:30 in Asia/Shanghai on 1 December
(23:30 UTC on 30 November) is December's; one at 01:00 on 1 December, before the 03:00 rollover,
still belongs to 30 November's session, as its ticket number does.

Bounds are inclusive. A range is refused (:class:`~hall.desk.registration.FormError`, Chinese
messages) when a date does not parse, when it ends before it starts, when it lies outside
2000–2100 or when it spans more than :data:`MAX_DAYS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hall.desk.registration import FormError

__all__ = ["MAX_DAYS", "NAMED", "Period", "month_period", "named_period", "parse_day",
           "period_of", "range_period"]

MAX_DAYS = 3700
"""The longest range a figure covers (about ten years)."""

_EARLIEST = date(2000, 1, 1)
_LATEST = date(2100, 12, 31)

KINDS: dict[str, str] = {"day": "日", "week": "周", "month": "月", "quarter": "季度",
                         "year": "年", "range": "时段"}
"""The kinds of period, by code."""

NAMED: dict[str, str] = {
    "today": "今天",
    "yesterday": "昨天",
    "week": "本周",
    "last-week": "上周",
    "month": "本月",
    "last-month": "上月",
    "quarter": "本季度",
    "last-quarter": "上季度",
    "year": "本年",
    "last-year": "上年",
}
"""The periods a manager picks by name (``--period``, the screen's picker), in offer order."""

LABELS = {"start": "开始日期", "end": "结束日期", "period": "统计时段", "month": "月份"}
"""The fields' names in a refusal."""


@dataclass(frozen=True)
class Period:
    """The business days ``start`` … ``end`` (both included), of one ``kind`` (:data:`KINDS`)."""

    start: date
    end: date
    kind: str = "range"

    @property
    def days(self) -> int:
        """How many days the period spans."""
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        """How the period is headed: 「2026年11月」, 「2026年第4季度」,
        「2026年11月30日至12月6日」."""
        s, e = self.start, self.end
        if self.kind == "day":
            return f"{s.year}年{s.month}月{s.day}日"
        if self.kind == "month":
            return f"{s.year}年{s.month}月"
        if self.kind == "quarter":
            return f"{s.year}年第{(s.month - 1) // 3 + 1}季度"
        if self.kind == "year":
            return f"{s.year}年"
        if s == e:
            return f"{s.year}年{s.month}月{s.day}日"
        tail = f"{e.month}月{e.day}日" if e.year == s.year else f"{e.year}年{e.month}月{e.day}日"
        return f"{s.year}年{s.month}月{s.day}日至{tail}"

    def each_day(self) -> list[date]:
        """Every day of the period, in order."""
        return [self.start + timedelta(days=i) for i in range(self.days)]

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def as_dict(self) -> dict[str, str]:
        """The period as JSON: ``{"start", "end", "kind", "label"}``."""
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "kind": self.kind, "label": self.label}


def period_of(kind: str, day: date) -> Period:
    """The period of ``kind`` (day, week from Monday, month, quarter, year) that holds ``day``."""
    if kind == "day":
        return Period(day, day, "day")
    if kind == "week":
        monday = day - timedelta(days=day.weekday())
        return Period(monday, monday + timedelta(days=6), "week")
    if kind == "month":
        return Period(day.replace(day=1), _month_end(day.year, day.month), "month")
    if kind == "quarter":
        first = (day.month - 1) // 3 * 3 + 1
        return Period(date(day.year, first, 1), _month_end(day.year, first + 2), "quarter")
    if kind == "year":
        return Period(date(day.year, 1, 1), date(day.year, 12, 31), "year")
    raise ValueError(f"unknown period kind {kind!r}")


def named_period(name: str, today: date) -> Period:
    """The period :data:`NAMED` calls ``name``, as of the business day ``today``; a
    :class:`FormError` for a name it doesn't know."""
    current = {"today": "day", "week": "week", "month": "month", "quarter": "quarter",
               "year": "year"}
    if name in current:
        return period_of(current[name], today)
    if name == "yesterday":
        return period_of("day", today - timedelta(days=1))
    if name.startswith("last-") and name[5:] in current:
        this = period_of(current[name[5:]], today)
        return period_of(this.kind, this.start - timedelta(days=1))
    choices = "、".join(f"{k}（{v}）" for k, v in NAMED.items())
    raise FormError({"period": f"不认识「{name}」，可选：{choices}"}, LABELS)


def parse_day(text: str, field: str = "start") -> date:
    """A date written YYYY-MM-DD (or YYYYMMDD) within 2000–2100; else a :class:`FormError` on
    ``field``."""
    value = text.strip()
    if len(value) == 8 and value.isdigit():
        value = f"{value[:4]}-{value[4:6]}-{value[6:]}"
    try:
        day = date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise FormError({field: f"「{_shown(text.strip())}」不是日期，请写成 2026-11-01"}, LABELS)
    if not _EARLIEST <= day <= _LATEST:
        raise FormError({field: "日期须在 2000 年至 2100 年之间"}, LABELS)
    return day


def range_period(start: str | date | None, end: str | date | None, today: date) -> Period:
    """The days ``start`` … ``end`` (strings or dates; a missing start is the first of
    ``today``'s month, a missing end is ``today``), checked; a whole month, quarter or year
    keeps that kind, so it is headed as one."""
    first = start if isinstance(start, date) else (
        parse_day(start, "start") if start else today.replace(day=1))
    last = end if isinstance(end, date) else (parse_day(end, "end") if end else today)
    if last < first:
        raise FormError({"end": f"结束日期 {last} 早于开始日期 {first}"}, LABELS)
    if (last - first).days + 1 > MAX_DAYS:
        raise FormError({"end": f"统计时段最长 {MAX_DAYS} 天，请缩短"}, LABELS)
    for kind in ("day", "month", "quarter", "year"):
        if period_of(kind, first) == Period(first, last, kind):
            return Period(first, last, kind)
    return Period(first, last, "range")


def month_period(text: str) -> Period:
    """The month written YYYY-MM (``hall report --month``); else a :class:`FormError`."""
    value = text.strip()
    try:
        first = date.fromisoformat(f"{value}-01") if len(value) == 7 else None
    except ValueError:
        first = None
    if first is None:
        raise FormError({"month": f"「{_shown(value)}」不是月份，请写成 2026-11"}, LABELS)
    if not _EARLIEST <= first <= _LATEST:
        raise FormError({"month": "月份须在 2000 年至 2100 年之间"}, LABELS)
    return period_of("month", first)


def _month_end(year: int, month: int) -> date:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _shown(text: str) -> str:
    """A bad value as a refusal quotes it: printable, at most 20 characters."""
    clean = "".join(c if c.isprintable() else "?" for c in text)
    return clean if len(clean) <= 20 else clean[:20] + "…"
