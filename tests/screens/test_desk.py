"""Pilot tests of the 登记分流 desk: what the operator types, what the hall then holds.

Each test runs the real app on a SQLite file (workers use their own connections) with the fixed
clock of conftest, at 80x24 and, for the main path, 120x40.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label

from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from hall.desk.registration import Registration
from hall.text.idnumber import check_character
from hall.text.masking import mask_id_number
from models import Representative, Visit, database, open_database
from screens.app import HallApp
from screens.desk.banner import VisitorBanner
from screens.desk.queue import QueuePanel
from screens.desk.screen import DeskScreen
from screens.desk.ticket import TicketScreen
from screens.launcher.launcher import LauncherScreen
from screens.launcher.login import LoginScreen
from screens.widgets.bignumber import BigNumber
from screens.widgets.picker import Picker
from tests.helpers import TEST_PASSWORD, run_async, with_passwords


def make_id(first17: str) -> str:
    """A valid ID number from its first 17 digits."""
    return first17 + check_character(first17)


NEW_ID = make_id("32010219850612003")  # man, born 1985-06-12
KNOWN_ID = make_id("11010519760315004")  # woman, born 1976-03-15
REP_ID = make_id("11010519800101005")
BAD_ID = NEW_ID[:17] + ("0" if NEW_ID[17] != "0" else "1")  # wrong check character

SIZES = [(80, 24), (120, 40)]



@pytest.fixture
def app(sqlite_hall: Hall, tmp_path: Path) -> HallApp:
    return HallApp(sqlite_hall, staff="desk01", start="desk", data_dir=tmp_path)


async def settle(pilot: Pilot) -> None:
    """Let messages, thread workers and their answers run."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_text(pilot: Pilot, text: str) -> None:
    """Key by key, as the operator types."""
    await pilot.press(*text)


async def paste(pilot: Pilot, text: str) -> None:
    """All at once into the focused field, as a card reader or a paste does (quicker)."""
    field = pilot.app.screen.focused
    assert isinstance(field, Input)
    field.insert_text_at_cursor(text)
    await pilot.pause()


