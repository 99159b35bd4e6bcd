"""``hall issue`` keeps one honest file per person (issue 9 §3): ``--again-reason``, ``--rename``,
``--document-type``, representatives with name and phone, and ``hall visitor-history``."""

from __future__ import annotations

import json

import pytest

from models import (
    AuditEvent,
    TicketEvent,
    Visitor,
    VisitorChange,
    ensure_schema,
    open_database,
)
from tests.cli.test_cli import ISSUE, PERSON, Cli, _env  # noqa: F401  (the autouse fixture)
from tests.helpers import make_id

HISTORY = ("visitor-history", "--staff", "desk01")  # a file is personal data: sign in


@pytest.fixture
def hall_cli(db_url: str, capsys) -> Cli:
    return Cli(db_url, capsys)


def rows(cli: Cli, model: type) -> list[dict]:
    db = open_database(cli.url)
    try:
        ensure_schema(db)  # a refusal before anything was issued: the tables are still empty
        return list(model.select().dicts())
    finally:
        db.close()


def refused(cli: Cli, *argv: str) -> str:
    """Run, expect exit 2 with nothing on stdout and nothing written; the error text."""
    before = cli.counts()
    changes = len(rows(cli, VisitorChange))
    status, out, err = cli(*argv)
    assert (status, out) == (2, ""), err
    assert "Traceback" not in err
    assert cli.counts() == before
    assert len(rows(cli, VisitorChange)) == changes
    return err


def test_a_second_ticket_today_needs_again_reason(hall_cli: Cli) -> None:
    assert hall_cli.json(*ISSUE, "--staff", "desk01")["number"] == "L001"
    err = refused(hall_cli, *ISSUE, "--staff", "desk02", "--category", "policy")
    assert "--again-reason（再次取号原因）：此人今天已有票号 L001（市人社局）" in err
    data = hall_cli.json(*ISSUE, "--staff", "desk02", "--category", "policy",
                         "--again-reason", "另有政策咨询")
    assert data["number"] == "R001"
    notes = [e["note"] for e in rows(hall_cli, TicketEvent)]
    assert notes == ["", "再次取号（今日已有 L001（市人社局））：另有政策咨询"]
    audits = [json.loads(a["detail"]) for a in rows(hall_cli, AuditEvent)
              if a["action"] == "ticket.issue"]
    assert audits[-1]["again_reason"] == "另有政策咨询"


def test_another_name_needs_rename_and_stays_in_the_history(hall_cli: Cli) -> None:
    hall_cli.json(*ISSUE, "--staff", "desk01", "--phone", "13812345678")
    err = refused(hall_cli, *ISSUE, "--staff", "desk02", "--name", "李秀瑛",
                  "--again-reason", "补登")
    assert "--name（姓名）：与档案中的姓名“李秀英”不同" in err and "--rename" in err
    hall_cli.json(*ISSUE, "--staff", "desk02", "--name", "李秀瑛", "--rename",
                  "--phone", "13900000000", "--again-reason", "补登")
    assert [v["name"] for v in rows(hall_cli, Visitor)] == ["李秀瑛"]
    status, out, err = hall_cli(*HISTORY, PERSON.lower())
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("李秀瑛  电话 13900000000")
    assert any("姓名  李秀英 → 李秀瑛  desk02" in line for line in lines)
    assert any("电话  13812345678 → 13900000000  desk02" in line for line in lines)
    data = hall_cli.json(*HISTORY, PERSON)
    assert [(c["field"], c["old"], c["new"]) for c in data["history"]] == [
        ("name", "李秀英", "李秀瑛"), ("phone", "13812345678", "13900000000")]


def test_visitor_history_of_an_unknown_or_invalid_number_exits_2(hall_cli: Cli) -> None:
    status, _, err = hall_cli(*HISTORY, PERSON)
    assert status == 2 and "没有证件号为" in err
    status, _, err = hall_cli(*HISTORY, "123")
    assert status == 2 and "身份证号应为18位" in err
    status, _, err = hall_cli(*HISTORY, "123", "--document-type", "moon")
    assert status == 2 and "未知的证件类型" in err


def test_document_types_from_the_command_line(hall_cli: Cli) -> None:
    base = [a for a in ISSUE if a not in ("--id-number", PERSON)]
    data = hall_cli.json(*base, "--id-number", "h1234 5678", "--document-type", "hk_macao",
                         "--staff", "desk01")
    assert data["number"] == "L001"
    err = refused(hall_cli, *base, "--id-number", "A1234567", "--document-type", "taiwan",
                  "--staff", "desk01")
    assert "--id-number（证件号码）：台湾居民来往大陆通行证号应为8位数字" in err
    err = refused(hall_cli, *base, "--id-number", "1", "--document-type", "moon",
                  "--staff", "desk01")
    assert "--document-type（证件类型）：未知的证件类型“moon”" in err
    assert [(v["doc_type"], v["id_number"]) for v in rows(hall_cli, Visitor)] == [
        ("hk_macao", "H12345678")]
    status, out, _ = hall_cli(*HISTORY, "H12345678", "--document-type", "hk_macao")
    assert status == 0 and "档案信息未曾变更" in out


def test_representatives_need_name_and_phone(hall_cli: Cli) -> None:
    rep = make_id("19700101", seq=11)
    rows(hall_cli, Visitor)
    err = refused(hall_cli, *ISSUE, "--staff", "desk01", "--people", "5",
                  "--representative", rep)
    assert "--representatives（代表）：第1位代表的姓名必须填写" in err
    data = hall_cli.json(*ISSUE, "--staff", "desk01", "--people", "5",
                         "--representative", f"{rep},赵一,13800000001")
    assert data["people"] == 5
