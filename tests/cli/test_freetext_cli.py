"""Every command that stores typed text refuses bad text: exit 2, the field's flag and what is
wrong printed in Chinese on stderr (one line, as ``print_form_errors`` prints a form), nothing on
stdout and no row changed in any table (issue 9 §3).

The same scene and the same bad inputs as the domain's table (test_freetext_entry_points.py), run
in-process through ``main.main`` on SQLite, and PostgreSQL when HALL_TEST_PG_URL is set.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

import main
from tests.conftest import MORNING
from tests.domain.test_freetext_entry_points import BAD, Scene, every_row, scene  # noqa: F401
from tests.helpers import TEST_PASSWORD, accounts_ready, distinct_id

Argv = Callable[[Scene, str], list[str]]
ISSUE = ["issue", "--staff", "desk01", "--id-number", distinct_id(9), "--category", "wages"]


def issue(flag: str) -> Argv:
    base = {"--name": "张三", "--matter": "工地拖欠工资"}
    return lambda s, t: [*ISSUE, *[x for k, v in {**base, flag: t}.items() for x in (k, v)]]


COMMANDS: dict[str, tuple[str, Argv]] = {
    "issue --name": ("--name（姓名）", issue("--name")),
    "issue --phone": ("--phone（联系电话）", issue("--phone")),
    "issue --address": ("--address（住址）", issue("--address")),
    "issue --matter": ("--matter（事由）", issue("--matter")),
    "issue --request": ("--request（具体诉求）", issue("--request")),
    "finish --note": ("--note（情况说明）", lambda s, t: [
        "finish", "--window", "7", "--outcome", "answered", "--note", t, "--staff", "win07"]),
    "finish --reason": ("--reason（理由）", lambda s, t: [
        "finish", "--window", "7", "--outcome", "rejected", "--reason", t,
        "--channel", "向人民法院提起诉讼", "--staff", "win07"]),
    "finish --channel": ("--channel（告知途径）", lambda s, t: [
        "finish", "--window", "7", "--outcome", "rejected", "--reason", "属诉讼事项",
        "--channel", t, "--staff", "win07"]),
    "transfer --note": ("--note（情况说明）", lambda s, t: [
        "transfer", "--window", "7", "--to", "housing", "--note", t, "--staff", "win07"]),
    "incident log --place": ("--place（地点）", lambda s, t: [
        "incident", "log", "--type", "lingering", "--place", t, "--note", "大声吵闹",
        "--staff", "win01"]),
    "incident log --note": ("--note（经过）", lambda s, t: [
        "incident", "log", "--type", "lingering", "--place", "候谈区", "--note", t,
        "--staff", "win01"]),
    "incident act --result": ("--result（结果）", lambda s, t: [
        "incident", "act", str(s.incident), "--action", "educate", "--result", t,
        "--staff", "win01"]),
    "incident act --note": ("--note（经过）", lambda s, t: [
        "incident", "act", str(s.incident), "--action", "educate", "--note", t,
        "--staff", "win01"]),
    "incident correct": ("--note（经过）", lambda s, t: [
        "incident", "correct", str(s.incident), "--entry", "1", "--note", t, "--staff", "win01"]),
    "incident close": ("--conclusion（结论）", lambda s, t: [
        "incident", "close", str(s.incident), "--conclusion", t, "--staff", "mgr01"]),
    "incident reopen": ("--reason（理由）", lambda s, t: [
        "incident", "reopen", str(s.closed), "--reason", t, "--staff", "mgr01"]),
    "book --matter": ("--matter（事由）", lambda s, t: [
        "book", "--day", str(s.day), "--id-number", distinct_id(1), "--matter", t,
        "--staff", "desk01"]),
    "book cancel": ("--reason（原因）", lambda s, t: [
        "book", "cancel", str(s.booking), "--reason", t, "--staff", "desk01"]),
    "leader-days add --room": ("--room（地点）", lambda s, t: [
        "leader-days", "add", "--leader", "zhangwei", "--date", "2026-11-26", "--start",
        "09:00", "--end", "11:00", "--capacity", "5", "--room", t, "--staff", "mgr01"]),
    "leader-days add --topic": ("--topic（主题）", lambda s, t: [
        "leader-days", "add", "--leader", "zhangwei", "--date", "2026-11-26", "--start",
        "09:00", "--end", "11:00", "--capacity", "5", "--topic", t, "--staff", "mgr01"]),
    "leader-days cancel": ("--reason（原因）", lambda s, t: [
        "leader-days", "cancel", str(s.day), "--reason", t, "--staff", "mgr01"]),
    "case --matter": ("--matter（事由）", lambda s, t: [
        "case", "--id-number", distinct_id(1), "--leader", "lihong", "--matter", t,
        "--staff", "mgr01"]),
    "leader add --name": ("--name（姓名）", lambda s, t: [
        "leader", "add", "zhaomin", "--name", t, "--department", "leader", "--staff", "mgr01"]),
    "leader add --title": ("--title（职务）", lambda s, t: [
        "leader", "add", "zhaomin", "--name", "赵敏", "--title", t, "--department", "leader",
        "--staff", "mgr01"]),
    "leader edit --portfolio": ("--portfolio（分管领域）", lambda s, t: [
        "leader", "edit", "lihong", "--portfolio", t, "--staff", "mgr01"]),
    "leader retire": ("--reason（原因）", lambda s, t: [
        "leader", "retire", "wangshu", "--reason", t, "--staff", "mgr01"]),
}


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    for name in ("HALL_CONFIG", "HALL_DB", "HALL_STAFF", "HALL_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALL_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("HALL_NOW", (MORNING + timedelta(minutes=5)).isoformat())
    monkeypatch.setenv("HALL_PASSWORD", TEST_PASSWORD)


def rows() -> dict[str, Any]:
    """:func:`every_row` but the commands' sign-ins (audited; the act wrote nothing)."""
    found = every_row()
    found["audit_event"] = +Counter({r: n for r, n in found["audit_event"].items()
                                     if "account.sign_in" not in r})
    return found


def run(db_url: str, capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[Any, str, str]:
    capsys.readouterr()
    try:
        status = main.main([*argv, "--db", db_url])
    except SystemExit as exc:
        status = exc.code
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("command", list(COMMANDS))
def test_each_command_stores_ordinary_text(scene: Scene, db_url: str,  # noqa: F811
                                           capsys: pytest.CaptureFixture[str],
                                           command: str) -> None:
    """The refusals below are the text's: the same command with ordinary text succeeds."""
    flag, argv = COMMANDS[command]
    text = "13812345678" if "phone" in flag else "张三 正常内容"
    accounts_ready(db_url)
    status, _, err = run(db_url, capsys, argv(scene, text))
    assert (status, err) == (0, ""), err


@pytest.mark.parametrize("command", list(COMMANDS))
def test_bad_text_exits_2_and_writes_nothing(scene: Scene, db_url: str,  # noqa: F811
                                             capsys: pytest.CaptureFixture[str],
                                             command: str) -> None:
    """Every kind of bad text in turn (a refusal leaves the scene as it was)."""
    flag, argv = COMMANDS[command]
    accounts_ready(db_url)
    before = rows()
    for kind, text in BAD.items():
        status, out, err = run(db_url, capsys, argv(scene, text))
        assert status == 2, (kind, out, err)
        assert out == "", kind
        assert err.startswith(flag + "："), (kind, err)
        assert "Traceback" not in err and "\x1b" not in err, kind
        assert rows() == before, kind
