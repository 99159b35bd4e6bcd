"""``hall incident log|act|correct|close|reopen|list|show|report`` and the incident part of
check-config.

In-process through ``main.main(argv)`` on SQLite (and PostgreSQL when HALL_TEST_PG_URL is set).
Unknown type or action, acting on a closed incident, an empty note: exit 2 with a Chinese message
and nothing written. There is no delete command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import main
from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from hall.incidents.report import report_csv
from models import AuditEvent, ChangeCounter, Incident, IncidentEntry, open_database
from tests.cli.test_window_cli import CJK, NOW, Cli
from tests.conftest import fill
from tests.helpers import TEST_PASSWORD, form, row_counts


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in ("HALL_CONFIG", "HALL_DB", "HALL_STAFF", "HALL_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("HALL_NOW", NOW.isoformat())
    monkeypatch.setenv("HALL_PASSWORD", TEST_PASSWORD)


@pytest.fixture
def cli(db_url: str, config: HallConfig, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A database where the desk issued L001 (张三) at 09:30."""
    fill(db_url, config, FixedClock(NOW))  # the new hall's state, copied (tests/conftest.py)
    db = open_database(db_url)
    Hall(db, config, FixedClock(NOW)).desk.issue(form(), actor="desk01")
    db.close()
    open_database(db_url)  # the tests read through the bound proxy
    return Cli(db_url, capsys, monkeypatch)


LIST = ("incident", "list", "--staff", "mgr01")


def state() -> tuple[Any, ...]:
    versions = sorted(ChangeCounter.select(ChangeCounter.topic, ChangeCounter.version).tuples())
    incidents = sorted(Incident.select(Incident.id, Incident.status, Incident.last_seq).tuples())
    return versions, row_counts(), incidents, IncidentEntry.select().count()


def refused(cli: Cli, *argv: str) -> str:
    before = state()
    status, out, err = cli(*argv)
    assert status == 2, (argv, out, err)
    assert out == "" and CJK.search(err), (out, err)
    assert "Traceback" not in err
    assert state() == before, argv
    return err


def denied(cli: Cli, *argv: str) -> str:
    """Not signed in: exit 3, nothing written but the refused sign-in's audit (if one)."""
    before = state()
    status, out, err = cli(*argv)
    assert status == 3, (argv, out, err)
    assert out == "" and CJK.search(err), (out, err)
    after = state()
    grew = after[1].pop("audit_event") - before[1].pop("audit_event")
    assert after == before and grew in (0, 1), argv
    return err


def test_log_act_correct_close_reopen_show(cli: Cli) -> None:
    new = cli.json("incident", "log", "--type", "dangerous", "--place", "7号窗口", "--ticket",
                   "L001", "--people", "1", "--note", "携带水果刀", "--staff", "win07")
    assert (new["id"], new["type"], new["severity"], new["ticket"], new["status"]) == (
        1, "dangerous", "high", "L001", "open")
    assert new["next_action"] == "security"
    out = cli.ok("incident", "act", "1", "--action", "security", "--result", "安保到场",
                 "--staff", "win07")
    assert "#2" in out and "通知安保人员" in out and "安保到场" in out
    cli.ok("incident", "act", "1", "--action", "dissuade", "--note", "已交出刀具", "--staff",
           "win07")
    out = cli.ok("incident", "correct", "1", "--entry", "1", "--note", "携带水果刀一把",
                 "--staff", "win07")
    assert "更正 #1" in out and "原记录保留" in out
    assert "已结案" in cli.ok("incident", "close", "1", "--conclusion", "刀具移交公安",
                             "--staff", "mgr01")
    assert "重新打开" in cli.ok("incident", "reopen", "1", "--reason", "需补充通知公安",
                              "--staff", "mgr01")
    cli.ok("incident", "act", "1", "--action", "police", "--staff", "mgr01")
    text = cli.ok("incident", "show", "1", "--staff", "mgr01")
    for piece in ("第 1 号", "携带危险物品或管制器具", "经过：携带水果刀一把", "#1",
                  "（已被 #4 更正）", "更正 #1", "刀具移交公安", "需补充通知公安",
                  "✓通知安保人员", "张主任"):
        assert piece in text, (piece, text)
    assert "结论" not in text  # reopened: no conclusion in force
    shown = cli.json("incident", "show", "1", "--staff", "mgr01")
    assert [e["kind"] for e in shown["entries"]] == [
        "logged", "action", "action", "correction", "closed", "reopened", "action"]
    assert [e["seq"] for e in shown["entries"]] == list(range(1, 8))
    assert shown["entries"][3]["corrects"] == 1
    assert shown["visitor"] == "张*" and shown["note"] == "携带水果刀一把"
    views = AuditEvent.select().where(AuditEvent.action == "incident.view").count()
    assert views == 2


