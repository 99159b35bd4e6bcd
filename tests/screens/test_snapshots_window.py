"""SVG snapshot of the window screen at 80x24: a current visitor with a file, and a waiting list.

Deterministic: a fixed clock (the top bar and the waiting minutes read it), a fixed query
secret, and the screen waits for its first load before the picture is taken. Update with
``pytest --snapshot-update`` only after looking at it.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot

from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from main import make_app
from models import Setting, ensure_schema, open_database
from screens.window.screen import WindowScreen
from tests.conftest import MORNING
from tests.helpers import distinct_id, form, named

ELDER = "11010519491231002X"  # 李秀英, 76: the elderly go first


def window_hall(tmp_path: Path, config: HallConfig) -> Hall:
    """Window 1 at 09:40: 李秀英 called (her third visit), five others waiting, one again."""
    db = open_database(f"sqlite:///{tmp_path / 'hall.db'}")
    ensure_schema(db)
    Setting.create(key="query_secret", value="00" * 32)
    clock = FixedClock(MORNING - timedelta(days=7, minutes=-30))
    hall = Hall(db, config, clock)
    elder = {"name": "李秀英", "id_number": ELDER, "phone": "13812345678",
             "address": "江北区滨江路18号3幢201室", "district": "jiangbei", "category": "reform",
             "matter": "原江川纺织厂改制时工龄买断补偿未发放",
             "request": "请求按改制方案补发工龄补偿金并补缴社保"}
    for days, outcome in ((7, "notice"), (4, "coordinate")):
        clock.set(MORNING - timedelta(days=days, minutes=-30))
        hall.desk.issue(form(**elder), actor="desk01")
        hall.windows.call_next(1, "win02")
        hall.windows.finish(1, outcome, "win02")
    hall.desk.issue(form(id_number=distinct_id(4), name="钱广才", category="emergency",
                    matter="安全事故善后"), actor="desk01")  # back today: a repeat visit
    hall.windows.call_next(1, "win02")
    hall.windows.finish(1, "answered", "win02")
    clock.set(MORNING)
    others = [
        {"name": "欧阳明月", "category": "policy", "matter": "咨询退休政策"},
        {"name": "赵卫东", "category": "reform", "matter": "企业改制职工安置", "people": "6",
         "representatives": named([distinct_id(50), distinct_id(51)])},
        {"name": "孙桂英", "category": "other", "matter": "其他事项", "priority": "disabled"},
        {"name": "钱广才", "category": "emergency", "matter": "安全事故善后"},
        {"name": "周凤英", "category": "policy", "matter": "政策咨询"},
    ]
    for n, extra in enumerate(others, 1):
        hall.desk.issue(form(id_number=distinct_id(n), **extra), actor="desk01")
        clock.advance(minutes=4)
    hall.desk.issue(form(**elder), actor="desk01")  # 09:20, priority: called first
    clock.advance(minutes=12)
    hall.windows.call_next(1, "win01")
    clock.advance(minutes=3)
    hall.windows.recall(1, "win01")
    clock.advance(minutes=5)
    return hall


async def loaded(pilot: Pilot) -> None:
    started = time.monotonic()
    while not (isinstance(pilot.app.screen, WindowScreen) and pilot.app.screen.view is not None):
        assert time.monotonic() - started < 10, "the window never loaded"
        await pilot.pause(0.02)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_window(snap_compare, tmp_path: Path, config: HallConfig) -> None:
    app = make_app(window_hall(tmp_path, config), "win01", start="window", window=1)
    assert snap_compare(app, terminal_size=(80, 24), run_before=loaded)
