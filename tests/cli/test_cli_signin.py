"""How a command signs in (issue 11 §2), rule by rule: the password from HALL_PASSWORD or a prompt
on a terminal and never from an argument, a one-time password refused until changed, a token that
belongs to another login, the open ``hall status`` showing no personal data, the queue's masked
names only for staff who may see files, and the same refusals on PostgreSQL.

The per-command sweep (every command × every refusal) is ``test_cli_auth.py``; its built hall is
reused here.
"""

from __future__ import annotations

import io
import json
from typing import Any

import peewee as pw

import main
from config import HallConfig
from hall import Hall
from hall.accounts.passwords import token_digest
from hall.clock import FixedClock, to_storage
from models import AccessToken, Account, AuditEvent, Ticket, open_database
from tests.cli.conftest import NOW
from tests.cli.test_cli_auth import (
    OPEN,
    SAMPLES,
    WRONG_PASSWORD,
    audit_text,
    commands,
    refused,
)
from tests.conftest import MORNING
from tests.helpers import TEST_PASSWORD, accounts_ready, distinct_id

ISSUE = SAMPLES[("issue",)][1]


def test_there_is_no_password_argument() -> None:
    """A password on the command line is seen by every user of the machine (ps) and kept in
    shell histories: no command takes one."""
    root = main.build_parser()  # walked, never changed: one for every command
    for path in commands():
        parser = root
        for word in path:
            parser = next(a for a in parser._actions if hasattr(a, "choices")
                          and isinstance(a.choices, dict) and word in a.choices).choices[word]
        options = {o for a in parser._actions for o in a.option_strings}
        assert not {o for o in options if "pass" in o or "token" in o}, path


def test_the_password_comes_from_a_prompt_on_a_terminal(hall_cmd: Any, monkeypatch) -> None:
    asked: list[str] = []

    def getpass(prompt: str) -> str:
        asked.append(prompt)
        return TEST_PASSWORD

    monkeypatch.setattr("getpass.getpass", getpass)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    status, out, err = hall_cmd(ISSUE, HALL_STAFF="desk01")
    assert status == 0, err
    assert asked == ["desk01 的密码："]
    assert TEST_PASSWORD not in out + err + audit_text()
    asked.clear()
    status, _, err = hall_cmd([*ISSUE, "--category", "nonsense"], HALL_STAFF="desk01")
    assert status == 2 and asked == []  # bad input: no password asked for


