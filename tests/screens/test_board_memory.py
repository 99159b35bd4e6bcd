"""The board runs all day (issue 10 §4): what it keeps per call stays bounded however many calls
it announces. Counted, not timed: after 60 and after 150 calls read, turned, spoken and shown, the
call notices alive in the process (gc), the ids remembered, the calls waiting for their turn and
the turns kept for staff are the same bounded numbers.

Before the fix the board kept the last 100 announced calls for nothing (a list only tests read),
so the notices alive kept growing past a hundred calls; the bound now is the calls a reload reads,
the turns kept (16) and at most one waiting call per window.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

import pytest

from hall import Hall
from hall.views import CallNotice
from main import make_app
from screens.board import screen as board_screen
from screens.board.screen import ANNOUNCE_WINDOW, ANNOUNCED_KEPT, SEEN_CAPACITY, BoardScreen
from tests.domain.test_announce import Seconds
from tests.helpers import distinct_id, form, run_async
from tests.screens.test_board import board, until
from tests.screens.test_board_turns import FakeSpeaker

CALLS = 150


@pytest.fixture
def voice(monkeypatch: pytest.MonkeyPatch) -> Callable[[], FakeSpeaker]:
    """The fake speaker the board made (call after the board is up)."""
    FakeSpeaker.made = []
    monkeypatch.setattr(BoardScreen, "make_speaker", FakeSpeaker)
    return lambda: FakeSpeaker.made[-1]


def alive_notices() -> int:
    gc.collect()
    return sum(isinstance(o, CallNotice) for o in gc.get_objects())


@pytest.fixture
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    """The board looks every 0.05 s instead of 0.25: each call waits for a poll to read it, and
    150 of them took 39 s (what is counted does not depend on how often it looks)."""
    monkeypatch.setattr(board_screen, "BOARD_POLL_SECONDS", 0.05)


@run_async
async def test_the_board_keeps_a_bounded_number_of_calls(
        board_hall: Hall, turn_clock: Seconds, voice: Callable[[], FakeSpeaker],
        quick_polls: None) -> None:
    hall = board_hall
    for n in range(CALLS):
        hall.desk.issue(form(name="张三", id_number=distinct_id(100 + n), category="reform"),
                        actor="desk01")
    windows = len(hall.config.windows)
    app = make_app(hall, None, start="board")
    counted: dict[int, tuple[int, int, int, int]] = {}
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: board(app).view is not None)
        screen = board(app)
        for n in range(1, CALLS + 1):
            window = 1 + n % 3
            if n > 3:
                hall.windows.finish(window, "answered", "win01")
            hall.windows.call_next(window, "win01")
            if n % 5 == 0:
                hall.windows.recall(window, "win01")
            await until(pilot, lambda n=n: len(voice().said) >= n)  # its turn, in the voice
            turn_clock.advance(10)  # shown its minimum time
            voice().finish()
            await pilot.pause()
            if n in (60, CALLS):
                assert screen.poller is not None and screen.turns is not None
                read = screen.poller.read
                counted[n] = (alive_notices(), len(read.seen),  # type: ignore[attr-defined]
                              len(screen.turns.waiting), len(screen.announced))
    alive, seen, waiting, announced = counted[CALLS]
    assert announced == ANNOUNCED_KEPT
    assert seen <= SEEN_CAPACITY and waiting <= windows
    # the view's recent calls, the turns kept, the waiting ones, the one shown: nothing more
    assert alive <= ANNOUNCE_WINDOW + ANNOUNCED_KEPT + windows + 2, counted
    assert alive <= counted[60][0] + 2, counted  # flat: no more kept after 150 calls than 60
