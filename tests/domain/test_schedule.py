"""Schedule rules over 2025–2026 against the real holiday calendar (chinese-calendar).

Facts used (State Council notices): National Day 2025 is 1–8 October with 28 September (Sunday)
and 11 October (Saturday) worked; Spring Festival 2026 is 15–23 February with 14 and 28 February
(Saturdays) worked; 2026's New Year holiday is 1–3 January with 4 January (Sunday) worked.
"""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from config.leaders import ScheduleRule
from hall.leaders import schedule
from hall.leaders.schedule import holiday_name, next_working_day, raw_dates, rule_dates, working_day


def dates(rule: ScheduleRule, first: date, last: date) -> list[tuple[date, date]]:
    return [(d.date, d.original) for d in rule_dates(rule, first, last)]


def test_the_first_of_october_2025_moves_past_national_day() -> None:
    rule = ScheduleRule(every="month", days=[1, 15])
    assert holiday_name(date(2025, 10, 1)) == "国庆节"
    assert dates(rule, date(2025, 10, 1), date(2025, 10, 31)) == [
        (date(2025, 10, 9), date(2025, 10, 1)),  # 1–8 October off: Thursday the 9th
        (date(2025, 10, 15), date(2025, 10, 15)),
    ]


def test_spring_festival_2026_moves_the_15th_to_the_24th() -> None:
    rule = ScheduleRule(every="month", days=[15])
    got = rule_dates(rule, date(2026, 2, 1), date(2026, 2, 28))
    assert [(d.date, d.original, d.shifted) for d in got] == [
        (date(2026, 2, 24), date(2026, 2, 15), True)]
    assert holiday_name(date(2026, 2, 17)) == "春节"


def test_an_adjusted_working_saturday_is_a_working_day() -> None:
    # 14 February 2026 (Saturday) is worked before the Spring Festival: a weekly Saturday rule
    # stays there, while the ordinary Saturday of 7 February moves to Monday the 9th.
    assert working_day(date(2026, 2, 14)) == (True, True)
    assert working_day(date(2026, 2, 7)) == (False, True)
    rule = ScheduleRule(every="week", weekday=6)
    assert dates(rule, date(2026, 2, 1), date(2026, 2, 28)) == [
        (date(2026, 2, 9), date(2026, 2, 7)),
        (date(2026, 2, 14), date(2026, 2, 14)),
        (date(2026, 2, 24), date(2026, 2, 21)),  # 21st in the holiday, 22nd and 23rd too
        (date(2026, 2, 28), date(2026, 2, 28)),  # worked after the holiday
    ]
    # 11 October 2025 (Saturday) is worked after National Day.
    assert next_working_day(date(2025, 10, 11)) == (date(2025, 10, 11), True)


def test_a_rule_day_on_a_weekend_moves_to_the_next_working_day() -> None:
    rule = ScheduleRule(every="month", days=[5, 15, 25])  # the lawyer seat
    assert dates(rule, date(2025, 1, 1), date(2025, 1, 31)) == [
        (date(2025, 1, 6), date(2025, 1, 5)),  # Sunday → Monday
        (date(2025, 1, 15), date(2025, 1, 15)),
        # Saturday the 25th → Sunday the 26th, a working day before the 2025 Spring Festival.
        (date(2025, 1, 26), date(2025, 1, 25)),
    ]


def test_a_whole_two_years_of_rules_never_land_on_a_day_off() -> None:
    rules = [ScheduleRule(every="month", days=[1, 15]), ScheduleRule(every="week", weekday=3),
             ScheduleRule(every="quarter", quarter_month=1, days=[10]),
             ScheduleRule(every="month", days=[5, 15, 25])]
    for rule in rules:
        got = rule_dates(rule, date(2025, 1, 1), date(2026, 12, 31))
        assert got
        for d in got:
            assert working_day(d.date) == (True, True), (rule, d)
            assert d.date >= d.original
            assert d.checked
    monthly = rule_dates(rules[0], date(2025, 1, 1), date(2026, 12, 31))
    assert len(monthly) == 48  # none lost, none doubled
    quarterly = rule_dates(rules[2], date(2025, 1, 1), date(2026, 12, 31))
    assert [d.original.month for d in quarterly] == [1, 4, 7, 10] * 2
    # 10 January 2026 is a Saturday: the quarterly day moves to Monday the 12th.
    assert quarterly[4].date == date(2026, 1, 12)


def test_the_new_year_holiday_2026_and_its_adjusted_sunday() -> None:
    rule = ScheduleRule(every="month", days=[1])
    assert dates(rule, date(2026, 1, 1), date(2026, 1, 31)) == [
        (date(2026, 1, 4), date(2026, 1, 1))]  # 1–3 January off, Sunday the 4th worked


def test_days_a_month_lacks_fall_on_its_last_day() -> None:
    rule = ScheduleRule(every="month", days=[30, 31])
    assert raw_dates(rule, date(2026, 2, 1), date(2026, 2, 28)) == [date(2026, 2, 28)]
    assert raw_dates(rule, date(2026, 4, 1), date(2026, 4, 30)) == [date(2026, 4, 30)]
    assert raw_dates(rule, date(2026, 3, 1), date(2026, 3, 31)) == [date(2026, 3, 30),
                                                                    date(2026, 3, 31)]


def test_two_rule_days_moved_onto_one_day_make_one_reception() -> None:
    rule = ScheduleRule(every="month", days=[1, 3])  # both in National Day 2025
    assert dates(rule, date(2025, 10, 1), date(2025, 10, 31)) == [
        (date(2025, 10, 9), date(2025, 10, 1))]


def test_a_year_without_holiday_data_falls_back_to_weekends_and_says_so(monkeypatch) -> None:
    def unknown(day: date) -> bool:
        raise NotImplementedError(f"no available data for year {day.year}")

    monkeypatch.setattr(schedule.chinese_calendar, "is_workday", unknown)
    rule = ScheduleRule(every="month", days=[1])
    got = rule_dates(rule, date(2027, 5, 1), date(2027, 5, 31))
    assert [(d.date, d.checked) for d in got] == [(date(2027, 5, 3), False)]  # Sat → Mon
    assert "2027" in schedule.NO_DATA.format(year=2027)


def test_the_real_calendar_data_ends_where_the_package_says() -> None:
    # chinese-calendar 1.11.0 knows 2026; the year after is what the fallback is for.
    assert working_day(date(2026, 12, 31))[1] is True
    assert working_day(date(2030, 6, 3)) == (True, False)


@pytest.mark.parametrize(("fields", "message"), [
    ({"every": "week"}, "weekday"),
    ({"every": "month"}, "days"),
    ({"every": "month", "days": [32]}, "1 到 31"),
    ({"every": "month", "days": [1], "start": "10:00", "end": "09:00"}, "应晚于"),
    ({"every": "month", "days": [1], "start": "9点"}, "HH:MM"),
])
def test_a_bad_rule_is_refused_in_chinese(fields: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        ScheduleRule(**fields)


def test_rules_describe_themselves() -> None:
    assert ScheduleRule(every="month", days=[15, 1]).describe() == "每月1日、15日 09:00–11:30"
    assert ScheduleRule(every="week", weekday=3, start="9:00").describe() == \
        "每周三 09:00–11:30"
    assert ScheduleRule(every="quarter", days=[10]).describe().startswith("每季度第1个月10日")
