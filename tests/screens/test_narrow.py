"""At 80x24, what a screen must still show and which keys its lists must still obey (issue 10 §2):
the header keeps the screen's name, the reception-day footer keeps 退出 and F12, the board's
leader line ends with an ellipsis when cut, and the reception-day list obeys Esc and PgDn.
Everything is read from the rendered screen lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import DataTable

from hall import Hall
from hall.incidents import NewIncident
from screens.app import HallApp
from screens.leaders.monthgrid import MonthGrid
from screens.leaders.screen import LeadersScreen
from screens.widgets.topbar import title_text
from tests.helpers import run_async
from tests.screens.test_leaders_screen import settle
from tests.screens.test_window_screen import until

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


@pytest.mark.parametrize("start", ["desk", "window", "incidents", "leaders", "launcher"])
@run_async
async def test_the_header_keeps_the_screen_s_name_beside_an_alert(sqlite_hall: Hall,
                                                                 tmp_path: Path,
                                                                 start: str) -> None:
    sqlite_hall.incidents.log(NewIncident("assault", "5号窗口", "推搡"), "win05")
    staff = "win01" if start in ("window", "launcher") else "mgr01"  # who may open it
    app = HallApp(sqlite_hall, staff=staff, start=start, window=1, data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "⚠ 特殊情况 1 起" in lines(app)[0])
        await pilot.pause()
        header = lines(app)[0]
        title = {"desk": "登记分流台", "window": "窗口接谈", "incidents": "特殊情况",
                 "leaders": "领导接待日", "launcher": "工作台"}[start]
        assert f" · {title} " in header, header  # whole, and the hall's name gave way
        assert header.rstrip().endswith(app.staff_label)


def test_the_hall_s_name_gives_way_first() -> None:
    assert title_text("江川市联合接访中心", "窗口接谈", 40) == "江川市联合接访中心 · 窗口接谈"
    assert title_text("江川市联合接访中心", "窗口接谈", 25) == "江川市联合接… · 窗口接谈"
    assert title_text("江川市联合接访中心", "窗口接谈", 12) == "窗口接谈"


@run_async
async def test_the_board_s_leader_line_ends_with_an_ellipsis_when_cut(sqlite_hall: Hall,
                                                                      tmp_path: Path) -> None:
    for leader, start, end in (("lihong", "09:00", "11:30"), ("zhangwei", "14:00", "16:30"),
                               ("shenlv", "09:00", "17:00")):
        sqlite_hall.leaders.add_day(leader, TODAY, start, end, 4, actor="mgr01")
    app = HallApp(sqlite_hall, start="board", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "今日领导接待：李红" in lines(app)[1])
        line = lines(app)[1].strip()
        assert line.endswith("…") and "律师咨询" not in line, line  # cut, and shown to be
    async with HallApp(sqlite_hall, start="board", data_dir=tmp_path).run_test(
            size=(200, 30)) as pilot:
        await until(pilot, lambda: "律师咨询：沈" in lines(pilot.app)[1])
        assert not lines(pilot.app)[1].strip().endswith("…")  # room for all of it
