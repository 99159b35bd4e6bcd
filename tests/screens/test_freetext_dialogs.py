"""Refused text is shown beside its field, in Chinese, and nothing is saved (issue 9 §3).

The window's finish and transfer dialogs, the incident form, the incident screen's close dialog
and a step's note: a pasted ESC sequence or 40,000 characters stays in its dialog with the
message under the field (the facade's own rule, asked before the dialog closes), and the hall
holds what it held; corrected, the same dialog saves.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Input, Label, OptionList

import main
from hall import Hall
from hall.incidents import NewIncident
from models import Incident, IncidentEntry, Ticket, TicketEvent, Visit
from screens.app import HallApp
from screens.incidents.dialogs import ActionDialog, TextDialog
from screens.incidents.form import IncidentForm
from screens.leaders.roster import RosterDialog
from screens.window.forms import OutcomeDialog, TransferDialog
from screens.window.screen import WindowScreen
from tests.helpers import distinct_id, form, run_async

PASTED = "已答复\x1b[2J\x1b[H"


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot: Pilot, condition: Callable[[], bool]) -> None:
    for _ in range(1500):  # generous for a loaded machine
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("still not true")


def text_of(app: HallApp, selector: str) -> str:
    label = app.screen.query_one(selector, Label)
    return str(label.render()) if label.display else ""


def window_app(hall: Hall) -> HallApp:
    hall.desk.issue(form(id_number=distinct_id(1)), "desk01")
    hall.windows.call_next(7, "win07")
    return main.make_app(hall, "win07", start="window", window=7)


def window_ready(app: HallApp) -> bool:
    screen = next((s for s in app.screen_stack if isinstance(s, WindowScreen)), None)
    return bool(screen and screen.view and screen.view.current)


@run_async
async def test_finish_shows_a_pasted_escape_beside_the_note_and_finishes_nothing(
        sqlite_hall: Hall) -> None:
    app = window_app(sqlite_hall)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: window_ready(app))
        await pilot.press("f8", "1")
        await settle(pilot)
        assert isinstance(app.screen, OutcomeDialog)
        app.screen.query_one("#finish-note", Input).value = PASTED
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OutcomeDialog)  # still open: nothing sent
        assert "含有终端控制序列（ESC）" in text_of(app, "#err-note")
        assert app.screen.focused is app.screen.query_one("#finish-note", Input)
        assert Ticket.get().status == "called"
        app.screen.query_one("#finish-note", Input).value = "字" * 1001
        await pilot.press("enter")
        await settle(pilot)
        assert "最多1000个字，现有1001个" in text_of(app, "#err-note")
        app.screen.query_one("#finish-note", Input).value = "已当场答复"
        await pilot.press("enter")
        await until(pilot, lambda: Ticket.get().status == "done")
    assert Visit.get().outcome_note == "已当场答复"


@run_async
async def test_transfer_shows_a_refused_note_beside_it(sqlite_hall: Hall) -> None:
    app = window_app(sqlite_hall)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: window_ready(app))
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, TransferDialog)
        await pilot.press(*"zjj", "enter")
        await settle(pilot)
        app.screen.query_one("#transfer-note", Input).value = "\u202e转办"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TransferDialog)
        assert "改变文字方向" in text_of(app, "#err-note")
    assert TicketEvent.select().where(TicketEvent.kind == "transferred").count() == 0


@run_async
async def test_the_incident_form_shows_a_refused_place_beside_it(sqlite_hall: Hall) -> None:
    app = window_app(sqlite_hall)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: window_ready(app))
        await pilot.press("f12")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, IncidentForm)
        screen.query_one("#incident-type-input", Input).value = ""
        screen.query_one("#incident-place", Input).value = "\u200b\u200b"
        screen.query_one("#incident-note", Input).value = "情绪失控" + "\x07"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert "只有不可见的字符" in text_of(app, "#incident-err-place")
        assert "控制字符" in text_of(app, "#incident-err-note")
    assert Incident.select().count() == 0


@run_async
async def test_closing_and_a_step_refuse_bad_text_beside_the_field(sqlite_hall: Hall,
                                                                    tmp_path) -> None:
    incident = sqlite_hall.incidents.log(NewIncident("lingering", "候谈区", "大声吵闹"),
                                         "win01").id
    app = HallApp(sqlite_hall, staff="mgr01", start="incidents", data_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await until(pilot, lambda: len(getattr(screen, "rows", ())) == 1)
        await pilot.press("enter")
        await until(pilot, lambda: getattr(screen, "detail", None) is not None)
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        app.screen.query_one(Input).value = "移交公安\x1b]0;x\x07"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TextDialog)
        assert "ESC" in text_of(app, "#incident-text-error")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, ActionDialog)
        app.screen.query_one("#incident-action-result", Input).value = "字" * 1001
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ActionDialog)
        assert "结果：最多1000个字" in text_of(app, "#incident-action-error")
    assert Incident.get_by_id(incident).status == "open"
    assert IncidentEntry.select().count() == 1


@run_async
async def test_a_typed_name_with_brackets_is_shown_as_typed_in_the_roster(sqlite_hall: Hall,
                                                                          tmp_path) -> None:
    """Brackets are ordinary text (文号 [2026]3号); as markup the name would turn into a click
    that quits the app."""
    name = "[@click=app.quit]赵敏[/]"
    sqlite_hall.leaders.roster.edit("wangshu", "mgr01", name=name)
    app = HallApp(sqlite_hall, staff="mgr01", start="leaders", data_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        roster = app.screen
        assert isinstance(roster, RosterDialog)
        roster.query_one(OptionList).highlighted = 2
        await pilot.press("d")
        await until(pilot, lambda: "已停用" in str(roster.query_one("#roster-message",
                                                                     Label).render()))
        assert f"{name}市委副书记 已停用" in str(roster.query_one("#roster-message",
                                                                  Label).render())
