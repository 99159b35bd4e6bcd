"""Every screen survives a failing database: the user is told in Chinese, the screen stays usable.

Each test opens one screen, makes ``hall.connection()`` (the connection every screen worker and
poller opens) raise ``OperationalError``, presses the screen's key, checks the message, brings the
database back and presses the key again: it works. Two tests record the message sequence of the
desk's issue (F5) and the window's call (F5) with ``run_test(message_hook=...)``.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from peewee import OperationalError
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import DataTable, Label

import main
from hall import Hall
from hall.incidents import NewIncident
from screens.app import HallApp
from screens.board import BoardScreen
from screens.desk import DeskScreen, TicketScreen
from screens.incidents import IncidentsScreen
from screens.leaders import LeadersScreen, RosterDialog
from screens.window import WindowScreen
from screens.work import Done, Failed
from tests.helpers import distinct_id, form, run_async
from tests.screens.test_desk import fill_new_visitor

DOWN = "server closed the connection unexpectedly"


@contextmanager
def _broken() -> Iterator[None]:
    raise OperationalError(DOWN)
    yield  # pragma: no cover


class Outage:
    """The database goes away for the screens (``hall.connection()`` raises) and comes back."""

    def __init__(self, hall: Hall, monkeypatch: pytest.MonkeyPatch) -> None:
        self.hall = hall
        self.monkeypatch = monkeypatch

    def begin(self) -> None:
        self.monkeypatch.setattr(self.hall, "connection", _broken)

    def end(self) -> None:
        self.monkeypatch.delattr(self.hall, "connection")  # the class's method again


@pytest.fixture
def outage(sqlite_hall: Hall, monkeypatch: pytest.MonkeyPatch) -> Outage:
    return Outage(sqlite_hall, monkeypatch)


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"still not true after {timeout} s")
        await pilot.pause(0.02)


def notes(app: HallApp) -> str:
    return "\n".join(n.message for n in app._notifications)


def screen_text(app: HallApp) -> str:
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def told(app: HallApp, *words: str) -> bool:
    """A notification names the failure in Chinese (and the database's own words)."""
    return any(all(w in n.message for w in words) for n in app._notifications)


# -- one test per screen -----------------------------------------------------------------------


@run_async
async def test_desk_issue_with_the_database_away(sqlite_hall: Hall, outage: Outage,
                                                 tmp_path: Path) -> None:
    app = HallApp(sqlite_hall, staff="desk01", start="desk", data_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await fill_new_visitor(pilot)
        outage.begin()
        await pilot.press("f5")
        await until(pilot, lambda: told(app, "出票失败，未写入", DOWN))
        assert isinstance(app.screen, DeskScreen)  # the form is kept for a retry
        outage.end()
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen))


@run_async
async def test_window_call_with_the_database_away(sqlite_hall: Hall, outage: Outage) -> None:
    sqlite_hall.desk.issue(form(id_number=distinct_id(1), category="reform"), actor="desk01")
    app = main.make_app(sqlite_hall, "win01", start="window", window=1)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, WindowScreen)
        await until(pilot, lambda: screen.view is not None)
        outage.begin()
        await pilot.press("f5")
        await until(pilot, lambda: told(app, "操作失败", DOWN))
        await until(pilot, lambda: "数据库暂时无法连接" in screen_text(app))
        outage.end()
        await pilot.press("f5")
        await until(pilot, lambda: screen.view is not None and screen.view.current is not None
                    and screen.view.current.number == "R001")
        await until(pilot, lambda: "数据库暂时无法连接" not in screen_text(app))


@run_async
async def test_board_with_the_database_away(sqlite_hall: Hall, outage: Outage) -> None:
    sqlite_hall.desk.issue(form(id_number=distinct_id(1), category="reform"), actor="desk01")
    app = main.make_app(sqlite_hall, None, start="board")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        await until(pilot, lambda: screen.view is not None)
        outage.begin()
        await until(pilot, lambda: "数据库暂时无法连接，正在重试" in screen_text(app))
        sqlite_hall.windows.call_next(1, "win01")  # made while the board cannot read
        outage.end()
        await until(pilot, lambda: screen.view is not None and bool(screen.view.recent)
                    and screen.view.recent[0].number == "R001")
        await until(pilot, lambda: "数据库暂时无法连接" not in screen_text(app))


@run_async
async def test_leaders_plan_with_the_database_away(sqlite_hall: Hall, outage: Outage,
                                                   tmp_path: Path) -> None:
    """G (plan the month) used to show nothing at all when the database failed."""
    app = HallApp(sqlite_hall, staff="mgr01", start="leaders", data_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LeadersScreen) and screen.data is not None
        outage.begin()
        await pilot.press("g")
        await until(pilot, lambda: told(app, "生成失败", "数据库暂时无法使用", DOWN))
        outage.end()
        await pilot.press("g")
        await until(pilot, lambda: told(app, "个接待日，发布"))
        assert isinstance(app.screen, LeadersScreen)


