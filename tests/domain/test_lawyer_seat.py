"""The lawyer seat (律师咨询席) is closed on days without a duty lawyer, as the leader's room is on
days without a reception (issue 9 §4): the desk is told the next duty day and offered to book it.
SQLite and PostgreSQL; the desk's dialog in a Pilot test.

The hall's clock stands at Monday 2026-11-23 09:00 (tests/conftest.py). The shipped rule puts the
duty lawyer on the 5th, 15th and 25th: the oracle for "the next duty day" is that calendar read
off by hand (25 November 2026 is a Wednesday, a working day).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hall import Hall
from hall.leaders import ClosedToday
from tests.cli.test_cli import NOW, Cli
from tests.helpers import cli_env, form, make_id, row_counts

TODAY = date(2026, 11, 23)
LAWYER = form(category="legal_advice", matter="咨询劳动仲裁的程序")


def test_no_duty_lawyer_today_closes_the_seat_and_names_the_next_day(hall: Hall) -> None:
    before = row_counts()
    with pytest.raises(ClosedToday) as caught:
        hall.desk.issue(LAWYER, actor="desk01")
    assert "今天没有值班律师" in caught.value.errors["department"]
    assert "尚未安排" in caught.value.errors["department"]
    assert caught.value.day_id is None
    # Planned and published: the next duty day is named, with the key that books it.
    hall.leaders.plan.month(2026, 11, actor="mgr01")
    hall.leaders.plan.publish_due(actor="mgr01")
    (duty,) = [d for d in hall.leaders.days(TODAY, date(2026, 11, 30)) if d.leader == "shenlv"]
    before = row_counts()
    with pytest.raises(ClosedToday) as caught:
        hall.desk.issue(LAWYER, actor="desk01")
    message = caught.value.errors["department"]
    assert "下次值班：11月25日（周三）09:00–17:00 沈律师值班律师" in message and "F7" in message
    assert caught.value.day_id == duty.id
    assert row_counts() == before  # no visitor, visit, ticket or audit event


def test_a_planned_duty_day_is_named_but_not_offered(hall: Hall) -> None:
    hall.leaders.plan.month(2026, 12, actor="mgr01")  # planned, not published
    with pytest.raises(ClosedToday) as caught:
        hall.desk.issue(LAWYER, actor="desk01")
    message = caught.value.errors["department"]
    assert "12月7日（周一）" in message and "尚未发布" in message  # the 5th is a Saturday
    assert caught.value.day_id is None


def test_on_a_duty_day_the_seat_takes_walk_ins(hall: Hall) -> None:
    hall.leaders.add_day("shenlv", TODAY, "09:00", "17:00", 20, actor="mgr01", walk_ins=True)
    assert hall.desk.issue(LAWYER, actor="desk01").department == "lawyer"


def test_the_leaders_room_says_the_same_in_its_own_words(hall: Hall) -> None:
    day = hall.leaders.add_day("zhangwei", date(2026, 11, 30), "09:00", "11:30", 8,
                               actor="mgr01", topic="城建与征收拆迁")
    with pytest.raises(ClosedToday) as caught:
        hall.desk.issue(form(department="leader"), actor="desk01")
    message = caught.value.errors["department"]
    assert "今天没有领导接待" in message and "张伟副市长" in message and "城建与征收拆迁" in message
    assert caught.value.day_id == day.id


def test_the_command_line_exits_2_naming_the_day_and_writes_nothing(
        db_url: str, capsys, monkeypatch, tmp_path: Path) -> None:
    cli_env(monkeypatch, tmp_path, NOW, "mgr01")
    cli = Cli(db_url, capsys)
    assert cli("leader-days", "plan", "--month", "2026-11")[0] == 0
    assert cli("leader-days", "publish")[0] == 0
    before = cli.counts()
    status, out, err = cli("issue", "--name", "李秀英", "--id-number", make_id(),
                           "--category", "legal_advice", "--matter", "咨询", "--staff", "desk01")
    assert status == 2 and out == ""
    assert "律师咨询席" in err and "11月25日" in err
    assert cli.counts() == before
