"""Pilot tests of the board's turns: one call large and in the voice at a time.

The board's voice is a fake speaker the test finishes by hand (or the fake speech command of
tests/domain/test_speech.py), and the turns run on a clock the test moves: nothing waits for the
minimum display time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import pytest
from textual.pilot import Pilot

from config import HallConfig
from hall import Hall
from hall.board.announce import spoken_text
from hall.board.speech import Spoken
from main import make_app
from screens.board import BoardScreen
from tests.domain.test_announce import Seconds
from tests.domain.test_speech import spoken_texts
from tests.helpers import run_async
from tests.screens.test_board import board, newest, screen_text, shown, until


class FakeSpeaker:
    """The board's voice in a test: keeps what it was asked to say; the test says when each text
    is done (:meth:`finish`)."""

    made: ClassVar[list[FakeSpeaker]] = []

    def __init__(self, config: HallConfig, on_done: Callable[[Spoken], None]) -> None:
        self.on_done = on_done
        self.said: list[str] = []
        self.done = 0
        FakeSpeaker.made.append(self)

    def say(self, text: str) -> bool:
        self.said.append(text)
        return True

    def finish(self, spoken: bool = True, problem: str = "") -> None:
        self.on_done(Spoken(self.said[self.done], spoken, problem))
        self.done += 1

    def close(self) -> None:
        pass


@pytest.fixture
def voice(monkeypatch: pytest.MonkeyPatch) -> Callable[[], FakeSpeaker]:
    """The fake speaker the board made (call after the board is up)."""
    FakeSpeaker.made = []
    monkeypatch.setattr(BoardScreen, "make_speaker", FakeSpeaker)
    return lambda: FakeSpeaker.made[-1]


async def said(pilot: Pilot, speaker: FakeSpeaker, count: int) -> list[str]:
    await until(pilot, lambda: len(speaker.said) >= count)
    await pilot.pause()
    return speaker.said


@run_async
async def test_two_windows_calling_70_ms_apart_are_both_shown_large(
        board_hall: Hall, turn_clock: Seconds, voice: Callable[[], FakeSpeaker]) -> None:
    app = make_app(board_hall, None, start="board")
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: board(app).view is not None)
        board_hall.windows.call_next(1, "win01")
        board_hall.windows.call_next(2, "win01")  # a moment later, most likely the same poll
        await until(pilot, lambda: newest(app) == ("R002", "called"))
        assert await said(pilot, voice(), 1) == ["请 阿尔零零一 号 到 一 号窗口"]
        assert shown(app) == ("R001", "called")  # the first call gets its turn, large
        assert "R001 号 到 1 号窗口" in screen_text(app)
        voice().finish()  # spoken; shown for less than the minimum time yet
        turn_clock.advance(2.9)
        await pilot.pause(0.3)
        assert shown(app) == ("R001", "called") and len(voice().said) == 1
        turn_clock.advance(0.1)
        assert (await said(pilot, voice(), 2))[1] == "请 阿尔零零二 号 到 二 号窗口"
        assert shown(app) == ("R002", "called")
        assert "R002 号 到 2 号窗口" in screen_text(app)


@run_async
async def test_six_calls_in_two_seconds_screen_and_voice_together(
        board_hall: Hall, turn_clock: Seconds, voice: Callable[[], FakeSpeaker]) -> None:
    hall = board_hall
    app = make_app(hall, None, start="board")
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: board(app).view is not None)
        hall.windows.call_next(1, "win01")  # R001
        await said(pilot, voice(), 1)
        hall.windows.call_next(2, "win01")  # R002, replaced by window 2's next call below
        hall.windows.call_next(3, "win01")  # R003, replaced by its recall below
        hall.windows.recall(1, "win01")
        hall.windows.finish(2, "answered", "win01")
        hall.windows.call_next(2, "win01")  # R004
        hall.windows.recall(3, "win01")
        await until(pilot, lambda: newest(app) == ("R003", "recalled"))
        heard = []
        for _ in range(4):
            words = voice().said[-1]
            heard.append(words)
            call = board(app).shown_call()  # what the large display shows while it is read
            assert call is not None and spoken_text(call, hall.config) == words
            voice().finish()
            turn_clock.advance(3)
            if len(heard) < 4:
                await said(pilot, voice(), len(heard) + 1)
        assert heard == ["请 阿尔零零一 号 到 一 号窗口", "再次呼叫 请 阿尔零零一 号 到 一 号窗口",
                         "请 阿尔零零四 号 到 二 号窗口", "再次呼叫 请 阿尔零零三 号 到 三 号窗口"]
        assert [(c.number, c.kind) for c in board(app).announced] == [
            ("R001", "called"), ("R001", "recalled"), ("R004", "called"), ("R003", "recalled")]
        assert shown(app) == ("R003", "recalled") and "重呼" in screen_text(app)


@run_async
async def test_speech_that_plays_nothing_rings_and_marks_the_staff_line(
        board_hall: Hall, speech: tuple[Path, Path], turn_clock: Seconds,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _, log = speech
    (tmp_path / "mute").touch()  # espeak-ng without a sound device: errors, exit 0
    app = make_app(board_hall, None, start="board")
    bells: list[float] = []
    monkeypatch.setattr(type(app), "bell", lambda self: bells.append(time.monotonic()))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: board(app).view is not None)
        board_hall.windows.call_next(1, "win01")
        await until(pilot, lambda: bool(bells))  # the hall hears the bell instead
        assert board(app).query_one("#board-now").has_class("-flash")
        await until(pilot, lambda: "语音故障" in screen_text(app))
        assert "No such file or directory" in board(app).speech_trouble
        assert spoken_texts(log) == []
        (tmp_path / "mute").unlink()  # the speakers are back
        board_hall.windows.call_next(2, "win01")
        turn_clock.advance(3)
        await until(pilot, lambda: spoken_texts(log) == ["请 阿尔零零二 号 到 二 号窗口"])
        await until(pilot, lambda: "语音故障" not in screen_text(app))
        assert len(bells) == 1
