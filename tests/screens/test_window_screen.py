"""Pilot tests of the window screen: every act by its key, and what the hall then holds.

The app runs headless over a SQLite file where the desk issued tickets (conftest's fixed clock,
Monday 09:00); its thread workers use their own connections. Another terminal is played by the
``hall`` CLI in a subprocess with HALL_NOW at the test clock's time.
"""

from __future__ import annotations

import asyncio
import html
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label

import main
from hall import Hall
from hall.text.masking import mask_id_number
from models import Ticket, Visit, open_database
from screens.app import HallApp
from screens.launcher.launcher import LauncherScreen
from screens.widgets.bignumber import BigNumber
from screens.window.dialogs import (
    CallNumberDialog,
    ConfirmDialog,
    WindowPickDialog,
    normalise_number,
)
from screens.window.forms import OutcomeDialog, TransferDialog
from screens.window.screen import WindowScreen
from screens.window.waiting import WaitingList
from tests.helpers import TEST_PASSWORD, distinct_id, form, run_async, with_passwords

ROOT = Path(__file__).resolve().parents[2]
NAMES = ["欧阳明月", "司马长风", "上官飞燕", "诸葛青云"]
PHONE = "13912345678"



@pytest.fixture
def hall(sqlite_hall: Hall) -> Hall:
    """Four visitors waiting for 信访局 (windows 1-3): R001 … R004, three minutes apart."""
    for n, name in enumerate(NAMES, 1):
        sqlite_hall.desk.issue(form(name=name, id_number=distinct_id(n), category="reform",
                               phone=PHONE, matter=f"改制安置第{n}件"), actor="desk01")
        sqlite_hall.clock.advance(minutes=3)  # type: ignore[attr-defined]
    return sqlite_hall


@pytest.fixture
def app(hall: Hall) -> HallApp:
    return main.make_app(hall, "win01", start="window", window=1)


async def settle(pilot: Pilot) -> None:
    """Let messages, thread workers and their answers run."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 5.0) -> float:
    """Pause until ``condition`` holds; returns the seconds it took (fails after ``timeout``)."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"still not true after {timeout} s")
        await pilot.pause(0.02)
    return time.monotonic() - started


async def press(pilot: Pilot, *keys: str) -> None:
    """Press keys, then let the acts they start finish."""
    await pilot.press(*keys)
    await settle(pilot)


def window(app: HallApp) -> WindowScreen:
    return next(s for s in app.screen_stack if isinstance(s, WindowScreen))


def current(app: HallApp) -> str | None:
    view = window(app).view
    return view.current.number if view and view.current else None


def waiting(app: HallApp) -> list[str]:
    view = window(app).view
    return [e.number for e in view.waiting] if view else []


def notes(app: HallApp) -> str:
    """Every notification shown so far, one per line."""
    return "\n".join(n.message for n in app._notifications)


def screen_text(app: HallApp) -> str:
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def opened(pilot: Pilot) -> None:
    await settle(pilot)
    await until(pilot, lambda: window(pilot.app).view is not None)  # type: ignore[arg-type]


# -- the everyday path ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (160, 50)], ids=["80x24", "160x50"])
@run_async
async def test_call_recall_start_finish(app: HallApp, hall: Hall, size: tuple[int, int]) -> None:
    async with app.run_test(size=size) as pilot:
        await opened(pilot)
        assert current(app) is None and waiting(app) == ["R001", "R002", "R003", "R004"]
        assert "候谈 4 人　按 F5 叫下一位" in screen_text(app)
        assert ("取号" in screen_text(app)) == (size[0] >= 120)  # issue times when there is room

        await press(pilot, "f5")
        assert current(app) == "R001" and waiting(app) == ["R002", "R003", "R004"]
        assert window(app).query_one("#visit-number", BigNumber).text == "R001"
        assert "请 R001 号到1号窗口" in notes(app)
        shown = screen_text(app)
        assert "欧阳明月" in shown and "已叫号" in shown and "09:12 叫号" in shown
        assert mask_id_number(distinct_id(1)) in shown and distinct_id(1) not in shown
        assert "139****5678" in shown and PHONE not in shown
        assert "司**" in shown and "司马长风" not in shown  # the waiting list is masked
        assert hall.desk.ticket_status("R001").status == "called"

        await press(pilot, "f6")
        assert window(app).view.current.recalls == 1  # type: ignore[union-attr]
        assert "已重呼 1 次" in screen_text(app)
        await press(pilot, "f7")
        assert window(app).view.current.status == "serving"  # type: ignore[union-attr]
        assert "R001 开始接谈" in notes(app)

        await press(pilot, "f8")
        assert isinstance(app.screen, OutcomeDialog)
        await press(pilot, "1", "enter")  # 当场答复, no note
        assert isinstance(app.screen, WindowScreen)
        assert current(app) is None
        assert "R001 已办结：当场答复" in notes(app)
    visit = Visit.get(Visit.id == Ticket.get(Ticket.number == "R001").visit_id)
    assert (visit.outcome, visit.finished_by) == ("answered", "win01")
    assert hall.desk.ticket_status("R001").status == "done"


