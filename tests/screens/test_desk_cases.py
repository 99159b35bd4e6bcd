"""Pilot tests of the desk's 同一事项, 其他渠道 and 处理意见 (issue 12 §1).

A visitor back about their open case: ID, Enter, F5, Enter still registers them, now linked to
the case, and the banner said 重复访（同一事项） with the case's number, state and due date before
F5. A changed matter takes the pick back; two open cases wait for the operator's pick. The oracle
is what the hall stored (the visit's columns, the case's links), read through the models.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from hall import Hall
from models import CaseVisit, Visit, database
from screens.app import HallApp
from screens.desk.banner import VisitorBanner
from screens.desk.deskform import DeskForm
from screens.desk.screen import DeskScreen
from tests.helpers import form, run_async
from tests.screens.test_desk import KNOWN_ID, paste, retype, settle
from tests.screens.test_desk_typeahead import wait_for_ticket

SIZES = [(80, 24), (120, 40)]
MATTER = "工地拖欠工资三个月"  # tests.helpers.form's
NUMBER = "江信〔2026〕第 {:04d} 号"


@pytest.fixture
def app(sqlite_hall: Hall, tmp_path: Path) -> HallApp:
    return HallApp(sqlite_hall, staff="desk01", start="desk", data_dir=tmp_path)


def open_case(hall: Hall, category: str = "wages", again: str = "") -> int:
    """KNOWN_ID's visit finished 立案交办 at its department's window: the case's id."""
    hall.desk.issue(form(id_number=KNOWN_ID, name="王秀兰", category=category,
                         again_reason=again), actor="desk02")
    window = {"wages": 7, "report": 11}[category]
    hall.windows.call_next(window, "mgr01")
    finished = hall.windows.finish_visit(window, "filed", "mgr01")
    assert finished.case is not None
    return finished.case.case_id


def banner(app: HallApp) -> str:
    return str(app.screen.query_one(VisitorBanner).render())


def last_visit(hall: Hall) -> tuple[Visit, list[int]]:
    """The newest visit and the cases it is linked to."""
    database.initialize(hall.db)
    visit = Visit.select().order_by(Visit.id.desc()).get()
    return visit, [link.case_id for link in CaseVisit.select().where(CaseVisit.visit == visit.id)]


async def known_id(pilot: Pilot) -> None:
    await settle(pilot)
    await paste(pilot, KNOWN_ID)
    await settle(pilot)


