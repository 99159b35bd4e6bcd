"""Closed reception rooms on the command line (issue 9 §4): ``hall book --name`` books a visitor
without a file (the file opened in the booking's transaction), ``hall transfer`` into a closed
lawyer seat exits 2 naming the next duty day, and ``hall issue`` after the day's last reception
ended exits 2 like a closed room. Every refusal writes nothing. SQLite, and PostgreSQL when
HALL_TEST_PG_URL is set.

The next duty day's oracle is the shipped rule read off by hand: the 5th, 15th and 25th; 25
November 2026 is a Wednesday.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from models import LeaderBooking, Visitor, open_database
from tests.cli.test_window_cli import Cli, snapshot
from tests.conftest import MORNING, fill
from tests.helpers import TEST_PASSWORD, form, make_id, only_changes, row_counts

NEW = make_id("19850512", seq=7)
VISITOR = ("--id-number", NEW, "--category", "legal_advice", "--matter", "咨询劳动仲裁的程序")


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in ("HALL_CONFIG", "HALL_DB", "HALL_STAFF", "HALL_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("HALL_NOW", (MORNING + timedelta(minutes=30)).isoformat())
    monkeypatch.setenv("HALL_PASSWORD", TEST_PASSWORD)


@pytest.fixture
def setup(db_url: str, config: HallConfig, capsys: pytest.CaptureFixture[str],
          monkeypatch: pytest.MonkeyPatch) -> tuple[Cli, Hall, int]:
    """November planned and published; a wage claim called at window 7. The lawyer's day id."""
    fill(db_url, config, FixedClock(MORNING))  # the new hall's state, copied
    hall = Hall(open_database(db_url), config, FixedClock(MORNING))
    hall.leaders.plan.month(2026, 11, actor="mgr01")
    hall.leaders.plan.publish_due(actor="mgr01")
    (duty,) = [d for d in hall.leaders.days(date(2026, 11, 23), date(2026, 11, 30))
               if d.leader == "shenlv"]
    hall.desk.issue(form(category="wages"), actor="desk01")
    hall.windows.call_next(7, actor="win07")
    return Cli(db_url, capsys, monkeypatch), hall, duty.id


def test_book_opens_the_file_of_a_first_time_visitor(setup: tuple[Cli, Hall, int]) -> None:
    cli, _, day = setup
    err = cli.refused("issue", "--name", "李秀英", *VISITOR, "--staff", "desk01")
    assert "今天没有值班律师" in err and "11月25日" in err
    err = cli.refused("book", "--day", str(day), *VISITOR, "--staff", "desk01")
    assert "没有登记档案" in err and "--name" in err
    before = row_counts()
    out = cli.ok("book", "--day", str(day), *VISITOR, "--name", "李秀英", "--phone",
                 "13800001234", "--district", "jiangbei", "--staff", "desk01")
    assert out.startswith(f"预约 {LeaderBooking.get().id} 已登记：2026-11-25 09:00–17:00")
    after = row_counts()
    assert (after["visitor"] - before["visitor"], after["visit"], after["ticket"]) == (
        1, before["visit"], before["ticket"])
    visitor = Visitor.get(Visitor.id_number == NEW)
    assert (visitor.name, visitor.phone) == ("李秀英", "13800001234")


def test_book_needs_rename_for_another_name(setup: tuple[Cli, Hall, int]) -> None:
    cli, hall, day = setup
    hall.desk.save_file(form(name="王秀兰", id_number=NEW), actor="desk01")
    args = ("book", "--day", str(day), *VISITOR, "--name", "王秀英", "--staff", "desk01")
    err = cli.refused(*args)
    assert "--name（姓名）" in err and "王秀兰" in err and "--rename" in err
    assert LeaderBooking.select().count() == 0
    cli.ok(*args, "--rename")
    visitor = Visitor.get(Visitor.id_number == NEW)
    assert visitor.name == "王秀英"
    changes = hall.desk.file_history(visitor.id, viewer="mgr01")
    assert [(c.old, c.new) for c in changes] == [("王秀兰", "王秀英")]


def test_transfer_into_a_closed_seat_exits_2(setup: tuple[Cli, Hall, int]) -> None:
    cli, _, _ = setup
    err = cli.refused("transfer", "--window", "7", "--to", "lawyer", "--staff", "win07")
    assert "律师咨询席" in err and "不能转入" in err and "11月25日（周三）" in err


def test_issue_after_the_last_reception_ended_exits_2(setup: tuple[Cli, Hall, int]) -> None:
    cli, hall, _ = setup
    hall.leaders.add_day("lihong", date(2026, 11, 23), "09:00", "11:00", 8, actor="mgr01",
                         walk_ins=True)
    hall.leaders.plan.month(2026, 12, actor="mgr01")
    hall.leaders.plan.publish_due(actor="mgr01")
    args = ("issue", "--name", "张三", "--id-number", make_id(seq=55), "--category", "wages",
            "--matter", "求见领导", "--department", "leader", "--staff", "desk01")
    cli.at(MORNING + timedelta(hours=2))  # 11:00
    err = cli.refused(*args)
    assert "已于 11:00 结束" in err and "12月1日（周二）09:00–11:30 张伟副市长" in err
    cli.at(MORNING + timedelta(hours=1))  # 10:00: still open
    assert cli.ok(*args).startswith("票号 D001")
    assert snapshot()  # readable after both


def test_book_finds_a_passport_holder_s_file_by_document_type(
        setup: tuple[Cli, Hall, int]) -> None:
    """A registered passport holder is booked by ``--document-type passport`` without --name
    (it was read as an ID card's number and refused); nothing but the booking is written."""
    cli, hall, day = setup
    passport = ("--id-number", "E12345678", "--document-type", "passport",
                "--category", "legal_advice", "--matter", "咨询劳动仲裁的程序")
    file = hall.desk.save_file(form(name="John Smith", id_number="E12345678",
                                    document_type="passport"), actor="desk01")
    err = cli.refused("book", "--day", str(day), *passport[:2], *passport[4:],
                      "--staff", "desk01")
    assert "身份证号有误" in err  # without the type: an ID card's number, refused
    before = row_counts()
    with only_changes(Visitor):
        out = cli.ok("book", "--day", str(day), *passport, "--staff", "desk01")
    assert out.startswith(f"预约 {LeaderBooking.get().id} 已登记：2026-11-25")
    assert LeaderBooking.get().visitor_id == file.visitor_id
    after = row_counts()
    assert (after["visitor"], after["visit"], after["ticket"]) == (
        before["visitor"], before["visit"], before["ticket"])
