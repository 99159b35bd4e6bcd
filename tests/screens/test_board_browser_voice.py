"""The board in a browser (``hall serve board``): the page speaks the calls, not the server.

Under textual-serve the app is "web" (``App.is_web``): the board then hands each call's words to
the page (``open_url("hall-speech:…")``, which the page served by ``hall serve`` speaks with the
browser's speech synthesis: tests/web/test_serve_browser.py) instead of running espeak-ng on the
server, and takes the call as spoken once a voice would have read it, so the turns go on.
"""

from __future__ import annotations

import threading
from urllib.parse import unquote

import pytest

from hall import Hall
from hall.board.speech import Spoken
from main import make_app
from screens.app import HallApp
from screens.board.voice import SCHEME, BrowserVoice, reading_seconds
from tests.domain.test_announce import Seconds
from tests.helpers import run_async
from tests.screens.test_board import board, shown, until


def test_the_voice_asks_the_page_and_reports_after_the_reading_time() -> None:
    opened: list[str] = []
    done: list[Spoken] = []
    finished = threading.Event()

    def on_done(result: Spoken) -> None:
        done.append(result)
        finished.set()

    voice = BrowserVoice(opened.append, on_done, seconds=lambda text: 0.05)
    assert voice.say("请 阿尔零零一 号 到 一 号窗口") is True
    assert opened == [SCHEME + "%E8%AF%B7%20%E9%98%BF%E5%B0%94%E9%9B%B6%E9%9B%B6%E4%B8%80%20"
                      "%E5%8F%B7%20%E5%88%B0%20%E4%B8%80%20%E5%8F%B7%E7%AA%97%E5%8F%A3"]
    assert unquote(opened[0].removeprefix(SCHEME)) == "请 阿尔零零一 号 到 一 号窗口"
    assert voice.pending == 1
    assert finished.wait(5)
    assert done == [Spoken("请 阿尔零零一 号 到 一 号窗口", True)] and voice.pending == 0
    voice.close()
    assert voice.say("再次呼叫") is False and len(opened) == 1  # closed: nothing more asked


def test_a_closed_voice_reports_nothing_it_was_still_reading() -> None:
    done: list[Spoken] = []
    voice = BrowserVoice(lambda url: None, done.append, seconds=lambda text: 0.2)
    voice.say("请 阿尔零零二 号 到 二 号窗口")
    voice.close()
    threading.Event().wait(0.4)
    assert done == [] and voice.pending == 0


def test_reading_time_grows_with_the_words() -> None:
    assert reading_seconds("") == 1.0
    assert reading_seconds("请 阿尔零零一 号 到 一 号窗口") == pytest.approx(0.28 * 17)


@run_async
async def test_a_web_board_hands_the_words_to_the_page(
        board_hall: Hall, turn_clock: Seconds, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[tuple[str, bool]] = []
    monkeypatch.setattr(HallApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(HallApp, "open_url",
                        lambda self, url, *, new_tab=True: opened.append((url, new_tab)))
    # Each call read in 0.05 s (the default reading time is bound when the voice is made).
    monkeypatch.setattr(BrowserVoice.__init__, "__defaults__", (lambda text: 0.05,))
    app = make_app(board_hall, None, start="board")
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: board(app).view is not None)
        board_hall.windows.call_next(1, "win01")
        board_hall.windows.call_next(2, "win01")
        await until(pilot, lambda: len(opened) >= 1)
        assert unquote(opened[0][0].removeprefix(SCHEME)) == "请 阿尔零零一 号 到 一 号窗口"
        assert opened[0][1] is False  # never a new tab
        assert shown(app) == ("R001", "called")
        turn_clock.advance(3)  # R001 read (0.05 s) and shown its minimum time: R002's turn
        await until(pilot, lambda: len(opened) >= 2)
        assert unquote(opened[1][0].removeprefix(SCHEME)) == "请 阿尔零零二 号 到 二 号窗口"
        assert shown(app) == ("R002", "called")
        assert board(app).speech_trouble == ""  # no espeak-ng looked for on the server
