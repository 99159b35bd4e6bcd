"""Two receptions of one day (issue 9 §4): the same room, or the same queue, at overlapping times
is refused naming the other reception, nothing written; different rooms with their own queues
each keep their visitors apart. SQLite and PostgreSQL.

The hall's clock stands at Monday 2026-11-23 09:00 (tests/conftest.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hall import Hall
from hall.desk.registration import FormError
from models import AuditEvent, LeaderDay
from tests.cli.test_cli import NOW, Cli
from tests.helpers import cli_env, only_changes

TODAY = date(2026, 11, 23)


def overlaps(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """The oracle: two HH:MM ranges share a minute."""
    def minutes(t: str) -> int:
        return int(t[:2]) * 60 + int(t[3:])
    return minutes(a[0]) < minutes(b[1]) and minutes(b[0]) < minutes(a[1])


def test_the_same_room_at_overlapping_times_is_refused_naming_the_other(hall: Hall) -> None:
    first = hall.leaders.add_day("lihong", TODAY, "09:00", "11:30", 5, actor="mgr01")
    assert overlaps(("09:00", "11:30"), ("10:00", "12:00"))
    with only_changes(LeaderDay), only_changes(AuditEvent), pytest.raises(FormError) as caught:
        hall.leaders.add_day("zhangwei", TODAY, "10:00", "12:00", 5, actor="mgr01")
    message = caught.value.errors["room"]
    assert f"接待日 {first.id}" in message and "李红市信访局局长" in message
    assert "09:00–11:30" in message and "领导接访室" in message
    # Back to back is no overlap: the room is free from 11:30.
    assert not overlaps(("09:00", "11:30"), ("11:30", "12:30"))
    later = hall.leaders.add_day("zhangwei", TODAY, "11:30", "12:30", 5, actor="mgr01")
    assert later.room == first.room
    # A cancelled reception frees its room.
    hall.leaders.cancel_day(later.id, "公务", actor="mgr01")
    assert hall.leaders.add_day("wangshu", TODAY, "11:30", "12:30", 5, actor="mgr01",
                                room="领导接访室") is not None


def test_another_room_in_the_same_queue_is_refused_too(hall: Hall) -> None:
    first = hall.leaders.add_day("lihong", TODAY, "09:00", "11:30", 5, actor="mgr01")
    with only_changes(LeaderDay), pytest.raises(FormError) as caught:
        hall.leaders.add_day("zhangwei", TODAY, "09:30", "10:30", 5, actor="mgr01",
                             room="第二接访室")
    message = caught.value.errors["start"]
    assert f"接待日 {first.id}" in message and "领导接访室" in message and "队列" in message


def test_moving_a_day_onto_another_is_refused_and_the_day_unchanged(hall: Hall) -> None:
    hall.leaders.add_day("lihong", TODAY, "09:00", "11:30", 5, actor="mgr01")
    other = hall.leaders.add_day("zhangwei", TODAY, "14:00", "16:00", 5, actor="mgr01")
    with only_changes(LeaderDay), only_changes(AuditEvent), pytest.raises(FormError) as caught:
        hall.leaders.edit_day(other.id, actor="mgr01", start="11:00")
    assert "李红市信访局局长" in caught.value.errors["room"]
    assert hall.leaders.day(other.id).start == "14:00"
    # Its own time may change freely.
    assert hall.leaders.edit_day(other.id, actor="mgr01", start="13:30").start == "13:30"


def test_the_lawyer_seat_and_the_leaders_room_receive_at_once(hall: Hall) -> None:
    leader = hall.leaders.add_day("lihong", TODAY, "09:00", "11:30", 5, actor="mgr01")
    lawyer = hall.leaders.add_day("shenlv", TODAY, "09:00", "17:00", 20, actor="mgr01")
    assert (leader.room, leader.department) != (lawyer.room, lawyer.department)


def test_planning_leaves_out_a_rule_day_whose_room_is_taken(hall: Hall) -> None:
    taken = hall.leaders.add_day("wangshu", date(2026, 12, 1), "10:00", "11:00", 5,
                                 actor="mgr01")
    plan = hall.leaders.plan.month(2026, 12, actor="mgr01")
    assert "zhangwei" not in {d.leader for d in plan.created}  # 1 Dec 09:00–11:30
    (warning,) = plan.warnings
    assert "2026-12-01 张伟副市长" in warning and f"接待日 {taken.id}" in warning
    assert len(plan.created) == 4


def test_the_command_line_exits_2_and_writes_nothing(db_url: str, capsys, monkeypatch,
                                                     tmp_path: Path) -> None:
    cli_env(monkeypatch, tmp_path, NOW, "mgr01")
    cli = Cli(db_url, capsys)
    add = ["leader-days", "add", "--date", "2026-11-23", "--capacity", "5"]
    assert cli(*add, "--leader", "lihong", "--start", "09:00", "--end", "11:30")[0] == 0
    before = cli.counts()
    status, out, err = cli(*add, "--leader", "zhangwei", "--start", "10:00", "--end", "11:00")
    assert status == 2 and out == ""
    assert "--room" in err and "李红市信访局局长" in err and "09:00–11:30" in err
    assert cli.counts() == before
    assert cli.json("leader-days", "--month", "2026-11")["days"][0]["leader"] == "lihong"
    assert len(cli.json("leader-days", "--month", "2026-11")["days"]) == 1