async def retype(pilot: Pilot, selector: str, text: str) -> None:
    """Focus a field, erase it, type ``text``."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    await pilot.pause()
    await pilot.press("end", *["backspace"] * len(field.value))
    await paste(pilot, text)


def text_of(app: HallApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Label).render())


def value_of(app: HallApp, selector: str) -> str:
    widget = app.screen.query_one(selector)
    return widget.value if isinstance(widget, Input | Picker) else ""


async def fill_new_visitor(pilot: Pilot, id_number: str = NEW_ID, keys: bool = False) -> None:
    """ID, name, phone, category by pinyin initials, matter: the everyday path."""
    await (type_text if keys else paste)(pilot, id_number)
    await settle(pilot)
    await pilot.press("enter")
    await paste(pilot, "张建国")
    await pilot.press("enter")
    await paste(pilot, "13812345678")
    await pilot.press("enter", "enter", "enter")  # address, district left empty
    await type_text(pilot, "nmg")
    await pilot.press("enter")
    await paste(pilot, "工地拖欠工资三个月")
    await settle(pilot)


def total_issued(hall: Hall) -> int:
    database.initialize(hall.db)
    return sum(q.issued for q in hall.board.queue_lengths())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_new_visitor_registered_end_to_end(app: HallApp, sqlite_hall: Hall,
                                                 size: tuple[int, int]) -> None:
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert app.screen.focused is app.screen.query_one("#id_number")
        await fill_new_visitor(pilot, keys=True)
        assert "新访" in str(app.screen.query_one(VisitorBanner).render())
        assert value_of(app, "#category") == "wages"
        assert value_of(app, "#department") == "hrss"
        assert "建议" in text_of(app, "#note-department")
        assert "7号窗口" in text_of(app, "#note-department")
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        assert app.screen.query_one(BigNumber).text == "L001"
        assert "市人社局" in text_of(app, "#ticket-dept")
        assert "7号窗口" in text_of(app, "#ticket-windows")
        assert "前面还有 0 人" in text_of(app, "#ticket-ahead")
        ticket = app.screen.ticket
        assert ticket.query_code in text_of(app, "#ticket-code")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        assert value_of(app, "#id_number") == ""
        assert value_of(app, "#name") == ""
        assert app.screen.focused is app.screen.query_one("#id_number")
    stored = sqlite_hall.desk.ticket("L001")
    assert stored.department == "hrss" and stored.status == "waiting"
    assert sqlite_hall.desk.visitor_file(NEW_ID, viewer="mgr01").name == "张建国"  # type: ignore[union-attr]
    assert Visit.get().registered_by == "desk01"


@run_async
async def test_known_visitor_prefills_form_and_shows_repeat_banner(
        app: HallApp, sqlite_hall: Hall) -> None:
    sqlite_hall.desk.issue(Registration(
        name="王秀兰", id_number=KNOWN_ID, phone="13900001111", address="江北区滨江路8号",
        district="jiangbei", category="demolition", matter="拆迁补偿"), actor="desk02")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await paste(pilot, KNOWN_ID)
        await settle(pilot)
        assert value_of(app, "#name") == "王秀兰"
        assert value_of(app, "#phone") == "13900001111"
        assert value_of(app, "#address") == "江北区滨江路8号"
        assert value_of(app, "#district") == "jiangbei"
        banner = str(app.screen.query_one(VisitorBanner).render())
        assert "重复访" in banner and "王秀兰" in banner
        assert "此前来访 1 次" in banner
        assert "2026-11-23" in banner and "市住建局" in banner and "候谈" in banner
        # Enter skips the prefilled fields: straight to the category.
        await pilot.press("enter")
        assert app.screen.focused is app.screen.query_one("#category-input")
        # Another ID takes back what the file filled in.
        await retype(pilot, "#id_number", NEW_ID)
        await settle(pilot)
        assert value_of(app, "#name") == ""
        assert "新访" in str(app.screen.query_one(VisitorBanner).render())


@run_async
async def test_collective_visit_needs_representatives(app: HallApp, sqlite_hall: Hall,
                                                      config: HallConfig) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await fill_new_visitor(pilot)
        assert not app.screen.query_one("#row-representatives").display
        await retype(pilot, "#people", "6")
        await settle(pilot)
        assert app.screen.query_one("#row-representatives").display
        assert app.screen.query_one("#reprow-1").display
        assert not app.screen.query_one("#reprow-2").display
        assert "集体访" in text_of(app, "#note-people")

        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        error = text_of(app, "#err-representatives")
        assert "集体访" in error and "代表" in error
        assert app.screen.focused is app.screen.query_one("#rep-1")
        assert total_issued(sqlite_hall) == 0

        await paste(pilot, BAD_ID)
        await pilot.press("tab")  # leaving a wrong number says so at once
        await settle(pilot)
        assert "第1位代表的身份证号校验位错误" in text_of(app, "#err-representatives")
        await retype(pilot, "#rep-1", REP_ID)
        await settle(pilot)
        assert app.screen.query_one("#reprow-2").display  # room for the next one
        await pilot.press("tab")  # leaving the field masks the number
        await settle(pilot)
        assert value_of(app, "#rep-1") == mask_id_number(REP_ID)
        assert app.screen.focused is app.screen.query_one("#rep-name-1")
        await pilot.press("f5")  # a representative is recorded with a name and a phone
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        assert "第1位代表的姓名必须填写" in text_of(app, "#err-representatives")
        assert total_issued(sqlite_hall) == 0
        await retype(pilot, "#rep-name-1", "周代表")
        await retype(pilot, "#rep-phone-1", "13700001111")
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
    assert [(r.id_number, r.name, r.phone) for r in Representative.select()] == [
        (REP_ID, "周代表", "13700001111")]
    assert Visit.get().people == 6


@run_async
async def test_invalid_id_shows_chinese_message_and_writes_nothing(
        app: HallApp, sqlite_hall: Hall) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, BAD_ID)
        await settle(pilot)
        assert "校验位错误" in text_of(app, "#err-id_number")
        await pilot.press("enter")  # an invalid ID keeps the focus
        assert app.screen.focused is app.screen.query_one("#id_number")
        await pilot.press("tab")
        await paste(pilot, "张建国")
        app.screen.query_one("#category", Picker).choose("wages")
        await retype(pilot, "#matter", "工资")
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        assert "校验位错误" in text_of(app, "#err-id_number")
        assert app.screen.query_one("#row-id_number").has_class("-invalid")
        assert app.screen.focused is app.screen.query_one("#id_number")
    lengths = sqlite_hall.board.queue_lengths()
    assert all(q.waiting == 0 and q.issued == 0 for q in lengths)
    assert Visit.select().count() == 0


@run_async
async def test_missing_fields_are_named_beside_each_field(app: HallApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await paste(pilot, NEW_ID)
        await pilot.press("f5")
        await settle(pilot)
        for name in ("name", "category", "matter"):
            assert "必须" in text_of(app, f"#err-{name}")
        assert app.screen.focused is app.screen.query_one("#name")
        await type_text(pilot, "李")
        assert not app.screen.query_one("#err-name").display  # typing clears the message


@run_async
async def test_suggestion_follows_category_and_district(app: HallApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        category = app.screen.query_one("#category", Picker)
        category.focus()
        await type_text(pilot, "nctd")  # 农村土地承包 by initials
        await pilot.press("enter")
        await settle(pilot)
        assert category.value == "land_contract"
        assert value_of(app, "#department") == "rural"
        assert "市农业农村局" in text_of(app, "#note-department")
        # 高新区 has no contracted land left: its matters go to the land bureau.
        app.screen.query_one("#district", Picker).focus()
        await type_text(pilot, "gx")
        await pilot.press("enter")
        await settle(pilot)
        assert value_of(app, "#district") == "gaoxin"
        assert value_of(app, "#department") == "land"
        assert "建议" in text_of(app, "#note-department")
        assert "市自然资源局" in text_of(app, "#note-department")


@run_async
async def test_route_override_issues_in_the_chosen_department(app: HallApp,
                                                              sqlite_hall: Hall) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await fill_new_visitor(pilot)
        app.screen.query_one("#department", Picker).focus()
        await type_text(pilot, "zjj")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert value_of(app, "#department") == "housing"
        note = text_of(app, "#note-department")
        assert "改派" in note and "市住建局" in note and "市人社局" in note
        assert app.screen.query_one(QueuePanel).selected == "housing"
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        assert app.screen.query_one(BigNumber).text == "Z001"
    visit = Visit.get()
    assert (visit.suggested_department, visit.department) == ("hrss", "housing")


@run_async
async def test_queue_panel_shows_tickets_issued_by_another_desk(
        app: HallApp, sqlite_hall: Hall, sqlite_url: str, config: HallConfig,
        clock: FixedClock) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(QueuePanel)
        assert panel.waiting("housing") == 0
        other_db = open_database(sqlite_url)  # another terminal: its own handle on the file
        try:
            Hall(other_db, config, clock).desk.issue(Registration(
                name="赵四", id_number=NEW_ID, category="arrears", matter="工程款"),
                actor="desk02")
        finally:
            other_db.close()
            database.initialize(sqlite_hall.db)
        await pilot.pause(1.3)
        await settle(pilot)
        assert panel.waiting("housing") == 1
        assert "候谈1" in str(panel.border_subtitle)


@run_async
async def test_saving_the_ticket_writes_an_image(app: HallApp, tmp_path: Path) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await fill_new_visitor(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        await pilot.press("s")
        await settle(pilot)
        target = tmp_path / "tickets" / "2026-11-23-L001.png"
        assert target.read_bytes().startswith(b"\x89PNG")
        assert str(target) in text_of(app, "#ticket-saved").replace("\n", "")


@run_async
async def test_login_asks_who_works_and_becomes_the_actor(sqlite_hall: Hall,
                                                          tmp_path: Path) -> None:
    app = HallApp(with_passwords(sqlite_hall), start="desk", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await type_text(pilot, "desk02")  # 陈晓峰
        await pilot.press("enter")
        await type_text(pilot, TEST_PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert app.staff == "desk02"
        assert isinstance(app.screen, DeskScreen)
        await fill_new_visitor(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
    assert Visit.get().registered_by == "desk02"


@run_async
async def test_launcher_lists_roles_and_opens_the_desk(sqlite_hall: Hall,
                                                       tmp_path: Path) -> None:
    app = HallApp(sqlite_hall, staff="desk01", data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LauncherScreen)
        assert "王丽" in text_of(app, "#launcher-who")
        assert "2026-11-23" in text_of(app, "#launcher-who")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, LauncherScreen)
