"""Text stored before free text was checked never reaches the terminal raw (issue 9 §3).

A legacy row is written straight into the tables (as an older version, or a script, could have):
a name holding ``ESC [2J ESC [H`` (clear the screen, cursor home), a matter with a right-to-left
override, an incident's place with a C1 CSI. The window, incidents, desk and board screens then
show them, and every cell the screen hands the terminal is read back: no control character, no
direction control, and the stand-in (␛) visible where the ESC was.
"""

from __future__ import annotations

import unicodedata

from textual.widgets import Input

import main
from hall import Hall
from hall.incidents import NewIncident
from models import Incident, IncidentEntry, LeaderDay, Visit, Visitor
from screens.app import HallApp
from tests.helpers import distinct_id, form, run_async

ESC_NAME = "王\x1b[2J\x1b[H五"
BIDI_MATTER = "拖欠工资\u202e月个三"
CSI_PLACE = "候谈区\x9b2J"
MARKUP_REQUEST = "\x1b[31m红字[@click=app.quit]点我[/]"  # markup would make 点我 quit the app
MARKUP_ROOM = "[@click=app.quit]第二会议室[/]"


def screen_lines(app: HallApp) -> list[str]:
    """What the screen hands the terminal, line by line (the cells' text, without styling)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def raw_controls(lines: list[str]) -> list[str]:
    """Characters no stored text may put on a terminal: controls and direction controls."""
    return sorted({f"U+{ord(ch):04X}" for line in lines for ch in line
                   if unicodedata.category(ch) == "Cc"
                   or unicodedata.bidirectional(ch) in {"LRO", "RLO", "LRE", "RLE", "PDF",
                                                         "LRI", "RLI", "FSI", "PDI"}})


def legacy(hall: Hall) -> None:
    """One visitor at window 7 and an open incident, their texts then overwritten raw."""
    hall.desk.issue(form(id_number=distinct_id(1)), "desk01")
    hall.windows.call_next(7, "win07")
    incident = hall.incidents.log(NewIncident("lingering", "候谈区", "大声吵闹"), "win07").id
    Visitor.update(name=ESC_NAME, address="江北区\x1b]0;hacked\x07路").execute()
    Visit.update(matter=BIDI_MATTER, request=MARKUP_REQUEST).execute()
    Incident.update(place=CSI_PLACE).where(Incident.id == incident).execute()
    IncidentEntry.update(note="经过\x1b[2J").execute()
    day = hall.leaders.add_day("lihong", hall.today(), "08:00", "17:00", 5, "mgr01",
                               walk_ins=True)
    LeaderDay.update(room=MARKUP_ROOM + "\x1b[5m").where(LeaderDay.id == day.id).execute()


async def shown_on(app: HallApp, size: tuple[int, int], ready: str) -> list[str]:
    """The screen's lines once ``ready`` (text the screen shows with or without the fix) is
    on it: its first read has arrived."""
    async with app.run_test(size=size) as pilot:
        for _ in range(1500):  # generous for a loaded machine; a pass takes a few rounds
            await pilot.pause(0.02)
            await app.workers.wait_for_complete()
            lines = screen_lines(app)
            if ready in "\n".join(lines):
                return lines
        raise AssertionError(f"“{ready}” never shown:\n" + "\n".join(screen_lines(app)))


def test_an_escape_sequence_in_a_stored_name_does_not_reach_the_window_terminal(
        sqlite_hall: Hall) -> None:
    legacy(sqlite_hall)
    lines: list[str] = []

    @run_async
    async def run() -> None:
        app = main.make_app(sqlite_hall, "win07", start="window", window=7)
        lines.extend(await shown_on(app, (120, 40), "当前来访 L001"))

    run()
    assert raw_controls(lines) == []
    text = "\n".join(lines)
    assert "王␛[2J␛[H五" in text
    assert "拖欠工资\ufffd月个三" in text
    assert "␛[31m红字[@click=app.quit]点我[/]" in text  # as typed: no markup, no colour


def test_stored_incident_text_is_shown_safely(sqlite_hall: Hall) -> None:
    legacy(sqlite_hall)
    lines: list[str] = []

    @run_async
    async def run() -> None:
        app = main.make_app(sqlite_hall, "mgr01", start="incidents")
        lines.extend(await shown_on(app, (120, 40), "候谈区"))

    run()
    assert raw_controls(lines) == []
    assert "候谈区\ufffd2J" in "\n".join(lines)


def test_a_stored_room_is_shown_as_typed_on_the_board(sqlite_hall: Hall) -> None:
    legacy(sqlite_hall)
    lines: list[str] = []

    @run_async
    async def run() -> None:
        app = main.make_app(sqlite_hall, None, start="board")
        lines.extend(await shown_on(app, (160, 45), "今日领导接待"))

    run()
    assert raw_controls(lines) == []
    assert MARKUP_ROOM + "␛[5m" in "\n".join(lines)


def test_a_stored_name_is_shown_safely_when_the_desk_reads_the_file(sqlite_hall: Hall,
                                                                     tmp_path) -> None:
    legacy(sqlite_hall)
    lines: list[str] = []

    @run_async
    async def run() -> None:
        app = HallApp(sqlite_hall, staff="desk01", start="desk", data_dir=tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            field = app.screen.focused
            assert isinstance(field, Input)
            field.insert_text_at_cursor(distinct_id(1))
            await pilot.press("enter")
            for _ in range(1500):  # until the file has loaded: its visit count shows
                await pilot.pause(0.02)
                await app.workers.wait_for_complete()
                if "此前来访" in "\n".join(screen_lines(app)):
                    break
            lines.extend(screen_lines(app))

    run()
    assert raw_controls(lines) == []
    assert "王␛[2J␛[H五" in "\n".join(lines)
