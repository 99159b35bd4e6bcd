"""Signing in on the command line (issue 11 §2): every command that changes or reveals data exits 3
without valid credentials, and writes nothing but the audit of the refusal.

The commands are read off the parser (:func:`commands`): each is either open (:data:`OPEN`, with
the reason) or has a sample line in :data:`SAMPLES` that its signed-in staff member runs with exit
0 (:func:`test_a_valid_token_works`, which proves the sample is sound). A command added to the
CLI and to neither list fails :func:`test_every_command_is_open_or_signs_in`.

The refusals: no credentials, a wrong password, a locked account, a revoked and an expired token,
and the wrong role each exit 3 with a Chinese message; every table is as it was, but for audit
events of refusals (and a wrong password's count on the account); no password or token appears in
the output or the audit log. The hall is built once (``auth_hall`` in conftest.py) and copied per
test. The wrong role is refused by the facade's permission check (issue 11 §3, the acts' own
check), or by the CLI itself for the reads whose facade method takes no actor
(:data:`CLI_CHECKED`).

Which command meets which refusal. Not the full product (commands × six refusals): what a refusal
proves decides whether it must meet every command.

- Per command, every command: a valid token works (the sample is sound, and the act is recorded
  under the token's account: the command takes its actor from the sign-in), no credentials
  (the command asks for them before it touches the database), a wrong password (the command
  verifies the password, rather than trusting a login it was given), and the wrong role (each act
  has its own permission check, in its facade method or in the CLI: nothing shared proves it).
- Shared, a rotating sample (:data:`SHARED`): a locked account, a revoked token, an expired token.
  A command only asks ``Context.signed_in`` for its actor (cli/context.py); whether a login is
  locked is decided inside ``Accounts.sign_in`` and whether a token is revoked or expired inside
  ``Accounts.by_token``, the very calls the per-command refusals above prove each command makes
  (the wrong password reaches ``sign_in``, the valid token ``by_token``). Running them for every
  command would run the same code with the same answer again. Command *i* of the sorted list
  meets refusal ``SHARED[i % 3]``: every command meets one of them, each of them meets a third of
  the commands (roles, accounts and command modules mixed), the same ones on every run, and a new
  command joins the rotation by itself (:func:`test_the_rotation_covers_every_command_and_kind`).
"""

from __future__ import annotations

import argparse
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import peewee as pw
import pytest

import main
import models
from hall.clock import to_storage
from models import Account, AuditEvent
from tests.conftest import MORNING
from tests.helpers import TEST_PASSWORD, distinct_id

WRONG_PASSWORD = "wrong-Pass-9"
KNOWN = distinct_id(1)  # a visitor with a file and a ticket (L001, called at window 7)
OPEN = {
    ("status",): "a ticket's state by its query code: kiosks and visitors' phones",
    ("check-config",): "reads the configuration file only",
    ("demo",): "builds a new database; there is no account to sign in to yet",
    ("leader-days",): "the published schedule: days, leaders, rooms, places taken",
    ("leader-days", "export"): "the published schedule as a file",
    ("leader", "list"): "the leaders the hall publishes",
    ("staff", "init"): "the first start: refused once an administrator can sign in",
    ("status-page",): "the public page behind the ticket's QR code: a ticket's state by its code",
    ("serve",): "serves the screens to browsers: each tab signs in at the login screen",
}
"""Commands that need no credentials, and why (none shows personal data)."""

