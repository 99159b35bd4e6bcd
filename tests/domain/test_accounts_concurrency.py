"""Accounts shared by terminals on several processes (and machines): two terminals typing wrong
passwords for one login at once count every attempt and lock once; two administrators disabling
each other at once leave one who can sign in.

On SQLite, and PostgreSQL when HALL_TEST_PG_URL is set: each worker is its own process with its
own connection (:func:`tests.workers.run_workers`)."""

from __future__ import annotations

import json
from typing import Any

from hall import Hall
from hall.errors import NotAllowed, Refused
from models import Account, AuditEvent, open_database
from tests.helpers import config_with, with_passwords
from tests.workers import _work, run_workers


def wrong_passwords(url: str, barrier: Any, login: str, count: int, results: Any) -> None:
    """Type ``count`` wrong passwords for ``login`` (in another process, as another terminal)."""
    out: dict[str, Any] = {"refused": []}

    def body(hall: Hall) -> None:
        barrier.wait(timeout=60)
        for n in range(count):
            try:
                hall.accounts.sign_in(login, f"wrong-{n}")
            except NotAllowed as exc:
                out["refused"].append(str(exc))

    _work(url, results, out, body)


def test_two_terminals_typing_wrong_passwords_count_every_attempt(hall: Hall,
                                                                  db_url: str) -> None:
    with_passwords(hall)
    lock_after = hall.config.accounts.lock_after
    per_process = lock_after // 2 + 1  # together one more than the lock needs
    results = run_workers(wrong_passwords, [(db_url, "win07", per_process)] * 2)
    assert [r["errors"] for r in results] == [[], []]
    assert sum(len(r["refused"]) for r in results) == 2 * per_process
    counted = [json.loads(a.detail)["failures"] for a in AuditEvent.select().where(
        AuditEvent.action == "account.failed")]
    assert sorted(counted) == list(range(1, lock_after + 1))  # none lost, none counted twice
    assert AuditEvent.select().where(AuditEvent.action == "account.locked").count() == 1
    row = Account.get(Account.login == "win07")
    assert row.locked_until is not None  # the attempt after the lock did not lift it


def disable_other(url: str, barrier: Any, actor: str, target: str, results: Any) -> None:
    """``actor`` disables ``target`` (in another process, as another administrator)."""
    out: dict[str, Any] = {"refused": "", "done": False}

    def body(hall: Hall) -> None:
        barrier.wait(timeout=60)
        try:
            hall.accounts.disable(target, actor)
            out["done"] = True
        except (Refused, NotAllowed) as exc:  # the last one; or disabled a moment ago oneself
            out["refused"] = str(exc)

    _work(url, results, out, body)


def test_two_administrators_disabling_each_other_leave_one(db_url: str, clock) -> None:
    config = config_with(("  - {login: admin, name: 系统管理员, role: admin}",
                          "  - {login: admin, name: 系统管理员, role: admin}\n"
                          "  - {login: admin2, name: 副管理员, role: admin}"))
    hall = with_passwords(Hall(open_database(db_url), config, clock))
    for _ in range(3):  # a race may go either way: try it a few times
        results = run_workers(disable_other, [(db_url, "admin", "admin2"),
                                              (db_url, "admin2", "admin")])
        assert [r["errors"] for r in results] == [[], []]
        assert sorted(r["done"] for r in results) == [False, True]
        [refused] = [r["refused"] for r in results if not r["done"]]
        assert "最后一位可登录的管理员" in refused or "不存在或已停用" in refused
        assert not hall.accounts.needs_admin()
        [gone] = [a.login for a in Account.select().where(Account.active == False)]  # noqa: E712
        hall.accounts.enable(gone, actor="admin" if gone == "admin2" else "admin2")
    hall.db.close()