def test_list_by_date_and_status(cli: Cli) -> None:
    cli.ok("incident", "log", "--type", "illness", "--place", "候谈区", "--note", "晕倒",
           "--staff", "win01")
    cli.ok("incident", "log", "--type", "over_level", "--place", "登记分流台", "--note",
           "越级", "--staff", "desk01")
    cli.ok("incident", "close", "2", "--conclusion", "劝返", "--staff", "mgr01")
    listed = cli.json("incident", "list", "--staff", "mgr01")
    assert listed["date"] == "2026-11-23"
    assert [i["id"] for i in listed["incidents"]] == [2, 1]
    assert [i["id"] for i in cli.json(*LIST, "--status", "open")["incidents"]] == [1]
    assert cli.json(*LIST, "--date", "2026-11-22")["incidents"] == []
    text = cli.ok(*LIST)
    assert "[高] 来访人突发疾病  候谈区" in text and "建议：报告中心领导" in text
    assert "没有特殊情况记录" in cli.ok(*LIST, "--date", "2026-11-22")
    # Lists carry no note and no name: only the audited detail does.
    assert "晕倒" not in json.dumps(listed, ensure_ascii=False)
    assert AuditEvent.select().where(AuditEvent.action == "incident.view").count() == 0


def test_bad_input_exits_2_and_writes_nothing(cli: Cli) -> None:
    cli.ok("incident", "log", "--type", "lingering", "--place", "候谈区", "--note", "滞留",
           "--staff", "win01")
    err = refused(cli, "incident", "log", "--type", "knife", "--place", "候谈区", "--note",
                  "x", "--staff", "win01")
    assert "--type（类型）：未知的特殊情况类型“knife”" in err and "dangerous" in err
    err = refused(cli, "incident", "log", "--type", "illness", "--place", "候谈区", "--note",
                  "  ", "--staff", "win01")
    assert "--note（经过）：请简述发生了什么" in err
    assert "没有票号 L009" in refused(cli, "incident", "log", "--type", "illness", "--place",
                                   "x", "--ticket", "L009", "--note", "x", "--staff", "win01")
    assert "人数" in refused(cli, "incident", "log", "--type", "illness", "--place", "x",
                           "--people", "-3", "--note", "x", "--staff", "win01")
    assert "未知的处置措施“shout”" in refused(cli, "incident", "act", "1", "--action", "shout",
                                          "--staff", "win01")
    assert "没有编号为 7 的" in refused(cli, "incident", "act", "7", "--action", "dissuade",
                                    "--staff", "win01")
    assert "更正内容不能为空" in refused(cli, "incident", "correct", "1", "--entry", "1",
                                   "--note", " ", "--staff", "win01")
    assert "没有第 5 条记录" in refused(cli, "incident", "correct", "1", "--entry", "5",
                                   "--note", "x", "--staff", "win01")
    assert "结案须填写结论" in refused(cli, "incident", "close", "1", "--conclusion", "",
                                  "--staff", "mgr01")
    assert "--staff" in denied(cli, "incident", "act", "1", "--action", "dissuade")
    assert "--staff" in denied(cli, "incident", "show", "1")  # a view is audited: who?
    assert "--staff" in denied(cli, "incident", "list")  # incidents name people and places
    assert "登录名或密码错误" in denied(cli, "incident", "act", "1", "--action", "dissuade",
                                   "--staff", "nobody")
    cli.ok("incident", "close", "1", "--conclusion", "自行离开", "--staff", "mgr01")
    err = refused(cli, "incident", "act", "1", "--action", "police", "--staff", "win01")
    assert "已结案" in err and "重新打开" in err
    assert "重新打开须填写理由" in refused(cli, "incident", "reopen", "1", "--reason", " ",
                                    "--staff", "mgr01")
    assert "状态" not in refused(cli, "incident", "list", "--status", "pending")
    assert "YYYY-MM-DD" in refused(cli, "incident", "list", "--date", "23/11")
    # There is no delete, anywhere.
    for argv in (("incident", "delete", "1"), ("incident", "remove", "1")):
        status, _, err = cli(*argv, "--staff", "mgr01")
        assert status == 2 and "invalid choice" in err


