"""Pilot tests of special situations on screen: F12 from every staff screen and dialog (never on
the board, not before a login, never closing under a dialog's save), the alert, the manager's
screen (filters, timeline, steps, corrections, close and reopen, report and CSV).

The app runs headless over a SQLite file with the conftest's fixed clock (Monday 09:00); another
terminal is the ``hall`` CLI in a subprocess at the same time.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Static

import main
from hall import Hall
from hall.incidents import NewIncident
from models import AuditEvent, Incident, IncidentEntry
from screens.app import HallApp
from screens.desk.banner import VisitorBanner
from screens.desk.screen import DeskScreen
from screens.incidents.dialogs import ActionDialog, CorrectionDialog, ReportDialog, TextDialog
from screens.incidents.form import IncidentForm
from screens.incidents.screen import IncidentsScreen
from screens.launcher.launcher import LauncherScreen
from screens.launcher.login import LoginScreen
from screens.widgets.picker import Picker
from screens.widgets.topbar import TopBar
from screens.window.dialogs import ConfirmDialog
from screens.window.screen import WindowScreen
from tests.helpers import TEST_PASSWORD, distinct_id, form, make_id, run_async, with_passwords

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hall(sqlite_hall: Hall) -> Hall:
    """张三 (L001, wages) and 李四 (R001, policy) waiting."""
    sqlite_hall.desk.issue(form(), actor="desk01")
    sqlite_hall.desk.issue(form(id_number=distinct_id(2), name="李四", category="policy"),
                      actor="desk01")
    return sqlite_hall


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 5.0) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"still not true after {timeout} s")
        await pilot.pause(0.02)
    return time.monotonic() - started


def form_ready(app: HallApp) -> bool:
    """The incident form is on top with its fields mounted (pushing it is not enough on a busy
    machine: its children mount a moment later)."""
    return isinstance(app.screen, IncidentForm) and bool(app.screen.query("#incident-place"))


def form_value(app: HallApp, name: str) -> str:
    return app.screen.query_one(f"#incident-{name}", Input).value


async def log_knife(pilot: Pilot, note: str = "携带水果刀一把") -> None:
    """F12, "gz" Enter (the type), the note, Enter: the form saves itself."""
    await pilot.press("f12")
    await settle(pilot)
    assert isinstance(pilot.app.screen, IncidentForm)
    await pilot.press("g", "z")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert pilot.app.screen.focused is pilot.app.screen.query_one("#incident-note")
    pilot.app.screen.query_one("#incident-note", Input).insert_text_at_cursor(note)
    await pilot.press("enter")
    await settle(pilot)


def footer_keys(app: HallApp) -> dict[str, str]:
    """The bindings the footer offers now: key -> description."""
    return {key: b.binding.description for key, b in app.screen.active_bindings.items()
            if b.binding.show}


# -- F12 from every screen -----------------------------------------------------------------------


@run_async
async def test_f12_on_the_window_prefills_the_window_and_current_visitor(hall: Hall) -> None:
    hall.windows.call_next(7, "win07")  # 张三, L001, is at window 7
    app = main.make_app(hall, "win07", start="window", window=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, WindowScreen)
                    and app.screen.view is not None)
        # The footer is full at 80 columns: F12 is in the state bar, beside F2.
        assert "F12 特殊情况" in str(app.screen.query_one("#win-state", Label).render())
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, IncidentForm)
        assert (form_value(app, "place"), form_value(app, "ticket")) == ("7号窗口", "L001")
        assert "张*" in str(app.screen.query_one("#incident-visitor", Label).render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WindowScreen) and Incident.select().count() == 0
        await log_knife(pilot)
        assert isinstance(app.screen, WindowScreen)
    row = Incident.get()
    assert (row.type, row.place, row.ticket.number, row.visitor.name, row.logged_by) == (
        "dangerous", "7号窗口", "L001", "张三", "win07")
    assert IncidentEntry.get().note == "携带水果刀一把"


@run_async
async def test_f12_on_the_desk_prefills_the_desk_and_the_visitor_on_file(hall: Hall,
                                                                        tmp_path: Path) -> None:
    app = HallApp(hall, staff="desk01", start="desk", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert footer_keys(app)["f12"] == "特殊情况"
        app.screen.query_one("#id_number", Input).insert_text_at_cursor(make_id())
        await settle(pilot)
        await until(pilot, lambda: app.screen._file is not None)  # type: ignore[attr-defined]
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, IncidentForm)
        assert (form_value(app, "place"), form_value(app, "ticket")) == ("登记分流台", "")
        assert "张*" in str(app.screen.query_one("#incident-visitor", Label).render())
        await pilot.press("j", "b")
        await pilot.pause()
        await pilot.press("enter")
        app.screen.query_one("#incident-note", Input).insert_text_at_cursor("排队时晕倒")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
    row = Incident.get()
    assert (row.type, row.place, row.ticket, row.visitor.name) == (
        "illness", "登记分流台", None, "张三")


@run_async
async def test_f12_from_the_launcher_and_the_incident_screen(hall: Hall) -> None:
    app = main.make_app(hall, "mgr01")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LauncherScreen)
        assert footer_keys(app)["f12"] == "特殊情况"
        await pilot.press("f12")
        await settle(pilot)
        assert form_value(app, "place") == "大厅"
        await pilot.press("escape")
        await pilot.press("5")
        await settle(pilot)
        assert isinstance(app.screen, IncidentsScreen)
        assert footer_keys(app)["f12"] == "特殊情况"
        await log_knife(pilot, "门口有人持刀")
        assert isinstance(app.screen, IncidentsScreen)
        await until(pilot, lambda: len(app.screen.rows) == 1)  # type: ignore[attr-defined]
    assert Incident.get().place == "大厅"


# Every staff screen and dialog the app has: how to reach it from the start screen, and the place
# the form is prefilled with there. A dialog keeps the context of the screen under it.
Reach = Callable[[HallApp, Pilot], Awaitable[None]]


def keys(*names: str) -> Reach:
    async def press(app: HallApp, pilot: Pilot) -> None:
        await pilot.press(*names)
        await settle(pilot)
    return press


def push(make: Callable[[HallApp], Screen[Any]]) -> Reach:
    async def show(app: HallApp, pilot: Pilot) -> None:
        app.push_screen(make(app))
        await settle(pilot)
    return show


async def open_first_incident(app: HallApp, pilot: Pilot) -> None:
    await until(pilot, lambda: len(manager(app).rows) == 1)
    manager(app).query_one(DataTable).focus()
    await pilot.press("enter")
    await until(pilot, lambda: manager(app).detail is not None)


def then(*steps: Reach) -> Reach:
    async def run(app: HallApp, pilot: Pilot) -> None:
        for step in steps:
            await step(app, pilot)
    return run


def issued_ticket(app: HallApp) -> Screen[Any]:
    from screens.desk.ticket import TicketScreen

    return TicketScreen(app.hall.desk.issue(form(id_number=distinct_id(3), name="王五"),
                                       actor="desk01"))


STAFF_SCREENS: dict[str, tuple[str, str, int | None, Reach | None, str, str]] = {
    # name: (start mode, staff, window, how to reach it, the screen's class name, place)
    "launcher": ("launcher", "mgr01", None, None, "LauncherScreen", "大厅"),
    "desk": ("desk", "desk01", None, None, "DeskScreen", "登记分流台"),
    "desk F7 booking": ("desk", "desk01", None, keys("f7"), "BookingDialog", "登记分流台"),
    "desk ticket": ("desk", "desk01", None, push(issued_ticket), "TicketScreen", "登记分流台"),
    "window": ("window", "win07", 7, None, "WindowScreen", "7号窗口"),
    "window pick": ("window", "win07", None, None, "WindowPickDialog", "窗口"),
    "window F4 number": ("window", "win07", 7, keys("f4"), "CallNumberDialog", "7号窗口"),
    "window F8 outcome": ("window", "win07", 7, keys("f5", "f7", "f8"), "OutcomeDialog",
                          "7号窗口"),
    "window F9 transfer": ("window", "win07", 7, keys("f5", "f9"), "TransferDialog",
                           "7号窗口"),
    "window confirm": ("window", "win07", 7, push(lambda app: ConfirmDialog("确认过号", "?")),
                       "ConfirmDialog", "7号窗口"),
    "leaders": ("leaders", "mgr01", None, None, "LeadersScreen", "大厅"),
    "leaders N day": ("leaders", "mgr01", None, keys("n"), "DayFormDialog", "大厅"),
    "leaders R rules": ("leaders", "mgr01", None, keys("r"), "RuleListDialog", "大厅"),
    "leaders B booking": ("leaders", "mgr01", None, keys("b"), "BookingDialog", "大厅"),
    "incidents": ("incidents", "mgr01", None, None, "IncidentsScreen", "大厅"),
    "incidents F3 report": ("incidents", "mgr01", None, keys("f3"), "ReportDialog", "大厅"),
    "incidents F5 act": ("incidents", "mgr01", None, then(open_first_incident, keys("f5")),
                         "ActionDialog", "大厅"),
    "incidents F6 correct": ("incidents", "mgr01", None,
                             then(open_first_incident, keys("f6")), "CorrectionDialog", "大厅"),
    "incidents F7 close": ("incidents", "mgr01", None, then(open_first_incident, keys("f7")),
                           "TextDialog", "大厅"),
}


@pytest.mark.parametrize("name", list(STAFF_SCREENS))
@run_async
async def test_f12_opens_the_form_on_every_staff_screen_and_dialog(hall: Hall, tmp_path: Path,
                                                                   name: str) -> None:
    """F12 opens the form over whatever is on top; Esc gives that screen back as it was."""
    start, staff, window, reach, expected, place = STAFF_SCREENS[name]
    if start == "incidents":
        hall.incidents.log(NewIncident("illness", "候谈区", "晕倒"), "win01")
    app = HallApp(hall, staff=staff, start=start, window=window, data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        if reach is not None:
            await reach(app, pilot)
        under = app.screen
        assert type(under).__name__ == expected, (name, app.screen_stack)
        assert app.check_action("log_incident", ()) is True
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, IncidentForm), (name, app.screen_stack)
        assert form_value(app, "place") == place
        await pilot.press("f12")  # not a second form over the form
        await settle(pilot)
        assert [type(s) for s in app.screen_stack].count(IncidentForm) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is under, (name, app.screen_stack)  # the dialog is kept, untouched
    assert Incident.select().count() == (1 if start == "incidents" else 0)


@run_async
async def test_f12_during_a_dialog_save_waits_for_it_and_loses_nothing(
        hall: Hall, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A dialog that closes itself when its save returns (the desk's F7 check-in) must not close
    the incident form instead: Textual's dismiss pops the top screen. F12 pressed while the save
    is in flight opens the form once the dialog has closed, over what came next (the ticket)."""
    from screens.desk.ticket import TicketScreen
    from screens.dialogs.booking import BookingDialog

    hall.leaders.add_day("lihong", hall.today(), "09:00", "11:30", 2, actor="mgr01")
    hall.leaders.bookings.book(1, make_id(), actor="desk01")
    release = threading.Event()
    check_in = hall.leaders.bookings.check_in

    def slow_check_in(*args: Any, **kwargs: Any) -> Any:
        release.wait(5)  # the database is slow this morning
        return check_in(*args, **kwargs)

    monkeypatch.setattr(hall.leaders.bookings, "check_in", slow_check_in)
    app = HallApp(hall, staff="desk01", start="desk", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#id_number", Input).insert_text_at_cursor(make_id())
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, BookingDialog)
        await pilot.press("enter")  # check in: the save is now in flight
        await pilot.pause(0.1)
        await pilot.press("f12")
        await pilot.pause(0.2)
        assert isinstance(app.screen, BookingDialog)  # not over a dialog about to close
        release.set()
        await until(pilot, lambda: form_ready(app))
        assert [type(s) for s in app.screen_stack][-2:] == [TicketScreen, IncidentForm]
        assert form_value(app, "place") == "登记分流台"
        app.screen.query_one("#incident-note", Input).insert_text_at_cursor("签到时争吵")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen) and app.screen.ticket.number == "D001"
        # A save that takes too long: F12 gives up waiting and says so (nothing opens later).
        monkeypatch.setattr("screens.incidents.watch.WAIT_SECONDS", 0.3)
        release.clear()
        hall.leaders.bookings.book(1, distinct_id(2), actor="desk01")
        await pilot.press("enter")  # the ticket is closed: the desk again
        await settle(pilot)
        app.screen.query_one("#id_number", Input).value = distinct_id(2)
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause(0.1)
        await pilot.press("f12")
        await until(pilot, lambda: any("仍在处理" in n.message for n in app._notifications))
        assert isinstance(app.screen, BookingDialog)
        release.set()
        await until(pilot, lambda: isinstance(app.screen, TicketScreen))
        await pilot.pause(0.3)
        assert isinstance(app.screen, TicketScreen)  # the given-up F12 does not open it now


