"""The window commands of ``hall``: call, recall, start, no-show, requeue, transfer, finish,
pause, resume, queue, and the outcomes in check-config.

Commands run in-process through ``main.main(argv)`` on SQLite (and PostgreSQL when
HALL_TEST_PG_URL is set). Anything invalid exits 2 with a Chinese message on stderr and leaves
the database exactly as it was.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any

import pytest

import main
from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from models import AuditEvent, Ticket, TicketEvent, Visit, WindowState, open_database
from tests.conftest import MORNING, fill
from tests.helpers import TEST_PASSWORD, accounts_ready, distinct_id, form, row_counts

NOW = MORNING + timedelta(minutes=30)
CJK = re.compile(r"[\u4e00-\u9fff]")
QUEUE = ("queue", "--staff", "win07")  # the line is internal detail: read signed in


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in ("HALL_CONFIG", "HALL_DB", "HALL_STAFF", "HALL_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("HALL_NOW", NOW.isoformat())
    monkeypatch.setenv("HALL_PASSWORD", TEST_PASSWORD)


class Cli:
    """``hall`` in-process on one database (its accounts given TEST_PASSWORD): (status, stdout,
    stderr)."""

    def __init__(self, url: str, capsys: pytest.CaptureFixture[str],
                 monkeypatch: pytest.MonkeyPatch) -> None:
        self.url = accounts_ready(url)
        self.capsys = capsys
        self.monkeypatch = monkeypatch

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        try:
            status = main.main([*argv, "--db", self.url])
        except SystemExit as exc:  # argparse's own errors exit (with status 2) from parse_args
            status = exc.code  # type: ignore[assignment]
        out, err = self.capsys.readouterr()
        return status, out, err

    def ok(self, *argv: str) -> str:
        status, out, err = self(*argv)
        assert (status, err) == (0, ""), err
        return out

    def json(self, *argv: str) -> Any:
        return json.loads(self.ok(*argv, "--json"))

    def at(self, when: datetime) -> None:
        self.monkeypatch.setenv("HALL_NOW", when.isoformat())

    def refused(self, *argv: str) -> str:
        """Run a command that must be refused: exit 2, Chinese on stderr, nothing changed."""
        before = snapshot()
        status, out, err = self(*argv)
        assert status == 2, (argv, out, err)
        assert out == ""
        assert CJK.search(err), err
        assert snapshot() == before, argv
        return err


def snapshot() -> tuple[Any, ...]:
    """Everything a refused command must leave as it was (read through a fresh connection)."""
    from models import ChangeCounter

    versions = sorted(ChangeCounter.select(ChangeCounter.topic, ChangeCounter.version).tuples())
    tickets = sorted(Ticket.select(Ticket.id, Ticket.status, Ticket.department, Ticket.window,
                                   Ticket.recalls).tuples())
    windows = sorted(WindowState.select(WindowState.number, WindowState.paused,
                                        WindowState.current).tuples())
    visits = sorted(Visit.select(Visit.id, Visit.outcome).tuples())
    return versions, row_counts(), tickets, windows, visits


@pytest.fixture
def cli(db_url: str, config: HallConfig, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Three visitors for 人社局 (window 7), one for 住建局 (window 8), issued 09:00-09:03."""
    clock = FixedClock(MORNING)
    fill(db_url, config, clock)  # the new hall's state, copied (tests/conftest.py)
    hall = Hall(open_database(db_url), config, clock)
    for n, category, priority in ((1, "wages", ""), (2, "wages", ""), (3, "arrears", ""),
                                  (4, "wages", "appointment")):
        hall.desk.issue(form(id_number=distinct_id(n), category=category, priority=priority),
                   actor="desk01")
        clock.advance(minutes=1)
    return Cli(db_url, capsys, monkeypatch)


def ticket(number: str) -> Ticket:
    return Ticket.get(Ticket.number == number)


# -- one command each ---------------------------------------------------------------------------


