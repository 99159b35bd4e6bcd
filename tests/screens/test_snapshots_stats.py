"""SVG snapshot of the statistics screen at 120x40: last month's figures (上月, one key), the
chart of visits by hour and its table beside it.

Deterministic: a fixed clock (the top bar reads it and the periods follow it), a fixed query
secret; the picture is taken once the figures are shown. The sections the installation computes
change the headlines and the chart count (「2/6」), so the picture is updated, with ``pytest
--snapshot-update``, whenever a section lands, and only after looking at it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from textual.pilot import Pilot

from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from main import make_app
from models import Setting, ensure_schema, open_database
from screens.stats.screen import StatsScreen
from tests.conftest import CST
from tests.helpers import distinct_id, form
from tests.screens.test_snapshots_incidents import until

CATEGORIES = ("wages", "wages", "reform", "demolition", "property", "land_use", "wages")


def stats_hall(tmp_path: Path, config: HallConfig) -> Hall:
    """Visits registered on three days of November 2026 at several hours, then the clock on
    Wednesday 2 December 10:00."""
    db = open_database(f"sqlite:///{tmp_path / 'hall.db'}")
    ensure_schema(db)
    Setting.create(key="query_secret", value="00" * 32)
    clock = FixedClock(datetime(2026, 11, 23, 8, 40, tzinfo=CST))
    hall = Hall(db, config, clock)
    n = 0
    for day in (0, 2, 4):
        clock.set(datetime(2026, 11, 23 + day, 8, 40, tzinfo=CST))
        for category in CATEGORIES[: 3 + day]:
            n += 1
            hall.desk.issue(form(id_number=distinct_id(n), category=category), actor="desk01")
            clock.advance(minutes=35)
    clock.set(datetime(2026, 12, 2, 10, 0, tzinfo=CST))
    hall.desk.issue(form(id_number=distinct_id(n + 1), category="reform"), actor="desk01")
    return hall


async def last_month_by_hour(pilot: Pilot) -> None:
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, StatsScreen)
                and app.screen.figures is not None)
    await pilot.press("l", "right")
    await until(pilot, lambda: app.screen.figures is not None  # type: ignore[attr-defined]
                and app.screen.figures.period.label == "2026年11月")  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()


def test_stats_last_month_by_hour(snap_compare, tmp_path: Path, config: HallConfig) -> None:
    app = make_app(stats_hall(tmp_path, config), "mgr01", start="stats")
    assert snap_compare(app, terminal_size=(120, 40), run_before=last_month_by_hour)
