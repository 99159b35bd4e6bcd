"""Pilot tests of the reception-day screens: the manager's calendar (plan, add, edit, cancel,
book, export, list) and the desk's F7 booking and check-in dialog; and the banners' 包案.

The app runs headless over a SQLite file with conftest's fixed clock (Monday 2026-11-23 09:00).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, OptionList, Static

import main
from hall import Hall
from models import LeaderBooking, LeaderDay, Ticket
from screens.app import HallApp
from screens.desk.banner import VisitorBanner
from screens.desk.screen import DeskScreen
from screens.desk.ticket import TicketScreen
from screens.dialogs import NoticeDialog, ReasonDialog
from screens.dialogs.booking import BookingDialog
from screens.launcher.launcher import LauncherScreen
from screens.leaders.dialogs import DayFormDialog
from screens.leaders.monthgrid import MonthGrid
from screens.leaders.rules import RuleFormDialog, RuleListDialog
from screens.leaders.screen import LeadersScreen
from tests.helpers import distinct_id, form, run_async

TODAY = date(2026, 11, 23)
SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def hall(sqlite_hall: Hall) -> Hall:
    """Two registered visitors and today's reception of 李红 (2 places, walk-ins welcome)."""
    for n, name in ((1, "访客甲"), (2, "访客乙")):
        sqlite_hall.desk.issue(form(name=name, id_number=distinct_id(n)), actor="desk01")
    sqlite_hall.leaders.add_day("lihong", TODAY, "09:00", "11:30", 2, actor="mgr01", walk_ins=True)
    return sqlite_hall


async def settle(pilot: Pilot) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def manager(hall: Hall, tmp_path: Path) -> HallApp:
    return HallApp(hall, staff="mgr01", start="leaders", data_dir=tmp_path)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_the_calendar_shows_the_month_and_the_days_fill(hall: Hall, tmp_path: Path,
                                                              size: tuple[int, int]) -> None:
    hall.leaders.bookings.book(1, distinct_id(1), actor="desk01")
    async with manager(hall, tmp_path).run_test(size=size) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, LeadersScreen)
        grid = screen.query_one(MonthGrid)
        assert grid.has_focus and grid.selected == TODAY
        rendered = grid.render().plain
        assert "李红" in rendered and "1/2" in rendered and "23 今" in rendered
        assert "李红市信访局局长" in str(screen.query_one("#date-days", OptionList)
                                         .get_option_at_index(0).prompt)
        assert "访*" in str(screen.query_one("#day-bookings", Static).render())
        # G plans November and December's rules are a PgDn away.
        await pilot.press("g")
        await settle(pilot)
        assert LeaderDay.select().where(LeaderDay.leader == "shenlv").count() == 1  # the 25th
        await pilot.press("pagedown")
        await settle(pilot)
        assert (grid.year, grid.month, grid.selected) == (2026, 12, date(2026, 12, 23))
        await pilot.press("g")
        await settle(pilot)
        assert "沈律" in grid.render().plain
        # The 7th: the lawyer's day of the 5th, moved off a Saturday.
        await pilot.press("up", "up", "left", "left")
        await settle(pilot)
        assert grid.selected == date(2026, 12, 7)
        assert "原定 2026-12-05" in str(screen.query_one("#day-bookings", Static).render())
        await pilot.press("l")  # the list view
        await settle(pilot)
        table = screen.query_one("#month-list", DataTable)
        assert table.display and table.row_count == 5


@run_async
async def test_adding_editing_and_cancelling_a_day(hall: Hall, tmp_path: Path) -> None:
    hall.leaders.bookings.book(1, distinct_id(1), actor="desk01")
    async with manager(hall, tmp_path).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right")  # Tuesday the 24th: nothing yet
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, DayFormDialog)
        assert dialog.query_one("#date", Input).value == "2026-11-24"
        dialog.query_one("#end", Input).value = "08:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = dialog.query_one("#error-end", Label)
        assert error.display and "应晚于" in str(error.render())
        assert LeaderDay.select().count() == 1  # nothing written
        dialog.query_one("#end", Input).value = "11:00"
        dialog.query_one("#topic", Input).value = "拆迁专题"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LeadersScreen)
        added = LeaderDay.get(LeaderDay.date == date(2026, 11, 24))
        assert (added.leader, added.end, added.topic, added.status) == (
            "zhangwei", "11:00", "拆迁专题", "published")

        await pilot.press("left", "e")  # back to today's day: edit its capacity
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, DayFormDialog) and dialog.day is not None
        dialog.query_one("#capacity", Input).value = "5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert LeaderDay.get_by_id(1).capacity == 5

        await pilot.press("x")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReasonDialog)
        await pilot.press("enter")  # no reason: refused in the dialog
        await settle(pilot)
        assert isinstance(pilot.app.screen, ReasonDialog)
        pilot.app.screen.query_one(Input).value = "领导临时公务"
        await pilot.press("enter")
        await settle(pilot)
        notice = pilot.app.screen
        assert isinstance(notice, NoticeDialog)
        text = str(notice.query_one("#notice-text", Static).render())
        assert "访客甲" in text and "请通知以下 1 位" in text
        await pilot.press("enter")
        assert LeaderDay.get_by_id(1).status == "cancelled"


