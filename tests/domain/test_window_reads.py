"""A window's waiting list (``hall.windows.view(n).waiting``) is read as plain rows, once.

The oracle is the board's list of the same departments (``hall.board.queue``), which builds the
same entries from peewee model objects, row by row, with the zone conversion of each time on its
own: both must agree on order, marks, masking, times and minutes waited, on both backends, across
priorities, a collective visit, a repeat visit, a transfer and tickets that no longer wait.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import peewee
import pytest

from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from models import open_database
from tests.helpers import config_with, distinct_id, form, named


def waiting_of(hall: Hall, window: int) -> tuple[object, ...]:
    return hall.windows.view(window, viewer="mgr01").waiting


def test_the_window_lists_what_the_board_lists(hall: Hall) -> None:
    clock: FixedClock = hall.clock  # type: ignore[assignment]
    issue = hall.desk.issue
    issue(form(name="欧阳明月", id_number=distinct_id(1), category="reform"), actor="desk01")
    clock.advance(minutes=7)
    issue(form(name="李四", id_number=distinct_id(2, "19400101"), category="pollution"),
          actor="desk01")  # 86 years old: 老年人 goes first
    clock.advance(minutes=3)
    issue(form(name="王五", id_number=distinct_id(3), category="reform", people=6,
               representatives=named([distinct_id(4), distinct_id(5)])), actor="desk01")  # 集6
    clock.advance(minutes=2)
    issue(form(name="赵六", id_number=distinct_id(6), category="wages"), actor="desk01")  # hrss
    issue(form(name="欧阳明月", id_number=distinct_id(1), category="other",
               again_reason="另一事项"), actor="desk01")  # the same visitor again: 重
    clock.advance(minutes=4)
    issue(form(name="孙七", id_number=distinct_id(7), category="reform"), actor="desk01")
    clock.advance(minutes=1)
    hall.windows.call_next(1, actor="win01")  # R... of the first visitor: no longer waiting
    clock.advance(minutes=1)
    hall.windows.call_next(7, actor="win07")  # 赵六, then sent to 信访局: keeps the place
    hall.windows.transfer(7, "xfj", actor="win07")
    clock.advance(minutes=13, seconds=30)

    listed = waiting_of(hall, 3)
    assert listed == tuple(hall.board.queue(["xfj", "environment"], viewer="win03"))
    assert [(e.name_masked, e.priority_name, e.people, e.collective, e.repeat,
             e.waiting_minutes, e.issued_at) for e in listed] == [
        ("李*", "老年人", 1, False, False, 24, "09:07"),
        ("王*", "", 6, True, False, 21, "09:10"),
        ("赵*", "", 1, False, False, 19, "09:12"),
        ("欧***", "", 1, False, True, 19, "09:12"),
        ("孙*", "", 1, False, False, 15, "09:16"),
    ]
    assert {e.department for e in listed} == {"xfj", "environment"}
    assert waiting_of(hall, 1) == tuple(hall.board.queue(["xfj"], viewer="win01"))
    assert waiting_of(hall, 7) == ()


def test_a_daylight_saving_day_converts_each_time(tmp_path) -> None:
    """In a zone that changes its clocks during the business day, the times before and after the
    change each get their own offset (New York, 2026-11-01: 02:00 EDT becomes 01:00 EST)."""
    config: HallConfig = config_with(("timezone: Asia/Shanghai", "timezone: America/New_York"),
                                     ("rollover_hour: 3 ", "rollover_hour: 0 "))
    zone = ZoneInfo("America/New_York")
    clock = FixedClock(datetime(2026, 11, 1, 0, 40, tzinfo=zone))
    db: peewee.Database = open_database(f"sqlite:///{tmp_path / 'hall.db'}")
    hall = Hall(db, config, clock)
    hall.desk.issue(form(id_number=distinct_id(1), category="reform"), actor="desk01")
    clock.set(datetime(2026, 11, 1, 9, 5, tzinfo=zone))
    hall.desk.issue(form(id_number=distinct_id(2), category="reform"), actor="desk01")
    clock.advance(minutes=30)
    listed = waiting_of(hall, 1)
    assert [e.issued_at for e in listed] == ["00:40", "09:05"]
    # Elapsed time, not the wall clock's 8:55. (The board's list, the oracle elsewhere, subtracts
    # two times of the same zone object, which Python does on the wall clock: not compared here.)
    assert [e.waiting_minutes for e in listed] == [9 * 60 + 55, 30]
    db.close()


@pytest.mark.parametrize("count", [0, 1, 40])
def test_every_waiting_ticket_once(hall: Hall, count: int) -> None:
    for n in range(count):
        hall.desk.issue(form(id_number=distinct_id(100 + n), category="reform"), actor="desk01")
    listed = waiting_of(hall, 2)
    assert len(listed) == count == len({e.number for e in listed})
    assert listed == tuple(hall.board.queue(["xfj"], viewer="win01"))
