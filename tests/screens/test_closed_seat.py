"""The desk at a closed lawyer seat (issue 9 §4): F5 names the next duty day beside the department,
and F7 opens the booking dialog on that day, so Enter books it.

The hall's clock stands at Monday 2026-11-23 09:00; the duty lawyer's next day is Wednesday the
25th (the shipped rule: the 5th, 15th and 25th).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import OptionList

from hall import Hall
from hall.desk.registration import Registration
from models import Ticket, Visit
from screens.app import HallApp
from screens.desk.screen import DeskScreen
from screens.dialogs.booking import BookingDialog
from screens.widgets.picker import Picker
from tests.helpers import make_id, run_async
from tests.screens.test_desk import retype, settle, text_of

KNOWN = make_id("19760315", seq=4)


@pytest.fixture
def app(sqlite_hall: Hall, tmp_path: Path) -> HallApp:
    return HallApp(sqlite_hall, staff="desk01", start="desk", data_dir=tmp_path)


@run_async
async def test_f5_names_the_next_duty_day_and_f7_offers_it(app: HallApp,
                                                           sqlite_hall: Hall) -> None:
    sqlite_hall.desk.issue(Registration(
        name="王秀兰", id_number=KNOWN, phone="13900001111", district="jiangbei",
        category="demolition", matter="拆迁补偿"), actor="desk02")
    sqlite_hall.leaders.plan.month(2026, 11, actor="mgr01")
    sqlite_hall.leaders.plan.publish_due(actor="mgr01")
    # A leader's day before it, listed first in the dialog: F7 must still land on the lawyer's.
    sqlite_hall.leaders.add_day("zhangwei", date(2026, 11, 24), "09:00", "11:30", 5,
                                actor="mgr01")
    (duty,) = [d for d in sqlite_hall.leaders.days() if d.leader == "shenlv"]
    assert duty.date == "2026-11-25"
    visits = Visit.select().count()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await retype(pilot, "#id_number", KNOWN)
        await settle(pilot)
        app.screen.query_one("#category", Picker).choose("legal_advice")
        await retype(pilot, "#matter", "咨询劳动仲裁的程序")
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        error = text_of(app, "#err-department")
        assert "今天没有值班律师" in error and "11月25日" in error and "F7" in error
        assert Visit.select().count() == visits
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, BookingDialog)
        options = app.screen.query_one("#booking-list", OptionList)
        highlighted = options.get_option_at_index(options.highlighted or 0)
        assert highlighted.id == f"day-{duty.id}"
        await pilot.press("enter")
        await settle(pilot)
    booked = sqlite_hall.leaders.bookings.of(KNOWN)
    assert [(b.day_id, b.status) for b in booked] == [(duty.id, "booked")]
    assert Ticket.select().where(Ticket.department == "lawyer").count() == 0