SAMPLES: dict[tuple[str, ...], tuple[str, list[str]]] = {
    ("issue",): ("desk01", ["issue", "--name", "王芳", "--id-number", distinct_id(40),
                            "--category", "wages", "--matter", "欠薪", "--district", "jiangbei"]),
    ("ticket",): ("desk01", ["ticket", "L001", "--svg", "{tmp}/slip.svg"]),
    ("visitor-history",): ("desk01", ["visitor-history", KNOWN]),
    ("call",): ("win08", ["call", "--window", "8"]),
    ("recall",): ("win07", ["recall", "--window", "7"]),
    ("no-show",): ("win07", ["no-show", "--window", "7"]),
    ("start",): ("win07", ["start", "--window", "7"]),
    ("pause",): ("win08", ["pause", "--window", "8"]),
    ("resume",): ("win09", ["resume", "--window", "9"]),
    ("transfer",): ("win07", ["transfer", "--window", "7", "--to", "housing"]),
    ("finish",): ("win07", ["finish", "--window", "7", "--outcome", "answered"]),
    ("requeue",): ("desk01", ["requeue", "R001"]),
    ("queue",): ("win07", ["queue", "--json"]),
    ("leader-days", "add"): ("mgr01", ["leader-days", "add", "--leader", "lihong", "--date",
                                       "2026-11-26", "--start", "09:00", "--end", "11:00",
                                       "--capacity", "5"]),
    ("leader-days", "cancel"): ("mgr01", ["leader-days", "cancel", "{later}", "--reason",
                                          "领导外出"]),
    ("leader-days", "plan"): ("mgr01", ["leader-days", "plan", "--month", "2026-12"]),
    ("leader-days", "publish"): ("mgr01", ["leader-days", "publish"]),
    ("book",): ("desk01", ["book", "--day", "{later}", "--id-number", KNOWN]),
    ("book", "cancel"): ("desk01", ["book", "cancel", "{moving}", "--reason", "来访人改期"]),
    ("book", "reschedule"): ("desk01", ["book", "reschedule", "{moving}", "--day", "{later}"]),
    ("checkin",): ("desk01", ["checkin", "--booking", "{booked}"]),
    ("case",): ("mgr01", ["case", "--id-number", KNOWN, "--leader", "lihong", "--matter",
                          "欠薪积案"]),
    ("leader", "add"): ("mgr01", ["leader", "add", "zhaomin", "--name", "赵敏", "--department",
                                  "leader"]),
    ("leader", "edit"): ("mgr01", ["leader", "edit", "lihong", "--portfolio", "信访积案"]),
    ("leader", "retire"): ("mgr01", ["leader", "retire", "wangshu", "--reason", "调任"]),
    ("leader", "reinstate"): ("mgr01", ["leader", "reinstate", "zhangwei"]),
    ("incident", "log"): ("win01", ["incident", "log", "--type", "lingering", "--place",
                                    "候谈区", "--note", "大声吵闹"]),
    ("incident", "act"): ("win01", ["incident", "act", "{incident}", "--action", "educate"]),
    ("incident", "correct"): ("win01", ["incident", "correct", "{incident}", "--entry", "1",
                                        "--note", "补充"]),
    ("incident", "close"): ("mgr01", ["incident", "close", "{incident}", "--conclusion",
                                      "自行离开"]),
    ("incident", "reopen"): ("mgr01", ["incident", "reopen", "{closed}", "--reason", "补充"]),
    ("incident", "list"): ("mgr01", ["incident", "list"]),
    ("incident", "show"): ("mgr01", ["incident", "show", "{incident}"]),
    ("incident", "report"): ("mgr01", ["incident", "report"]),
    ("cases", "list"): ("win07", ["cases", "list"]),
    ("cases", "show"): ("win07", ["cases", "show", "{case_pending}"]),
    ("cases", "accept"): ("win07", ["cases", "accept", "{case_pending}"]),
    ("cases", "refuse"): ("win07", ["cases", "refuse", "{case_pending}", "--kind", "rejected",
                                    "--reason", "不属信访事项", "--channel", "诉讼"]),
    ("cases", "assign"): ("mgr01", ["cases", "assign", "{case_pending}", "--unit", "housing"]),
    ("cases", "urge"): ("mgr01", ["cases", "urge", "{case_pending}", "--note", "请尽快"]),
    ("cases", "extend"): ("win07", ["cases", "extend", "{case_accepted}", "--days", "5",
                                    "--reason", "需核查"]),
    ("cases", "approve-extension"): ("mgr01", ["cases", "approve-extension",
                                               "{case_extending}", "--told", "电话告知"]),
    ("cases", "refuse-extension"): ("mgr01", ["cases", "refuse-extension", "{case_extending}",
                                              "--note", "理由不足"]),
    ("cases", "reply"): ("win07", ["cases", "reply", "{case_accepted}", "--note", "已答复"]),
    ("cases", "return"): ("mgr01", ["cases", "return", "{case_replied}", "--reason", "不完整"]),
    ("cases", "followup"): ("win07", ["cases", "followup", "{case_replied}", "--how", "phone",
                                      "--satisfaction", "满意"]),
    ("cases", "close"): ("mgr01", ["cases", "close", "{case_followed}"]),
    ("cases", "lead"): ("mgr01", ["cases", "lead", "{case_pending}", "--leader", "lihong"]),
    ("cases", "note"): ("win07", ["cases", "note", "{case_pending}", "--note", "来电询问"]),
    ("cases", "review"): ("mgr01", ["cases", "review", "{case_followed}"]),
    ("cases", "doc"): ("win07", ["cases", "doc", "{case_pending}", "--kind", "acceptance",
                                 "--pdf", "{tmp}/notice.pdf"]),
    ("recuse",): ("win07", ["recuse", "--id-number", KNOWN, "--reason", "亲属关系"]),
    ("recusals",): ("win07", ["recusals"]),
    ("audit",): ("mgr01", ["audit"]),
    ("staff", "list"): ("admin", ["staff", "list"]),
    ("staff", "add"): ("admin", ["staff", "add", "win21", "--name", "李娜", "--role", "window",
                                 "--department", "hrss"]),
    ("staff", "passwd"): ("admin", ["staff", "passwd", "win07"]),
    ("staff", "disable"): ("admin", ["staff", "disable", "win07"]),
    ("staff", "enable"): ("admin", ["staff", "enable", "win12"]),
    ("staff", "unlock"): ("admin", ["staff", "unlock", "win10"]),
    ("staff", "role"): ("admin", ["staff", "role", "win07", "--role", "window", "--department",
                                  "housing"]),
    ("staff", "history"): ("admin", ["staff", "history", "win07"]),
    ("token", "create"): ("admin", ["token", "create", "--account", "kiosk01"]),
    ("token", "revoke"): ("admin", ["token", "revoke", "1"]),
    ("token", "list"): ("admin", ["token", "list"]),
    ("stats",): ("mgr01", ["stats", "--period", "month", "--json"]),
    ("register",): ("desk01", ["register", "--period", "today", "--csv",
                               "{tmp}/register.csv"]),
    ("report",): ("mgr01", ["report", "--month", "2026-11", "--pdf", "{tmp}/report.pdf"]),
}
"""Command → (the staff member whose role does it, a line that succeeds on the built hall)."""

