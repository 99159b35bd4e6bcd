"""The desk at a card reader's speed: every key lands where the operator's sequence sends it.

Pilot's ``press`` waits for the app to go idle after each key, which hides exactly the races an
operator (or a card reader, or a barcode scanner typing as a keyboard) meets: the next key arrives
while the previous Enter is still moving the focus, while the file lookup is still running, or
while F5 is already on its way. :func:`burst` hands every key to the driver at once, with no wait,
so the app must sort them out by itself. The oracle is the stored visit, read back through the
models, not the screen.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot

from hall import Hall
from hall.clock import FixedClock
from hall.desk.registration import Registration
from models import Ticket, Visit, Visitor, database
from screens.app import HallApp
from screens.desk.deskform import FIELD_ORDER
from screens.desk.screen import DeskScreen
from screens.desk.ticket import TicketScreen
from tests.helpers import run_async
from tests.screens.test_desk import KNOWN_ID, NEW_ID, settle

NAMED = {"enter": "\r", "tab": "\t"}


def key_event(key: str) -> events.Key:
    """The event a terminal driver makes of ``key``: a character, or a name such as "enter"."""
    if len(key) == 1:
        name = key if key.isalnum() and key.isascii() else (
            unicodedata.name(key).lower().replace(" ", "_").replace("-", "_"))
        return events.Key(name if key.isascii() else key, key)
    return events.Key(key, NAMED.get(key))


def burst(pilot: Pilot, keys: list[str]) -> None:
    """Every key to the driver at once, as a card reader sends them (no pause, no idle wait)."""
    driver = pilot.app._driver
    assert driver is not None
    for key in keys:
        event = key_event(key)
        event.set_sender(pilot.app)
        driver.send_message(event)


def chars(text: str) -> list[str]:
    return list(text)


async def wait_for_ticket(pilot: Pilot, timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.05)):
        await pilot.pause(0.05)
        if isinstance(pilot.app.screen, TicketScreen):
            await settle(pilot)
            return
    screen = pilot.app.screen
    form = {name: screen.form.value(name) for name in FIELD_ORDER
            if name != "representatives"} if isinstance(
        screen, DeskScreen) else {}
    raise AssertionError(f"no ticket after {timeout} s on {screen!r}; the form holds {form}")


@pytest.fixture
def app(sqlite_hall: Hall, tmp_path: Path) -> HallApp:
    return HallApp(sqlite_hall, staff="desk01", start="desk", data_dir=tmp_path)


def stored(hall: Hall, id_number: str) -> list[tuple[str, str, str, str, str, str]]:
    database.initialize(hall.db)
    rows = (Visit.select(Visitor.name, Visitor.phone, Visit.category, Visit.district,
                         Visit.matter, Ticket.number)
            .join(Visitor).switch(Visit).join(Ticket, on=(Ticket.visit == Visit.id))
            .where(Visitor.id_number == id_number).order_by(Visit.id).tuples())
    return list(rows)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_a_new_visitor_typed_in_one_burst(app: HallApp, sqlite_hall: Hall,
                                               size: tuple[int, int]) -> None:
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        burst(pilot, [*chars(NEW_ID), "enter", *chars("王五"), "enter", *chars("13800000000"),
                      "enter", "enter", "enter", *chars("nmg"), "enter",
                      *chars("gongdi"), "f5"])
        await wait_for_ticket(pilot)
    assert stored(sqlite_hall, NEW_ID) == [
        ("王五", "13800000000", "wages", "", "gongdi", "L001")]


@run_async
async def test_a_known_visitor_typed_in_one_burst(app: HallApp, sqlite_hall: Hall) -> None:
    first_visit(sqlite_hall, matter="拆迁补偿")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # The category keys follow the ID's Enter before the file lookup can have answered.
        burst(pilot, [*chars(KNOWN_ID), "enter", *chars("nmg"), "enter", *chars("qianxin"), "f5"])
        await wait_for_ticket(pilot)
    rows = stored(sqlite_hall, KNOWN_ID)
    assert rows[-1][:5] == ("王秀兰", "13900001111", "wages", "jiangbei", "qianxin")
    assert len(rows) == 2


@run_async
async def test_the_next_id_right_after_closing_the_ticket(app: HallApp, sqlite_hall: Hall) -> None:
    """Enter closes the ticket and the next card is read at once: its first digit counts too."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(pilot, [*chars(NEW_ID), "enter", *chars("王五"), "enter", *chars("13800000000"),
                      "enter", "enter", "enter", *chars("nmg"), "enter", *chars("gongdi"), "f5"])
        await wait_for_ticket(pilot)
        burst(pilot, ["enter", *chars(KNOWN_ID), "enter", *chars("李四"), "enter", "enter",
                      "enter", "enter", *chars("nmg"), "enter", *chars("qianxin"), "f5"])
        for _ in range(100):
            await pilot.pause(0.05)
            if len(stored(sqlite_hall, KNOWN_ID)) == 1:
                break
        screen = pilot.app.screen
        form = {n: screen.form.value(n) for n in ("id_number", "name", "category", "matter")} \
            if isinstance(screen, DeskScreen) else {}
        if stored(sqlite_hall, KNOWN_ID):
            await wait_for_ticket(pilot)  # leaving while its screen mounts would fail its mount
    assert stored(sqlite_hall, KNOWN_ID) == [("李四", "", "wages", "", "qianxin", "L002")], form


def first_visit(hall: Hall, matter: str = "拆迁补偿款未到位") -> None:
    """The visitor came on an earlier day (a second ticket the same day needs a reason)."""
    clock = hall.clock
    assert isinstance(clock, FixedClock)
    today = clock.now()
    clock.set(today - timedelta(days=3))
    hall.desk.issue(Registration(
        name="王秀兰", id_number=KNOWN_ID, phone="13900001111", address="江北区滨江路8号",
        district="jiangbei", category="demolition", matter=matter), actor="desk02")
    clock.set(today)


@run_async
async def test_a_repeat_visitor_in_the_id_and_three_keys(app: HallApp, sqlite_hall: Hall) -> None:
    """The most frequent visitor: the ID as read, then Enter, F5, Enter, and the next one."""
    first_visit(sqlite_hall)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(pilot, chars(KNOWN_ID))  # the card reader
        await settle(pilot)
        keys = ["enter", "f5", "enter"]
        await pilot.press(keys[0])
        await settle(pilot)
        await pilot.press(keys[1])
        await wait_for_ticket(pilot)
        await pilot.press(keys[2])
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        assert app.screen.form.value("id_number") == ""  # ready for the next visitor
        assert app.focused is app.screen.query_one("#id_number")
    assert len(keys) == 3
    assert stored(sqlite_hall, KNOWN_ID)[-1][:5] == (
        "王秀兰", "13900001111", "demolition", "jiangbei", "拆迁补偿款未到位")
    assert len(stored(sqlite_hall, KNOWN_ID)) == 2


@run_async
async def test_carried_over_values_are_replaced_by_typing(app: HallApp, sqlite_hall: Hall) -> None:
    first_visit(sqlite_hall)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(pilot, [*chars(KNOWN_ID), "enter", *chars("nmg"), "enter",
                      *chars("工资"), "f5"])  # category replaced; district kept; 事由 replaced
        await wait_for_ticket(pilot)
    assert stored(sqlite_hall, KNOWN_ID)[-1][:5] == (
        "王秀兰", "13900001111", "wages", "jiangbei", "工资")
