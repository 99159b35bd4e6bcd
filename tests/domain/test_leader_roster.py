"""The leaders' roster (hall/roster.py): the configuration seeds it, the database holds the edits.

Facade rules (add, edit, retire, reinstate, validation per field, nothing written on bad input),
every reader going through the roster (days, bookings, the board line, 包案, rules, planning),
another terminal in another process seeing an edit through the change counter, two terminals
editing one leader at once, and the ``hall leader`` commands with their exit-2 cases. On SQLite
and PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hall import Hall
from hall.desk.registration import FormError
from hall.errors import NotFound, Refused
from models import AuditEvent, LeaderDay, LeaderProfile, ensure_schema, open_database
from tests import workers
from tests.cli.test_cli import Cli
from tests.helpers import TEST_PASSWORD, add_account, distinct_id, form
from tests.workers import run_workers

CONFIGURED = ["zhangwei", "lihong", "wangshu", "shenlv"]


def test_the_configuration_is_the_initial_roster(hall: Hall) -> None:
    roster = hall.leaders.roster.list()
    assert [x.code for x in roster] == CONFIGURED
    assert all(x.configured and x.version == 0 and not x.retired for x in roster)
    assert roster[0].label == "张伟副市长" and roster[0].room == "领导接访室"
    assert hall.leaders.roster.departments() == [("lawyer", "律师咨询席"), ("leader", "领导接访室")]
    with pytest.raises(NotFound, match="未知的领导“nobody”，应为：zhangwei（张伟副市长）"):
        hall.leaders.roster.spec("nobody")


def test_an_added_leader_receives_like_a_configured_one(hall: Hall) -> None:
    before = hall.change_version("leaders")
    info = hall.leaders.roster.add(" zhaomin ", " 赵敏 ", "mgr01", title="副区长", portfolio="教育",
                                   department="leader")
    assert (info.code, info.label, info.version, info.configured) == (
        "zhaomin", "赵敏副区长", 1, False)
    assert [x.code for x in hall.leaders.roster.list()] == [*CONFIGURED, "zhaomin"]
    assert hall.change_version("leaders") == before + 1
    event = AuditEvent.select().where(AuditEvent.action == "leader.add").get()
    assert (event.actor, event.entity_id) == ("mgr01", "zhaomin")

    day = hall.leaders.add_day("zhaomin", date(2026, 11, 24), "09:00", "11:00", 2, actor="mgr01")
    assert (day.leader_label, day.room, day.department) == ("赵敏副区长", "领导接访室", "leader")
    hall.desk.issue(form(id_number=distinct_id(1)), actor="desk01")
    booking = hall.leaders.bookings.book(day.id, distinct_id(1), actor="desk01").booking
    assert booking.leader_label == "赵敏副区长"
    case = hall.leaders.take_case(distinct_id(1), "zhaomin", "学区划分", actor="mgr01")
    assert case.leader_label == "赵敏副区长"


def test_bad_input_names_every_field_and_writes_nothing(hall: Hall) -> None:
    audits = AuditEvent.select().count()
    with pytest.raises(FormError) as caught:
        hall.leaders.roster.add("Zhao Min", " ", "mgr01", title="很" * 33, kind="boss",
                                department="hrss")
    errors = caught.value.errors
    assert set(errors) == {"code", "name", "title", "kind", "department"}
    assert "小写英文字母开头" in errors["code"]
    assert errors["name"] == "姓名不能为空"
    assert errors["title"] == "最多32个字，现有33个"
    assert "leader（领导）或 lawyer（律师）" in errors["kind"]
    assert errors["department"] == ("未知的接待部门“hrss”，应为：lawyer（律师咨询席）、"
                                    "leader（领导接访室）")
    with pytest.raises(FormError) as caught:
        hall.leaders.roster.add("lihong", "李红", "mgr01", department="leader")
    assert caught.value.errors == {"code": "代码“lihong”已是李红市信访局局长的代码"}
    with pytest.raises(FormError, match="请选择接待部门"):
        hall.leaders.roster.add("zhaomin", "赵敏", "mgr01")
    with pytest.raises(FormError) as caught:
        hall.leaders.roster.edit("lihong", "mgr01", name="")
    assert caught.value.errors == {"name": "姓名不能为空"}
    with pytest.raises(NotFound):
        hall.leaders.roster.edit("nobody", "mgr01", name="某人")
    assert LeaderProfile.select().count() == 0
    assert AuditEvent.select().count() == audits


def test_an_edit_is_a_new_version_seen_by_every_reader(hall: Hall, clock) -> None:
    day = hall.leaders.add_day("lihong", date(2026, 11, 23), "09:00", "11:00", 2, actor="mgr01")
    hall.desk.issue(form(id_number=distinct_id(2)), actor="desk01")
    hall.leaders.bookings.book(day.id, distinct_id(2), actor="desk01")
    hall.leaders.take_case(distinct_id(2), "lihong", "欠薪", actor="mgr01")

    add_account("mgr02", "manager", "xfj")  # a second manager, on another terminal
    first = hall.leaders.roster.edit("lihong", "mgr01", title="市信访局党组书记、局长")
    assert first.version == 1
    second = hall.leaders.roster.edit("lihong", "mgr02", expected_version=1, portfolio="信访工作")
    assert (second.version, second.title, second.portfolio) == (
        2, "市信访局党组书记、局长", "信访工作")
    # An edit changing nothing writes nothing.
    assert hall.leaders.roster.edit("lihong", "mgr02", portfolio=" 信访工作 ").version == 2
    label = "李红市信访局党组书记、局长"
    assert hall.leaders.day(day.id).leader_label == label
    assert hall.leaders.bookings.day_detail(day.id).bookings[0].leader_label == label
    assert [r.leader_label for r in hall.leaders.todays_receptions()] == [label]
    file = hall.desk.visitor_file(distinct_id(2), viewer="mgr01")
    assert file is not None and file.cases[0].leader_label == label
    assert {r.leader_label for r in hall.leaders.plan.rules() if r.leader == "lihong"} == {label}
    assert hall.leaders.roster.spec("lihong").rules  # the configured rules stay with the leader
    # Append-only: both versions kept, each with its actor.
    rows = list(LeaderProfile.select().where(LeaderProfile.code == "lihong")
                .order_by(LeaderProfile.version))
    assert [(r.version, r.created_by) for r in rows] == [(1, "mgr01"), (2, "mgr02")]
    assert AuditEvent.select().where(AuditEvent.action == "leader.edit").count() == 2
    # An editor holding an old version is refused rather than overwrite the newer one unseen.
    with pytest.raises(Refused, match="刚被其他终端修改"):
        hall.leaders.roster.edit("lihong", "mgr01", expected_version=1, title="局长")


def test_retiring_keeps_the_past_and_offers_nothing_new(hall: Hall) -> None:
    day = hall.leaders.add_day("zhangwei", date(2026, 11, 25), "09:00", "11:00", 2, actor="mgr01")
    with pytest.raises(Refused, match="张伟副市长 还有 1 个未到的接待日（最近 2026-11-25）"):
        hall.leaders.roster.retire("zhangwei", "mgr01")
    hall.leaders.cancel_day(day.id, "调任", actor="mgr01")
    retired = hall.leaders.roster.retire("zhangwei", "mgr01", reason="调任")
    assert retired.retired and retired.version == 1
    assert "zhangwei" not in [x.code for x in hall.leaders.roster.list()]
    assert [x.code for x in hall.leaders.roster.list(include_retired=True)] == CONFIGURED
    assert hall.leaders.day(day.id).leader_label == "张伟副市长"  # the past keeps its name
    for act in (lambda: hall.leaders.add_day("zhangwei", date(2026, 11, 30), "09:00", "11:00", 2,
                                             actor="mgr01"),
                lambda: hall.leaders.take_case(distinct_id(3), "zhangwei", "征收", actor="mgr01")):
        with pytest.raises(Refused, match="张伟副市长（zhangwei）已停用"):
            act()
    with pytest.raises(Refused, match="已停用"):
        hall.leaders.roster.retire("zhangwei", "mgr01")
    # Planning December leaves the retired leader's configured rule (the 1st) out.
    planned = hall.leaders.plan.month(2026, 12, actor="mgr01").created
    assert planned and "zhangwei" not in {d.leader for d in planned}
    assert all(r.leader != "zhangwei" for r in hall.leaders.plan.rules())

    back = hall.leaders.roster.reinstate("zhangwei", "mgr01")
    assert (back.retired, back.version) == (False, 2)
    planned = hall.leaders.plan.month(2026, 12, actor="mgr01").created
    assert "zhangwei" in {d.leader for d in planned}
    with pytest.raises(Refused, match="未停用"):
        hall.leaders.roster.reinstate("zhangwei", "mgr01")
    actions = [e.action for e in AuditEvent.select().where(AuditEvent.entity == "leader")
               .order_by(AuditEvent.id)]
    assert actions == ["leader.retire", "leader.reinstate"]


def test_another_terminal_sees_an_edit_at_once(db_url: str, hall: Hall) -> None:
    version = hall.change_version("leaders")
    hall.db.close()
    [result] = run_workers(workers.edit_leader,
                           [(db_url, "wangshu", {"title": "市委常委、副书记"}, 0)])
    assert result["errors"] == [] and result["version"] == 1
    hall.db.connect(reuse_if_open=True)
    assert hall.change_version("leaders") > version  # what the manager screen polls
    assert hall.leaders.roster.spec("wangshu").label == "王舒市委常委、副书记"


def test_two_terminals_editing_one_leader_at_once(db_url: str, hall: Hall) -> None:
    hall.db.close()
    results = run_workers(workers.edit_leader, [
        (db_url, "shenlv", {"name": "沈大律师"}, 0), (db_url, "shenlv", {"name": "沈小律师"}, 0)])
    assert [e for r in results for e in r["errors"]] == []
    assert sorted(r["version"] or 0 for r in results) == [0, 1]  # exactly one wins
    assert [r["refused"] for r in results if r["refused"]] == [
        next(r for r in results if r["refused"])["refused"]]
    assert "刚被其他终端修改" in next(r["refused"] for r in results if r["refused"])
    hall.db.connect(reuse_if_open=True)
    assert LeaderProfile.select().count() == 1


# -- the CLI -------------------------------------------------------------------------------------


@pytest.fixture
def cli(db_url: str, capsys, monkeypatch, tmp_path: Path) -> Cli:
    for name in ("HALL_CONFIG", "HALL_DB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("HALL_NOW", "2026-11-23T09:00:00+08:00")
    monkeypatch.setenv("HALL_STAFF", "mgr01")
    monkeypatch.setenv("HALL_PASSWORD", TEST_PASSWORD)
    return Cli(db_url, capsys)


def _profiles(url: str) -> int:
    db = open_database(url)
    try:
        ensure_schema(db)  # a command refused before opening the hall made no tables
        return LeaderProfile.select().count()
    finally:
        db.close()


def test_the_roster_from_the_command_line(cli: Cli) -> None:
    listed = cli.json("leader", "list")["leaders"]
    assert [x["code"] for x in listed] == CONFIGURED
    assert listed[0]["label"] == "张伟副市长" and listed[3]["kind"] == "lawyer"
    added = cli.json("leader", "add", "zhaomin", "--name", "赵敏", "--title", "副区长",
                     "--department", "lawyer", "--kind", "lawyer")
    assert (added["code"], added["version"], added["kind"]) == ("zhaomin", 1, "lawyer")
    status, out, _ = cli("leader", "edit", "zhaomin", "--portfolio", "劳动争议")
    assert status == 0 and out.startswith("已修改：zhaomin") and "分管：劳动争议" in out
    status, out, _ = cli("leader", "retire", "zhaomin", "--reason", "借调")
    assert status == 0 and "已停用" in out
    assert "zhaomin" not in [x["code"] for x in cli.json("leader", "list")["leaders"]]
    everyone = cli.json("leader", "list", "--all")["leaders"]
    assert everyone[-1]["code"] == "zhaomin" and everyone[-1]["retired"] is True
    assert cli.json("leader", "reinstate", "zhaomin")["retired"] is False
    # The days' commands accept the added leader.
    day = cli.json("leader-days", "add", "--leader", "zhaomin", "--date", "2026-11-24",
                   "--start", "09:00", "--end", "10:00", "--capacity", "3")
    assert day["leader_name"] == "赵敏"


@pytest.mark.parametrize(("argv", "message"), [
    (["leader", "add", "lihong", "--name", "李红", "--department", "leader"],
     "CODE（代码）：代码“lihong”已是李红市信访局局长的代码"),
    (["leader", "add", "zhaomin", "--name", "赵敏", "--department", "hrss"],
     "--department（接待部门）：未知的接待部门“hrss”"),
    (["leader", "add", "9x", "--name", "赵敏", "--department", "leader"],
     "CODE（代码）：应为小写英文字母开头"),
    (["leader", "edit", "nobody", "--name", "某人"], "未知的领导“nobody”"),
    (["leader", "edit", "lihong"], "请指定要修改的项"),
    (["leader", "edit", "lihong", "--name", " "], "--name（姓名）：姓名不能为空"),
    (["leader", "reinstate", "lihong"], "李红市信访局局长（lihong）未停用"),
])
def test_bad_roster_commands_exit_2_and_write_nothing(cli: Cli, argv: list[str],
                                                      message: str) -> None:
    status, out, err = cli(*argv)
    assert status == 2 and out == ""
    assert message in err and "Traceback" not in err
    assert _profiles(cli.url) == 0


def test_retiring_a_leader_with_coming_days_exits_2(cli: Cli) -> None:
    cli.json("leader-days", "add", "--leader", "lihong", "--date", "2026-11-24", "--start",
             "09:00", "--end", "10:00", "--capacity", "3")
    status, _, err = cli("leader", "retire", "lihong")
    assert status == 2 and "请先取消这些接待日" in err
    assert _profiles(cli.url) == 0
    db = open_database(cli.url)
    try:
        assert LeaderDay.select().count() == 1
    finally:
        db.close()
