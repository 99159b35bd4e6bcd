"""Accounts: the password policy, signing in and the lock, one-time passwords, tokens, and the
administrator's acts, each written with its history, audit event and change counter, touching
nothing else. On SQLite, and PostgreSQL when HALL_TEST_PG_URL is set."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from hall import Hall
from hall.accounts import passwords
from hall.desk.registration import FormError
from hall.errors import NotAllowed, NotFound, Refused
from models import AccessToken, Account, AccountEvent, AuditEvent
from tests.helpers import TEST_PASSWORD, config_with, only_changes, snapshot, with_passwords

NEW = "another-Pass-9"


@pytest.fixture(autouse=True)
def _passwords(request: pytest.FixtureRequest) -> None:
    """The conftest's hall, when a test asks for it, has every account given TEST_PASSWORD
    (cheaply hashed)."""
    if "hall" in request.fixturenames:
        with_passwords(request.getfixturevalue("hall"))


def _id(login: str) -> int:
    return Account.get(Account.login == login).id


def _audits(action: str, login: str | None = None) -> list[AuditEvent]:
    query = AuditEvent.select().where(AuditEvent.action == action)
    if login is not None:
        query = query.where(AuditEvent.entity_id == login)
    return list(query.order_by(AuditEvent.id))


def _kinds(login: str) -> list[str]:
    return [e.kind for e in AccountEvent.select().where(AccountEvent.account == _id(login))
            .order_by(AccountEvent.id)]


# -- the password policy ---------------------------------------------------------------------------


@pytest.mark.parametrize(("password", "message"), [
    ("short7!", "密码至少 8 位"),
    ("x" * 257, "密码不能超过 256 位"),
    ("Desk01", "密码至少 8 位"),
    ("win07win", None),
    (" WIN07_X ", None),
    ("abababab", "密码过于简单（至少包含 3 种不同字符）"),
    ("abc\x1bdefgh", "密码不能包含控制字符"),
    ("correct horse", None),
])
def test_the_policy_says_what_is_wrong_in_chinese(password: str, message: str | None) -> None:
    assert passwords.policy_problem(password, "win07") == message


def test_the_login_itself_is_refused_whatever_its_case() -> None:
    assert passwords.policy_problem("Desk0001", "desk0001") == "密码不能与登录名相同"


def test_a_new_password_is_checked_by_the_policy(hall: Hall) -> None:
    with only_changes(Account), pytest.raises(FormError) as refused:
        hall.accounts.set_password("win07", "win07", actor="win07")
    assert refused.value.errors == {"password": "密码至少 8 位"}


# -- signing in and the lock -----------------------------------------------------------------------


def test_wrong_passwords_lock_the_account_and_every_one_is_audited(hall: Hall, clock) -> None:
    settings = hall.config.accounts
    for n in range(1, settings.lock_after):
        with pytest.raises(NotAllowed, match="登录名或密码错误"):
            hall.accounts.sign_in("win07", f"wrong-{n}")
        assert Account.get(Account.login == "win07").failures == n
    version = hall.store.change_version("accounts")
    with pytest.raises(NotAllowed, match=f"连续 {settings.lock_after} 次密码错误"):
        hall.accounts.sign_in("win07", "wrong-last")
    assert hall.store.change_version("accounts") == version + 1
    # Locked: even the right password is refused until lock_minutes have passed.
    with pytest.raises(NotAllowed, match="已锁定"):
        hall.accounts.sign_in("win07", TEST_PASSWORD)
    assert [a.detail for a in _audits("account.failed", "win07")] == [
        json.dumps({"failures": n}) for n in range(1, settings.lock_after + 1)]
    assert len(_audits("account.locked", "win07")) == 1
    assert [json.loads(a.detail)["why"] for a in _audits("account.refused", "win07")] == ["locked"]
    assert _kinds("win07")[-1] == "locked"
    clock.advance(minutes=settings.lock_minutes - 1)
    with pytest.raises(NotAllowed, match="已锁定"):
        hall.accounts.sign_in("win07", TEST_PASSWORD)
    clock.advance(minutes=1)
    assert hall.accounts.sign_in("win07", TEST_PASSWORD).login == "win07"
    row = Account.get(Account.login == "win07")
    assert (row.failures, row.locked_until) == (0, None)


def test_the_right_password_resets_the_count(hall: Hall) -> None:
    for _ in range(hall.config.accounts.lock_after - 1):
        with pytest.raises(NotAllowed):
            hall.accounts.sign_in("win07", "wrong-pass")
    hall.accounts.sign_in("win07", TEST_PASSWORD)
    assert Account.get(Account.login == "win07").failures == 0
    with pytest.raises(NotAllowed, match="登录名或密码错误"):  # counting starts again
        hall.accounts.sign_in("win07", "wrong-pass")


def test_an_unknown_login_reads_like_a_wrong_password(hall: Hall) -> None:
    with pytest.raises(NotAllowed) as unknown:
        hall.accounts.sign_in("nobody", TEST_PASSWORD)
    with pytest.raises(NotAllowed) as wrong:
        hall.accounts.sign_in("win07", "wrong-pass")
    assert str(unknown.value) == str(wrong.value)


def test_an_administrator_unlocks_before_the_time_is_up(hall: Hall) -> None:
    for _ in range(hall.config.accounts.lock_after):
        with pytest.raises(NotAllowed):
            hall.accounts.sign_in("win07", "wrong-pass")
    with only_changes(Account, _id("win07")):
        hall.accounts.unlock("win07", actor="admin")
    assert hall.accounts.sign_in("win07", TEST_PASSWORD).login == "win07"
    with pytest.raises(Refused, match="没有被锁定"):
        hall.accounts.unlock("win07", actor="admin")
    assert _kinds("win07")[-2:] == ["locked", "unlocked"]


# -- one-time passwords ----------------------------------------------------------------------------


def test_a_new_account_s_one_time_password_must_be_changed(hall: Hall) -> None:
    one_time = hall.accounts.add("win21", "李娜", "window", ["hrss"], actor="admin")
    actor = hall.accounts.sign_in("win21", one_time)
    assert actor.must_change and actor.departments == frozenset({"hrss"})
    changed = hall.accounts.change_password("win21", one_time, NEW)
    assert not changed.must_change
    assert not hall.accounts.sign_in("win21", NEW).must_change
    with pytest.raises(NotAllowed):
        hall.accounts.sign_in("win21", one_time)
    assert _kinds("win21") == ["created", "password"]


def test_a_reset_gives_a_one_time_password_and_lifts_a_lock(hall: Hall) -> None:
    for _ in range(hall.config.accounts.lock_after):
        with pytest.raises(NotAllowed):
            hall.accounts.sign_in("win07", "wrong-pass")
    one_time = hall.accounts.reset_password("win07", actor="admin")
    assert one_time != TEST_PASSWORD and hall.accounts.sign_in("win07", one_time).must_change
    with pytest.raises(NotAllowed):
        hall.accounts.sign_in("win07", TEST_PASSWORD)
    with pytest.raises(FormError, match="新密码不能与原密码相同"):
        hall.accounts.change_password("win07", one_time, one_time)


def test_one_s_own_password_only(hall: Hall) -> None:
    with pytest.raises(NotAllowed, match="只能修改自己的密码"):
        hall.accounts.set_password("win07", NEW, actor="desk01")
    with pytest.raises(NotAllowed, match="只能修改自己的密码"):
        hall.accounts.set_password("win07", NEW, actor="admin")
    hall.accounts.set_password("win07", NEW, actor="win07")
    assert hall.accounts.sign_in("win07", NEW).login == "win07"


# -- tokens ----------------------------------------------------------------------------------------


def test_a_token_signs_in_until_it_expires(hall: Hall, clock) -> None:
    token = hall.accounts.create_token("kiosk01", actor="admin", days=2, label="一楼自助机")
    assert token.startswith("hall_") and hall.accounts.by_token(token).login == "kiosk01"
    stored = AccessToken.get()
    assert stored.digest == passwords.token_digest(token) and token not in stored.digest
    clock.advance(days=2)
    with pytest.raises(NotAllowed, match="已过期"):
        hall.accounts.by_token(token)
    [view] = hall.accounts.tokens("kiosk01", actor="admin")
    assert (view.label, view.state, view.state_name) == ("一楼自助机", "expired", "已过期")


def test_a_revoked_or_unknown_token_is_refused(hall: Hall) -> None:
    token = hall.accounts.create_token("board01", actor="admin")
    other = hall.accounts.create_token("kiosk01", actor="admin")
    first = AccessToken.get(AccessToken.digest == passwords.token_digest(token)).id
    with only_changes(AccessToken, first), only_changes(Account):
        hall.accounts.revoke_token(first, actor="admin")
    with pytest.raises(NotAllowed, match="已被吊销"):
        hall.accounts.by_token(token)
    assert hall.accounts.by_token(other).login == "kiosk01"  # the other one still works
    with pytest.raises(Refused, match="已于"):
        hall.accounts.revoke_token(first, actor="admin")
    with pytest.raises(NotFound):
        hall.accounts.revoke_token(999, actor="admin")
    with pytest.raises(NotAllowed, match="访问令牌无效"):
        hall.accounts.by_token(token + "x")
    assert [t.state for t in hall.accounts.tokens(None, actor="admin")] == ["revoked", "valid"]
    assert _kinds("board01")[-2:] == ["token", "token_revoked"]


def test_token_input_is_checked(hall: Hall) -> None:
    with pytest.raises(FormError) as refused:
        hall.accounts.create_token("kiosk01", actor="admin", days=0, label="a\x1bb")
    assert set(refused.value.errors) == {"days", "label"}
    hall.accounts.disable("kiosk01", actor="admin")
    with pytest.raises(Refused, match="已停用"):
        hall.accounts.create_token("kiosk01", actor="admin")
    assert not AccessToken.select().exists()


# -- disabling, the last administrator -------------------------------------------------------------


def test_a_disabled_account_neither_signs_in_nor_uses_its_token(hall: Hall) -> None:
    token = hall.accounts.create_token("kiosk01", actor="admin")
    with only_changes(Account, _id("kiosk01")):
        hall.accounts.disable("kiosk01", actor="admin")
    with pytest.raises(NotAllowed, match="已停用"):
        hall.accounts.sign_in("kiosk01", TEST_PASSWORD)
    with pytest.raises(NotAllowed, match="已停用"):
        hall.accounts.by_token(token)
    with pytest.raises(NotAllowed):
        hall.store.permit("kiosk01", "ticket.issue")
    with pytest.raises(Refused, match="已是停用状态"):
        hall.accounts.disable("kiosk01", actor="admin")
    hall.accounts.enable("kiosk01", actor="admin")
    assert hall.accounts.by_token(token).login == "kiosk01"
    with pytest.raises(Refused, match="已是启用状态"):
        hall.accounts.enable("kiosk01", actor="admin")


def test_an_administrator_cannot_disable_or_demote_themselves(hall: Hall) -> None:
    with only_changes(Account), pytest.raises(Refused, match="不能停用自己的账号"):
        hall.accounts.disable("admin", actor="admin")
    with only_changes(Account), pytest.raises(Refused, match="不能修改自己的角色"):
        hall.accounts.set_role("admin", "manager", actor="admin")


def _two_admins(db_url: str, clock: Any) -> Hall:
    """A hall whose roster has two administrators; only ``admin`` has a password."""
    from models import open_database
    from tests.helpers import cheap_hasher

    config = config_with(("  - {login: admin, name: 系统管理员, role: admin}",
                          "  - {login: admin, name: 系统管理员, role: admin}\n"
                          "  - {login: admin2, name: 副管理员, role: admin}"))
    hall = Hall(open_database(db_url), config, clock)
    hall.accounts.hasher = cheap_hasher()
    hall.accounts.init_admin("admin", TEST_PASSWORD)
    return hall


def test_the_last_administrator_who_can_sign_in_stays(db_url: str, clock) -> None:
    hall = _two_admins(db_url, clock)
    # admin2 has no password yet: disabling admin would leave nobody to sign in as administrator.
    with only_changes(Account), pytest.raises(Refused, match="最后一位可登录的管理员"):
        hall.accounts.disable("admin", actor="admin2")
    with only_changes(Account), pytest.raises(Refused, match="最后一位可登录的管理员"):
        hall.accounts.set_role("admin", "manager", actor="admin2")
    hall.accounts.reset_password("admin2", actor="admin")
    hall.accounts.disable("admin", actor="admin2")  # now admin2 can sign in
    assert not Account.get(Account.login == "admin").active
    hall.db.close()


# -- every change: one transaction, history, audit, counter, nothing else --------------------------

CHANGES: dict[str, tuple[str, str, Callable[[Hall], Any]]] = {
    "add": ("win21", "account.create",
            lambda h: h.accounts.add("win21", "李娜", "window", ["hrss"], actor="admin")),
    "reset": ("win07", "account.reset", lambda h: h.accounts.reset_password("win07", "admin")),
    "password": ("win07", "account.password",
                 lambda h: h.accounts.set_password("win07", NEW, actor="win07")),
    "disable": ("win07", "account.disabled", lambda h: h.accounts.disable("win07", "admin")),
    "role": ("win07", "account.role",
             lambda h: h.accounts.set_role("win07", "leader", "admin", departments=["leader"])),
    "departments": ("win07", "account.departments",
                    lambda h: h.accounts.set_departments("win07", ["hrss", "xfj"], "admin")),
    "token": ("kiosk01", "token.create", lambda h: h.accounts.create_token("kiosk01", "admin")),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_writes_its_history_audit_and_counter_and_nothing_else(
        hall: Hall, change: str) -> None:
    login, action, act = CHANGES[change]
    existing = Account.get_or_none(Account.login == login)
    version = hall.store.change_version("accounts")
    events, audits = AccountEvent.select().count(), AuditEvent.select().count()
    keys = [existing.id] if existing is not None and change != "token" else []
    accounts = snapshot(Account)
    act(hall)
    after = snapshot(Account)
    added = sorted(set(after) - set(accounts))
    assert [after[k]["login"] for k in added] == ([login] if existing is None else [])
    changed = sorted(k for k in accounts if accounts[k] != after[k])
    assert changed == keys  # every other account's row as it was
    assert hall.store.change_version("accounts") == version + 1
    assert AccountEvent.select().count() == events + 1
    assert AuditEvent.select().count() == audits + 1
    audit = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    assert (audit.action, audit.entity_id) == (action, login)
    if keys:
        assert after[keys[0]]["version"] == accounts[keys[0]]["version"] + 1


def test_nothing_is_written_for_a_refused_form(hall: Hall) -> None:
    before = {m: snapshot(m) for m in (Account, AccountEvent, AuditEvent)}
    with pytest.raises(FormError) as refused:
        hall.accounts.add("Win 21", "", "boss", ["nowhere"], actor="admin")
    assert set(refused.value.errors) == {"login", "name", "role", "departments"}
    with pytest.raises(FormError, match="已被使用"):
        hall.accounts.add("win07", "周涛", "window", ["hrss"], actor="admin")
    with pytest.raises(FormError, match="请至少指定一个部门"):
        hall.accounts.add("win21", "李娜", "window", [], actor="admin")
    with pytest.raises(FormError, match="没有部门“hrss␛”"):
        hall.accounts.set_role("win07", "window", "admin", departments=["hrss\x1b"])
    assert {m: snapshot(m) for m in before} == before


def test_only_an_administrator_manages_accounts(hall: Hall) -> None:
    acts = [lambda: hall.accounts.add("win21", "李娜", "window", ["hrss"], actor="mgr01"),
            lambda: hall.accounts.reset_password("win07", actor="desk01"),
            lambda: hall.accounts.disable("win07", actor="win07"),
            lambda: hall.accounts.set_role("win07", "manager", actor="win07"),
            lambda: hall.accounts.unlock("win07", actor="kiosk01"),
            lambda: hall.accounts.list(actor="board01"),
            lambda: hall.accounts.history("win07", actor="mgr01"),
            lambda: hall.accounts.create_token("kiosk01", actor="kiosk01"),
            lambda: hall.accounts.tokens(None, actor="mgr01")]
    before = {m: snapshot(m) for m in (Account, AccountEvent, AccessToken)}
    for act in acts:
        with pytest.raises(NotAllowed, match="无权限"):
            act()
    assert {m: snapshot(m) for m in before} == before
    assert len(_audits("denied")) == len(acts)


def test_the_history_is_append_only(hall: Hall) -> None:
    hall.accounts.disable("win07", actor="admin")
    earlier = snapshot(AccountEvent)
    hall.accounts.enable("win07", actor="admin")
    hall.accounts.set_role("win07", "window", "admin", departments=["hrss", "xfj"])
    hall.accounts.reset_password("win07", actor="admin")
    now = snapshot(AccountEvent)
    assert {k: now[k] for k in earlier} == earlier  # nothing rewritten, nothing removed
    history = hall.accounts.history("win07", actor="admin")
    assert [e.kind for e in history][-4:] == ["disabled", "enabled", "role", "reset"]
    assert history[-2].detail == {"role": ["window", "window"],
                                  "departments": [["hrss"], ["hrss", "xfj"]]}
    assert history[-1].kind_name == "重置密码（一次性密码）"


def test_the_list_shows_state_never_a_hash(hall: Hall) -> None:
    hall.accounts.disable("win08", actor="admin")
    hall.accounts.reset_password("win09", actor="admin")
    views = {a.login: a for a in hall.accounts.list(actor="admin")}
    assert (views["win08"].state, views["win09"].state, views["win07"].state) == (
        "已停用", "须修改密码", "正常")
    assert not any("argon2" in repr(v) for v in views.values())


def test_init_admin_checks_the_login(db_url: str, config, clock) -> None:
    from models import open_database

    hall = Hall(open_database(db_url), config, clock)
    with pytest.raises(FormError) as refused:
        hall.accounts.init_admin("Root Admin", "short")
    assert set(refused.value.errors) == {"login", "password"}
    assert hall.accounts.needs_admin()
    with pytest.raises(NotAllowed, match="不是管理员"):
        hall.accounts.init_admin("desk01", TEST_PASSWORD)
    hall.accounts.init_admin("root", TEST_PASSWORD)
    assert not hall.accounts.needs_admin()
    with pytest.raises(NotAllowed, match="已有管理员"):
        hall.accounts.init_admin("admin", TEST_PASSWORD)
    hall.db.close()
