"""A month of a year without holiday data (issue 9 §4): the law's fixed-date holidays are kept
free, and every day planned that way is marked 节假日未核对 on the calendar cell, the list, the
exports and ``hall leader-days`` (text and JSON). SQLite and PostgreSQL.

The holiday data is made to end with 2026 here, as chinese-calendar 1.11.0's does, so that the tests
keep meaning the same once the package learns 2027. The oracle for the fixed holidays is the law's
text (《全国年节及纪念日放假办法》, 2024 revision), written out below, not the code's table.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import icalendar
import pytest

from hall import Hall
from hall.export import month_schedule
from hall.leaders import schedule
from hall.leaders.views import UNCHECKED
from screens.leaders.monthgrid import cell_lines
from tests.cli.test_cli import NOW, Cli
from tests.helpers import cli_env

# 第二条: 元旦，放假1天（1月1日）；劳动节，放假2天（5月1日、2日）；国庆节，放假3天（10月1日至3日）.
LAW_FIXED = {"01-01", "05-01", "05-02", "10-01", "10-02", "10-03"}


@pytest.fixture(autouse=True)
def _data_ends_with_2026(monkeypatch) -> None:
    real_workday = schedule.chinese_calendar.is_workday
    real_detail = schedule.chinese_calendar.get_holiday_detail

    def unknown_after_2026(real):
        def call(day: date):
            if day.year > 2026:
                raise NotImplementedError(f"no available data for year {day.year}")
            return real(day)
        return call

    monkeypatch.setattr(schedule.chinese_calendar, "is_workday", unknown_after_2026(real_workday))
    monkeypatch.setattr(schedule.chinese_calendar, "get_holiday_detail",
                        unknown_after_2026(real_detail))


def test_new_years_day_2027_gets_no_reception_and_the_days_are_marked(hall: Hall) -> None:
    plan = hall.leaders.plan.month(2027, 1, actor="mgr01")
    got = sorted((d.date, d.leader, d.shifted_from, d.calendar_checked) for d in plan.created)
    assert got == [
        ("2027-01-04", "zhangwei", "2027-01-01", False),  # Friday 1 January is 元旦 → Monday
        ("2027-01-05", "shenlv", "", False),
        ("2027-01-11", "wangshu", "2027-01-10", False),  # Sunday → Monday
        ("2027-01-15", "lihong", "", False),
        ("2027-01-15", "shenlv", "", False),
        ("2027-01-25", "shenlv", "", False),
    ]
    assert all(d.calendar_note == UNCHECKED for d in plan.created)
    assert not any(d.date[5:] in LAW_FIXED for d in hall.leaders.days(date(2027, 1, 1),
                                                                       date(2027, 1, 31)))
    # The note to the user says what was and was not checked.
    (warning,) = plan.warnings
    assert "元旦" in warning and "春节" in warning and UNCHECKED in warning


def test_national_day_and_labour_day_of_a_year_without_data_are_kept_free() -> None:
    for day in sorted(LAW_FIXED):
        on = date.fromisoformat(f"2027-{day}")
        assert schedule.working_day(on) == (False, False), on
        assert schedule.holiday_name(on) in {"元旦", "劳动节", "国庆节"}
    rule = schedule.ScheduleRule(every="month", days=[1, 2, 3])
    october = schedule.rule_dates(rule, date(2027, 10, 1), date(2027, 10, 31))
    assert [(d.date, d.checked) for d in october] == [(date(2027, 10, 4), False)]
    # A lunar holiday cannot be known: Spring Festival 2027 (6 February) stays a plain weekday,
    # unchecked, which the mark tells the manager to check.
    assert schedule.working_day(date(2027, 2, 8)) == (True, False)


def test_a_year_with_data_is_not_marked(hall: Hall) -> None:
    plan = hall.leaders.plan.month(2026, 12, actor="mgr01")
    assert plan.created and all(d.calendar_checked and not d.calendar_note
                                for d in plan.created)
    assert plan.warnings == ()


def test_a_one_off_day_in_a_year_without_data_is_marked_too(hall: Hall) -> None:
    day = hall.leaders.add_day("zhangwei", date(2027, 3, 3), "09:00", "11:00", 5, actor="mgr01")
    assert day.calendar_note == UNCHECKED
    near = hall.leaders.add_day("zhangwei", date(2026, 12, 3), "09:00", "11:00", 5,
                                actor="mgr01")
    assert near.calendar_note == ""


def test_the_cell_and_the_exports_show_the_mark(hall: Hall) -> None:
    hall.leaders.plan.month(2027, 1, actor="mgr01")
    days = hall.leaders.days(date(2027, 1, 1), date(2027, 1, 31))
    first = [d for d in days if d.date == "2027-01-04"]
    cell = cell_lines(date(2027, 1, 4), first, date(2026, 11, 23), 10)
    assert "未核" in cell[0][0]
    assert "未核" not in cell_lines(date(2027, 1, 4), [], date(2026, 11, 23), 10)[0][0]
    for d in days:  # the export lists published days
        hall.leaders.plan.publish_day(d.id, actor="mgr01")
    shown, csv_text, ics_text = month_schedule(hall, 2027, 1)
    assert len(shown) == 6
    rows = list(csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff"))))
    assert [UNCHECKED in r["备注"] for r in rows] == [True] * 6
    events = icalendar.Calendar.from_ical(ics_text).walk("VEVENT")
    assert len(events) == 6 and all(UNCHECKED in str(e["DESCRIPTION"]) for e in events)


def test_leader_days_prints_and_returns_the_mark(db_url: str, capsys, monkeypatch,
                                                 tmp_path: Path) -> None:
    cli_env(monkeypatch, tmp_path, NOW, "mgr01")
    cli = Cli(db_url, capsys)
    status, _, err = cli("leader-days", "plan", "--month", "2027-01")
    assert status == 0 and "元旦" in err
    status, out, err = cli("leader-days", "--month", "2027-01")
    assert status == 0
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 6 and all(UNCHECKED in line for line in lines)
    assert "2027-01-01" not in [line.split()[1] for line in lines] and "春节" in err
    data = cli.json("leader-days", "--month", "2027-01")
    assert next((d["date"], d["calendar_checked"], d["calendar_note"]) for d in data["days"]) == (
        "2027-01-04", False, UNCHECKED)
    assert len(data["warnings"]) == 1
    december = cli.json("leader-days", "plan", "--month", "2026-12")
    assert {d["calendar_note"] for d in december["created"]} == {None}
    json.dumps(data)  # plain JSON
