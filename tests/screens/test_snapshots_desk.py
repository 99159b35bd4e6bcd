"""SVG snapshots of the desk and of an issued ticket, at 80x24 (the smallest supported size).

Deterministic: the fixed clock of conftest and a fixed query secret, so the ticket number,
query code and QR code are the same on every run. Update with ``--snapshot-update`` only after
looking at the picture (convert the SVG with rsvg-convert and view it).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from hall.desk.registration import Registration
from models import Setting, ensure_schema, open_database
from screens.app import HallApp

KNOWN_ID = "110105197603150046"


def desk_app(tmp_path: Path, config: HallConfig, clock: FixedClock) -> HallApp:
    """The desk over a database holding one earlier visit of a known visitor."""
    db = open_database(f"sqlite:///{tmp_path / 'snap.db'}")
    ensure_schema(db)
    Setting.insert(key="query_secret", value="00" * 32).execute()
    hall = Hall(db, config, clock)
    today = clock.now()
    clock.set(today - timedelta(days=3))  # an earlier day: one open ticket a day (issue 9 §3)
    hall.desk.issue(Registration(name="王秀兰", id_number=KNOWN_ID, phone="13900001111",
                            address="江北区滨江路8号", district="jiangbei",
                            category="demolition", matter="拆迁补偿款未到位"), actor="desk02")
    clock.set(today)
    return HallApp(hall, staff="desk01", start="desk", data_dir=tmp_path)


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def fill_known_visitor(pilot: Pilot) -> None:
    """A repeat visitor's ID (prefills the form), wages by initials, the matter."""
    await settle(pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False  # a blinking cursor would make the picture flaky
    id_field = pilot.app.screen.query_one("#id_number", Input)
    id_field.insert_text_at_cursor(KNOWN_ID)
    await settle(pilot)
    await pilot.press("enter", "n", "m", "g", "enter")
    # The last visit's matter is carried over and selected: typing replaces it.
    await pilot.press(*"装修工程欠薪两个月")
    await settle(pilot)


def test_desk_known_visitor_80x24(snap_compare, tmp_path, config, clock) -> None:
    assert snap_compare(desk_app(tmp_path, config, clock), terminal_size=(80, 24),
                        run_before=fill_known_visitor)


def test_ticket_screen_80x24(snap_compare, tmp_path, config, clock) -> None:
    async def issue(pilot: Pilot) -> None:
        await fill_known_visitor(pilot)
        await pilot.press("f5")
        await settle(pilot)

    assert snap_compare(desk_app(tmp_path, config, clock), terminal_size=(80, 24),
                        run_before=issue)