@run_async
async def test_a_refusal_needs_reason_and_channel(app: HallApp, hall: Hall) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await press(pilot, "f5", "f7", "f8")
        dialog = app.screen
        assert isinstance(dialog, OutcomeDialog)
        await press(pilot, "8")  # 不予受理
        assert dialog.chosen is not None and dialog.chosen.code == "rejected"
        assert dialog.query_one("#row-reason").display
        await pilot.press(*"已按信访事项复查程序处理完毕")
        await press(pilot, "ctrl+s")
        assert app.screen is dialog  # nothing written
        assert "须填写理由" in str(dialog.query_one("#err-reason", Label).render())
        assert "法定途径" in str(dialog.query_one("#err-channel", Label).render())
        assert dialog.focused is dialog.query_one("#finish-reason", Input)
        await pilot.press(*"属于诉讼范围")
        await press(pilot, "enter")
        assert dialog.focused is dialog.query_one("#finish-channel", Input)
        await pilot.press(*"向人民法院提起诉讼")
        await press(pilot, "enter")
        assert isinstance(app.screen, WindowScreen)
        assert "R001 已办结：不予受理" in notes(app)
    visit = Visit.get(Visit.id == Ticket.get(Ticket.number == "R001").visit_id)
    assert (visit.outcome, visit.outcome_reason, visit.outcome_channel, visit.outcome_note) == (
        "rejected", "属于诉讼范围", "向人民法院提起诉讼", "已按信访事项复查程序处理完毕")


@run_async
async def test_enter_on_the_outcome_list_finishes(app: HallApp, hall: Hall) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await press(pilot, "f5", "f8", "enter")  # no outcome chosen: nothing happens
        assert isinstance(app.screen, OutcomeDialog)
        assert app.screen.chosen is None
        await press(pilot, "down", "down", "enter")  # 电话联系, no note
        assert isinstance(app.screen, WindowScreen) and current(app) is None
        await press(pilot, "f5", "f8")
        dialog = app.screen
        assert isinstance(dialog, OutcomeDialog)
        await press(pilot, "escape")
        assert current(app) == "R002"  # cancelled: still current
        await press(pilot, "f8", "9")
        await press(pilot, "shift+tab", "enter")  # back on the list: a refusal asks first
        assert isinstance(app.screen, OutcomeDialog)
        assert app.screen.focused is app.screen.query_one("#finish-reason", Input)
    outcomes = [Visit.get(Visit.id == Ticket.get(Ticket.number == n).visit_id).outcome
                for n in ("R001", "R002")]
    assert outcomes == ["phone", ""]


@run_async
async def test_finishing_nothing_is_refused_in_chinese(app: HallApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        for key in ("f8", "f9", "f3", "f6", "f7"):
            await press(pilot, key)
            assert isinstance(app.screen, WindowScreen)
        text = notes(app)
        for act in ("办结", "转办", "过号", "重呼", "开始接谈"):
            assert f"1号窗口当前没有来访，无法{act}" in text


# -- destructive acts confirm first --------------------------------------------------------------


@run_async
async def test_no_show_refused_before_the_rule_then_confirmed(app: HallApp, hall: Hall) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await press(pilot, "f5", "f3")
        assert isinstance(app.screen, WindowScreen)  # no dialog: the rule says not yet
        assert "尚不能过号：需重呼 2 次或叫号满 5 分钟（已重呼 0 次" in notes(app)
        assert "未到过号条件" in screen_text(app)

        await press(pilot, "f6", "f6")
        assert "可过号 F3" in screen_text(app)
        await press(pilot, "f3")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "escape")  # changed their mind
        assert current(app) == "R001"
        await press(pilot, "f3")
        assert isinstance(app.screen, ConfirmDialog)
        assert "R001 已重呼 2 次仍未到" in str(app.screen.query_one("#confirm-message").render())
        await press(pilot, "enter")
        assert isinstance(app.screen, WindowScreen)
        assert current(app) is None and "R001 已过号" in notes(app)
    assert hall.desk.ticket_status("R001").status == "no_show"


