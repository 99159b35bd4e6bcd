"""SVG snapshots of the reception-day calendar (``hall leaders``) at 80x24 and 120x40.

Deterministic: conftest's fixed clock (Monday 2026-11-23) and a month planned from the shipped
rules, with bookings and a waiting list on the selected day. Update with ``--snapshot-update``
only after looking at the picture (rsvg-convert it to PNG).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot

from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from models import Setting, ensure_schema, open_database
from screens.app import HallApp
from tests.helpers import distinct_id, form


def leaders_app(tmp_path: Path, config: HallConfig, clock: FixedClock) -> HallApp:
    """November and December planned; today's reception full with one on the waiting list."""
    db = open_database(f"sqlite:///{tmp_path / 'snap.db'}")
    ensure_schema(db)
    Setting.insert(key="query_secret", value="00" * 32).execute()
    hall = Hall(db, config, clock)
    names = ["王秀兰", "李建国", "张桂芳", "刘德明"]
    for n, name in enumerate(names, 1):
        hall.desk.issue(form(name=name, id_number=distinct_id(n)), actor="desk01")
    day = hall.leaders.add_day("lihong", date(2026, 11, 23), "09:00", "11:30", 3, actor="mgr01",
                               topic="信访积案化解")
    for n in range(1, 5):
        hall.leaders.bookings.book(day.id, distinct_id(n), actor="desk01")
    hall.leaders.bookings.check_in(1, actor="desk01")
    hall.leaders.plan.month(2026, 11, "mgr01")
    hall.leaders.plan.month(2026, 12, "mgr01")
    hall.leaders.plan.publish_due("mgr01")
    return HallApp(hall, staff="mgr01", start="leaders", data_dir=tmp_path)


async def settle(pilot: Pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_leaders_calendar(snap_compare, tmp_path, config, clock, size) -> None:
    assert snap_compare(leaders_app(tmp_path, config, clock), terminal_size=size,
                        run_before=settle)
