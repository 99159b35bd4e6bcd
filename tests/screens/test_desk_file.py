"""The desk keeps one honest file per person (issue 9 §3): a second ticket today asks for a
reason, another name asks for a confirmation (and the file's history shows the old one), Esc
writes nothing. The oracle is what the hall holds, read back through the models."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from hall import Hall
from hall.clock import FixedClock
from hall.desk.registration import Registration
from hall.text.documents import DOCUMENT_TYPES
from models import TicketEvent, Visitor, VisitorChange, database
from screens.app import HallApp
from screens.desk.banner import VisitHistory, VisitorBanner
from screens.desk.screen import DeskScreen
from screens.desk.ticket import TicketScreen
from screens.dialogs.confirm import ConfirmDialog
from screens.dialogs.notice import NoticeDialog
from screens.dialogs.reason import ReasonDialog
from tests.helpers import row_counts, run_async
from tests.screens.test_desk import KNOWN_ID, paste, retype, settle, text_of


@pytest.fixture
def app(sqlite_hall: Hall, tmp_path: Path) -> HallApp:
    return HallApp(sqlite_hall, staff="desk01", start="desk", data_dir=tmp_path)


def visit(hall: Hall, days_ago: int = 0) -> None:
    """王秀兰's visit, today (her ticket still waits) or ``days_ago`` days before."""
    clock = hall.clock
    assert isinstance(clock, FixedClock)
    today = clock.now()
    clock.set(today - timedelta(days=days_ago))
    hall.desk.issue(Registration(
        name="王秀兰", id_number=KNOWN_ID, phone="13900001111", address="江北区滨江路8号",
        district="jiangbei", category="demolition", matter="拆迁补偿款未到位"), actor="desk02")
    clock.set(today)


def counts(hall: Hall) -> dict[str, int]:
    database.initialize(hall.db)
    return row_counts()


def banner_text(app: HallApp) -> str:
    return str(app.screen.query_one(VisitorBanner).render())


@run_async
async def test_a_second_ticket_today_asks_for_a_reason(app: HallApp, sqlite_hall: Hall) -> None:
    visit(sqlite_hall)
    before = counts(sqlite_hall)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await paste(pilot, KNOWN_ID)
        await settle(pilot)
        assert "今日已有票号 Z001" in banner_text(app)  # said before F5
        before = counts(sqlite_hall)  # the file's view is audited; from here nothing is written
        await pilot.press("enter", "f5")
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "Z001（市住建局）" in shown
        await pilot.press("enter")  # an Enter typed ahead: no reason, no ticket
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        assert counts(sqlite_hall) == before
        await pilot.press("f5")
        await settle(pilot)
        await paste(pilot, "上午的票过号了")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
    database.initialize(sqlite_hall.db)
    notes = [e.note for e in TicketEvent.select().order_by(TicketEvent.id)]
    assert notes == ["", "再次取号（今日已有 Z001（市住建局））：上午的票过号了"]


@run_async
async def test_another_name_asks_for_a_confirmation(app: HallApp, sqlite_hall: Hall) -> None:
    visit(sqlite_hall, days_ago=3)
    before = counts(sqlite_hall)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await paste(pilot, KNOWN_ID)
        await settle(pilot)
        await retype(pilot, "#name", "王秀英")
        await settle(pilot)
        before = counts(sqlite_hall)  # the file's view is audited; from here nothing is written
        assert "与档案姓名“王秀兰”不同" in text_of(app, "#note-name")
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        text = str(app.screen.query_one("#confirm-text").render())
        assert "档案姓名：王秀兰" in text and "本次填写：王秀英" in text
        await pilot.press("enter")  # Enter does not confirm a rename
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
        assert app.screen.focused is app.screen.query_one("#name", Input)
        assert counts(sqlite_hall) == before
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("f5")  # confirmed
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        await pilot.press("enter")
        await settle(pilot)
        # The file shown again: the old name is in its history, on the banner and the panel.
        await paste(pilot, KNOWN_ID)
        await settle(pilot)
        assert "档案变更 1 处，曾用名 王秀兰（F8 查看）" in banner_text(app)
        panel = str(app.screen.query_one(VisitHistory).render())
        assert "姓名 王秀兰 → 王秀英" in panel
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, NoticeDialog)
        shown = str(app.screen.query_one("#notice-text", Static).render())
        assert "姓名：王秀兰 → 王秀英  desk01" in shown
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DeskScreen)
    database.initialize(sqlite_hall.db)
    assert Visitor.get(Visitor.id_number == KNOWN_ID).name == "王秀英"
    assert [(c.field, c.old_value, c.new_value) for c in VisitorChange.select()] == [
        ("name", "王秀兰", "王秀英")]