@run_async
async def test_no_show_allowed_after_the_minutes(app: HallApp, hall: Hall) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await press(pilot, "f5")
        hall.clock.advance(minutes=5)  # type: ignore[attr-defined]
        await press(pilot, "f3")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "enter")
    assert hall.desk.ticket_status("R001").status == "no_show"


@run_async
async def test_transfer_keeps_the_number_and_the_place(app: HallApp, hall: Hall) -> None:
    hall.desk.issue(form(name="张建国", id_number=distinct_id(9), category="wages"), actor="desk01")
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await press(pilot, "f5", "f7", "f9")
        dialog = app.screen
        assert isinstance(dialog, TransferDialog)
        assert "xfj" not in [c.value for c in dialog.choices]  # not to where it already is
        await pilot.press(*"rsj")  # 市人社局 by pinyin initials
        await settle(pilot)
        assert dialog.chosen is not None and dialog.chosen.value == "hrss"
        await pilot.press("enter", *"拖欠工资")
        await press(pilot, "enter")
        assert isinstance(app.screen, ConfirmDialog)
        assert "市人社局" in str(app.screen.query_one("#confirm-message").render())
        await press(pilot, "enter")
        assert isinstance(app.screen, WindowScreen)
        assert current(app) is None
        assert "R001 已转办至市人社局，保留原排队顺序" in notes(app)
    status = hall.desk.ticket_status("R001")
    assert (status.number, status.department, status.status) == ("R001", "hrss", "waiting")
    # issued at 09:00, before L001 (09:12): it goes first in its new queue
    assert [e.number for e in hall.windows.view(7, viewer="mgr01").waiting] == ["R001", "L001"]


@run_async
async def test_transfer_cancelled_changes_nothing(app: HallApp, hall: Hall) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await press(pilot, "f5", "f9")
        await pilot.press(*"zjj")
        await press(pilot, "enter", "enter")
        assert isinstance(app.screen, ConfirmDialog)
        await press(pilot, "escape")
        assert current(app) == "R001"
    assert hall.desk.ticket_status("R001").department == "xfj"


# -- calling a given number, pausing -------------------------------------------------------------


def test_typed_numbers_are_normalised() -> None:
    assert normalise_number(" r7 ", ["R"]) == ("R007", "")
    assert normalise_number("12", ["R"]) == ("R012", "")
    assert normalise_number("E3", ["R", "E"]) == ("E003", "")
    assert "多个部门" in normalise_number("3", ["R", "E"])[1]
    assert "格式不对" in normalise_number("R-7", ["R"])[1]
    assert normalise_number("", ["R"])[1] == "请输入票号"


@run_async
async def test_call_a_given_number(app: HallApp, hall: Hall) -> None:
    hall.desk.issue(form(name="张建国", id_number=distinct_id(9), category="wages"), actor="desk01")
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await press(pilot, "f4")
        dialog = app.screen
        assert isinstance(dialog, CallNumberDialog)
        field = dialog.query_one(Input)
        assert field.value == "R001"  # the highlighted line of the waiting list
        await pilot.press("end", *["backspace"] * 4, *"L1")
        await press(pilot, "enter")  # another department's ticket: refused
        assert "不由1号窗口接待" in notes(app)
        assert current(app) is None
        await press(pilot, "f4")
        await pilot.press("end", *["backspace"] * 4, "x")
        await press(pilot, "enter")
        assert "格式不对" in str(app.screen.query_one("#call-number-error", Label).render())
        await pilot.press("backspace", "3")
        await press(pilot, "enter")
        assert current(app) == "R003" and waiting(app) == ["R001", "R002", "R004"]

        await press(pilot, "f8", "2", "enter")  # 电话联系
        window(app).query_one(WaitingList).focus()
        await press(pilot, "down", "enter")  # Enter on the line of R002
        assert isinstance(app.screen, CallNumberDialog)
        assert app.screen.query_one(Input).value == "R002"
        await press(pilot, "enter")
        assert current(app) == "R002"