@run_async
async def test_f12_is_not_offered_before_anyone_logged_in(hall: Hall, tmp_path: Path) -> None:
    """The login dialog asks who works: an incident logged there would have nobody's name."""
    app = HallApp(with_passwords(hall), staff=None, start="desk", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert not app.check_action("log_incident", ())
        await pilot.press("f12")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)


@run_async
async def test_a_bad_form_shows_errors_and_writes_nothing(hall: Hall) -> None:
    app = main.make_app(hall, "win07", start="window", window=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f12")
        await settle(pilot)
        await pilot.press("ctrl+s")  # nothing chosen, nothing typed
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IncidentForm)
        assert "请选择特殊情况类型" in str(screen.query_one("#incident-err-type", Label).render())
        assert "请简述发生了什么" in str(screen.query_one("#incident-err-note", Label).render())
        assert screen.focused is screen.query_one("#incident-type-input")
        screen.query_one("#incident-ticket", Input).value = "Q123"
        screen.query_one("#incident-type", Picker).choose("mental")
        screen.query_one("#incident-note", Input).value = "情绪失控"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Q123" in str(screen.query_one("#incident-err-ticket", Label).render())
        assert Incident.select().count() == 0
        screen.query_one("#incident-ticket", Input).value = "r001"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, WindowScreen)
    assert Incident.get().visitor.name == "李四"


