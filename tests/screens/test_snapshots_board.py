"""SVG snapshots of the hall board at 80x24 and 160x45.

Deterministic: a fixed clock (the board's clock reads it too), a fixed query secret, no voice (so
the picture does not depend on espeak-ng being installed), and the board waits for its first load
before the picture is taken. Update with ``pytest --snapshot-update`` only after looking at it.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.pilot import Pilot

from hall import Hall
from hall.clock import FixedClock
from main import make_app
from models import Setting, ensure_schema, open_database
from screens.board.screen import BoardScreen
from tests.conftest import MORNING
from tests.helpers import config_with, distinct_id, form


def board_hall(tmp_path: Path) -> Hall:
    """A morning in the hall: tickets in several queues, seven calls, one recall, a leader's
    reception day."""
    db = open_database(f"sqlite:///{tmp_path / 'hall.db'}")
    ensure_schema(db)
    Setting.create(key="query_secret", value="00" * 32)
    config = config_with(('speech_command: [espeak-ng, -v, cmn-latn-pinyin, "{text}"]',
                          "speech_command: []"))
    clock = FixedClock(MORNING)
    hall = Hall(db, config, clock)
    # Today's reception (the board's leader line).
    hall.leaders.add_day("lihong", MORNING.date(), "09:00", "11:30", 10, actor="mgr01")
    categories = ["reform"] * 6 + ["wages"] * 4 + ["demolition"] * 3 + ["litigation"] * 2
    for n, category in enumerate(categories, 1):
        clock.advance(minutes=2)
        hall.desk.issue(form(id_number=distinct_id(n), category=category), actor="desk01")
    for window in (1, 2, 7, 8, 4, 3):
        clock.advance(minutes=3)
        hall.windows.call_next(window, f"win{window:02d}")  # each window's own clerk
    clock.advance(minutes=1)
    hall.windows.recall(2, "win02")
    clock.advance(minutes=1, seconds=17)
    hall.windows.finish(1, "answered", "win01")
    hall.windows.call_next(1, "win01")
    clock.advance(seconds=5)
    return hall


async def loaded(pilot: Pilot) -> None:
    started = time.monotonic()
    while not (isinstance(pilot.app.screen, BoardScreen) and pilot.app.screen.view is not None):
        assert time.monotonic() - started < 10, "the board never loaded"
        await pilot.pause(0.02)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_board(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    app = make_app(board_hall(tmp_path), None, start="board")
    assert snap_compare(app, terminal_size=size, run_before=loaded)