@run_async
async def test_rules_from_the_screen(hall: Hall, tmp_path: Path) -> None:
    async with manager(hall, tmp_path).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        listing = pilot.app.screen
        assert isinstance(listing, RuleListDialog)
        assert listing.query_one(OptionList).option_count == 4  # the configured rules
        await pilot.press("d")  # a configured rule is edited in hall.yaml, not here
        await settle(pilot)
        assert "hall.yaml" in str(listing.query_one("#rule-message", Label).render())
        await pilot.press("n")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, RuleFormDialog)
        dialog.query_one("#days", Input).value = "3，40"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "1 到 31" in str(dialog.query_one("#form-error", Label).render())
        dialog.query_one("#days", Input).value = "3，20"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is listing
        assert [r.description for r in hall.leaders.plan.rules() if r.rule_id] == [
            "每月3日、20日 09:00–11:30"]
        options = listing.query_one(OptionList)
        assert options.option_count == 5
        options.highlighted = 4
        await pilot.press("d")
        await settle(pilot)
        assert "已停用" in str(listing.query_one("#rule-message", Label).render())
        assert [r for r in hall.leaders.plan.rules() if r.rule_id] == []
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LeadersScreen)


@run_async
async def test_export_writes_csv_and_ics(hall: Hall, tmp_path: Path) -> None:
    async with manager(hall, tmp_path).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
    folder = tmp_path / "exports"
    assert "李红" in (folder / "接待日-2026-11.csv").read_text(encoding="utf-8-sig")
    assert (folder / "接待日-2026-11.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


@run_async
async def test_the_launcher_opens_the_manager_screen_with_4(hall: Hall, tmp_path: Path) -> None:
    app = HallApp(hall, staff="mgr01", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, LauncherScreen)
        await pilot.press("4")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LeadersScreen)


# -- the desk ----------------------------------------------------------------------------------

def desk(hall: Hall, tmp_path: Path) -> HallApp:
    return main.make_app(hall, "desk01", start="desk")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_f7_checks_a_booked_visitor_in_with_one_enter(hall: Hall, tmp_path: Path,
                                                            size: tuple[int, int]) -> None:
    booking = hall.leaders.bookings.book(1, distinct_id(2), actor="desk01").booking
    async with desk(hall, tmp_path).run_test(size=size) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, DeskScreen)
        screen.query_one("#id_number", Input).insert_text_at_cursor(distinct_id(2))
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, BookingDialog)
        options = dialog.query_one("#booking-list", OptionList)
        assert options.highlighted == 0
        assert "签到" in str(options.get_option_at_index(0).prompt)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, TicketScreen)
        assert pilot.app.screen.ticket.number == "D001"
    assert LeaderBooking.get_by_id(booking.id).status == "checked_in"
    assert Ticket.get(Ticket.number == "D001").department == "leader"


@run_async
async def test_f7_books_and_cancels_from_the_desk(hall: Hall, tmp_path: Path) -> None:
    hall.leaders.add_day("zhangwei", date(2026, 11, 30), "09:00", "11:00", 1, actor="mgr01")
    hall.desk.issue(form(name="先到者", id_number=distinct_id(3)), actor="desk01")
    hall.leaders.bookings.book(2, distinct_id(3), actor="desk01")  # the 30th is full now
    async with desk(hall, tmp_path).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, BookingDialog)
        assert dialog.query_one(Input).has_focus  # no ID in the form: type it here
        await pilot.press(*"110105198000")
        await pilot.press("enter")
        await settle(pilot)
        assert "身份证号" in str(dialog.query_one("#booking-who", Label).render())
        dialog.query_one(Input).value = distinct_id(1)
        await pilot.press("enter")
        await settle(pilot)
        options = dialog.query_one("#booking-list", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt)
                   for i in range(options.option_count)]
        assert len(prompts) == 2 and "满" in prompts[1]
        options.highlighted = 1
        await pilot.press("enter")  # book the full day: the waiting list
        await settle(pilot)
        assert "候补第 1 位" in str(dialog.query_one("#booking-message", Label).render())
        options = dialog.query_one("#booking-list", OptionList)
        assert "候补" in str(options.get_option_at_index(0).prompt)
        await pilot.press("c")  # cancel it again
        await settle(pilot)
        assert "已取消" in str(dialog.query_one("#booking-message", Label).render())
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DeskScreen)
    statuses = sorted(b.status for b in LeaderBooking.select())
    assert statuses == ["booked", "cancelled"]


@run_async
async def test_the_repeat_visit_banner_shows_the_leaders_case(hall: Hall,
                                                              tmp_path: Path) -> None:
    hall.leaders.take_case(distinct_id(1), "zhangwei", "安置房久拖未交付", actor="mgr01")
    async with desk(hall, tmp_path).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.screen.query_one("#id_number", Input).insert_text_at_cursor(distinct_id(1))
        await settle(pilot)
        banner = str(pilot.app.screen.query_one(VisitorBanner).render())
        assert ("包案 张伟副市长（2026-11-23） 江信〔2026〕第 0001 号 待受理 期限 2026-12-08："
                "安置房久拖未交付") in banner


@run_async
async def test_f7_moves_a_booking_to_another_day(hall: Hall, tmp_path: Path) -> None:
    other = hall.leaders.add_day("zhangwei", date(2026, 11, 30), "09:00", "11:00", 5, actor="mgr01")
    first = hall.leaders.bookings.book(1, distinct_id(1), actor="desk01").booking
    async with desk(hall, tmp_path).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.screen.query_one("#id_number", Input).insert_text_at_cursor(distinct_id(1))
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, BookingDialog)
        await pilot.press("m")  # the booking of today is highlighted
        await settle(pilot)
        assert "改约预约" in str(dialog.query_one("#booking-message", Label).render())
        await pilot.press("down", "enter")  # the 30th
        await settle(pilot)
        assert "已改约到 2026-11-30" in str(dialog.query_one("#booking-message", Label).render())
    moved = LeaderBooking.get(LeaderBooking.previous == first.id)
    assert (moved.day_id, moved.status) == (other.id, "booked")
    assert LeaderBooking.get_by_id(first.id).status == "rescheduled"
