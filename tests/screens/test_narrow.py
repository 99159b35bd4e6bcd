"""At 80x24, what a screen must still show and which keys its lists must still obey (issue 10 §2):
the header keeps the screen's name, the reception-day footer keeps 退出 and F12, the board's
leader line ends with an ellipsis when cut, and the reception-day list obeys Esc and PgDn.
Everything is read from the rendered screen lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual.app import App
from textual.widgets import DataTable

from hall import Hall
from screens.app import HallApp
from screens.leaders.monthgrid import MonthGrid
from screens.leaders.screen import LeadersScreen
from tests.helpers import run_async
from tests.screens.test_leaders_screen import settle

TODAY = date(2026, 11, 23)


def lines(app: App[object]) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


@run_async
async def test_the_reception_day_list_obeys_esc_and_pgdn_and_the_footer_keeps_quit_and_f12(
        sqlite_hall: Hall, tmp_path: Path) -> None:
    sqlite_hall.leaders.add_day("lihong", TODAY, "09:00", "11:30", 2, actor="mgr01")
    app = HallApp(sqlite_hall, staff="mgr01", start="leaders", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LeadersScreen)
        footer = lines(app)[-1]
        assert "^q 退出" in footer and "f12 特殊情况" in footer, footer
        table, grid = screen.query_one("#month-list", DataTable), screen.query_one(MonthGrid)
        await pilot.press("l")
        await settle(pilot)
        assert table.display and table.has_focus and table.row_count == 1
        await pilot.press("pagedown")  # the list's own paging used to take it
        await settle(pilot)
        assert (grid.year, grid.month) == (2026, 12) and table.display
        await pilot.press("pageup")
        await settle(pilot)
        assert (grid.year, grid.month) == (2026, 11)
        await pilot.press("escape")  # back to the calendar
        await settle(pilot)
        assert not table.display and grid.display and grid.has_focus
        await pilot.press("escape")  # on the calendar Esc changes nothing
        await settle(pilot)
        assert app.screen is screen and grid.display
