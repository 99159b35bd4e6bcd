"""Pilot tests of the window's case keys: the 接谈记录 editor (^E), the 约谈 (^Y), and the finish
dialog showing the case an outcome opens and, afterwards, its number (80x24 and 120x40).

The hall is the window screen tests' (four visitors for 信访局, Monday 2026-11-23 09:00); dates
below are written out by hand: acceptance 15 and handling 60 calendar days from 11-23.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, Label, Static, TextArea

import main
from hall import Hall
from models import Appointment, Case, InterviewRecord
from screens.app import HallApp
from screens.window.casework import AppointmentDialog, InterviewDialog
from screens.window.forms import OutcomeDialog
from screens.window.screen import WindowScreen
from tests.helpers import run_async
from tests.screens.test_window_screen import hall, notes, opened, press, until, window

__all__ = ["hall"]  # the window screen tests' hall fixture

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


@pytest.fixture
def app(hall: Hall) -> HallApp:
    hall.windows.call_next(1, "win01")  # R001, 欧阳明月, is at window 1
    return main.make_app(hall, "win01", start="window", window=1)


def text_of(app: HallApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def footer(app: HallApp) -> dict[str, str]:
    return {key: b.binding.description for key, b in app.screen.active_bindings.items()
            if b.binding.show}


@SIZES
@run_async
async def test_the_interview_record_is_saved_and_reopens_with_the_latest(
        app: HallApp, size: tuple[int, int]) -> None:
    async with app.run_test(size=size) as pilot:
        await opened(pilot)
        assert {"ctrl+e": "接谈记录", "ctrl+y": "约谈"}.items() <= footer(app).items()
        await press(pilot, "ctrl+e")
        assert isinstance(app.screen, InterviewDialog)
        await press(pilot, "ctrl+s")  # all four empty: said under the first, nothing saved
        assert isinstance(app.screen, InterviewDialog)
        assert "不能全部为空" in text_of(app, "#err-stated")
        app.screen.query_one("#interview-stated", TextArea).insert("工龄买断款未发\n共 12 年")
        app.screen.query_one("#interview-materials", TextArea).insert("劳动合同复印件")
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, WindowScreen))
        await until(pilot, lambda: "第 1 版" in notes(app))
        await until(pilot, lambda: "已记录 1 版" in text_of(app, "#visit-record"))
        await press(pilot, "ctrl+e")
        assert isinstance(app.screen, InterviewDialog)
        stated = app.screen.query_one("#interview-stated", TextArea)
        assert stated.text == "工龄买断款未发\n共 12 年"
        stated.insert("，另有加班费")
        await press(pilot, "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, WindowScreen))
    rows = [(r.version, r.stated, r.materials) for r in
            InterviewRecord.select().order_by(InterviewRecord.version)]
    assert rows[0] == (1, "工龄买断款未发\n共 12 年", "劳动合同复印件")
    assert rows[1][0] == 2 and "另有加班费" in rows[1][1] and rows[1][2] == "劳动合同复印件"


@SIZES
@run_async
async def test_an_appointment_is_set_refused_on_a_saturday_and_listed_for_today(
        app: HallApp, size: tuple[int, int]) -> None:
    async with app.run_test(size=size) as pilot:
        await opened(pilot)
        assert not window(app).query_one("#appointments").display
        await press(pilot, "ctrl+y")
        assert isinstance(app.screen, AppointmentDialog)
        assert app.screen.query_one("#appoint-date", Input).value == "2026-11-24"  # Tuesday
        app.screen.query_one("#appoint-date", Input).value = "2026-11-28"  # Saturday
        app.screen.query_one("#appoint-note", Input).value = "带工资条原件"
        await press(pilot, "enter")
        assert isinstance(app.screen, AppointmentDialog)
        assert "休息日" in text_of(app, "#err-at")
        app.screen.query_one("#appoint-date", Input).value = "2026-11-23"
        app.screen.query_one("#appoint-time", Input).value = "15:30"
        app.screen.query_one("#appoint-note", Input).focus()
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, WindowScreen))
        await until(pilot, lambda: "已约谈：2026-11-23 15:30" in notes(app))
        await until(pilot, lambda: window(app).query_one("#appointments").display)
        listed = text_of(app, "#appointments")
        assert "今日约谈 1" in listed and "15:30" in listed and "欧***" in listed
    row = Appointment.get()
    assert (row.window, row.note, row.status) == (1, "带工资条原件", "open")


@SIZES
@run_async
async def test_the_finish_dialog_shows_the_case_and_the_number_afterwards(
        app: HallApp, size: tuple[int, int]) -> None:
    async with app.run_test(size=size) as pilot:
        await opened(pilot)
        await press(pilot, "f8", "5")  # 立案交办
        assert isinstance(app.screen, OutcomeDialog)
        await until(pilot, lambda: "受理告知" in str(app.screen.query_one(
            "#finish-case", Label).render()))
        shown = str(app.screen.query_one("#finish-case", Label).render())
        assert "信访局综合接待" in shown and "2026-12-08" in shown and "2027-01-22" in shown
        await press(pilot, "enter")  # from the note to the (optional) unit
        await press(pilot, "enter")
        await until(pilot, lambda: isinstance(app.screen, WindowScreen))
        await until(pilot, lambda: "已办结 R001，已立案：江信〔2026〕第 0001 号" in notes(app))
        await press(pilot, "f5")  # R002, forwarded to an outside unit: its name is required
        await press(pilot, "f8", "4")
        await until(pilot, lambda: "请填写转送单位" in str(app.screen.query_one(
            "#finish-case", Label).render()))
        await press(pilot, "enter", "enter")
        assert isinstance(app.screen, OutcomeDialog)
        assert "须写明" in str(app.screen.query_one("#err-unit", Label).render())
        app.screen.query_one("#finish-unit", Input).value = "省人力资源和社会保障厅"
        await until(pilot, lambda: "省人力资源和社会保障厅" in str(app.screen.query_one(
            "#finish-case", Label).render()))
        await press(pilot, "enter")
        await until(pilot, lambda: "已立案：江信〔2026〕第 0002 号" in notes(app))
    cases = [(c.number, c.department, c.outside_unit) for c in Case.select().order_by(Case.id)]
    assert cases == [("江信〔2026〕第 0001 号", "xfj", ""),
                     ("江信〔2026〕第 0002 号", "xfj", "省人力资源和社会保障厅")]


@run_async
async def test_ctrl_d_prints_the_interview_record_for_the_visitor_to_sign(
        hall: Hall, tmp_path) -> None:
    """Ctrl+D saves the latest 接谈记录 as a PDF in the exports folder (the issue: "printable for
    the visitor's confirmation"), with the record's text and the signature line; before any
    record it says so and writes nothing."""
    from pypdf import PdfReader

    from models import AuditEvent

    hall.windows.call_next(1, "win01")
    app = main.make_app(hall, "win01", start="window", window=1)
    app.data_dir = tmp_path  # where the exports folder goes
    exports = tmp_path / "exports"
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await press(pilot, "ctrl+d")
        await until(pilot, lambda: "还没有接谈记录" in notes(app))
        assert not list(exports.glob("*.pdf")) if exports.exists() else True
        hall.cases.interviews.save(1, "win01", stated="工龄买断款未发", answered="已告知政策")
        await press(pilot, "ctrl+d")
        await until(pilot, lambda: "接谈记录已保存" in notes(app))
    (pdf,) = exports.glob("*.pdf")
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "工龄买断款未发" in text and "已告知政策" in text and "来访人确认签名" in text
    assert AuditEvent.select().where(AuditEvent.action == "visit.interview.print").count() == 1