def test_call_json_and_nothing_waiting(cli: Cli) -> None:
    assert cli.json("call", "--window", "7", "--staff", "win07") == {
        "number": "L003", "department": "hrss", "window": 7}  # the appointment first
    assert ticket("L003").status == "called"
    cli.ok("finish", "--window", "7", "--outcome", "answered", "--staff", "win07")
    assert cli.json("call", "--window", "7", "--staff", "win07")["number"] == "L001"
    cli.ok("finish", "--window", "7", "--outcome", "answered", "--staff", "win07")
    cli.ok("call", "--window", "7", "--staff", "win07")
    cli.ok("finish", "--window", "7", "--outcome", "answered", "--staff", "win07")
    before = snapshot()
    assert cli.json("call", "--window", "7", "--staff", "win07") == {
        "number": None, "department": None, "window": 7}
    assert snapshot()[:3] == before[:3]


def test_call_text(cli: Cli) -> None:
    assert cli.ok("call", "--window", "8", "--staff", "win08") == "请 Z001 号到 8号窗口\n"
    cli.ok("finish", "--window", "8", "--outcome", "answered", "--staff", "win08")
    assert cli.ok("call", "--window", "8", "--staff", "win08") == "8号窗口：当前没有候谈的来访\n"


def test_call_a_number(cli: Cli) -> None:
    data = cli.json("call", "--window", "7", "--number", "l002", "--staff", "win07")
    assert data == {"number": "L002", "department": "hrss", "window": 7}
    assert [e["number"] for e in cli.json(*QUEUE, "--department", "hrss")] == ["L003", "L001"]


def test_recall_start_finish(cli: Cli) -> None:
    cli.ok("call", "--window", "7", "--staff", "win07")
    assert cli.ok("recall", "--window", "7", "--staff", "win07") == "重呼 L003（第 1 次）\n"
    assert cli.ok("recall", "--window", "7", "--staff", "win07") == "重呼 L003（第 2 次）\n"
    assert ticket("L003").recalls == 2
    assert cli.ok("start", "--window", "7", "--staff", "win07") == "开始接谈\n"
    assert ticket("L003").status == "serving"
    out = cli.ok("finish", "--window", "7", "--outcome", "filed", "--note", "立案交办住建局",
                 "--staff", "win07")
    assert out == "L003 已办结：立案交办\n已立案：江信〔2026〕第 0001 号（hall cases show 1）\n"
    visit = Visit.get_by_id(ticket("L003").visit_id)
    assert (visit.outcome, visit.outcome_note, visit.finished_by) == (
        "filed", "立案交办住建局", "win07")
    actions = [a.action for a in AuditEvent.select().where(
        (AuditEvent.actor == "win07") & ~AuditEvent.action.startswith("account."))
        .order_by(AuditEvent.id)]
    # `hall recall` reads the window's view for the count: the visitor's file seen, once a call
    assert actions == ["ticket.called", "ticket.recalled", "visitor.view", "ticket.recalled",
                       "ticket.serving", "ticket.finished", "case.opened"]


def test_finish_a_refusal_with_reason_and_channel(cli: Cli) -> None:
    cli.ok("call", "--window", "8", "--staff", "win08")
    out = cli.ok("finish", "--window", "8", "--outcome", "rejected", "--reason", "已有生效判决",
                 "--channel", "申请再审", "--staff", "win08")
    assert out == "Z001 已办结：不予受理\n"
    visit = Visit.get_by_id(ticket("Z001").visit_id)
    assert (visit.outcome_reason, visit.outcome_channel) == ("已有生效判决", "申请再审")


def test_no_show_and_requeue(cli: Cli) -> None:
    cli.ok("call", "--window", "7", "--staff", "win07")  # L003 at 09:30
    err = cli.refused("no-show", "--window", "7", "--staff", "win07")
    assert "尚不能过号" in err
    cli.at(NOW + timedelta(minutes=5))
    assert cli.ok("no-show", "--window", "7", "--staff", "win07") == "L003 已过号\n"
    assert ticket("L003").status == "no_show"
    assert [e["number"] for e in cli.json(*QUEUE, "--department", "hrss")] == ["L001", "L002"]
    assert cli.ok("requeue", "L003", "--staff", "desk01") == "L003 已重新排队（保留原顺序）\n"
    assert [e["number"] for e in cli.json(*QUEUE, "--department", "hrss")] == [
        "L003", "L001", "L002"]


