"""Pilot tests of F11 at a window (回避): recuse from the current visitor with a reason, who goes
back to the queue at the original place for another window; the 「已回避」 flag; the refusals.

As in tests/screens/test_window_screen.py (whose helpers these use): four visitors waiting for
信访局, R001 … R004; the app is window 1, signed in as win01.
"""

from __future__ import annotations

import re

import pytest
from textual.widgets import Input, Label

import main
from hall import Hall
from models import Recusal, Ticket
from screens.app import HallApp
from screens.dialogs.reason import ReasonDialog
from screens.window.dialogs import ConfirmDialog
from screens.window.screen import WindowScreen
from tests.helpers import distinct_id, form, run_async
from tests.screens.test_window_screen import (
    NAMES,
    PHONE,
    current,
    notes,
    opened,
    press,
    screen_text,
    waiting,
    window,
)


@pytest.fixture
def hall(sqlite_hall: Hall) -> Hall:
    """Four visitors waiting for 信访局 (windows 1-3): R001 … R004 (as the window screen's)."""
    for n, name in enumerate(NAMES, 1):
        sqlite_hall.desk.issue(form(name=name, id_number=distinct_id(n), category="reform",
                                    phone=PHONE, matter=f"改制安置第{n}件"), actor="desk01")
    return sqlite_hall


@pytest.fixture
def app(hall: Hall) -> HallApp:
    return main.make_app(hall, "win01", start="window", window=1)


@run_async
async def test_f11_recuses_with_a_reason_and_sends_the_visitor_back(app: HallApp,
                                                                   hall: Hall) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await press(pilot, "f5")
        assert current(app) == "R001"
        await press(pilot, "f11")
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        await press(pilot, "enter")  # no reason: the dialog says so and stays
        assert app.screen is dialog
        assert "请填写回避理由" in str(dialog.query_one("#reason-error", Label).render())
        assert Recusal.select().count() == 0
        await pilot.press(*"来访人系本人表兄")
        await press(pilot, "enter")
        assert isinstance(app.screen, WindowScreen)
        assert current(app) is None
        assert "已回避：R001 已退回队列，由其他窗口接待" in notes(app)
        assert waiting(app) == ["R001", "R002", "R003", "R004"]  # the original place
        assert [e.recused for e in window(app).view.waiting] == [True, False, False, False]
        assert re.search(r"R001 +0分 欧\*+ +回避", screen_text(app))  # the list's mark
        [row] = Recusal.select()
        assert (row.account.login, row.reason) == ("win01", "来访人系本人表兄")
        await press(pilot, "f5")  # this clerk's next call passes over R001
        assert current(app) == "R002"
    assert hall.windows.call_next(2, "win02").number == "R001"  # type: ignore[union-attr]


@run_async
async def test_a_recused_current_visitor_is_flagged_and_f11_only_confirms(app: HallApp,
                                                                         hall: Hall) -> None:
    hall.windows.call_next(1, "win02")  # called by a colleague before the shift changed
    hall.recusals.declare(distinct_id(1), "", "曾为同事", actor="win01")
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        assert current(app) == "R001"
        assert window(app).view.current.recused  # type: ignore[union-attr]
        shown = screen_text(app)
        assert "当前来访 R001 · 已叫号 · 已回避" in shown and "已回避 F11退回" in shown
        assert "欧阳明月 男 46岁  已回避" in shown
        await press(pilot, "f11")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "escape")  # not now: nothing changes
        assert current(app) == "R001"
        await press(pilot, "f11", "enter")
        assert isinstance(app.screen, WindowScreen) and current(app) is None
    assert Recusal.select().count() == 1  # the one in force, no second
    assert Ticket.get(Ticket.number == "R001").status == "waiting"


@run_async
async def test_a_colleague_sees_no_flag(hall: Hall) -> None:
    hall.recusals.declare(distinct_id(1), "", "曾为同事", actor="win01")
    hall.windows.call_next(1, "win02")
    colleague = main.make_app(hall, "win02", start="window", window=1)
    async with colleague.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        assert current(colleague) == "R001"
        assert "已回避" not in screen_text(colleague)


@run_async
async def test_f11_without_a_visitor_and_esc_change_nothing(app: HallApp, hall: Hall) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await press(pilot, "f11")
        assert isinstance(app.screen, WindowScreen)
        assert "当前没有来访，无法回避" in notes(app)
        await press(pilot, "f5", "f11")
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press(*"亲属")
        await press(pilot, "escape")
        assert isinstance(app.screen, WindowScreen) and current(app) == "R001"
    assert Recusal.select().count() == 0


@run_async
async def test_calling_a_recused_visitors_number_is_refused_on_screen(app: HallApp,
                                                                     hall: Hall) -> None:
    hall.recusals.declare(distinct_id(2), "", "利害关系", actor="win01")
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await press(pilot, "f4")
        app.screen.query_one(Input).value = "R002"
        await press(pilot, "enter")
        assert isinstance(app.screen, WindowScreen) and current(app) is None
        assert "您已申请回避 R002 的来访人" in notes(app)
        await press(pilot, "f5")
        assert current(app) == "R001"
