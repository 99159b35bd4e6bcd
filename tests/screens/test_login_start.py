"""How a terminal screen starts signed in (issue 11 §2): ``hall desk`` / ``hall board`` through
``main.tui_app`` and ``make_app``, with HALL_TOKEN, with HALL_STAFF and HALL_PASSWORD, with
HALL_STAFF alone, and with credentials that do not sign in (exit 3, no screen)."""

from __future__ import annotations

from pathlib import Path

import pytest

import main
from cli.context import Context
from hall import Hall
from models import AccessToken, AuditEvent
from screens.app import HallApp
from screens.board.screen import BoardScreen
from screens.desk.screen import DeskScreen
from screens.launcher.login import LoginScreen
from tests.helpers import TEST_PASSWORD, cli_env, run_async, with_passwords
from tests.screens.test_desk import settle

NOW = "2026-11-23T09:00+08:00"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """A ``hall`` command's environment: no staff, no password, no token yet."""
    cli_env(monkeypatch, tmp_path, NOW, "desk01")
    for name in ("HALL_STAFF", "HALL_PASSWORD", "HALL_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def context(*argv: str) -> Context:
    """The command's context, its hall's accounts given TEST_PASSWORD."""
    ctx = Context(main.parse_args(list(argv)))
    with_passwords(ctx.hall)
    return ctx


@run_async
async def test_a_board_started_with_its_token_skips_the_login(env: pytest.MonkeyPatch) -> None:
    ctx = context("board")
    env.setenv("HALL_TOKEN", ctx.hall.accounts.create_token("board01", actor="admin"))
    app = main.tui_app(ctx)
    assert app.actor is not None and app.actor.login == "board01"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert not any(isinstance(s, LoginScreen) for s in app.screen_stack)
        assert not app.idle_lock.locked


@run_async
async def test_a_staff_login_and_password_skip_the_login(env: pytest.MonkeyPatch) -> None:
    env.setenv("HALL_STAFF", "desk02")
    env.setenv("HALL_PASSWORD", TEST_PASSWORD)
    app = main.tui_app(context("desk"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        assert app.staff == "desk02"


@run_async
async def test_a_login_without_a_password_fills_the_login_dialog(
        env: pytest.MonkeyPatch) -> None:
    env.setenv("HALL_STAFF", "desk02")
    app = main.tui_app(context("desk"))
    assert app.actor is None
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        login = app.screen.query_one("#login-name")
        assert getattr(login, "value", None) == "desk02"
        assert app.screen.focused is app.screen.query_one("#login-password")
        await pilot.press(*TEST_PASSWORD, "enter")  # the password and one Enter
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        assert app.staff == "desk02"


def test_a_one_time_password_in_the_environment_still_asks_for_a_new_one(
        env: pytest.MonkeyPatch) -> None:
    ctx = context("desk")
    ctx.hall.accounts._set_password("desk02", "Once-only-42", "admin", one_time=True)
    env.setenv("HALL_STAFF", "desk02")
    env.setenv("HALL_PASSWORD", "Once-only-42")
    app = main.tui_app(ctx)
    assert app.actor is None and app.login_hint == "desk02"


@pytest.mark.parametrize("case", ["unknown token", "revoked token", "wrong password"])
def test_credentials_that_do_not_sign_in_exit_3_and_open_nothing(
        env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    hall: Hall = context("desk").hall
    if case == "unknown token":
        env.setenv("HALL_TOKEN", "hall_nothing-like-a-token")
        expected = "访问令牌无效，请向管理员申请新的令牌"
    elif case == "revoked token":
        token = hall.accounts.create_token("desk01", actor="admin")
        AccessToken.update(revoked_at=AccessToken.created_at).execute()
        env.setenv("HALL_TOKEN", token)
        expected = "访问令牌已被吊销，请向管理员申请新的令牌"
    else:
        env.setenv("HALL_STAFF", "desk01")
        env.setenv("HALL_PASSWORD", "not-my-password")
        expected = "登录名或密码错误"
    opened: list[HallApp] = []
    monkeypatch.setattr(HallApp, "run", lambda self, *a, **k: opened.append(self))
    assert main.main(["desk"]) == 3
    assert capsys.readouterr().err.strip() == f"hall: {expected}"
    assert opened == []
    assert AuditEvent.select().where(AuditEvent.action.in_(
        ["account.refused", "account.failed"])).count() == 1
