"""``hall audit``: the audit log for administrators and managers, by date, staff and action.

In-process through ``main.main``, on SQLite (and PostgreSQL when HALL_TEST_PG_URL is set). The
visitor reported an official on 2026-11-20 and comes about wages on the 23rd; win07 reads the file
from the command line (the report is 保密事项 there) and that view is in the log.
"""

from __future__ import annotations

import json

import pytest

from models import AuditEvent, open_database
from tests.cli.test_cli import ISSUE, PERSON, Cli, _env  # noqa: F401  (the autouse fixture)

REPORT = ["issue", "--name", "李秀英", "--id-number", PERSON, "--category", "report",
          "--matter", "举报某局长收受贿赂", "--district", "jiangbei"]


@pytest.fixture
def hall_cli(db_url: str, capsys, monkeypatch) -> Cli:
    """A hall where desk01 registered the report on the 20th (00:30, which is the 19th in UTC)
    and the wage claim on the 23rd, and win07 read the visitor's file on the 23rd."""
    cli = Cli(db_url, capsys)
    monkeypatch.setenv("HALL_NOW", "2026-11-20T00:30:00+08:00")
    assert cli(*REPORT, "--staff", "desk01")[0] == 0
    monkeypatch.setenv("HALL_NOW", "2026-11-23T09:30:00+08:00")
    assert cli(*ISSUE, "--staff", "desk01")[0] == 0
    status, out, err = cli("visitor-history", PERSON, "--staff", "win07")
    assert status == 0, err
    assert "来访 1 次" in out and "举报" not in out  # the report: not shown, not counted
    return cli


def audit(cli: Cli, *argv: str, reader: str = "mgr01") -> list[dict]:
    status, out, err = cli("--staff", reader, "audit", *argv, "--json")
    assert status == 0, err
    return json.loads(out)


def acts(events: list[dict]) -> list[tuple[str, str]]:
    """(actor, action) of the events but the accounts' setup and the commands' sign-ins."""
    return [(e["actor"], e["action"]) for e in events
            if e["actor"] not in ("config", "test") and not e["action"].startswith("account.")]


def stored(cli: Cli) -> list[tuple[str, str]]:
    db = open_database(cli.url)
    try:
        return [(e.actor, e.action) for e in AuditEvent.select().order_by(AuditEvent.id)]
    finally:
        db.close()


def test_a_manager_reads_the_whole_log_oldest_first(hall_cli: Cli) -> None:
    events = audit(hall_cli)
    mine = acts(events)
    assert mine == [("desk01", "visitor.create"), ("desk01", "ticket.issue"),
                    ("desk01", "ticket.issue"), ("win07", "visitor.view"),
                    ("win07", "visitor.history")]
    first = next(e for e in events if e["actor"] == "desk01")
    assert first["at"] == "2026-11-20 00:30:00"  # the hall's time, not UTC's 19th
    view = next(e for e in events if e["action"] == "visitor.view")
    assert (view["entity"], view["detail"]) == ("visitor", {"via": "file"})
    assert stored(hall_cli)[-1] == ("mgr01", "audit.read")  # reading the log is logged too


def test_filters_by_dates_in_the_hall_time_zone_staff_and_action(hall_cli: Cli) -> None:
    on_20th = audit(hall_cli, "--from", "2026-11-20", "--to", "2026-11-20")
    assert acts(on_20th) == [
        ("desk01", "visitor.create"), ("desk01", "ticket.issue")]
    assert audit(hall_cli, "--to", "2026-11-19") == []  # 00:30 on the 20th is the 19th in UTC
    since_21st = audit(hall_cli, "--from", "2026-11-21")
    assert acts(since_21st) == [
        ("desk01", "ticket.issue"), ("win07", "visitor.view"), ("win07", "visitor.history"),
        ("mgr01", "audit.read"), ("mgr01", "audit.read")]  # the two readings above
    assert [a for _, a in acts(audit(hall_cli, "--staff", "win07"))] == [
        "visitor.view", "visitor.history"]
    views = audit(hall_cli, "--action", "visitor.view", "--from", "2026-11-23")
    assert [(e["actor"], e["entity"]) for e in views] == [("win07", "visitor")]


def test_the_reader_may_come_from_hall_staff(hall_cli: Cli, monkeypatch) -> None:
    monkeypatch.setenv("HALL_STAFF", "admin")
    status, out, err = hall_cli("audit", "--staff", "desk01", "--action", "ticket.issue")
    assert status == 0, err
    lines = out.splitlines()
    assert len(lines) == 2 and all("desk01" in line and "登记取号（ticket.issue）" in line
                                   for line in lines)


@pytest.mark.parametrize("reader", ["desk01", "win07", "kiosk01", "board01"])
def test_anyone_but_admin_and_manager_gets_exit_3(hall_cli: Cli, reader: str) -> None:
    before = stored(hall_cli)
    status, out, err = hall_cli("--staff", reader, "audit")
    assert (status, out) == (3, "")
    assert "无权限查阅审计日志" in err and "Traceback" not in err
    # only the sign-in and the refusal are written
    assert stored(hall_cli) == [*before, (reader, "account.sign_in"), (reader, "denied")]


def test_a_bad_date_is_exit_2(hall_cli: Cli) -> None:
    status, _, err = hall_cli("--staff", "mgr01", "audit", "--from", "2026-13-01")
    assert status == 2 and "--from 应为 YYYY-MM-DD" in err
