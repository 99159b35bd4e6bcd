"""The reception-day commands: leader-days (list, add, cancel, plan, publish, export), book
(and cancel, reschedule), checkin, case; check-config's leaders; bad input exits 2 writing nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
import pytest

from models import BookingEvent, LeaderBooking, LeaderDay, open_database
from tests.cli.test_cli import ISSUE, NOW, PERSON, Cli
from tests.helpers import TEST_PASSWORD


@pytest.fixture(autouse=True)
def _env(monkeypatch, tmp_path: Path) -> None:
    for name in ("HALL_CONFIG", "HALL_DB", "HALL_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("HALL_NOW", NOW)
    monkeypatch.setenv("HALL_STAFF", "mgr01")
    monkeypatch.setenv("HALL_PASSWORD", TEST_PASSWORD)


@pytest.fixture
def cli(db_url: str, capsys) -> Cli:
    return Cli(db_url, capsys)


def leader_rows(url: str) -> tuple[int, int, int]:
    db = open_database(url)
    try:
        return (LeaderDay.select().count(), LeaderBooking.select().count(),
                BookingEvent.select().count())
    finally:
        db.close()


ADD = ["leader-days", "add", "--leader", "lihong", "--date", "2026-11-23", "--start", "09:00",
       "--end", "11:30", "--capacity", "1"]


def test_check_config_lists_the_leaders(cli: Cli) -> None:
    leaders = cli.json("check-config")["leaders"]
    assert [(x["code"], x["name"], x["title"]) for x in leaders] == [
        ("zhangwei", "张伟", "副市长"), ("lihong", "李红", "市信访局局长"),
        ("wangshu", "王舒", "市委副书记"), ("shenlv", "沈律师", "值班律师")]
    assert leaders[3]["kind"] == "lawyer"


def test_a_day_from_adding_to_check_in(cli: Cli) -> None:
    assert cli(*ISSUE)[0] == 0
    day = cli.json(*ADD, "--topic", "信访积案", "--walk-ins")
    assert {k: day[k] for k in ("date", "leader", "room", "start", "end", "capacity", "booked",
                                "status", "topic", "walk_ins")} == {
        "date": "2026-11-23", "leader": "lihong", "room": "领导接访室", "start": "09:00",
        "end": "11:30", "capacity": 1, "booked": 0, "status": "published", "topic": "信访积案",
        "walk_ins": True}
    listed = cli.json("leader-days", "--month", "2026-11")
    assert listed["month"] == "2026-11"
    assert [d["id"] for d in listed["days"]] == [day["id"]]
    status, out, _ = cli("leader-days", "--month", "2026-11")
    assert status == 0 and "李红市信访局局长" in out and "0/1" in out

    booking = cli.json("book", "--day", str(day["id"]), "--id-number", PERSON,
                       "--matter", "信访事项久拖未决")
    assert (booking["status"], booking["day_id"], booking["name_masked"]) == (
        "booked", day["id"], "李**")
    ticket = cli.json("checkin", "--booking", str(booking["id"]))
    assert (ticket["number"], ticket["department"], ticket["priority"]) == (
        "D001", "leader", "appointment")
    status, out, _ = cli("status", ticket["query_code"])
    assert status == 0 and out.startswith("D001  领导接访室  候谈")
    assert cli.json("leader-days")["days"][0]["status"] == "held"


def test_the_waiting_list_from_the_command_line(cli: Cli) -> None:
    cli(*ISSUE)
    cli("issue", "--name", "王五", "--id-number", "440524188001010014", "--category", "wages",
        "--matter", "欠薪")
    day = cli.json(*ADD)["id"]
    first = cli.json("book", "--day", str(day), "--id-number", PERSON)
    status, out, _ = cli("book", "--day", str(day), "--id-number", "440524188001010014")
    assert status == 0 and "候补第 1 位" in out
    status, out, _ = cli("book", "cancel", str(first["id"]), "--reason", "改天再来")
    assert status == 0 and "已取消" in out and "候补递补" in out
    other = cli.json("leader-days", "add", "--leader", "zhangwei", "--date", "2026-11-30",
                     "--start", "09:00", "--end", "11:00", "--capacity", "3")["id"]
    moved = cli.json("book", "reschedule", str(first["id"] + 1), "--day", str(other))
    assert (moved["day_id"], moved["status"], moved["previous_id"]) == (
        other, "booked", first["id"] + 1)


def test_cancelling_a_day_prints_whom_to_notify(cli: Cli) -> None:
    cli(*ISSUE)
    day = cli.json(*ADD)["id"]
    cli.json("book", "--day", str(day), "--id-number", PERSON)
    status, out, _ = cli("leader-days", "cancel", str(day), "--reason", "领导临时公务")
    assert status == 0
    assert "已取消：领导临时公务" in out and "李秀英" in out
    status, _, err = cli("leader-days", "cancel", str(day), "--reason", "再取消")
    assert status == 2 and "当前为“已取消”" in err
    status, _, err = cli("book", "--day", str(day), "--id-number", PERSON)
    assert status == 2 and "已取消" in err


def test_plan_publish_and_export(cli: Cli, tmp_path: Path) -> None:
    planned = cli.json("leader-days", "plan", "--month", "2026-12")
    assert len(planned["created"]) == 5 and planned["warnings"] == []
    published = cli.json("leader-days", "publish")["published"]
    assert [d["date"] for d in published] == ["2026-12-01", "2026-12-07"]
    assert published[1]["shifted_from"] == "2026-12-05"

    ics, csv_file = tmp_path / "days.ics", tmp_path / "days.csv"
    assert cli("leader-days", "export", "--month", "2026-12", "--ics", str(ics))[0] == 0
    assert cli("leader-days", "export", "--month", "2026-12", "--csv", str(csv_file))[0] == 0
    raw = ics.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")  # CRLF everywhere
    assert max(len(line) for line in raw.split(b"\r\n")) <= 75
    calendar = icalendar.Calendar.from_ical(raw)
    events = [c for c in calendar.walk("VEVENT")]
    assert [str(e["SUMMARY"]) for e in events] == [
        "领导接待日：张伟副市长（城建与征收拆迁）", "律师咨询：沈律师值班律师"]
    start = events[0].decoded("DTSTART")
    assert (start.isoformat(), str(start.tzinfo)) == ("2026-12-01T09:00:00+08:00",
                                                      "Asia/Shanghai")
    assert len({str(e["UID"]) for e in events}) == 2
    text = csv_file.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("编号,日期,星期,开始,结束,接待人")
    assert "原定 2026-12-05，遇休息日顺延" in text


@pytest.mark.parametrize(("argv", "message"), [
    (["leader-days", "add", "--leader", "nobody", "--date", "2026-11-30", "--start", "09:00",
      "--end", "10:00", "--capacity", "3"], "未知的领导“nobody”"),
    (["leader-days", "add", "--leader", "lihong", "--date", "2026-11-30", "--start", "10:00",
      "--end", "09:00", "--capacity", "3"],
     "--end（结束时间）：结束时间 09:00 应晚于开始时间 10:00"),
    (["leader-days", "add", "--leader", "lihong", "--date", "2026-11-30", "--start", "09:00",
      "--end", "10:00", "--capacity", "0"], "--capacity（名额）：名额应为 1 到 500"),
    (["leader-days", "add", "--leader", "lihong", "--date", "2026-11-01", "--start", "09:00",
      "--end", "10:00", "--capacity", "3"], "--date（日期）：日期 2026-11-01 已过"),
    (["leader-days", "add", "--leader", "lihong", "--date", "2026-13-01", "--start", "09:00",
      "--end", "10:00", "--capacity", "3"], "--date 应为 YYYY-MM-DD"),
    (["leader-days", "--month", "2026/12"], "--month 应为 YYYY-MM"),
    (["book", "--day", "1", "--id-number", "440524188001010014"], "没有登记档案"),
    (["book", "--day", "99", "--id-number", PERSON], "没有编号为 99 的接待日"),
    (["book", "--id-number", PERSON], "请用 --day"),
    (["book", "cancel", "99"], "没有编号为 99 的预约"),
    (["checkin", "--booking", "99"], "没有编号为 99 的预约"),
    (["leader-days", "cancel", "1"], "--reason"),
])
def test_bad_input_exits_2_and_writes_nothing(cli: Cli, argv: list[str], message: str) -> None:
    cli(*ISSUE)
    cli(*ADD)
    before = cli.counts(), leader_rows(cli.url)
    try:
        status, _, err = cli(*argv)
    except SystemExit as exc:  # argparse's own checks (a required option) exit 2 too
        status, err = exc.code, cli.capsys.readouterr().err
    assert status == 2
    assert message in err
    assert "Traceback" not in err
    assert (cli.counts(), leader_rows(cli.url)) == before


def test_a_case_from_the_command_line_shows_in_the_file(cli: Cli) -> None:
    cli(*ISSUE)
    case = cli.json("case", "--id-number", PERSON, "--leader", "zhangwei", "--matter", "欠薪积案")
    assert (case["leader_label"], case["matter"]) == ("张伟副市长", "欠薪积案")
    status, _, err = cli("case", "--id-number", PERSON, "--leader", "x", "--matter", "y")
    assert status == 2 and "未知的领导" in err
    data = json.dumps(case, ensure_ascii=False)
    assert PERSON not in data


def test_a_far_month_or_day_exits_2_in_chinese_and_writes_nothing(cli: Cli) -> None:
    cli("leader-days")  # opens the hall: the schema exists before the counts are read
    before = leader_rows(cli.url)
    status, _, err = cli("leader-days", "plan", "--month", "9999-12")
    assert status == 2 and "Traceback" not in err
    assert "9999-12 过远：接待日最多排到 2028-11（2 年内）" in err
    status, _, err = cli("leader-days", "add", "--leader", "lihong", "--date", "9999-12-31",
                         "--start", "09:00", "--end", "11:00", "--capacity", "5")
    assert status == 2 and "--date（日期）：日期 9999-12-31 过远" in err
    assert leader_rows(cli.url) == before