@run_async
async def test_rename_and_second_ticket_ask_one_after_the_other(app: HallApp,
                                                                 sqlite_hall: Hall) -> None:
    visit(sqlite_hall)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await paste(pilot, KNOWN_ID)
        await settle(pilot)
        await retype(pilot, "#name", "王秀英")
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, ReasonDialog)
        await paste(pilot, "补登")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
    database.initialize(sqlite_hall.db)
    assert Visitor.get(Visitor.id_number == KNOWN_ID).name == "王秀英"


@run_async
async def test_f3_registers_a_passport_and_the_next_visitor_is_back_on_the_id_card(
        app: HallApp, sqlite_hall: Hall) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "身份证号" in text_of(app, "#row-id_number .field-label")
        await pilot.press("f3")  # 护照
        await settle(pilot)
        assert "护照号" in text_of(app, "#row-id_number .field-label")
        assert app.screen.focused is app.screen.query_one("#id_number", Input)
        await pilot.press(*"e12345678", "enter")  # letters go through now
        await settle(pilot)
        assert "护照 E12345678" in banner_text(app)
        await paste(pilot, "John Smith")
        await pilot.press("enter")
        await paste(pilot, "13812345678")
        await pilot.press("enter", "enter", "enter", *"nmg", "enter")
        await paste(pilot, "工资")
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, TicketScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert "身份证号" in text_of(app, "#row-id_number .field-label")
        await pilot.press("f3", "f3", "f3", "f3")  # 护照, 港澳, 台湾, the foreign resident
        await settle(pilot)
        assert "永居证号" in text_of(app, "#row-id_number .field-label")
        await pilot.press(*"12345", "enter")
        await settle(pilot)
        assert "外国人永久居留身份证号应为18位" in text_of(app, "#err-id_number")
    database.initialize(sqlite_hall.db)
    assert [(v.doc_type, v.id_number, v.name) for v in Visitor.select()] == [
        ("passport", "E12345678", "John Smith")]


@run_async
async def test_the_banner_asks_for_the_number_of_the_chosen_document(app: HallApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "请读取或输入身份证号" in banner_text(app)
        for spec in DOCUMENT_TYPES[1:]:  # F3: 护照, 港澳, 台湾, 永居证, 居住证
            await pilot.press("f3")
            await settle(pilot)
            assert f"新来访：请读取或输入{spec.name}号码" in banner_text(app), spec.code
        await pilot.press("f3", "f3")  # round to the ID card, then 护照 again
        await settle(pilot)
        await pilot.press(*"e12345678", "enter")
        await settle(pilot)
        assert "护照 E12345678" in banner_text(app)
        app.screen.query_one("#id_number", Input).focus()
        await settle(pilot)
        await pilot.press(*["backspace"] * 9)  # the number taken back: the passport is asked for
        await settle(pilot)
        assert "新来访：请读取或输入护照号码" in banner_text(app)
        await pilot.press("f2")  # the next visitor: the ID card again
        await settle(pilot)
        assert "新来访：请读取或输入身份证号" in banner_text(app)