@run_async
async def test_pause_refuses_calls_until_resumed(app: HallApp, hall: Hall) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await press(pilot, "f2")
        assert window(app).view.paused  # type: ignore[union-attr]
        assert window(app).query_one("#win-head").has_class("-paused")
        assert "已暂停" in screen_text(app) and "F2 恢复服务" in screen_text(app)
        await press(pilot, "f5")
        assert current(app) is None
        assert "1号窗口已暂停：请先恢复服务" in notes(app)
        await press(pilot, "f2")
        assert not window(app).view.paused  # type: ignore[union-attr]
        assert "1号窗口已恢复服务" in notes(app)
        await press(pilot, "f5")
        assert current(app) == "R001"


# -- the database is the truth ---------------------------------------------------------------------


@run_async
async def test_the_current_visitor_survives_a_restart(hall: Hall, sqlite_url: str) -> None:
    first = main.make_app(hall, "win01", start="window", window=1)
    async with first.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await press(pilot, "f5", "f6", "f7")
        assert current(first) == "R001"
    hall.db.close()
    again = Hall(open_database(sqlite_url), hall.config, hall.clock)
    second = main.make_app(again, "win01", start="window", window=1)
    async with second.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        assert current(second) == "R001"
        view = window(second).view
        assert view is not None and view.current is not None
        assert (view.current.status, view.current.recalls) == ("serving", 1)
        assert "欧阳明月" in screen_text(second) and "接谈中" in screen_text(second)
        await press(pilot, "f8", "1", "enter")
        assert current(second) is None


async def run_cli(hall: Hall, db_url: str, *args: str, staff: str = "win02") -> str:
    """The ``hall`` command of another terminal (``staff`` signed in: the clerk of window 2, or
    a desk operator to issue), acting at the test clock's time."""
    env = {**os.environ, "HALL_NOW": hall.now().isoformat(), "HALL_PASSWORD": TEST_PASSWORD}
    if hall.accounts.needs_admin():  # the accounts have no passwords yet: give them the test's
        with_passwords(hall)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "main", "--db", db_url, "--staff", staff, *args, cwd=ROOT,
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode()


@run_async
async def test_changes_by_other_terminals_appear_within_a_poll(app: HallApp, hall: Hall,
                                                              sqlite_url: str) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        assert waiting(app)[0] == "R001"
        await run_cli(hall, sqlite_url, "call", "--window", "2")  # window 2 takes R001
        waited = await until(pilot, lambda: waiting(app) == ["R002", "R003", "R004"], 3)
        print(f"another terminal's call shown after {waited * 1000:.0f} ms")
        await run_cli(hall, sqlite_url, "issue", "--name", "王五", "--id-number", distinct_id(7),
                      "--category", "policy", "--matter", "政策咨询", staff="desk01")
        await until(pilot, lambda: waiting(app) == ["R002", "R003", "R004", "R005"], 3)
        await run_cli(hall, sqlite_url, "pause", "--window", "1")  # paused from elsewhere, too
        await until(pilot, lambda: window(app).query_one("#win-head").has_class("-paused"), 3)


# -- getting there ---------------------------------------------------------------------------------


@run_async
async def test_from_the_launcher_the_window_is_picked(hall: Hall) -> None:
    app = main.make_app(hall, "win01")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LauncherScreen)
        await press(pilot, "2")
        assert isinstance(app.screen, WindowPickDialog)
        await press(pilot, "enter")  # win01 works for 信访局: window 1 comes first
        assert isinstance(app.screen, WindowScreen)
        await until(pilot, lambda: window(app).view is not None)
        assert window(app).number == 1 and waiting(app)[0] == "R001"
        await press(pilot, "f10")
        assert isinstance(app.screen, LauncherScreen)


def test_the_cli_refuses_an_unknown_window(sqlite_url: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main.main(["--db", sqlite_url, "--staff", "win01", "window", "99"]) == 2
    assert "没有 99 号窗口" in capsys.readouterr().err
    args = main.build_parser().parse_args(["window", "3"])
    assert (args.command, args.window, args.func) == ("window", 3, main.cmd_tui)