def test_transfer(cli: Cli) -> None:
    cli.ok("call", "--window", "7", "--staff", "win07")  # L003, an appointment
    out = cli.ok("transfer", "--window", "7", "--to", "housing", "--note", "属清欠",
                 "--staff", "win07")
    assert out == "L003 已转办至 市住建局，保留原排队顺序\n"
    moved = ticket("L003")
    assert (moved.department, moved.status, moved.number) == ("housing", "waiting", "L003")
    assert [e["number"] for e in cli.json(*QUEUE, "--department", "housing")] == [
        "L003", "Z001"]
    assert TicketEvent.get(TicketEvent.kind == "transferred").note == "属清欠"
    assert cli.json("call", "--window", "8", "--staff", "win08")["number"] == "L003"


def test_pause_and_resume(cli: Cli) -> None:
    assert cli.ok("pause", "--window", "7", "--staff", "win07") == "7号窗口已暂停\n"
    assert WindowState.get_by_id(7).paused
    err = cli.refused("call", "--window", "7", "--staff", "win07")
    assert "暂停" in err
    assert cli.ok("resume", "--window", "7", "--staff", "win07") == "7号窗口已恢复服务\n"
    assert cli.json("call", "--window", "7", "--staff", "win07")["number"] == "L003"


def test_queue_json_in_call_order(cli: Cli) -> None:
    entries = cli.json(*QUEUE)
    # The appointment first, then by issue time, across departments.
    assert [(e["number"], e["department"]) for e in entries] == [
        ("L003", "hrss"), ("L001", "hrss"), ("L002", "hrss"), ("Z001", "housing")]
    assert entries[0]["priority_name"] == "预约"
    assert entries[1]["issued_at"] == "09:00" and entries[1]["waiting_minutes"] == 30
    assert all("张" not in e["name_masked"][1:] for e in entries)  # names masked
    assert [e["number"] for e in cli.json(*QUEUE, "--department", "housing")] == ["Z001"]
    assert cli.json(*QUEUE, "--department", "court") == []
    text = cli.ok(*QUEUE)
    assert text.splitlines()[0].startswith("L003")
    assert "预约" in text.splitlines()[0]


def test_check_config_lists_the_outcomes(cli: Cli, config: HallConfig) -> None:
    data = cli.json("check-config")
    assert [(o["code"], o["name"]) for o in data["outcomes"]] == [
        (o.code, o.name) for o in config.outcomes]
    assert ("answered", "当场答复") in [(o["code"], o["name"]) for o in data["outcomes"]]
    assert {o["code"] for o in data["outcomes"] if o["refusal"]} == {"rejected", "closed"}


# -- refused: exit 2, a Chinese message, nothing changed ----------------------------------------