CLI_CHECKED = {("ticket",), ("queue",), ("incident", "list"), ("recusals",)}
"""Reads whose facade method takes no actor: the CLI checks the role itself."""


REFUSALS = {"account.refused", "account.failed", "account.locked", "denied"}
"""The audit events a refused command may leave."""


def commands() -> dict[tuple[str, ...], Any]:
    """Every command ``hall`` parses (sub-commands as paths) with its function, the screens'
    commands aside (their sign-in is the login screen's)."""
    found: dict[tuple[str, ...], Any] = {}

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        func = parser.get_default("func")
        if path and func is not None and func is not main.cmd_tui:
            found[path] = func
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, (*path, name))

    walk(main.build_parser(), ())
    return found


def test_every_command_is_open_or_signs_in() -> None:
    assert set(commands()) == set(OPEN) | set(SAMPLES)
    assert not set(OPEN) & set(SAMPLES)
    assert CLI_CHECKED <= set(SAMPLES)


def tables() -> dict[str, Counter[tuple[Any, ...]]]:
    """Every row of every table (the accounts and the audit log apart: see :func:`refused`)."""
    found = {}
    for name in models.__all__:
        model = getattr(models, name)
        if isinstance(model, type) and issubclass(model, pw.Model) and model not in (
                Account, AuditEvent):
            found[model._meta.table_name] = Counter(model.select().tuples())
    return found


def audit_text() -> str:
    """The whole audit log as text (to look for a secret in it)."""
    return " ".join(str(v) for row in AuditEvent.select().tuples() for v in row)


def audit_since(last: int) -> list[AuditEvent]:
    return list(AuditEvent.select().where(AuditEvent.id > last).order_by(AuditEvent.id))


def refused(hall_cmd: Any, argv: list[str], secrets: tuple[str, ...] = (), signed_in: bool = False,
            **env: str) -> str:
    """Run ``argv`` expecting exit 3: a Chinese message, nothing written but refusals' audit
    events (and the sign-in's, when ``signed_in``: a role refused), no secret in the output or
    the audit log; returns stderr."""
    before = tables()
    accounts = Account.select().count()
    last = AuditEvent.select(pw.fn.MAX(AuditEvent.id)).scalar() or 0
    status, out, err = hall_cmd(argv, **env)
    assert (status, out) == (3, ""), (argv, out, err)
    assert err.startswith("hall: ") and "Traceback" not in err, err
    assert tables() == before, argv
    assert Account.select().count() == accounts
    new = audit_since(last)
    allowed = REFUSALS | ({"account.sign_in"} if signed_in else set())
    assert {e.action for e in new} <= allowed, [(e.action, e.detail) for e in new]
    audit = audit_text()
    for secret in (TEST_PASSWORD, WRONG_PASSWORD, *secrets):
        assert secret not in out + err and secret not in audit, argv
    assert not Path(str(hall_cmd.url).removeprefix("sqlite:///")).with_name("slip.svg").exists()
    return err


