"""The periods figures cover: named ones as of a day, ranges checked, months for the report."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hall.desk.registration import FormError
from hall.stats.period import (
    MAX_DAYS,
    NAMED,
    Period,
    month_period,
    named_period,
    parse_day,
    period_of,
    range_period,
)

TODAY = date(2026, 12, 6)  # a Sunday


@pytest.mark.parametrize(("name", "start", "end", "label"), [
    ("today", "2026-12-06", "2026-12-06", "2026年12月6日"),
    ("yesterday", "2026-12-05", "2026-12-05", "2026年12月5日"),
    ("week", "2026-11-30", "2026-12-06", "2026年11月30日至12月6日"),
    ("last-week", "2026-11-23", "2026-11-29", "2026年11月23日至11月29日"),
    ("month", "2026-12-01", "2026-12-31", "2026年12月"),
    ("last-month", "2026-11-01", "2026-11-30", "2026年11月"),
    ("quarter", "2026-10-01", "2026-12-31", "2026年第4季度"),
    ("last-quarter", "2026-07-01", "2026-09-30", "2026年第3季度"),
    ("year", "2026-01-01", "2026-12-31", "2026年"),
    ("last-year", "2025-01-01", "2025-12-31", "2025年"),
])
def test_named_periods(name: str, start: str, end: str, label: str) -> None:
    period = named_period(name, TODAY)
    assert (period.start.isoformat(), period.end.isoformat(), period.label) == (start, end, label)
    assert name in NAMED


def test_every_period_kind_holds_its_day_and_tiles_the_year() -> None:
    """Independent oracle: walk the year day by day; each kind's periods cover it exactly once."""
    for kind in ("day", "week", "month", "quarter"):
        seen: list[date] = []
        day = date(2026, 1, 1)
        while day.year == 2026:
            p = period_of(kind, day)
            assert day in p
            seen += [d for d in p.each_day() if d.year == 2026 and d not in seen]
            day = p.end + timedelta(days=1)
        assert seen == [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]


def test_a_january_last_month_is_the_december_before() -> None:
    assert named_period("last-month", date(2027, 1, 15)) == Period(date(2026, 12, 1),
                                                                   date(2026, 12, 31), "month")
    assert named_period("last-quarter", date(2027, 2, 1)).label == "2026年第4季度"


def test_a_range_that_is_a_whole_month_is_headed_as_one() -> None:
    assert range_period("2026-02-01", "2026-02-28", TODAY).label == "2026年2月"
    assert range_period("2026-11-03", "2026-11-03", TODAY).kind == "day"
    assert range_period(None, None, TODAY) == Period(date(2026, 12, 1), TODAY, "range")
    assert range_period("20261101", "20261130", TODAY).kind == "month"


@pytest.mark.parametrize(("start", "end", "message"), [
    ("2026-13-01", None, "不是日期"),
    ("2026-02-30", None, "不是日期"),
    ("\x1b[2J", None, "不是日期"),
    ("9" * 5000, None, "不是日期"),
    ("1999-12-31", None, "2000 年至 2100 年"),
    (None, "2101-01-01", "2000 年至 2100 年"),
    ("2026-12-07", "2026-12-01", "早于开始日期"),
    ("2000-01-01", "2100-12-31", f"最长 {MAX_DAYS} 天"),
])
def test_bad_ranges_are_refused_in_chinese(start, end, message) -> None:
    with pytest.raises(FormError) as refused:
        range_period(start, end, TODAY)
    assert message in str(refused.value)
    assert len(str(refused.value)) < 120
    assert "\x1b" not in str(refused.value)


def test_month_for_the_report() -> None:
    assert month_period("2026-02") == Period(date(2026, 2, 1), date(2026, 2, 28), "month")
    assert month_period("2024-02").end == date(2024, 2, 29)
    for bad in ("2026-13", "2026", "26-11", "２０２６-11", "1999-12"):
        with pytest.raises(FormError):
            month_period(bad)
    with pytest.raises(FormError):
        named_period("fortnight", TODAY)
    assert parse_day(" 2026-11-01 ") == date(2026, 11, 1)
