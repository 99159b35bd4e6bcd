"""Pilot tests of the hall board: calls made by other processes appear, are spoken, once each.

The board runs headless over a database where the desk issued tickets; windows call from another
process (``python -m main call``, the CLI a window script would use) with HALL_NOW at the test
clock's time. On SQLite, and on PostgreSQL when HALL_TEST_PG_URL is set. Announcements go to a
fake speech command that logs what it says (see tests/domain/test_speech.py), or to a fake speaker
the test finishes by hand; the calls' turns run on a clock the test moves (no waiting for the
minimum display time).
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

import peewee
import pytest
from textual.pilot import Pilot

from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from hall.text.masking import mask_id_number
from main import make_app
from models import open_database
from screens.app import HallApp
from screens.board import BoardScreen, SeenIds, unannounced
from screens.board.widgets import CallBanner, banner, big_rows, template_parts
from screens.launcher import LauncherScreen
from tests.conftest import MORNING
from tests.domain.test_announce import Seconds, notice
from tests.domain.test_speech import spoken_texts
from tests.helpers import TEST_PASSWORD, config_with, distinct_id, form, run_async, with_passwords
from tests.screens.conftest import NAMES

ROOT = Path(__file__).resolve().parents[2]



def cli(db_url: str, *args: str) -> list[str]:
    """The ``hall`` command line of another process, acting at the test clock's time."""
    return [sys.executable, "-m", "main", "--db", db_url, "--staff", "win01", *args]


async def run_cli(db_url: str, *args: str) -> str:
    env = {**os.environ, "HALL_NOW": MORNING.isoformat(), "HALL_PASSWORD": TEST_PASSWORD}
    process = await asyncio.create_subprocess_exec(
        *cli(db_url, *args), cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode()


async def until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 10.0) -> float:
    """Pause until ``condition`` holds; returns the seconds it took (fails after ``timeout``)."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"still not true after {timeout} s")
        await pilot.pause(0.02)
    return time.monotonic() - started


def board(app: HallApp) -> BoardScreen:
    screen = app.screen
    assert isinstance(screen, BoardScreen)
    return screen


def newest(app: HallApp) -> tuple[str, str] | None:
    view = board(app).view
    if view is None or not view.recent:
        return None
    return view.recent[0].number, view.recent[0].kind


def shown(app: HallApp) -> tuple[str, str] | None:
    """The call the large display shows, as its banner draws it: (number, called/recalled)."""
    parts = board(app).query_one(CallBanner).parts
    if not parts:
        return None
    number = next(text for text, big in parts if big)
    again = any("重呼" in text for text, big in parts if not big)
    return number, "recalled" if again else "called"


def screen_text(app: HallApp) -> str:
    """Everything the board shows, as text (from an SVG screenshot)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def widget_text(app: HallApp) -> str:
    """What every widget of the board renders."""
    return "\n".join(str(w.render()) for w in board(app).query("*"))


# -- the board follows other processes -----------------------------------------------------------


@run_async
async def test_a_call_from_another_process_appears_and_is_spoken(
        board_hall: Hall, db_url: str, speech: tuple[Path, Path], turn_clock: Seconds) -> None:
    _, log = speech
    with_passwords(board_hall)  # the other process signs in
    app = make_app(board_hall, None, start="board")
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: board(app).view is not None)
        assert newest(app) is None  # nothing called yet today
        assert "今日尚未叫号" in screen_text(app)

        out = await run_cli(db_url, "call", "--window", "1")
        assert "R001" in out
        waited = await until(pilot, lambda: shown(app) == ("R001", "called"), timeout=3)
        print(f"call from another process shown after {waited * 1000:.0f} ms")
        await until(pilot, lambda: spoken_texts(log) == ["请 阿尔零零一 号 到 一 号窗口"])
        assert "请 R001 号 到 1 号窗口" in screen_text(app)

        # a recall is a new event, announced as a recall once R001 has had its time
        await run_cli(db_url, "recall", "--window", "1")
        await until(pilot, lambda: newest(app) == ("R001", "recalled"), timeout=3)
        assert shown(app) == ("R001", "called") and len(spoken_texts(log)) == 1
        turn_clock.advance(3)
        await until(pilot, lambda: shown(app) == ("R001", "recalled"))
        await until(pilot, lambda: len(spoken_texts(log)) == 2)
        assert spoken_texts(log)[1] == "再次呼叫 请 阿尔零零一 号 到 一 号窗口"
        assert "重呼" in screen_text(app)

        # several calls landing between two polls: each shown and spoken in turn, oldest first
        await run_cli(db_url, "call", "--window", "2")
        await run_cli(db_url, "call", "--window", "3")
        turn_clock.advance(3)
        await until(pilot, lambda: len(spoken_texts(log)) == 3)
        assert shown(app) == ("R002", "called")
        turn_clock.advance(3)
        await until(pilot, lambda: len(spoken_texts(log)) == 4)
        assert spoken_texts(log)[2:] == ["请 阿尔零零二 号 到 二 号窗口",
                                         "请 阿尔零零三 号 到 三 号窗口"]
        assert shown(app) == ("R003", "called")
        turn_clock.advance(60)
        await pilot.pause(1.2)  # more polls: nothing is announced twice
        assert len(spoken_texts(log)) == 4
        assert [c.number for c in board(app).announced] == ["R001", "R001", "R002", "R003"]

        text = screen_text(app) + widget_text(app)
        for n, name in enumerate(NAMES, 1):
            assert name not in text and name[0] + "*" not in text
            id_number = distinct_id(n)
            assert id_number not in text and mask_id_number(id_number) not in text