ALL = sorted(SAMPLES)
IDS = [" ".join(c) for c in ALL]


# -- the cases, for every command ---------------------------------------------------------------


@pytest.mark.parametrize("command", ALL, ids=IDS)
def test_a_valid_token_works(hall_cmd: Any, command: tuple[str, ...]) -> None:
    """The sample is sound: its staff member's token runs it (no password needed)."""
    who, argv = SAMPLES[command]
    token = hall_cmd.refs["tokens"][who]["valid"]
    last = AuditEvent.select(pw.fn.MAX(AuditEvent.id)).scalar()
    status, out, err = hall_cmd(argv, HALL_TOKEN=token)
    assert status == 0, err
    assert token not in out + err
    assert {e.actor for e in audit_since(last)} <= {who}  # recorded under the token's account
    assert token not in audit_text()


@pytest.mark.parametrize("command", ALL, ids=IDS)
def test_without_credentials_exit_3_before_the_database_is_touched(
        hall_cmd: Any, command: tuple[str, ...]) -> None:
    last = AuditEvent.select(pw.fn.MAX(AuditEvent.id)).scalar()
    err = refused(hall_cmd, SAMPLES[command][1])
    assert "HALL_STAFF" in err and "HALL_PASSWORD" in err and "HALL_TOKEN" in err
    assert AuditEvent.select(pw.fn.MAX(AuditEvent.id)).scalar() == last


@pytest.mark.parametrize("command", ALL, ids=IDS)
def test_a_wrong_password_exits_3(hall_cmd: Any, command: tuple[str, ...]) -> None:
    who, argv = SAMPLES[command]
    err = refused(hall_cmd, argv, HALL_STAFF=who, HALL_PASSWORD=WRONG_PASSWORD)
    assert "登录名或密码错误" in err
    assert Account.get(Account.login == who).failures == 1
    assert [e.action for e in audit_since(0)][-1] == "account.failed"


SHARED = ("locked", "revoked", "expired")
"""The refusals decided inside the shared sign-in, each met by a rotating third of the commands."""


def meeting(kind: str) -> list[tuple[str, ...]]:
    """The commands that meet the shared refusal ``kind``: every third, from its place on."""
    return ALL[SHARED.index(kind)::len(SHARED)]


def test_the_rotation_covers_every_command_and_kind() -> None:
    met = [c for kind in SHARED for c in meeting(kind)]
    assert sorted(met) == ALL  # every command meets exactly one shared refusal
    assert all(len(meeting(kind)) >= len(ALL) // len(SHARED) for kind in SHARED)


@pytest.mark.parametrize("command", meeting("locked"), ids=" ".join)
def test_a_locked_account_exits_3(hall_cmd: Any, command: tuple[str, ...]) -> None:
    who, argv = SAMPLES[command]
    Account.update(locked_until=to_storage(MORNING) + timedelta(hours=5)).where(
        Account.login == who).execute()
    err = refused(hall_cmd, argv, HALL_STAFF=who, HALL_PASSWORD=TEST_PASSWORD)
    assert "已锁定" in err


@pytest.mark.parametrize(("command", "kind"),
                         [(c, k) for k in ("revoked", "expired") for c in meeting(k)],
                         ids=lambda v: " ".join(v) if isinstance(v, tuple) else v)
def test_a_revoked_or_expired_token_exits_3(hall_cmd: Any, command: tuple[str, ...],
                                             kind: str) -> None:
    who, argv = SAMPLES[command]
    token = hall_cmd.refs["tokens"][who][kind]
    err = refused(hall_cmd, argv, (token,), HALL_TOKEN=token)
    assert ("已被吊销" if kind == "revoked" else "已过期") in err


@pytest.mark.parametrize("command", ALL, ids=IDS)
def test_the_wrong_role_exits_3(hall_cmd: Any, command: tuple[str, ...]) -> None:
    """The board's account (the kiosk's for the queue, which the board may read) signs in with
    its own password and is refused the act: its sign-in and the refusal are audited."""
    who = "kiosk01" if command == ("queue",) else "board01"
    err = refused(hall_cmd, SAMPLES[command][1], signed_in=True, HALL_STAFF=who,
                  HALL_PASSWORD=TEST_PASSWORD)
    assert "无权限" in err
    assert [e.action for e in audit_since(0)][-1] == "denied"