def test_check_config_lists_incident_types_and_actions(capsys: pytest.CaptureFixture[str],
                                                       config: HallConfig) -> None:
    assert main.main(["check-config", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["incident_types"] == [{"code": t.code, "name": t.name, "severity": t.severity}
                                      for t in config.incidents.types]
    assert {"code": "dangerous", "name": "携带危险物品或管制器具", "severity": "high"} in (
        data["incident_types"])
    assert {"code": "police", "name": "通知公安"} in data["incident_actions"]
    assert len(data["incident_actions"]) == len(config.incidents.actions)
    assert main.main(["check-config"]) == 0
    assert "特殊情况类型 16 种" in capsys.readouterr().out


def test_daily_report_as_text_json_and_csv(cli: Cli, tmp_path: Path, db_url: str,
                                           config: HallConfig) -> None:
    cli.ok("incident", "log", "--type", "dangerous", "--place", "7号窗口", "--ticket", "L001",
           "--note", "携带水果刀", "--staff", "win07")
    cli.ok("incident", "act", "1", "--action", "security", "--result", "安保到场", "--staff",
           "win07")
    cli.ok("incident", "log", "--type", "illness", "--place", "候谈区", "--note", "晕倒",
           "--staff", "win01")
    cli.ok("incident", "close", "2", "--conclusion", "已送医", "--staff", "mgr01")
    text = cli.ok("incident", "report", "--staff", "mgr01")
    for piece in ("特殊情况日报 2026-11-23：共 2 起　处置中 1 起　已结案 1 起",
                  "　携带危险物品或管制器具 1", "[高] 携带危险物品或管制器具　7号窗口　处置中",
                  "票号 L001　来访人 张*", "经过：携带水果刀", "周涛 通知安保人员（安保到场）",
                  "结论：已送医"):
        assert piece in text, (piece, text)
    assert "张三" not in text  # names masked, as on screen
    data = cli.json("incident", "report", "--staff", "mgr01")
    assert (data["date"], data["total"], data["open"], data["closed"], data["csv"]) == (
        "2026-11-23", 2, 1, 1, None)
    assert [d["summary"]["id"] for d in data["incidents"]] == [1, 2]
    assert [e["kind"] for e in data["incidents"][0]["entries"]] == ["logged", "action"]
    target = tmp_path / "日报.csv"
    out = cli.ok("incident", "report", "--csv", str(target), "--staff", "mgr01")
    assert out.endswith(f"已保存：{target}\n")
    # The same bytes the screen's S writes: the facade's report through the one CSV writer.
    hall = Hall(open_database(db_url), config, FixedClock(NOW))
    expected = report_csv(hall.incidents.report(NOW.date(), "mgr01"))
    assert target.read_bytes() == "\ufeff".encode() + expected.encode()
    lines = target.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("编号,登记时间,类型") and len(lines) == 3
    assert "#2 09:30 周涛 通知安保人员（安保到场）" in lines[1]
    # Every report is an audited view, by whom and of which incidents, like the screen's F3.
    reports = list(AuditEvent.select().where(AuditEvent.action == "incident.report")
                   .order_by(AuditEvent.id))
    assert [(r.actor, r.entity_id) for r in reports] == [("mgr01", "2026-11-23")] * 4
    assert json.loads(reports[0].detail)["ids"] == [1, 2]
    empty = cli.json("incident", "report", "--date", "2026-11-22", "--staff", "mgr01")
    assert (empty["total"], empty["incidents"]) == (0, [])
    assert "当日没有特殊情况记录" in cli.ok("incident", "report", "--date", "2026-11-22",
                                     "--staff", "mgr01")


def test_daily_report_bad_input_exits_2_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    cli.ok("incident", "log", "--type", "illness", "--place", "候谈区", "--note", "晕倒",
           "--staff", "win01")
    assert "--staff" in denied(cli, "incident", "report")  # a report is an audited view
    assert "登录名或密码错误" in denied(cli, "incident", "report", "--staff", "nobody")
    assert "YYYY-MM-DD" in refused(cli, "incident", "report", "--date", "2026-13-01",
                                   "--staff", "mgr01")
    missing = tmp_path / "no-such-folder" / "r.csv"
    assert "不存在" in refused(cli, "incident", "report", "--csv", str(missing), "--staff",
                             "mgr01")
    assert "目录" in refused(cli, "incident", "report", "--csv", str(tmp_path), "--staff",
                           "mgr01")
    assert not missing.parent.exists()