@run_async
async def test_the_board_offers_no_incident_key_and_shows_no_alert(hall: Hall) -> None:
    hall.incidents.log(NewIncident("assault", "5号窗口", "推搡工作人员"), "win05")
    app = main.make_app(hall, None, start="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(1.2)  # (the board's poller lives on: no waiting for the workers)
        assert app.current_mode == "board"
        assert app.incident_watch.alerts  # the app knows; the board does not show it
        assert "f12" not in footer_keys(app)
        assert not app.screen.query(TopBar) and not app.screen.query("#topbar-alert")
        await pilot.press("f12")
        await pilot.pause(0.3)
        assert not isinstance(app.screen, IncidentForm)
        text = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "推搡" not in text and "殴打" not in text and "特殊情况" not in text


@run_async
async def test_the_board_opened_from_the_launcher_offers_no_incident_key(hall: Hall) -> None:
    """A staff terminal turned into the hall's board (launcher key 3) shows the public: no F12
    there, even though someone is logged in; back at the launcher it works again."""
    app = main.make_app(hall, "mgr01")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await pilot.pause(0.3)
        assert app.current_mode == "board"
        assert not app.check_action("log_incident", ()) and "f12" not in footer_keys(app)
        await pilot.press("f12")
        await pilot.pause(0.3)
        assert not any(isinstance(s, IncidentForm) for s in app.screen_stack)
        await pilot.press("q")
        await pilot.pause(0.3)
        assert isinstance(app.screen, LauncherScreen)
        await pilot.press("f12")
        await until(pilot, lambda: form_ready(app))


# -- the alert on other terminals ----------------------------------------------------------------


async def run_cli(hall: Hall, db_url: str, *args: str) -> str:
    env = {**os.environ, "HALL_NOW": hall.now().isoformat(), "HALL_PASSWORD": TEST_PASSWORD}
    if hall.accounts.needs_admin():  # the accounts have no passwords yet: give them the test's
        with_passwords(hall)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "main", "--db", db_url, *args, cwd=ROOT,
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode()


def alert_text(app: HallApp) -> str | None:
    bars = list(app.screen.query(TopBar).results(TopBar))
    if not bars or not bars[0].has_class("-alert"):
        return None
    return str(bars[0].query_one("#topbar-alert", Label).render())


@pytest.mark.parametrize("start", ["desk", "window", "incidents"])
@run_async
async def test_an_open_high_incident_alerts_other_terminals(hall: Hall, sqlite_url: str,
                                                           start: str) -> None:
    staff = {"incidents": "mgr01", "desk": "desk01"}.get(start, "win01")  # who may open it
    app = main.make_app(hall, staff, start=start, window=1)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.pause(1.2)
        assert alert_text(app) is None
        await run_cli(hall, sqlite_url, "--staff", "win05", "incident", "log", "--type",
                      "over_level", "--place", "登记分流台", "--note", "越级")
        await pilot.pause(2.5)
        assert alert_text(app) is None  # low severity: no alert
        await run_cli(hall, sqlite_url, "--staff", "win05", "incident", "log", "--type",
                      "assault", "--place", "5号窗口", "--note", "推搡工作人员")
        waited = await until(pilot, lambda: alert_text(app) is not None, 4)
        print(f"alert shown on another terminal after {waited * 1000:.0f} ms")
        assert "侮辱、殴打、威胁工作人员·5号窗口 09:00" in (alert_text(app) or "")
        await run_cli(hall, sqlite_url, "--staff", "mgr01", "incident", "close", "2",
                      "--conclusion", "公安带离")
        await until(pilot, lambda: alert_text(app) is None, 4)


@run_async
async def test_the_alert_is_short_at_80_columns(hall: Hall) -> None:
    hall.incidents.log(NewIncident("assault", "5号窗口", "推搡"), "win05")
    hall.incidents.log(NewIncident("illness", "候谈区", "晕倒"), "win05")
    app = main.make_app(hall, "win01", start="window", window=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: alert_text(app) is not None, 4)
        assert alert_text(app) == "⚠ 特殊情况 2 起"
        status = str(app.screen.query_one("#topbar-status", Label).render())
        assert status.endswith("刘建国（win01）")


# -- the manager's screen -----------------------------------------------------------------------


def manager(app: HallApp) -> IncidentsScreen:
    return next(s for s in app.screen_stack if isinstance(s, IncidentsScreen))


def detail_text(app: HallApp) -> str:
    return str(manager(app).query_one("#inc-detail", Static).render())


@run_async
async def test_the_manager_filters_reads_and_handles_an_incident(hall: Hall,
                                                                tmp_path: Path) -> None:
    knife = hall.incidents.log(NewIncident("dangerous", "7号窗口", "携带水果刀", ticket="L001"),
                               "win07").id
    hall.incidents.log(NewIncident("over_level", "登记分流台", "越级"), "desk01")
    hall.clock.advance(days=-1)  # type: ignore[attr-defined]
    hall.incidents.log(NewIncident("illness", "候谈区", "昨天晕倒"), "desk01")
    hall.clock.advance(days=1)  # type: ignore[attr-defined]
    app = HallApp(hall, staff="mgr01", start="incidents", data_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = manager(app)
        await until(pilot, lambda: len(screen.rows) == 2)
        assert [r.type for r in screen.rows] == ["over_level", "dangerous"]
        # Filters: every day, then by type, then back to today and open ones only.
        screen.query_one("#inc-day", Input).value = ""
        await until(pilot, lambda: len(screen.rows) == 3)
        screen.query_one("#inc-type", Picker).choose("illness")
        await until(pilot, lambda: [r.type for r in screen.rows] == ["illness"])
        screen.query_one("#inc-type", Picker).choose("")
        screen.query_one("#inc-day", Input).value = "2026-11-23"
        screen.query_one("#inc-place", Picker).choose("7号窗口")
        await until(pilot, lambda: [r.id for r in screen.rows] == [knife])
        assert AuditEvent.select().where(AuditEvent.action == "incident.view").count() == 0
        screen.query_one(DataTable).focus()
        await pilot.press("enter")  # open: the view is audited
        await until(pilot, lambda: screen.detail is not None)
        views = AuditEvent.select().where(AuditEvent.action == "incident.view")
        assert [(v.actor, v.entity_id) for v in views] == [("mgr01", str(knife))]
        assert "携带水果刀" in detail_text(app)
        assert "建议下一步：通知安保人员（F5）" in detail_text(app)
        # F5, Enter, Enter, Enter: the suggested step, recorded.
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, ActionDialog)
        await pilot.press("enter", "enter", "enter")
        await until(pilot, lambda: screen.detail is not None and screen.detail.summary.entries
                    == 2)
        assert "✓通知安保人员" in detail_text(app)
        # A digit picks another step; the result is kept.
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("2")
        app.screen.query_one("#incident-action-result", Input).insert_text_at_cursor("已交出刀具")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: screen.detail is not None and screen.detail.summary.entries
                    == 3)
        assert "劝阻　结果：已交出刀具" in detail_text(app)
        # F6 corrects entry #1; both are shown.
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, CorrectionDialog)
        await pilot.press("up", "up", "enter")
        app.screen.query_one(Input).insert_text_at_cursor("携带水果刀一把，约15厘米")
        await pilot.press("enter")
        await until(pilot, lambda: "已被 #4 更正" in detail_text(app))
        assert "经过：携带水果刀一把，约15厘米" in detail_text(app)
        assert "登记　携带水果刀\n" in detail_text(app) or "登记　携带水果刀　" in (
            detail_text(app))
        # F7 closes (a conclusion is required); F5 is then refused; F8 reopens with a reason.
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        await pilot.press("enter")
        assert "结案须填写结论" in str(app.screen.query_one("#incident-text-error",
                                                      Label).render())
        app.screen.query_one(Input).insert_text_at_cursor("移交公安")
        await pilot.press("enter")
        await until(pilot, lambda: screen.detail is not None
                    and screen.detail.summary.status == "closed")
        assert "结论：移交公安" in detail_text(app)
        await pilot.press("f5")
        await settle(pilot)
        assert app.screen is screen  # closed: no step can be recorded
        await pilot.press("f8")
        await settle(pilot)
        app.screen.query_one(Input).insert_text_at_cursor("需补记通知公安")
        await pilot.press("enter")
        await until(pilot, lambda: screen.detail is not None
                    and screen.detail.summary.status == "open")
    kinds = [e.kind for e in IncidentEntry.select().where(IncidentEntry.incident == knife)
             .order_by(IncidentEntry.seq)]
    assert kinds == ["logged", "action", "action", "correction", "closed", "reopened"]