@run_async
async def test_the_board_rides_out_a_database_outage(
        sqlite_url: str, board_config: HallConfig, speech: tuple[Path, Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _, log = speech
    hall = Hall(open_database(sqlite_url), board_config, FixedClock(MORNING))
    for n in range(1, 4):
        hall.desk.issue(form(id_number=distinct_id(n), category="reform"), actor="desk01")
    app = make_app(hall, None, start="board")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: board(app).view is not None)
        real = Hall.change_version

        def unreachable(self: Hall, topic: str = "tickets") -> int:
            raise peewee.OperationalError("unable to open database file")

        monkeypatch.setattr(Hall, "change_version", unreachable)
        await until(pilot, lambda: "数据库暂时无法连接" in screen_text(app))
        hall.windows.call_next(1, "win01")  # made while the board cannot read
        await pilot.pause(0.6)
        assert newest(app) is None  # the last picture stays up
        monkeypatch.setattr(Hall, "change_version", real)
        await until(pilot, lambda: newest(app) == ("R001", "called"))
        await until(pilot, lambda: spoken_texts(log) == ["请 阿尔零零一 号 到 一 号窗口"])
        assert "数据库暂时无法连接" not in screen_text(app)


@run_async
async def test_without_a_voice_the_board_rings_and_flashes(
        sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    config = config_with(('speech_command: [espeak-ng, -v, cmn-latn-pinyin, "{text}"]',
                          "speech_command: []"))
    hall = Hall(open_database(sqlite_url), config, FixedClock(MORNING))
    hall.desk.issue(form(id_number=distinct_id(1), category="reform"), actor="desk01")
    app = make_app(hall, None, start="board")
    bells: list[float] = []
    monkeypatch.setattr(type(app), "bell", lambda self: bells.append(time.monotonic()))
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: board(app).view is not None)
        hall.windows.call_next(1, "win01")
        await until(pilot, lambda: bool(bells))
        assert board(app).query_one("#board-now").has_class("-flash")
        await pilot.pause(3.5)
        assert not board(app).query_one("#board-now").has_class("-flash")


@run_async
async def test_the_board_polls_no_incidents(
        board_hall: Hall, monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    real = Hall.change_version

    def counted(self: Hall, topic: str = "tickets") -> int:
        read.append(topic)
        return real(self, topic)

    monkeypatch.setattr(Hall, "change_version", counted)
    app = make_app(board_hall, None, start="board")
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: board(app).view is not None)
        await until(pilot, lambda: "tickets" in read)
        start = len(read)
        await until(pilot, lambda: read[start:].count("tickets") >= 8)  # two seconds of polls
        assert "incidents" not in read[start:]
        assert not app.incident_watch.poller.running
    app = HallApp(board_hall, staff="mgr01")
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.incident_watch.poller.running  # staff screens watch incidents
        await pilot.press("3")
        await until(pilot, lambda: isinstance(app.screen, BoardScreen))
        assert not app.incident_watch.poller.running
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, LauncherScreen))
        assert app.incident_watch.poller.running


@run_async
async def test_q_leaves_the_board(sqlite_hall: Hall) -> None:
    app = HallApp(sqlite_hall, staff="mgr01")
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, LauncherScreen)
        await pilot.press("3")
        await until(pilot, lambda: isinstance(app.screen, BoardScreen))
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, LauncherScreen))
    app = make_app(sqlite_hall, None, start="board")
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, BoardScreen)  # a display asks nobody to log in
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert not app.is_running


# -- the pieces ----------------------------------------------------------------------------------


def test_seen_ids_stay_bounded_and_nothing_is_announced_twice() -> None:
    seen = SeenIds(capacity=50)
    announced = []
    for start in range(0, 10_000, 5):  # days of polls, five new events each
        calls = [notice(f"R{n % 1000:03d}", 1, event_id=n) for n in range(start + 7, start - 1, -1)]
        announced += [c.event_id for c in unannounced(calls, seen)]
        assert len(seen) <= 50
    assert announced == list(range(10_003))  # each once, oldest first, none missed


def test_a_late_commit_with_a_smaller_id_is_still_announced() -> None:
    seen = SeenIds()
    assert [c.event_id for c in unannounced([notice(event_id=11)], seen)] == [11]
    late = [notice(event_id=11), notice(event_id=10)]  # id 10 committed after id 11
    assert [c.event_id for c in unannounced(late, seen)] == [10]


def test_the_banner_scales_with_the_screen(config: HallConfig) -> None:
    parts = template_parts(config.board.announce_template, notice("R007", 12))
    assert [text for text, big in parts if big] == ["R007", "12"]
    sizes = {}
    for width, height in [(76, 6), (120, 12), (196, 25), (400, 100)]:
        lines = banner(parts, width, height).plain.splitlines()
        assert len(lines) <= height
        assert max(len(line) for line in lines) <= width
        sizes[width] = len(lines)
    assert sizes[76] < sizes[120] < sizes[196] < sizes[400]
    assert banner(parts, 30, 10).plain == "请 R007 号 到 12 号窗口"  # too narrow: plain text
    assert big_rows("1", 1, 2) == ["  █  ", " ██  ", "  █  ", "  █  ", " ███ "]