STAFF = ("--staff", "win07")
REFUSED: list[tuple[str, tuple[str, ...], str]] = [
    ("unknown window", ("call", "--window", "99", *STAFF), "没有 99 号窗口"),
    ("unknown window finish", ("finish", "--window", "99", "--outcome", "answered", *STAFF),
     "没有 99 号窗口"),
    ("window not a number", ("call", "--window", "七", *STAFF), "参数错误"),
    ("nothing current to finish", ("finish", "--window", "8", "--outcome", "answered",
                                   "--staff", "win08"), "没有来访"),
    ("nothing current to recall", ("recall", "--window", "8", "--staff", "win08"), "没有来访"),
    ("nothing current to start", ("start", "--window", "8", "--staff", "win08"), "没有来访"),
    ("nothing current to transfer", ("transfer", "--window", "8", "--to", "hrss",
                                     "--staff", "win08"), "没有来访"),
    ("unknown outcome", ("finish", "--window", "7", "--outcome", "done", *STAFF), "办理方式"),
    ("refusal without reason", ("finish", "--window", "7", "--outcome", "rejected", *STAFF),
     "理由"),
    ("refusal without channel", ("finish", "--window", "7", "--outcome", "closed",
                                 "--reason", "重复信访", *STAFF), "途径"),
    ("transfer to the same department", ("transfer", "--window", "7", "--to", "hrss", *STAFF),
     "同一部门"),
    ("transfer to an unknown department", ("transfer", "--window", "7", "--to", "nowhere",
                                           *STAFF), "nowhere"),
    ("window busy", ("call", "--window", "7", *STAFF), "尚未办结"),
    ("number of another department", ("call", "--window", "8", "--number", "L001",
                                      "--staff", "win08"), "不由8号窗口接待"),
    ("unknown number", ("call", "--window", "8", "--number", "Z404", "--staff", "win08"),
     "Z404"),
    ("requeue a called ticket", ("requeue", "L003", "--staff", "desk01"), "过号"),
    ("no-show too early", ("no-show", "--window", "7", *STAFF), "尚不能过号"),
    ("resume a window in service", ("resume", "--window", "7", *STAFF), "服务中"),
    ("unknown department queue", ("queue", "--department", "nowhere"), "nowhere"),
    ("missing outcome", ("finish", "--window", "7", *STAFF), "参数错误"),
]


@pytest.mark.parametrize(("argv", "message"), [(a, m) for _, a, m in REFUSED],
                         ids=[name for name, _, _ in REFUSED])
def test_invalid_input_exits_2_and_changes_nothing(cli: Cli, argv: tuple[str, ...],
                                                   message: str) -> None:
    cli.ok("call", "--window", "7", *STAFF)  # window 7 has L003; window 8 nobody
    err = cli.refused(*argv)
    assert message in err


DENIED = [
    ("missing staff: call", ("call", "--window", "8"), "--staff"),
    ("missing staff: finish", ("finish", "--window", "7", "--outcome", "answered"), "--staff"),
    ("missing staff: transfer", ("transfer", "--window", "7", "--to", "housing"), "--staff"),
    ("missing staff: requeue", ("requeue", "L001"), "--staff"),
    ("missing staff: pause", ("pause", "--window", "8"), "--staff"),
    ("unknown staff", ("pause", "--window", "8", "--staff", "nobody"), "登录名或密码错误"),
]


@pytest.mark.parametrize(("argv", "message"), [(a, m) for _, a, m in DENIED],
                         ids=[name for name, _, _ in DENIED])
def test_not_signed_in_exits_3_and_changes_nothing(cli: Cli, argv: tuple[str, ...],
                                                   message: str) -> None:
    cli.ok("call", "--window", "7", *STAFF)
    before = snapshot()
    status, out, err = cli(*argv)
    assert (status, out) == (3, ""), err
    assert message in err
    after = snapshot()
    audits = before[1]["audit_event"], after[1].pop("audit_event")
    before[1].pop("audit_event")
    assert after == before
    assert audits[1] - audits[0] == (argv[-1] == "nobody")  # only the refused sign-in audited


def test_paused_window_refuses_pause_again(cli: Cli) -> None:
    cli.ok("pause", "--window", "8", "--staff", "win08")
    assert "已暂停" in cli.refused("pause", "--window", "8", "--staff", "win08")
    assert "暂停" in cli.refused("call", "--window", "8", "--number", "Z001", "--staff", "win08")


def test_calling_a_number_not_waiting_is_refused(cli: Cli) -> None:
    cli.ok("call", "--window", "8", "--staff", "win08")
    assert "尚未办结" in cli.refused("call", "--window", "8", "--number", "Z001", "--staff",
                                     "win08")
    cli.ok("finish", "--window", "8", "--outcome", "answered", "--staff", "win08")
    assert "已办结" in cli.refused("call", "--window", "8", "--number", "Z001", "--staff",
                                   "win08")
