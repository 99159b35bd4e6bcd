"""Keys in order however they arrive (screens/keys.py): the desk typed by a :class:`Typist`.

A real terminal hands the app each key when it comes, often while the key before it is still on its
way through the widgets: an Enter that went to a field comes back to the app to run the field's
binding, and at a card reader's 10 ms per key the next digit can reach the app's queue just before
it. Textual's pump then takes that digit and, looking ahead, already holds the returning Enter
aside (its ``_pending_message``), where a search of the queue does not find it: the digit went to
the field the Enter was about to leave (姓名 "李秀1" in the tmux test). A burst (every key in the
queue at once, tests/screens/test_desk_typeahead.py) never meets that moment, since the typed keys
themselves fill the look-ahead. The typist meets it on every key: it types the next key at the
moment the one before reaches a given stage (the field it was handed to, or the screen, the last
stop before the app), through the message hook Pilot offers, with no pause and no clock.
"""

from __future__ import annotations

import asyncio
from collections import deque
from pathlib import Path

import pytest
from textual import on
from textual._context import active_message_pump
from textual.app import App, ComposeResult
from textual.message import Message
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from hall import Hall
from screens.app import HallApp
from screens.keys import KeyOrder
from tests.helpers import run_async
from tests.screens.test_desk import KNOWN_ID, NEW_ID, settle
from tests.screens.test_desk_typeahead import chars, first_visit, key_event, stored, wait_for_ticket

STAGES = ("field", "screen")
STALL_SECONDS = 1.0


class Typist:
    """Types ``keys`` one at a time, each the moment the key before it reaches ``stage``.

    "field": the widget the key was handed to is handling it. "screen": the screen is handling
    it, its last stop before it goes back to the app (a key a field takes never gets there: the
    next one comes with the first message handled after the field took it).
    """

    def __init__(self, app: App[object], keys: list[str], stage: str) -> None:
        self.app = app
        self.keys = deque(keys)
        self.stage = stage
        self.last: Message | None = None
        self.typed = 0
        self.stalls = 0  # keys typed by the test's loop because the one before went nowhere

    def type_next(self) -> None:
        if not self.keys:
            return
        event = key_event(self.keys.popleft())
        event.set_sender(self.app)
        self.app.post_message(event)  # straight into the app's queue, as the driver's thread does
        self.last = event
        self.typed += 1

    def hook(self, message: Message) -> None:
        """Pilot's message hook: called as any message is about to be handled anywhere."""
        last = self.last
        if last is None:
            return
        pump = active_message_pump.get(None)
        if message is last:
            if pump is not self.app and (self.stage == "field" or isinstance(pump, Screen)):
                self.type_next()
        elif last._stop_propagation:  # a field took it
            self.type_next()

    async def type_all(self) -> None:
        """Type every key; should one go quiet for a second (nothing handled after it), the next."""
        self.type_next()
        typed = self.typed
        while self.keys:
            await asyncio.sleep(STALL_SECONDS)
            if self.typed == typed:
                self.stalls += 1
                self.type_next()
            typed = self.typed


class Form(Screen[None]):
    """The smallest form: three fields, Enter moves to the next one (as the desk's do)."""

    def compose(self) -> ComposeResult:
        for name in ("one", "two", "three"):
            yield Input(id=name)

    @on(Input.Submitted)
    def _next(self) -> None:
        self.focus_next()


class Fields(KeyOrder):
    """The form on its screen."""

    def on_mount(self) -> None:
        self.push_screen(Form())


class AppFields(KeyOrder):
    """The same form where the app itself moves the focus (the message bubbles up to it)."""

    def compose(self) -> ComposeResult:
        yield from Form.compose(self)  # type: ignore[arg-type]

    @on(Input.Submitted)
    def _next(self) -> None:
        self.screen.focus_next()


@pytest.mark.parametrize("form", [Fields, AppFields], ids=["screen-moves", "app-moves"])
@pytest.mark.parametrize("stage", STAGES)
@run_async
async def test_each_key_lands_in_the_field_its_enter_sends_it_to(
        stage: str, form: type[KeyOrder]) -> None:
    app = form()
    typist = Typist(app, [*"abc", "enter", *"def", "enter", *"ghi"], stage)
    async with app.run_test(message_hook=typist.hook) as pilot:
        await pilot.pause()
        await typist.type_all()
        await pilot.pause()
        values = [field.value for field in app.screen.query(Input).results(Input)]
    assert values == ["abc", "def", "ghi"]
    assert typist.stalls == 0


@pytest.fixture
def app(sqlite_hall: Hall, tmp_path: Path) -> HallApp:
    return HallApp(sqlite_hall, staff="desk01", start="desk", data_dir=tmp_path)


async def typed(app: HallApp, keys: list[str], stage: str) -> Typist:
    """Run the desk with ``keys`` typed by a typist; back once the ticket is shown."""
    typist = Typist(app, keys, stage)
    pilot: Pilot[object]
    async with app.run_test(size=(80, 24), message_hook=typist.hook) as pilot:
        await settle(pilot)
        await typist.type_all()
        await wait_for_ticket(pilot)
    return typist


@pytest.mark.parametrize("stage", STAGES)
@run_async
async def test_a_new_visitor_typed_key_after_key(app: HallApp, sqlite_hall: Hall,
                                                 stage: str) -> None:
    keys = [*chars(NEW_ID), "enter", *chars("王五"), "enter", *chars("13800000000"), "enter",
            "enter", "enter", *chars("nmg"), "enter", *chars("gongdi"), "f5"]
    typist = await typed(app, keys, stage)
    assert stored(sqlite_hall, NEW_ID) == [
        ("王五", "13800000000", "wages", "", "gongdi", "L001")]
    assert typist.stalls == 0


@pytest.mark.parametrize("stage", STAGES)
@run_async
async def test_a_known_visitor_typed_key_after_key(app: HallApp, sqlite_hall: Hall,
                                                   stage: str) -> None:
    first_visit(sqlite_hall, matter="拆迁补偿")
    typist = await typed(app, [*chars(KNOWN_ID), "enter", *chars("nmg"), "enter",
                               *chars("qianxin"), "f5"], stage)
    rows = stored(sqlite_hall, KNOWN_ID)
    assert rows[-1][:5] == ("王秀兰", "13900001111", "wages", "jiangbei", "qianxin")
    assert len(rows) == 2
    assert typist.stalls == 0
