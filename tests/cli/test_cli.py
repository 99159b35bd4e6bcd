"""The ``hall`` command for kiosks and scripts: issue, status, ticket, and the global options.

Commands run in-process through ``main.main(argv)``; the database is a SQLite file (and a
PostgreSQL schema when HALL_TEST_PG_URL is set) given by --db or HALL_DB.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import main
from models import AuditEvent, Ticket, TicketCounter, Visit, Visitor, open_database
from tests.helpers import TEST_PASSWORD, accounts_ready, make_id, not_sign_ins

NOW = "2026-11-23T09:30:00+08:00"
PERSON = "11010519491231002X"
ISSUE = ["issue", "--name", "李秀英", "--id-number", PERSON, "--category", "wages",
         "--matter", "工地拖欠工资三个月", "--district", "jiangbei"]


@pytest.fixture(autouse=True)
def _env(monkeypatch, tmp_path: Path) -> None:
    for name in ("HALL_CONFIG", "HALL_DB", "HALL_STAFF", "HALL_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("HALL_NOW", NOW)
    monkeypatch.setenv("HALL_PASSWORD", TEST_PASSWORD)


class Cli:
    """Runs ``hall`` in-process on one database (its accounts given TEST_PASSWORD) and returns
    (status, stdout, stderr)."""

    def __init__(self, url: str, capsys: Any) -> None:
        self.url = accounts_ready(url)
        self.capsys = capsys

    def __call__(self, *argv: str, db: bool = True) -> tuple[int, str, str]:
        self.capsys.readouterr()
        args = [*argv, "--db", self.url] if db else list(argv)
        status = main.main(args)
        out, err = self.capsys.readouterr()
        return status, out, err

    def json(self, *argv: str) -> Any:
        status, out, err = self(*argv, "--json")
        assert status == 0, err
        return json.loads(out)

    def counts(self) -> dict[str, int]:
        db = open_database(self.url)
        try:
            counts = {m._meta.table_name: m.select().count()
                      for m in (Visitor, Visit, Ticket, TicketCounter)}
            return {**counts, AuditEvent._meta.table_name: not_sign_ins()}
        finally:
            db.close()


@pytest.fixture
def hall_cli(db_url: str, capsys) -> Cli:
    return Cli(db_url, capsys)


# -- hall issue ---------------------------------------------------------------------------------


def test_issue_json(hall_cli: Cli) -> None:
    data = hall_cli.json(*ISSUE, "--staff", "desk01", "--phone", "13812345678")
    assert data["number"] == "L001"
    assert data["department"] == "hrss"
    assert data["department_name"] == "市人社局"
    assert data["status"] == "waiting"
    assert data["ahead"] == 0
    assert data["repeat"] is False
    assert [v["number"] for v in data["visits"]] == ["L001"]
    assert data["visits"][0]["date"] == "2026-11-23"
    assert data["qr"] == f"https://xfj.jiangchuan.gov.cn/cx?code={data['query_code']}"
    assert data["issued_at"] == "2026-11-23 09:30"
    assert data["windows"] == ["7号窗口"]
    assert PERSON not in json.dumps(data)  # the ticket carries no personal data

    again = hall_cli.json(*ISSUE, "--staff", "desk02", "--category", "arrears",
                          "--again-reason", "另有工程款事项")
    assert again["number"] == "Z001"
    assert again["repeat"] is True
    assert [v["number"] for v in again["visits"]] == ["Z001", "L001"]
    third = hall_cli.json(*ISSUE, "--staff", "desk01", "--id-number", make_id(seq=3))
    assert (third["number"], third["ahead"], third["repeat"]) == ("L002", 1, False)


def test_issue_plain_text(hall_cli: Cli) -> None:
    status, out, err = hall_cli(*ISSUE, "--staff", "desk01")
    assert status == 0, err
    assert "票号 L001" in out and "市人社局" in out and "前面还有 0 人" in out
    status, out, _ = hall_cli(*ISSUE, "--staff", "desk01", "--again-reason", "补登")
    assert "重复访，第 2 次来访" in out


def test_issue_with_every_option(hall_cli: Cli) -> None:
    reps = [make_id("19700101", seq=s) for s in (11, 13)]
    data = hall_cli.json(
        "issue", "--name", "王五", "--id-number", make_id(seq=5), "--phone", "0571-87654321",
        "--address", "高新区三路3号", "--district", "gaoxin", "--category", "land_contract",
        "--matter", "土地承包纠纷", "--request", "恢复承包权", "--people", "6",
        "--representative", f"{reps[0]},赵一,13800000001",
        "--representative", f"{reps[1]}，钱二，13800000002", "--priority", "appointment",
        "--staff", "desk01")
    assert (data["department"], data["number"]) == ("land", "T001")  # the gaoxin override
    assert (data["people"], data["priority"]) == (6, "appointment")
    data = hall_cli.json(*ISSUE, "--department", "court", "--staff", "desk01",
                         "--id-number", make_id(seq=7))
    assert (data["department"], data["number"]) == ("court", "F001")


@pytest.mark.parametrize(("extra", "field", "problem"), [
    (["--id-number", "110105194912310021"], "--id-number（证件号码）", "校验位错误"),
    (["--name", "张3"], "--name（姓名）", "姓名不应包含数字"),
    (["--phone", "12345"], "--phone（联系电话）", "手机号"),
    (["--people", "many"], "--people（人数）", "整数"),
    (["--people", "0"], "--people（人数）", "整数"),
    (["--people", "5"], "--representatives（代表）", "集体访"),
    (["--category", "weather"], "--category（诉求类别）", "未知的诉求类别“weather”"),
    (["--district", "mars"], "--district（属地）", "未知的属地"),
    (["--department", "nasa"], "--department（接待部门）", "未知的部门"),
    (["--priority", "vip"], "--priority（优先类别）", "未知的优先类别"),
    (["--matter", " "], "--matter（事由）", "必须填写"),
])
def test_bad_input_exits_2_and_writes_nothing(hall_cli: Cli, extra: list[str], field: str,
                                              problem: str) -> None:
    assert hall_cli(*ISSUE, "--staff", "desk01", "--id-number", make_id(seq=9))[0] == 0
    before = hall_cli.counts()
    status, out, err = hall_cli(*ISSUE, "--staff", "desk01", *extra)
    assert status == 2
    assert out == ""
    line = next(x for x in err.splitlines() if x.startswith(field))
    assert problem in line
    assert "Traceback" not in err
    assert hall_cli.counts() == before
    # No number was consumed.
    assert hall_cli.json(*ISSUE, "--staff", "desk01")["number"] == "L002"


def test_representative_flag_maps_to_its_field(hall_cli: Cli) -> None:
    status, _, err = hall_cli(*ISSUE, "--staff", "desk01", "--people", "5",
                              "--representative", "123")
    assert status == 2
    assert "--representatives（代表）：第1位代表的身份证号应为18位" in err


def test_missing_staff_exits_3_before_touching_the_database(hall_cli: Cli,
                                                            tmp_path: Path) -> None:
    status, out, err = hall_cli(*ISSUE, db=False)
    assert status == 3
    assert out == ""
    assert "--staff" in err and "HALL_STAFF" in err and "HALL_PASSWORD" in err
    assert not (tmp_path / "data").exists()


def test_unknown_staff_exits_3(hall_cli: Cli) -> None:
    before = hall_cli.counts()
    status, out, err = hall_cli(*ISSUE, "--staff", "intruder")
    assert (status, out) == (3, "")
    assert "登录名或密码错误" in err
    after = hall_cli.counts()
    assert after.pop("audit_event") == before.pop("audit_event") + 1  # the refusal, audited
    assert after == before


def test_staff_from_hall_staff_is_recorded(hall_cli: Cli, monkeypatch) -> None:
    monkeypatch.setenv("HALL_STAFF", "desk02")
    assert hall_cli(*ISSUE)[0] == 0
    db = open_database(hall_cli.url)
    acts = AuditEvent.select().where(~AuditEvent.action.startswith("account."))
    assert {a.actor for a in acts} == {"desk02"}
    assert Visit.get().registered_by == "desk02"
    db.close()


def test_missing_required_argument_is_a_usage_error(hall_cli: Cli) -> None:
    with pytest.raises(SystemExit) as caught:
        hall_cli("issue", "--name", "张三", "--staff", "desk01")
    assert caught.value.code == 2
    assert "参数错误" in hall_cli.capsys.readouterr().err


# -- global options -----------------------------------------------------------------------------


def test_global_options_before_and_after_the_command(tmp_path: Path, capsys) -> None:
    first = accounts_ready(f"sqlite:///{tmp_path / 'a.db'}")
    status = main.main(["--db", first, "--staff", "desk01", "--config", str(main_config()),
                        *ISSUE, "--json"])
    assert status == 0
    assert json.loads(capsys.readouterr().out)["number"] == "L001"
    status = main.main([*ISSUE, "--json", "--staff", "desk01", "--db", first,
                        "--config", str(main_config()), "--again-reason", "补登"])
    assert status == 0
    assert json.loads(capsys.readouterr().out)["number"] == "L002"
    # The value after the command wins over the one before it.
    second = accounts_ready(f"sqlite:///{tmp_path / 'b.db'}")
    assert main.main(["--db", first, *ISSUE, "--staff", "desk01", "--db", second]) == 0
    assert (tmp_path / "b.db").exists()
    capsys.readouterr()
    assert main.main(["--db", second, "status", "L001", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["number"] == "L001"


def main_config() -> Path:
    from config import DEFAULT_CONFIG

    return DEFAULT_CONFIG


def test_hall_db_and_the_default_data_directory(tmp_path: Path, capsys, monkeypatch) -> None:
    accounts_ready()
    assert (tmp_path / "data" / "hall.db").exists()  # the documented default
    assert main.main([*ISSUE, "--staff", "desk01"]) == 0
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("HALL_DB", url)
    assert not (tmp_path / "env.db").exists()
    accounts_ready()
    assert main.main([*ISSUE, "--staff", "desk01"]) == 0
    assert (tmp_path / "env.db").exists()
    capsys.readouterr()
    assert main.main(["status", "L001", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "waiting"


def test_bad_database_url_exits_2(capsys) -> None:
    assert main.main(["status", "L001", "--db", "mysql://x/y"]) == 2
    assert "不支持的数据库地址" in capsys.readouterr().err


@pytest.mark.parametrize("where", ["nowhere/dir/hall.db", "postgresql://postgres@127.0.0.1:1/x"])
def test_an_unusable_database_is_reported_without_a_traceback(capsys, tmp_path: Path,
                                                              where: str) -> None:
    url = where if "://" in where else str(tmp_path / where)
    assert main.main(["status", "L001", "--db", url]) == 1
    err = capsys.readouterr().err
    assert err.startswith("hall: 数据库无法使用：")
    assert "Traceback" not in err


# -- the clock ----------------------------------------------------------------------------------


def test_hall_now_fixes_the_clock(hall_cli: Cli, monkeypatch) -> None:
    monkeypatch.setenv("HALL_NOW", "2026-11-24T02:30:00+08:00")
    late = hall_cli.json(*ISSUE, "--staff", "desk01")
    assert (late["business_day"], late["issued_at"]) == ("2026-11-23", "2026-11-24 02:30")
    monkeypatch.setenv("HALL_NOW", "2026-11-23T19:00:00+00:00")  # 03:00 in Shanghai
    fresh = hall_cli.json(*ISSUE, "--staff", "desk01", "--id-number", make_id(seq=3))
    assert (fresh["business_day"], fresh["number"]) == ("2026-11-24", "L001")
    assert fresh["issued_at"] == "2026-11-24 03:00"


@pytest.mark.parametrize("value", ["yesterday", "2026-11-23T09:30"])
def test_a_bad_hall_now_exits_2(hall_cli: Cli, monkeypatch, value: str) -> None:
    monkeypatch.setenv("HALL_NOW", value)
    status, _, err = hall_cli(*ISSUE, "--staff", "desk01")
    assert status == 2
    assert "HALL_NOW" in err and "Traceback" not in err


# -- hall status --------------------------------------------------------------------------------


def test_status_by_code_and_by_number(hall_cli: Cli) -> None:
    first = hall_cli.json(*ISSUE, "--staff", "desk01")
    second = hall_cli.json(*ISSUE, "--staff", "desk01", "--id-number", make_id(seq=3))
    by_code = hall_cli.json("status", second["query_code"])
    by_number = hall_cli.json("status", "l002")
    assert by_code == by_number
    assert (by_code["number"], by_code["status"], by_code["ahead"]) == ("L002", "waiting", 1)
    assert by_code["department"] == "hrss"
    assert hall_cli.json("status", first["query_code"])["ahead"] == 0
    status, out, _ = hall_cli("status", "L002")
    assert status == 0
    assert "L002" in out and "候谈" in out and "前面还有 1 人" in out
    dated = hall_cli.json("status", "L001", "--date", "2026-11-23")
    assert dated["number"] == "L001"


@pytest.mark.parametrize("query", ["ABCDEFGHJKLM", "L099", "R001", "nonsense!"])
def test_status_of_an_unknown_ticket_exits_2(hall_cli: Cli, query: str) -> None:
    hall_cli.json(*ISSUE, "--staff", "desk01")
    status, out, err = hall_cli("status", query)
    assert status == 2
    assert out == ""
    assert ("无效" in err) or ("没有票号" in err)
    assert "Traceback" not in err


def test_status_with_a_bad_date_exits_2(hall_cli: Cli) -> None:
    status, _, err = hall_cli("status", "L001", "--date", "23/11/2026")
    assert status == 2
    assert "--date 应为 YYYY-MM-DD" in err


# -- hall ticket --------------------------------------------------------------------------------


def test_ticket_png_and_svg(hall_cli: Cli, tmp_path: Path) -> None:
    issued = hall_cli.json(*ISSUE, "--staff", "desk01")
    png, svg = tmp_path / "l001.png", tmp_path / "l001.svg"
    status, out, err = hall_cli("ticket", "L001", "--png", str(png), "--staff", "desk01")
    assert status == 0, err
    assert out.strip() == str(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    status, out, err = hall_cli("ticket", "L001", "--date", "2026-11-23", "--svg", str(svg),
                                "--staff", "desk01")
    assert status == 0, err
    assert out.strip() == str(svg)
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "L001" in text
    # The QR code decodes to the ticket's payload.
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    found = zxingcpp.read_barcodes(Image.open(png))
    assert [b.text for b in found] == [issued["qr"]]


def test_ticket_into_a_missing_folder_exits_2(hall_cli: Cli, tmp_path: Path) -> None:
    hall_cli.json(*ISSUE, "--staff", "desk01")
    target = tmp_path / "no" / "such" / "folder" / "l001.png"
    status, out, err = hall_cli("ticket", "L001", "--png", str(target), "--staff", "desk01")
    assert (status, out) == (2, "")
    assert f"无法写入 {target}" in err
    assert "Traceback" not in err


def test_ticket_of_an_unknown_number_exits_2(hall_cli: Cli, tmp_path: Path) -> None:
    status, _, err = hall_cli("ticket", "L404", "--png", str(tmp_path / "x.png"), "--staff",
                              "desk01")
    assert status == 2
    assert "没有票号 L404" in err
    assert not (tmp_path / "x.png").exists()


def test_ticket_needs_exactly_one_format(hall_cli: Cli, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        hall_cli("ticket", "L001")
    assert caught.value.code == 2
    with pytest.raises(SystemExit):
        hall_cli("ticket", "L001", "--png", "a.png", "--svg", "b.svg")