def test_without_a_terminal_a_missing_password_exits_3(hall_cmd: Any, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    err = refused(hall_cmd, ISSUE, HALL_STAFF="desk01")
    assert "缺少“desk01”的密码" in err and "HALL_PASSWORD" in err


def test_a_one_time_password_must_be_changed_first(hall_cmd: Any) -> None:
    Account.update(must_change=True).where(Account.login == "desk01").execute()
    err = refused(hall_cmd, ISSUE, signed_in=True, HALL_STAFF="desk01", HALL_PASSWORD=TEST_PASSWORD)
    assert "一次性密码" in err and "hall staff passwd desk01" in err


def test_a_one_time_password_may_set_its_own_and_nothing_else(hall_cmd: Any,
                                                             monkeypatch) -> None:
    status, out, err = hall_cmd(["staff", "passwd", "desk01"], HALL_STAFF="admin",
                                HALL_PASSWORD=TEST_PASSWORD)
    assert status == 0, err
    one_time = out.strip()
    monkeypatch.setenv("HALL_STAFF", "desk01")
    err = refused(hall_cmd, ISSUE, (one_time,), signed_in=True, HALL_PASSWORD=one_time)
    assert "hall staff passwd desk01" in err
    assert "hall staff passwd desk01" in refused(hall_cmd, ["staff", "passwd", "win07"],
                                                 (one_time,), signed_in=True)
    monkeypatch.setattr("sys.stdin", io.StringIO("my-Own-pass-5\n"))
    status, out, err = hall_cmd(["staff", "passwd", "desk01"])
    assert status == 0 and "已修改" in out, err
    assert hall_cmd(ISSUE, HALL_PASSWORD="my-Own-pass-5")[0] == 0
    assert one_time not in audit_text() and "my-Own-pass-5" not in audit_text()


def test_a_token_of_another_login_exits_3(hall_cmd: Any) -> None:
    token = hall_cmd.refs["tokens"]["kiosk01"]["valid"]
    err = refused(hall_cmd, ISSUE, (token,), HALL_TOKEN=token, HALL_STAFF="desk01")
    assert "kiosk01" in err and "desk01" in err
    status, _, err = hall_cmd(ISSUE, HALL_TOKEN=token, HALL_STAFF="kiosk01")  # the same: fine
    assert status == 0, err


def test_a_kiosk_issues_with_its_token(hall_cmd: Any) -> None:
    token = hall_cmd.refs["tokens"]["kiosk01"]["valid"]
    status, out, err = hall_cmd([*ISSUE, "--json"], HALL_TOKEN=token)
    assert status == 0, err
    assert json.loads(out)["number"] == "L003"
    assert AuditEvent.select().where(AuditEvent.action == "ticket.issue").order_by(
        AuditEvent.id.desc()).first().actor == "kiosk01"


def test_the_open_commands_need_no_credentials(hall_cmd: Any) -> None:
    for argv in (["check-config"], ["leader-days", "--month", "2026-11"],
                 ["leader", "list"], ["leader-days", "export", "--month", "2026-11", "--csv",
                                      "{tmp}/days.csv"]):
        status, _, err = hall_cmd(argv)
        assert status == 0, (argv, err)
    assert {("check-config",), ("leader-days",), ("leader", "list"),
            ("leader-days", "export")} < set(OPEN)


def test_hall_status_is_open_and_shows_no_personal_data(hall_cmd: Any) -> None:
    """A kiosk or the visitor's phone reads a ticket's state by its query code; what it shows is
    what the board shows everyone: no name, ID number, phone, matter or category."""
    token = hall_cmd.refs["tokens"]["desk01"]["valid"]
    status, out, err = hall_cmd([*ISSUE, "--phone", "13812345678", "--json"], HALL_TOKEN=token)
    assert status == 0, err
    code = json.loads(out)["query_code"]
    status, out, err = hall_cmd(["status", code, "--json"], HALL_TOKEN="")
    assert status == 0, err
    shown = json.loads(out)
    assert set(shown) == {"number", "business_day", "department", "department_name", "status",
                          "status_label", "ahead", "window", "case"}
    assert shown["case"] is None  # the case's number, state and due date once it has one
    for personal in ("王芳", "王*", distinct_id(40), "13812345678", "欠薪", "wages"):
        assert personal not in out
    status, text, _ = hall_cmd(["status", code])
    assert status == 0 and "王" not in text


def test_the_queue_shows_masked_names_only_to_staff_who_see_files(hall_cmd: Any) -> None:
    status, out, err = hall_cmd(["queue", "--json"], HALL_STAFF="board01",
                           HALL_PASSWORD=TEST_PASSWORD)
    assert status == 0, err
    board = json.loads(out)
    assert board and all(e["name_masked"] == "" for e in board)
    status, out, err = hall_cmd(["queue", "--json"], HALL_STAFF="win07")
    assert status == 0, err
    assert all(e["name_masked"].endswith("*") for e in json.loads(out))


# -- PostgreSQL (and SQLite) ----------------------------------------------------------------------


def test_sign_in_refusals_on_either_database(db_url: str, config: HallConfig, capsys,
                                             monkeypatch, tmp_path) -> None:
    """No credentials, a wrong password, the wrong role, a revoked token: exit 3, nothing but
    the refusals audited; a valid token works."""
    for name in ("HALL_CONFIG", "HALL_DB", "HALL_STAFF", "HALL_PASSWORD", "HALL_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("HALL_NOW", NOW)
    accounts_ready(db_url)
    db = open_database(db_url)
    kiosk = Hall(db, config, FixedClock(MORNING)).accounts
    valid = kiosk.create_token("kiosk01", actor="admin", days=30)
    revoked = kiosk.create_token("kiosk01", actor="admin")
    AccessToken.update(revoked_at=to_storage(MORNING)).where(
        AccessToken.digest == token_digest(revoked)).execute()
    last = AuditEvent.select(pw.fn.MAX(AuditEvent.id)).scalar()
    db.close()

    def hall(*argv: str, **env: str) -> tuple[int, str]:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        status = main.main([*argv, "--db", db_url])
        return status, capsys.readouterr().err

    assert hall(*ISSUE)[0] == 3
    assert hall(*ISSUE, HALL_STAFF="desk01", HALL_PASSWORD=WRONG_PASSWORD)[0] == 3
    assert hall("queue", HALL_STAFF="kiosk01", HALL_PASSWORD=TEST_PASSWORD)[0] == 3
    status, err = hall(*ISSUE, HALL_STAFF="", HALL_PASSWORD="", HALL_TOKEN=revoked)
    assert status == 3 and "吊销" in err
    open_database(db_url)
    assert [e.action for e in AuditEvent.select().where(AuditEvent.id > last)
            .order_by(AuditEvent.id)] == [
        "account.failed", "account.sign_in", "denied", "account.refused"]
    assert Ticket.select().count() == 0
    status, err = hall(*ISSUE, HALL_TOKEN=valid)
    assert status == 0, err
    open_database(db_url)
    assert Ticket.select().count() == 1
    text = audit_text()
    for secret in (TEST_PASSWORD, WRONG_PASSWORD, valid, revoked):
        assert secret not in text