@run_async
async def test_a_step_saved_but_not_reloaded_says_it_was_saved(hall: Hall, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    """The database goes away between the step and the reload: the manager is told the step is
    saved (a retry would record it twice), not that it failed."""
    from peewee import OperationalError

    knife = hall.incidents.log(NewIncident("dangerous", "7号窗口", "携带水果刀"), "win07").id
    app = HallApp(hall, staff="mgr01", start="incidents", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = manager(app)
        await until(pilot, lambda: len(screen.rows) == 1)
        screen.query_one(DataTable).focus()
        await pilot.press("enter")
        await until(pilot, lambda: screen.detail is not None)

        def away(*args: object) -> None:
            raise OperationalError("server closed the connection unexpectedly")

        monkeypatch.setattr(hall.incidents, "detail", away)
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("enter", "enter", "enter")
        await until(pilot, lambda: any("已保存" in n.message for n in app._notifications))
        text = next(n.message for n in app._notifications if "已保存" in n.message)
        assert text.startswith("已记录：通知安保人员（已保存）；刷新失败") and "未写入" not in text
    assert [e.kind for e in IncidentEntry.select().where(IncidentEntry.incident == knife)] == [
        "logged", "action"]


def list_cells(app: HallApp) -> list[list[str]]:
    table = manager(app).query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


@pytest.mark.parametrize("size", [(80, 24), (140, 40)])
@run_async
async def test_the_list_columns_use_the_width_they_have(hall: Hall, tmp_path: Path,
                                                       size: tuple[int, int]) -> None:
    hall.incidents.log(NewIncident("dangerous", "7号窗口", "携带水果刀"), "win07")
    app = HallApp(hall, staff="mgr01", start="incidents", data_dir=tmp_path)
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: len(manager(app).rows) == 1)
        await settle(pilot)
        # The row has room: the type and the suggested next step show whole.
        assert list_cells(app)[0][3:] == ["携带危险物品或管制器具", "7号窗口", "处置中",
                                          "通知安保人员"]
        # The longest type and place of the configuration: cut with …, the row still fits.
        hall.incidents.log(NewIncident("inciting", "大厅外广场", "有人组织围堵"), "win07")
        for _ in range(6):
            hall.incidents.log(NewIncident("lingering", "候谈区", "吵闹"), "win07")
        await until(pilot, lambda: len(manager(app).rows) == 8)
        await settle(pilot)
        table = manager(app).query_one(DataTable)
        rows = list_cells(app)
        longest = next(r for r in rows if r[3].startswith("煽动"))
        assert longest[3].endswith("…") and longest[6] == "批评教育"
        assert longest[4] == "大厅外广场"
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert not table.show_horizontal_scrollbar
        typed = next(r for r in rows if r[3] == "携带危险物品或管制器具")
        assert typed[6] == "通知安保人员"
        # A narrower terminal sizes the columns again.
        await pilot.resize_terminal(64, 24)
        await until(pilot, lambda: table.virtual_size.width
                    <= table.scrollable_content_region.width)


@run_async
async def test_the_daily_report_on_screen_and_as_csv(hall: Hall, tmp_path: Path) -> None:
    first = hall.incidents.log(NewIncident("illness", "7号窗口", "晕倒", ticket="L001"), "win07")
    hall.incidents.act(first.id, "report_leader", "win07")
    hall.incidents.log(NewIncident("over_level", "登记分流台", "越级"), "desk01")
    app = HallApp(hall, staff="mgr01", start="incidents", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: len(manager(app).rows) == 2)
        await pilot.press("f3")
        await until(pilot, lambda: isinstance(app.screen, ReportDialog))
        text = str(app.screen.query_one("#incident-report-text", Static).render())
        assert "共 2 起" in text and "来访人突发疾病 1" in text and "报告中心领导" in text
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, IncidentsScreen)
    path = tmp_path / "reports" / "incidents-2026-11-23.csv"
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode())  # spreadsheet software reads it as UTF-8
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("编号,登记时间,类型") and len(lines) == 3
    assert AuditEvent.select().where(AuditEvent.action == "incident.report").count() == 1


