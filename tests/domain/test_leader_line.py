"""The board's leader line after a reception ends (issue 9 §4): it stops announcing it, says it
ended and names the next one. SQLite and PostgreSQL.

The hall's clock stands at Monday 2026-11-23 09:00 (tests/conftest.py); it is moved here.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from hall import Hall
from hall.clock import FixedClock
from screens.board.widgets import leader_line

TODAY = date(2026, 11, 23)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(clock: FixedClock, hhmm: str) -> None:
    clock.set(datetime.combine(TODAY, datetime.strptime(hhmm, "%H:%M").time(), SHANGHAI))


def line(hall: Hall) -> str:
    return leader_line(hall.board.view().receptions)


def test_an_ended_reception_leaves_the_line_and_the_next_is_named(
        hall: Hall, clock: FixedClock) -> None:
    hall.leaders.add_day("lihong", TODAY, "09:00", "11:30", 5, actor="mgr01")
    hall.leaders.add_day("shenlv", TODAY, "09:00", "17:00", 20, actor="mgr01")
    hall.leaders.add_day("zhangwei", date(2026, 12, 1), "09:00", "11:30", 8, actor="mgr01")
    at(clock, "11:29")
    assert "今日领导接待：李红市信访局局长 领导接访室 09:00–11:30" in line(hall)
    at(clock, "11:30")  # its end time
    text = line(hall)
    assert "李红" not in text
    assert "今日领导接待已结束　下次：12月1日（周二）张伟副市长 领导接访室 09:00–11:30" in text
    assert "律师咨询：沈律师值班律师 律师咨询席 09:00–17:00" in text  # still receiving
    at(clock, "17:05")
    assert line(hall) == ("今日领导接待已结束　下次：12月1日（周二）张伟副市长 领导接访室 "
                          "09:00–11:30　今日律师咨询已结束")


def test_a_later_reception_of_the_day_stays_announced(hall: Hall, clock: FixedClock) -> None:
    hall.leaders.add_day("lihong", TODAY, "09:00", "10:00", 5, actor="mgr01")
    hall.leaders.add_day("zhangwei", TODAY, "14:00", "16:00", 5, actor="mgr01")
    at(clock, "10:30")
    assert line(hall) == "今日领导接待：张伟副市长 领导接访室 14:00–16:00"
    clock.set(datetime(2026, 11, 24, 1, 0, tzinfo=SHANGHAI))  # before the 03:00 rollover
    assert line(hall) == "今日领导接待已结束"
