"""Pilot tests of signing in (issue 11 §2): login and password, wrong, locked, disabled, a
one-time password changed first, the administrator on a new database; the launcher offering only
what the signed-in role may open.

Passwords are hashed cheaply (tests.helpers.with_passwords): argon2id all the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label, OptionList

from hall import Hall
from hall.accounts.actor import find_actor
from hall.errors import NotAllowed
from models import Account, AuditEvent, Visit
from screens.app import HallApp
from screens.desk.screen import DeskScreen
from screens.desk.ticket import TicketScreen
from screens.incidents.form import IncidentForm
from screens.launcher.launcher import LauncherScreen
from screens.launcher.login import LoginScreen
from screens.launcher.password import MISMATCH, FirstAdminDialog, PasswordChangeDialog
from screens.widgets.picker import Picker
from screens.window.dialogs import ConfirmDialog
from screens.work import Failed, failure_text
from tests.helpers import TEST_PASSWORD, cheap_hasher, only_changes, run_async, with_passwords
from tests.screens.test_desk import fill_new_visitor, settle

SIZES = [(80, 24), (120, 40)]


def message(app: HallApp) -> str:
    return str(app.screen.query_one("#login-message", Label).render())


def field(app: HallApp, selector: str) -> Input:
    return app.screen.query_one(selector, Input)


async def sign_in(pilot: Pilot, login: str, password: str) -> None:
    """Type the login (when the field is empty), Enter, the password, Enter."""
    if not field(pilot.app, "#login-name").value:  # type: ignore[arg-type]
        await pilot.press(*login, "enter")
    await pilot.press(*password, "enter")
    await settle(pilot)


@pytest.fixture
def hall(sqlite_hall: Hall) -> Hall:
    """The shipped hall, every account with TEST_PASSWORD."""
    return with_passwords(sqlite_hall)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_login_and_password_sign_in_and_the_changes_are_theirs(
        hall: Hall, tmp_path: Path, size: tuple[int, int]) -> None:
    app = HallApp(hall, start="desk", data_dir=tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.actor is None and app.staff is None
        assert app.screen.focused is field(app, "#login-name")
        await pilot.press(*"desk02", "enter")
        assert app.screen.focused is field(app, "#login-password")
        await pilot.press(*TEST_PASSWORD, "enter")
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        assert app.actor is not None and app.actor.login == "desk02"
        assert app.staff == "desk02"
        await fill_new_visitor(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
    assert Visit.get().registered_by == "desk02"
    assert AuditEvent.get(AuditEvent.action == "account.sign_in").actor == "desk02"


@run_async
async def test_nothing_is_shown_behind_the_login_before_someone_signed_in(
        hall: Hall, tmp_path: Path) -> None:
    app = HallApp(hall, start="desk", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert not any(isinstance(s, DeskScreen) for s in app.screen_stack)


@run_async
async def test_a_wrong_password_is_said_in_the_dialog_cleared_and_asked_again(
        hall: Hall, tmp_path: Path) -> None:
    app = HallApp(hall, start="desk", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await sign_in(pilot, "desk01", "not-my-password")
        assert isinstance(app.screen, LoginScreen)
        assert message(app) == "登录名或密码错误"
        assert field(app, "#login-password").value == ""
        assert app.screen.focused is field(app, "#login-password")
        assert field(app, "#login-name").value == "desk01"
        assert app.actor is None
        await sign_in(pilot, "desk01", TEST_PASSWORD)  # the password and Enter again
        assert isinstance(app.screen, DeskScreen)
        assert app.staff == "desk01"


@run_async
async def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(
        hall: Hall, tmp_path: Path) -> None:
    app = HallApp(hall, start="desk", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for _ in range(4):
            await sign_in(pilot, "desk01", "not-my-password")
            assert message(app) == "登录名或密码错误"
        await sign_in(pilot, "desk01", "not-my-password")
        assert "已锁定" in message(app) and "15 分钟" in message(app)
        await sign_in(pilot, "desk01", TEST_PASSWORD)
        assert isinstance(app.screen, LoginScreen)
        assert "锁定" in message(app)
        assert app.actor is None
    assert AuditEvent.select().where(AuditEvent.action == "account.locked").count() == 1


@run_async
async def test_a_disabled_account_is_refused_in_chinese(hall: Hall, tmp_path: Path) -> None:
    Account.update(active=False).where(Account.login == "desk01").execute()
    app = HallApp(hall, start="desk", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await sign_in(pilot, "desk01", TEST_PASSWORD)
        assert isinstance(app.screen, LoginScreen)
        assert message(app) == "账号“desk01”已停用，请联系管理员"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_a_one_time_password_must_be_changed_before_going_on(
        hall: Hall, tmp_path: Path, size: tuple[int, int]) -> None:
    hall.accounts._set_password("desk01", "Once-only-42", "admin", one_time=True)
    app = HallApp(hall, start="desk", data_dir=tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await sign_in(pilot, "desk01", "Once-only-42")
        assert isinstance(app.screen, PasswordChangeDialog)
        assert app.actor is None

        async def new(first: str, again: str) -> str:
            await pilot.press(*first, "enter", *again, "enter")
            await settle(pilot)
            if not isinstance(app.screen, PasswordChangeDialog):
                return ""
            return str(app.screen.query_one("#password-message", Label).render())

        assert await new("short", "short") == "密码至少 8 位"
        assert field(app, "#password-new").value == ""
        assert app.screen.focused is field(app, "#password-new")
        assert await new("desk01", "desk01") == "密码至少 8 位"
        assert await new("Brand-new-77", "Brand-new-78") == MISMATCH
        assert await new("Once-only-42", "Once-only-42") == "新密码不能与一次性密码相同"
        with only_changes(Account, Account.get(Account.login == "desk01").id):
            await new("Brand-new-77", "Brand-new-77")
        assert isinstance(app.screen, DeskScreen)
        assert app.staff == "desk01"
    assert Account.get(Account.login == "desk01").must_change is False
    assert hall.accounts.sign_in("desk01", "Brand-new-77").login == "desk01"


@run_async
async def test_giving_up_the_one_time_password_change_signs_nobody_in(
        hall: Hall, tmp_path: Path) -> None:
    hall.accounts._set_password("desk01", "Once-only-42", "admin", one_time=True)
    app = HallApp(hall, start="desk", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await sign_in(pilot, "desk01", "Once-only-42")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert "一次性密码" in message(app)
        assert app.actor is None
    assert Account.get(Account.login == "desk01").must_change is True


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_the_first_start_asks_for_the_administrator_and_signs_them_in(
        sqlite_hall: Hall, tmp_path: Path, size: tuple[int, int]) -> None:
    sqlite_hall.accounts.hasher = cheap_hasher()
    assert sqlite_hall.accounts.needs_admin()
    app = HallApp(sqlite_hall, data_dir=tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, FirstAdminDialog)
        assert field(app, "#admin-login").value == "admin"
        await pilot.press("escape")  # at the first start there is no way around it
        assert isinstance(app.screen, FirstAdminDialog)
        await pilot.press("enter", *"short", "enter", *"short", "enter")
        await settle(pilot)
        assert str(app.screen.query_one("#password-message", Label).render()) == "密码至少 8 位"
        await pilot.press(*"Hall-admin-1", "enter", *"Hall-admin-1", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LauncherScreen)
        assert app.actor is not None and app.actor.role == "admin"
        assert "hall staff" in str(app.screen.query_one("#launcher-none", Label).render())
    assert not sqlite_hall.accounts.needs_admin()
    assert sqlite_hall.accounts.sign_in("admin", "Hall-admin-1").login == "admin"


def offered(app: HallApp) -> list[str]:
    roles = app.screen.query_one("#roles", OptionList)
    return [roles.get_option_at_index(i).id or "" for i in range(roles.option_count)]


@pytest.mark.parametrize(("login", "roles"), [
    ("mgr01", ["desk", "window", "board", "leaders", "incidents", "cases", "stats"]),
    ("desk01", ["desk", "board"]),
    ("win01", ["window", "board", "cases"]),
    ("board01", ["board"]),
    ("kiosk01", []),
])
@run_async
async def test_the_launcher_offers_only_what_the_role_may_open(
        hall: Hall, tmp_path: Path, login: str, roles: list[str]) -> None:
    app = HallApp(hall, staff=login, data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LauncherScreen)
        assert offered(app) == roles
        note = app.screen.query_one("#launcher-none", Label)
        assert note.display == (not roles)
        if not roles:
            assert "没有可打开的工作台" in str(note.render())
        # F12 is offered to whoever may log a special situation: not a kiosk's or board's account
        assert bool(app.check_action("log_incident", ())) == (login not in ("kiosk01",
                                                                             "board01"))


@run_async
async def test_a_window_clerk_pressing_the_desk_key_is_refused_and_may_hand_over(
        hall: Hall, tmp_path: Path) -> None:
    app = HallApp(hall, staff="win01", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "无权打开登记分流台" in app.screen.message
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LauncherScreen)
        assert app.current_mode == "launcher"


@run_async
async def test_hall_desk_by_a_window_clerk_shows_a_refusal_then_the_desk_for_the_next_person(
        hall: Hall, tmp_path: Path) -> None:
    app = HallApp(hall, staff="win01", start="desk", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert app.current_mode == "launcher"
        assert not any(isinstance(s, DeskScreen) for s in app.screen_stack)
        assert "窗口 刘建国（win01）无权打开登记分流台" in app.screen.message
        await pilot.press("enter")  # 换人
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await sign_in(pilot, "desk01", TEST_PASSWORD)
        assert isinstance(app.screen, DeskScreen)
        assert app.staff == "desk01"


@run_async
async def test_handing_over_to_someone_who_may_not_use_the_screen_leaves_it(
        hall: Hall, tmp_path: Path) -> None:
    app = HallApp(hall, staff="desk01", start="desk", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_switch_staff()
        await settle(pilot)
        await sign_in(pilot, "win01", TEST_PASSWORD)
        assert app.staff == "win01"
        assert app.current_mode == "launcher"
        assert isinstance(app.screen, ConfirmDialog)


def test_the_trusted_in_process_path_finds_the_account(hall: Hall, tmp_path: Path) -> None:
    app = HallApp(hall, staff="win07", data_dir=tmp_path)
    assert app.actor == find_actor("win07")
    assert app.staff == "win07"
    Account.update(active=False).where(Account.login == "win07").execute()
    unknown = HallApp(hall, staff="win07", data_dir=tmp_path)
    assert unknown.actor is None and unknown.staff is None
    assert unknown.login_hint == "win07"


def test_not_allowed_reads_like_a_refusal() -> None:
    error = NotAllowed("无权限叫号：自助机（kiosk01）不能叫号")
    assert failure_text(error) == "无权限叫号：自助机（kiosk01）不能叫号"
    assert Failed("call", error).refused


@run_async
async def test_a_refused_act_is_said_in_chinese_on_the_screen(
        hall: Hall, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise NotAllowed("无权限登记特殊情况：账号“win07”不存在或已停用，请重新登录")

    monkeypatch.setattr(hall.incidents, "log", refuse)
    app = HallApp(hall, staff="win07", start="window", window=7, data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, IncidentForm)
        form.query_one("#incident-type", Picker).choose("mental")
        form.query_one("#incident-note", Input).value = "情绪失控"
        await pilot.press("ctrl+s")
        await settle(pilot)
        shown = " ".join(str(label.render()) for label in form.query(Label))
        assert "无权限登记特殊情况：账号“win07”不存在或已停用" in shown
        assert "NotAllowed" not in shown
