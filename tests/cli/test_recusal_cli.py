"""``hall recuse`` and ``hall recusals``: declare, withdraw and list one's own recusals (回避).

In-process through ``main.main`` on SQLite (and PostgreSQL when HALL_TEST_PG_URL is set). Bad
input exits 2 with the flag and a Chinese message on stderr and writes nothing at all.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest

import main
from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from hall.errors import NotAllowed
from models import AuditEvent, Recusal, open_database
from tests.conftest import MORNING, fill
from tests.domain.test_freetext_entry_points import BAD
from tests.helpers import cli_env, distinct_id, form, make_id, row_counts, with_passwords

PERSON = distinct_id(1)


@pytest.fixture
def url(db_url: str, config: HallConfig, tmp_path: Any,
        monkeypatch: pytest.MonkeyPatch) -> str:
    """A database where visitor 1 has a ticket; the commands run as win01."""
    cli_env(monkeypatch, tmp_path, MORNING.isoformat(), "win01")
    fill(db_url, config, FixedClock(MORNING))  # the new hall's state, copied
    hall = Hall(open_database(db_url), config, FixedClock(MORNING))
    hall.desk.issue(form(id_number=PERSON), actor="desk01")
    with_passwords(hall)  # cli_env signs in with the test's password
    hall.db.close()
    return db_url


def run(url: str, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[Any, str, str]:
    capsys.readouterr()
    try:
        status = main.main([*argv, "--db", url])
    except SystemExit as exc:  # argparse's own refusals
        status = exc.code
    except NotAllowed as exc:  # until the command line maps it to 3 (issue 11 §2)
        status = 3
        print(exc, file=sys.stderr)
    out, err = capsys.readouterr()
    return status, out, err


def state() -> tuple[Any, ...]:
    return (row_counts(), Recusal.select().count(),
            sorted(Recusal.select(Recusal.id, Recusal.withdrawn_at).tuples()))


def test_declare_list_and_withdraw(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(url, capsys, "recuse", "--id-number", PERSON, "--reason", "系本人亲属")
    assert (status, err) == (0, ""), err
    assert out.startswith("已申请回避来访人 张*（110105********") and "其他窗口" in out
    [row] = Recusal.select()
    assert (row.account.login, row.reason) == ("win01", "系本人亲属")
    status, out, err = run(url, capsys, "recusals", "--json")
    assert status == 0
    [listed] = json.loads(out)
    assert (listed["reason"], listed["name_masked"], listed["withdrawn_at"]) == (
        "系本人亲属", "张*", "")
    assert PERSON not in out  # masked
    assert run(url, capsys, "recusals")[1].startswith("2026-11-23 09:00　张*　110105")
    status, out, err = run(url, capsys, "recuse", "--withdraw", "--id-number", PERSON)
    assert (status, err) == (0, "") and out.startswith("已撤回对来访人 张*")
    assert Recusal.get().withdrawn_by == "win01"
    assert run(url, capsys, "recusals")[1] == "没有生效的回避\n"
    assert "已于 2026-11-23 09:00 撤回" in run(url, capsys, "recusals", "--all")[1]
    assert json.loads(run(url, capsys, "recusals", "--json")[1]) == []


@pytest.mark.parametrize(("argv", "message"), [
    (["--id-number", PERSON], "--reason（回避理由）：请填写回避理由"),
    (["--id-number", PERSON, "--reason", "  "], "--reason（回避理由）：请填写回避理由"),
    (["--id-number", "11010519491231002", "--reason", "亲属"], "--id-number（证件号码）："),
    (["--id-number", PERSON, "--document-type", "licence", "--reason", "亲属"],
     "--document-type（证件类型）：未知的证件类型"),
    (["--id-number", make_id(seq=9), "--reason", "亲属"], "hall: 没有证件号码为"),
    (["--withdraw", "--id-number", PERSON], "hall: 您未对来访人张*"),
    (["--withdraw", "--id-number", PERSON, "--reason", "亲属"], "hall: 撤回回避不需要 --reason"),
    (["--reason", "亲属"], "the following arguments are required: --id-number"),
])
def test_bad_input_exits_2_and_writes_nothing(url: str, capsys: pytest.CaptureFixture[str],
                                              argv: list[str], message: str) -> None:
    before = state()
    status, out, err = run(url, capsys, "recuse", *argv)
    assert status == 2, (out, err)
    assert message in err and out == "", err
    assert "Traceback" not in err
    assert state() == before


def test_bad_reason_text_exits_2_and_writes_nothing(url: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    before = state()
    for kind, text in BAD.items():
        status, out, err = run(url, capsys, "recuse", "--id-number", PERSON, "--reason", text)
        assert status == 2, kind
        assert err.startswith("--reason（回避理由）：") and "\x1b" not in err, (kind, err)
        assert out == "" and state() == before, kind


def test_declaring_twice_exits_2(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(url, capsys, "recuse", "--id-number", PERSON, "--reason", "亲属")[0] == 0
    before = state()
    status, _, err = run(url, capsys, "recuse", "--id-number", PERSON, "--reason", "亲属")
    assert status == 2 and "无需重复申请" in err
    assert state() == before


def test_without_staff_or_with_a_role_that_may_not_nothing_is_written(
        url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HALL_STAFF")
    status, _, err = run(url, capsys, "recuse", "--id-number", PERSON, "--reason", "亲属")
    assert status in (2, 3) and "HALL_STAFF" in err  # 3 once commands sign in (issue 11 §2)
    assert Recusal.select().count() == 0
    status, _, err = run(url, capsys, "recuse", "--id-number", PERSON, "--reason", "亲属",
                         "--staff", "kiosk01")
    assert status == 3 and "无权限申请回避" in err
    assert Recusal.select().count() == 0
    assert AuditEvent.select().where(AuditEvent.action == "denied").count() == 1