def fits(app: HallApp) -> bool:
    """The whole form is on the screen without scrolling (the last row included)."""
    form_widget = app.screen.query_one(DeskForm)
    last = app.screen.query_one("#row-department")
    return form_widget.max_scroll_y == 0 and last.region.bottom <= form_widget.region.bottom


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_back_about_the_open_case_in_three_keys_links_the_visit(
        app: HallApp, sqlite_hall: Hall, size: tuple[int, int]) -> None:
    case_id = open_case(sqlite_hall)
    async with app.run_test(size=size) as pilot:
        await known_id(pilot)
        shown = banner(app)
        assert "重复访（同一事项）" in shown
        assert f"{NUMBER.format(1)} 待受理 期限 2026-12-08" in shown
        assert app.screen.query_one("#row-case_id").display
        assert fits(app)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f5")
        await wait_for_ticket(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        assert not app.screen.query_one("#row-case_id").display  # the next visitor: none
    visit, links = last_visit(sqlite_hall)
    assert (visit.matter, visit.is_repeat, links) == (MATTER, True, [case_id])


@run_async
async def test_another_matter_takes_the_pick_back(app: HallApp, sqlite_hall: Hall) -> None:
    open_case(sqlite_hall)
    async with app.run_test(size=(80, 24)) as pilot:
        await known_id(pilot)
        assert "重复访（同一事项）" in banner(app)
        await retype(pilot, "#matter", "小区物业乱收费")
        await settle(pilot)
        shown = banner(app)
        assert "重复访" in shown and "同一事项" not in shown and NUMBER.format(1) not in shown
        assert app.screen.form.value("case_id") == ""
        await pilot.press("f5")
        await wait_for_ticket(pilot)
    visit, links = last_visit(sqlite_hall)
    assert (visit.matter, visit.is_repeat, links) == ("小区物业乱收费", True, [])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_two_open_cases_wait_for_the_operator_s_pick(app: HallApp, sqlite_hall: Hall,
                                                           size: tuple[int, int]) -> None:
    open_case(sqlite_hall)
    second = open_case(sqlite_hall, again="另一工地")
    async with app.run_test(size=size) as pilot:
        await known_id(pilot)
        assert app.screen.form.value("case_id") == ""
        assert "同一事项" not in banner(app) and "重复访" in banner(app)
        assert fits(app)
        # From 事由, Enter goes on to 同一事项; ↓ lists the cases (newest first), Enter takes one.
        app.screen.query_one("#matter").focus()
        await pilot.press("enter")
        assert app.focused is app.screen.query_one("#case_id-input")
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen.form.value("case_id") == str(second)
        assert "重复访（同一事项）" in banner(app) and NUMBER.format(2) in banner(app)
        await pilot.press("f5")
        await wait_for_ticket(pilot)
    assert last_visit(sqlite_hall)[1] == [second]


@run_async
async def test_channels_and_the_opinion_by_keyboard(app: HallApp, sqlite_hall: Hall) -> None:
    open_case(sqlite_hall)
    async with app.run_test(size=(80, 24)) as pilot:
        await known_id(pilot)
        app.screen.query_one("#request").focus()
        await pilot.press("enter")  # on to 其他渠道
        assert app.focused is app.screen.query_one("#other_channels")
        await pilot.press("2", "1", "right", "right", "space", "1")  # 网上信访 and 来电 stay
        assert app.screen.form.value("other_channels") == "online,phone"
        await pilot.press("enter")
        assert app.focused is app.screen.query_one("#earlier_opinion")
        await paste(pilot, "区人社局2026年9月答复：责令限期支付")
        await pilot.press("f5")
        await wait_for_ticket(pilot)
    visit, _ = last_visit(sqlite_hall)
    assert (visit.other_channels, visit.earlier_opinion) == (
        "online,phone", "区人社局2026年9月答复：责令限期支付")


@run_async
async def test_a_confidential_case_of_another_department_is_not_offered(
        app: HallApp, sqlite_hall: Hall) -> None:
    open_case(sqlite_hall, category="report")  # 纪委监委's 检举控告
    async with app.run_test(size=(80, 24)) as pilot:
        await known_id(pilot)
        assert not app.screen.query_one("#row-case_id").display
        assert NUMBER.format(1) not in banner(app) and "同一事项" not in banner(app)
        await pilot.press("enter", *"nmg", "enter")  # nothing carried over from 保密事项
        await paste(pilot, MATTER)
        await pilot.press("f5")
        await wait_for_ticket(pilot)
    visit, links = last_visit(sqlite_hall)
    assert (visit.is_repeat, links) == (False, [])  # 保密事项: no repeat visit for this desk


def test_a_leaders_case_in_the_banner_says_where_it_stands() -> None:
    """包案 is a case since issue 12: the banner names its number, state and due date (the
    issue: "the leader's cases, with state and due date, … in the banner"); a 包案 recorded
    before cases existed has none and reads as before."""
    from hall.views import CaseSummary as TakenCase
    from screens.desk.banner import _standing

    case = TakenCase(7, "2026-11-23", "lihong", "李红局长", "欠薪", number="江信〔2026〕第 0007 号",
                     state="handling", state_label="办理中", due_on="2027-01-22")
    assert _standing(case) == " 江信〔2026〕第 0007 号 办理中 期限 2027-01-22"
    assert _standing(TakenCase(3, "2025-05-01", "lihong", "李红局长", "欠薪")) == ""
