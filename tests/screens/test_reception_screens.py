"""Pilot tests of issue 9 §4 on the manager's calendar: a second reception in a taken room is
refused beside the room field, naming the other, nothing written; a month of a year without
holiday data shows 未核 on its cells and 节假日未核对 in the list and the title.

The app runs headless over a SQLite file with conftest's fixed clock (Monday 2026-11-23 09:00).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Label

from hall import Hall
from hall.leaders import schedule
from models import LeaderDay
from screens.leaders.dialogs import DayFormDialog
from screens.leaders.monthgrid import MonthGrid
from screens.leaders.screen import LeadersScreen
from screens.window.waiting import marks
from tests.helpers import run_async
from tests.screens.test_leaders_screen import manager, settle

TODAY = date(2026, 11, 23)


@run_async
async def test_a_taken_room_is_named_beside_the_room_field(sqlite_hall: Hall,
                                                           tmp_path: Path) -> None:
    other = sqlite_hall.leaders.add_day("lihong", TODAY, "09:00", "11:30", 2, actor="mgr01")
    async with manager(sqlite_hall, tmp_path).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, DayFormDialog)
        dialog.query_one("#start", Input).value = "10:00"
        dialog.query_one("#end", Input).value = "11:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is dialog  # still open, to change the time or the room
        error = str(dialog.query_one("#error-room", Label).render())
        assert f"接待日 {other.id}" in error and "李红市信访局局长" in error
        assert LeaderDay.select().count() == 1
        dialog.query_one("#start", Input).value = "14:00"
        dialog.query_one("#end", Input).value = "16:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LeadersScreen)
    assert LeaderDay.select().count() == 2


@run_async
async def test_a_month_without_holiday_data_is_marked(sqlite_hall: Hall, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    real = schedule.chinese_calendar.is_workday

    def until_2026(day: date) -> bool:
        if day.year > 2026:
            raise NotImplementedError(f"no available data for year {day.year}")
        return real(day)

    monkeypatch.setattr(schedule.chinese_calendar, "is_workday", until_2026)
    sqlite_hall.leaders.plan.month(2027, 1, actor="mgr01")
    async with manager(sqlite_hall, tmp_path).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(2):
            await pilot.press("pagedown")
            await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, LeadersScreen)
        grid = screen.query_one(MonthGrid)
        assert (grid.year, grid.month) == (2027, 1)
        assert "未核" in str(grid.render())
        assert "未核：节假日未核对" in str(screen.query_one("#month-title", Label).render())
        await pilot.press("l")
        await settle(pilot)
        table = screen.query_one("#month-list", DataTable)
        statuses = [str(table.get_row_at(i)[-1]) for i in range(table.row_count)]
        assert len(statuses) == 6 and all("节假日未核对" in s for s in statuses)
        assert "01-01" not in [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


def test_the_windows_list_marks_whom_a_visitor_waits_for() -> None:
    from hall.views import QueueEntry

    entry = QueueEntry("D001", "leader", "领导接访室", "09:05", 3, "", False, 1, False, "李*",
                       waits_for="李红 09:00–10:30")
    assert marks(entry)[0] == ("候李红 09:00", "$text-accent")