# -- the visitor's file --------------------------------------------------------------------------


@run_async
async def test_the_visitor_file_shows_incidents_at_the_window_and_the_desk(
        hall: Hall, tmp_path: Path) -> None:
    hall.incidents.log(NewIncident("lingering", "候谈区", "大声吵闹", ticket="L001"), "win07")
    hall.windows.call_next(7, "win07")
    app = main.make_app(hall, "win07", start="window", window=7)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, WindowScreen)
                    and app.screen.view is not None)
        row = app.screen.query_one("#visit-incidents", Static)
        assert "在接待场所滞留、滋事" in str(row.render()) and "处置中" in str(row.render())
        assert app.screen.query_one("#visit-row-incidents").display
    desk = HallApp(hall, staff="desk01", start="desk", data_dir=tmp_path)
    async with desk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        desk.screen.query_one("#id_number", Input).insert_text_at_cursor(make_id())
        await until(pilot, lambda: desk.screen._file is not None)  # type: ignore[attr-defined]
        await settle(pilot)
        banner = str(desk.screen.query_one(VisitorBanner).render())
        assert "特殊情况 1 起：最近 2026-11-23 在接待场所滞留、滋事（处置中）" in banner


@run_async
async def test_a_key_that_does_not_apply_says_why_at_80x24(hall: Hall, tmp_path: Path) -> None:
    """F8 (reopen) on an open incident once did nothing at all; F5 and F7 on a closed one too."""
    knife = hall.incidents.log(NewIncident("dangerous", "7号窗口", "携带水果刀"), "win07").id
    app = HallApp(hall, staff="mgr01", start="incidents", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = manager(app)
        await until(pilot, lambda: len(screen.rows) == 1)
        screen.query_one(DataTable).focus()
        await pilot.press("enter")
        await until(pilot, lambda: screen.detail is not None)
        assert {"f7": "结案", "f8": "重开"}.items() <= footer_keys(app).items()
        await pilot.press("f8")
        await settle(pilot)
        assert app.screen is screen  # no reason asked: there is nothing to reopen
        assert f"第 {knife} 号：该情况尚未结案，无需重开" in "\n".join(
            n.message for n in app._notifications)
        hall.incidents.close(knife, "移交公安", "mgr01")
        await until(pilot, lambda: screen.detail is not None
                    and screen.detail.summary.status == "closed")
        for key, act in (("f5", "记录处置"), ("f7", "结案")):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is screen
            assert f"该情况已结案：按 F8 重开（须填写理由）后才能{act}" in "\n".join(
                n.message for n in app._notifications)
    kinds = [e.kind for e in IncidentEntry.select().where(IncidentEntry.incident == knife)]
    assert kinds == ["logged", "closed"]
