"""SVG snapshots of the incident form (over window 7) and of the manager's incident screen.

Deterministic: a fixed clock (the top bar reads it), a fixed query secret, and each picture is
taken once the screen has loaded and the alert has arrived. Update with ``pytest
--snapshot-update`` only after looking at the picture.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from hall.incidents import NewIncident
from main import make_app
from models import Setting, ensure_schema, open_database
from screens.incidents.form import IncidentForm
from screens.incidents.screen import IncidentsScreen
from screens.widgets.picker import Picker
from screens.widgets.topbar import TopBar
from screens.window.screen import WindowScreen
from tests.conftest import MORNING
from tests.helpers import distinct_id, form


def incident_hall(tmp_path: Path, config: HallConfig) -> Hall:
    """Monday 10:05: 张三 at window 7; three incidents of the morning, one closed."""
    db = open_database(f"sqlite:///{tmp_path / 'hall.db'}")
    ensure_schema(db)
    Setting.create(key="query_secret", value="00" * 32)
    clock = FixedClock(MORNING)
    hall = Hall(db, config, clock)
    hall.desk.issue(form(), actor="desk01")
    hall.desk.issue(form(id_number=distinct_id(2), name="李四", category="policy"), actor="desk01")
    clock.advance(minutes=20)
    crowd = hall.incidents.log(NewIncident(
        "collective_no_reps", "大厅入口", "二十余名拆迁户聚集大厅入口，未推选代表", people=22),
        "desk01").id
    clock.advance(minutes=3)
    hall.incidents.act(crowd, "representatives", "desk01", result="推选代表3名",
                       note="其余人员在候谈区等候")
    clock.advance(minutes=10)
    hall.incidents.act(crowd, "report_leader", "mgr01")
    hall.incidents.correct(crowd, 2, "推选代表5名", "desk01")
    clock.advance(minutes=12)
    ill = hall.incidents.log(NewIncident("illness", "候谈区", "老人排队时晕倒"), "desk02").id
    clock.advance(minutes=2)
    hall.incidents.act(ill, "report_leader", "desk02")
    hall.incidents.act(ill, "medical", "desk02", result="医务室到场")
    clock.advance(minutes=15)
    hall.incidents.close(ill, "血压偏低，休息后由家属接回", "mgr01")
    clock.advance(minutes=1)
    hall.windows.call_next(7, "win07")
    clock.advance(minutes=2)
    hall.incidents.log(NewIncident("assault", "7号窗口", "来访人情绪激动，拍桌辱骂工作人员",
                                   ticket="L001"), "win07")
    clock.set(MORNING + timedelta(hours=1, minutes=5))
    return hall


async def until(pilot: Pilot, condition, timeout: float = 10) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "the screen never settled"
        await pilot.pause(0.02)


def alerted(pilot: Pilot) -> bool:
    bars = list(pilot.app.screen_stack[-1].query(TopBar).results(TopBar)) or [
        bar for s in pilot.app.screen_stack for bar in s.query(TopBar).results(TopBar)]
    return bool(bars) and bars[0].has_class("-alert")


async def form_filled(pilot: Pilot) -> None:
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, WindowScreen)
                and app.screen.view is not None and alerted(pilot))
    await pilot.press("f12")
    await until(pilot, lambda: isinstance(app.screen, IncidentForm))
    await pilot.pause()
    app.screen.query_one("#incident-type", Picker).choose("dangerous")
    app.screen.query_one("#incident-people", Input).value = "1"
    note = app.screen.query_one("#incident-note", Input)
    note.focus()
    note.insert_text_at_cursor("来访人从包内取出水果刀")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def manager_loaded(pilot: Pilot) -> None:
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, IncidentsScreen)
                and len(app.screen.rows) == 3 and alerted(pilot))
    await pilot.press("down", "down", "enter")  # the crowd at the door
    await until(pilot, lambda: app.screen.detail is not None)  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()


def test_incident_form(snap_compare, tmp_path: Path, config: HallConfig) -> None:
    app = make_app(incident_hall(tmp_path, config), "win07", start="window", window=7)
    assert snap_compare(app, terminal_size=(80, 24), run_before=form_filled)


def test_incident_manager(snap_compare, tmp_path: Path, config: HallConfig) -> None:
    app = make_app(incident_hall(tmp_path, config), "mgr01", start="incidents")
    assert snap_compare(app, terminal_size=(80, 24), run_before=manager_loaded)


def test_incident_manager_wide(snap_compare, tmp_path: Path, config: HallConfig) -> None:
    app = make_app(incident_hall(tmp_path, config), "mgr01", start="incidents")
    assert snap_compare(app, terminal_size=(140, 36), run_before=manager_loaded)
