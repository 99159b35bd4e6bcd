"""Pilot tests of the idle lock and of handing a terminal over (issue 11 §2).

The idle lock runs on ``HallApp.idle_clock``, which these tests move, and looks every
``IdleLock.check_seconds``, which they shorten: the Textual timer itself fires.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label

from hall import Hall
from models import AuditEvent, Visit
from screens.app import HallApp
from screens.desk.screen import DeskScreen
from screens.desk.ticket import TicketScreen
from screens.dialogs.lock import IdleLock, LockScreen
from screens.incidents.form import IncidentForm
from screens.launcher.launcher import LauncherScreen
from screens.launcher.login import LoginScreen
from tests.helpers import TEST_PASSWORD, run_async, with_passwords
from tests.screens.test_desk import NEW_ID, fill_new_visitor, paste, settle

MINUTES = 10  # accounts.idle_lock_minutes of the shipped hall


class Ticks:
    """The idle lock's clock, in seconds; the test moves it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ticks(monkeypatch: pytest.MonkeyPatch) -> Ticks:
    clock = Ticks()
    monkeypatch.setattr(HallApp, "idle_clock", clock)
    monkeypatch.setattr(IdleLock, "check_seconds", 0.02)
    return clock


@pytest.fixture
def hall(sqlite_hall: Hall) -> Hall:
    return with_passwords(sqlite_hall)


async def wait(pilot: Pilot) -> None:
    """Long enough for the lock's timer to look a few times."""
    await pilot.pause(0.15)
    await settle(pilot)


def message(app: HallApp) -> str:
    return str(app.screen.query_one("#login-message", Label).render())


async def half_filled_desk(pilot: Pilot) -> None:
    await paste(pilot, NEW_ID)
    await settle(pilot)
    await pilot.press("enter")
    await paste(pilot, "张建国")
    await settle(pilot)


def desk_fields(app: HallApp) -> tuple[str, str]:
    desk = next(s for s in app.screen_stack if isinstance(s, DeskScreen))
    return desk.query_one("#id_number", Input).value, desk.query_one("#name", Input).value


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@run_async
async def test_an_idle_desk_locks_keeps_its_form_and_unlocks_with_the_right_password_only(
        hall: Hall, tmp_path: Path, ticks: Ticks, size: tuple[int, int]) -> None:
    app = HallApp(hall, staff="desk01", start="desk", data_dir=tmp_path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await half_filled_desk(pilot)
        assert desk_fields(app) == (NEW_ID, "张建国")
        ticks.now += MINUTES * 60 - 1
        await wait(pilot)
        assert isinstance(app.screen, DeskScreen)  # not yet
        ticks.now += 1
        await wait(pilot)
        assert isinstance(app.screen, LockScreen)
        name = app.screen.query_one("#login-name", Input)
        assert name.value == "desk01" and name.disabled
        assert app.screen.focused is app.screen.query_one("#login-password", Input)
        await pilot.press(*"not-my-password", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert message(app) == "登录名或密码错误"
        assert app.screen.query_one("#login-password", Input).value == ""
        await pilot.press("ctrl+p")  # no way around the password
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        await pilot.press(*TEST_PASSWORD, "enter")
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        assert desk_fields(app) == (NEW_ID, "张建国")
        assert app.staff == "desk01"
        assert not app.idle_lock.locked
        await wait(pilot)
        assert isinstance(app.screen, DeskScreen)  # unlocking counts as being there


@run_async
async def test_a_key_or_a_click_keeps_the_terminal_unlocked(hall: Hall, tmp_path: Path,
                                                              ticks: Ticks) -> None:
    app = HallApp(hall, staff="desk01", start="desk", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ticks.now += MINUTES * 60 - 10
        await pilot.press("1")
        ticks.now += MINUTES * 60 - 10
        await pilot.click("#name")
        ticks.now += MINUTES * 60 - 10
        await wait(pilot)
        assert isinstance(app.screen, DeskScreen)
        ticks.now += 10
        await wait(pilot)
        assert isinstance(app.screen, LockScreen)


@run_async
async def test_f12_still_logs_a_special_situation_on_a_locked_screen(
        hall: Hall, tmp_path: Path, ticks: Ticks) -> None:
    app = HallApp(hall, staff="desk01", start="desk", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ticks.now += MINUTES * 60
        await wait(pilot)
        assert isinstance(app.screen, LockScreen)
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, IncidentForm)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)


@pytest.mark.parametrize(("staff", "start"), [("board01", "board"), ("mgr01", "board"),
                                              ("kiosk01", "launcher")])
@run_async
async def test_the_board_and_the_kiosk_never_lock(hall: Hall, tmp_path: Path, ticks: Ticks,
                                                  staff: str, start: str) -> None:
    app = HallApp(hall, staff=staff, start=start, data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ticks.now += 24 * 3600
        await wait(pilot)
        assert not app.idle_lock.locked
        assert not any(isinstance(s, LockScreen) for s in app.screen_stack)


@run_async
async def test_f9_on_the_lock_hands_the_terminal_over_with_the_other_password(
        hall: Hall, tmp_path: Path, ticks: Ticks) -> None:
    app = HallApp(hall, staff="desk01", start="desk", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await half_filled_desk(pilot)
        ticks.now += MINUTES * 60
        await wait(pilot)
        await pilot.press("f9", *"desk02", "enter", *TEST_PASSWORD, "enter")
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        assert app.staff == "desk02"
        assert desk_fields(app) == (NEW_ID, "张建国")


@run_async
async def test_switching_user_asks_for_the_password_and_the_next_issue_is_theirs(
        hall: Hall, tmp_path: Path) -> None:
    app = HallApp(hall, staff="desk01", start="desk", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await fill_new_visitor(pilot)
        await pilot.press("f10")  # the launcher; F9 hands over
        await settle(pilot)
        assert isinstance(app.screen, LauncherScreen)
        await pilot.press("f9", *"desk02", "enter", *"not-desk02s", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert message(app) == "登录名或密码错误"
        assert app.staff == "desk01"
        await pilot.press("escape")  # cancelled: still desk01
        await settle(pilot)
        assert isinstance(app.screen, LauncherScreen) and app.staff == "desk01"
        await pilot.press("f9", *"desk02", "enter", *TEST_PASSWORD, "enter")
        await settle(pilot)
        assert app.staff == "desk02"
        assert "陈晓峰（desk02）" in str(app.screen.query_one("#launcher-who", Label).render())
        await pilot.press("1")  # back to the desk: the form as it was
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
    assert Visit.get().registered_by == "desk02"
    issued = AuditEvent.get(AuditEvent.action == "ticket.issue")
    assert issued.actor == "desk02"


@run_async
async def test_the_lock_looking_while_the_app_shuts_down_does_nothing(
        hall: Hall, tmp_path: Path, ticks: Ticks) -> None:
    """CI caught the lock's timer firing while Textual closed the screens: ``app.screen`` raised
    ScreenStackError and the app's exit reported it. A look after the screens are gone is a
    no-op."""
    app = HallApp(hall, staff="desk01", start="desk", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        ticks.now += MINUTES * 60
    assert not app.screen_stack
    app.idle_lock.check()  # raised ScreenStackError before
    assert not app.idle_lock.locked