@run_async
async def test_roster_with_the_database_away(sqlite_hall: Hall, outage: Outage,
                                             tmp_path: Path) -> None:
    app = HallApp(sqlite_hall, staff="mgr01", start="leaders", data_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, RosterDialog)
                    and bool(app.screen.leaders))
        dialog = app.screen
        assert isinstance(dialog, RosterDialog)
        message = dialog.query_one("#roster-message", Label)
        outage.begin()
        await pilot.press("d")
        await until(pilot, lambda: "数据库暂时无法使用" in str(message.render()))
        outage.end()
        await pilot.press("d")
        await until(pilot, lambda: "已停用" in str(message.render()))
        assert app.screen is dialog


@run_async
async def test_incidents_open_with_the_database_away(sqlite_hall: Hall, outage: Outage,
                                                     tmp_path: Path) -> None:
    sqlite_hall.incidents.log(NewIncident("dangerous", "7号窗口", "携带水果刀"), "win07")
    app = HallApp(sqlite_hall, staff="mgr01", start="incidents", data_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, IncidentsScreen)
        await until(pilot, lambda: len(screen.rows) == 1)
        screen.query_one(DataTable).focus()
        outage.begin()
        await pilot.press("enter")
        await until(pilot, lambda: told(app, "读取失败", DOWN))
        assert screen.detail is None
        outage.end()
        await pilot.press("enter")
        await until(pilot, lambda: screen.detail is not None)


# -- the message sequence of the two everyday keys ------------------------------------------------


class Recorder:
    """``message_hook``: every message the app processes, in order."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def __call__(self, message: Message) -> None:
        self.messages.append(message)

    def index(self, test: Callable[[Message], bool], after: int = -1) -> int:
        return next(i for i, m in enumerate(self.messages) if i > after and test(m))


def key(name: str) -> Callable[[Message], bool]:
    return lambda m: type(m).__name__ == "Key" and getattr(m, "key", None) == name


def done(name: str) -> Callable[[Message], bool]:
    return lambda m: isinstance(m, Done) and m.name == name


@run_async
async def test_desk_issue_message_sequence(sqlite_hall: Hall, tmp_path: Path) -> None:
    """F5 at the desk: the key, then the issue's Done (no failure), then the ticket screen."""
    recorder = Recorder()
    app = HallApp(sqlite_hall, staff="desk01", start="desk", data_dir=tmp_path)
    async with app.run_test(size=(120, 40), message_hook=recorder) as pilot:
        await settle(pilot)
        await fill_new_visitor(pilot)
        start = len(recorder.messages)
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(app.screen, TicketScreen))
        pressed = recorder.index(key("f5"), after=start - 1)
        issued = recorder.index(done("issue"), after=pressed)
        assert not any(isinstance(m, Failed) for m in recorder.messages[pressed:])
        ticket = recorder.messages[issued].result  # type: ignore[attr-defined]
        assert app.screen.ticket is ticket  # type: ignore[attr-defined]
        assert ticket.number.endswith("001") and ticket.ahead == 0

@run_async
async def test_window_call_message_sequence(sqlite_hall: Hall) -> None:
    """F5 at the window: the key, then the call's Done carrying the new view of the window."""
    sqlite_hall.desk.issue(form(id_number=distinct_id(1), category="reform"), actor="desk01")
    recorder = Recorder()
    app = main.make_app(sqlite_hall, "win01", start="window", window=1)
    async with app.run_test(size=(80, 24), message_hook=recorder) as pilot:
        screen = app.screen
        assert isinstance(screen, WindowScreen)
        await until(pilot, lambda: screen.view is not None)
        start = len(recorder.messages)
        await pilot.press("f5")
        await until(pilot, lambda: screen.view is not None and screen.view.current is not None)
        pressed = recorder.index(key("f5"), after=start - 1)
        called = recorder.index(done("act"), after=pressed)
        assert not any(isinstance(m, Failed) for m in recorder.messages[pressed:])
        text, view, seen = recorder.messages[called].result  # type: ignore[attr-defined]
        assert text == "请 R001 号到1号窗口"
        assert view.current.number == "R001" and seen[1] == date(2026, 11, 23)
        assert screen.view.current.number == "R001"  # type: ignore[union-attr]


# -- the rules screens/ keeps --------------------------------------------------------------------

SCREENS = Path(__file__).resolve().parents[2] / "screens"


@pytest.mark.parametrize("path", sorted(SCREENS.rglob("*.py")), ids=lambda p: p.name)
def test_screens_keep_to_the_facade(path: Path) -> None:
    """No screen imports models/, touches the database handle or calls back from a thread: the
    facade, :mod:`screens.work`'s messages and its one poller are the only way."""
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"^\s*(from|import) models\b", source, re.M)
    assert "hall.db" not in source and ".db." not in source
    assert "call_from_thread" not in source
    clocks = ("work.py", "board/screen.py", "widgets/topbar.py",  # the poller; clocks, a flash
              "dialogs/lock.py")  # the idle lock
    assert "set_interval(" not in source or path.relative_to(SCREENS).as_posix() in clocks
