"""The 人社局 window's screen: the earlier report is 「保密事项」, and Ctrl+R shows the masked
fields in full, audited (issue 11, section 4). Pilot over a SQLite file, the fixed clock."""

from __future__ import annotations

import html
import re

import pytest

import main
from hall import Hall
from models import AuditEvent
from screens.app import HallApp
from screens.dialogs.notice import NoticeDialog
from tests.helpers import form, make_id, run_async
from tests.screens.test_window_screen import opened, press, window

PERSON = make_id("19700305", 13)


@pytest.fixture
def hall(sqlite_hall: Hall) -> Hall:
    """The visitor reported an official (纪委监委, finished), then came about wages (人社局)."""
    sqlite_hall.desk.issue(form(id_number=PERSON, name="王明", category="report",
                                matter="举报某局长收受贿赂", phone="13800000013"), actor="desk01")
    sqlite_hall.windows.call_next(11, "win11")
    sqlite_hall.windows.finish(11, "filed", "win11")
    sqlite_hall.desk.issue(form(id_number=PERSON, name="王明", category="wages",
                                matter="工地拖欠工资三个月"), actor="desk01")
    return sqlite_hall


def text(app: HallApp) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", app.export_screenshot())).replace("\xa0", " ")


@run_async
async def test_win07_sees_the_report_as_confidential_and_reveals_the_id_in_full(
        hall: Hall) -> None:
    app = main.make_app(hall, "win07", start="window", window=7)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(pilot)
        await press(pilot, "f5")
        shown = text(app)
        assert "工地拖欠工资三个月" in shown and "保密事项" in shown
        assert not any(s in shown for s in ("举报", "贿赂", "纪委", "立案交办", "重复访"))
        assert PERSON not in shown  # masked on the panel
        await press(pilot, "ctrl+r")
        assert isinstance(app.screen, NoticeDialog)
        assert PERSON in app.screen.text and "13800000013" in app.screen.text
        await press(pilot, "escape")
        assert app.screen is window(app)
    reveals = AuditEvent.select().where(AuditEvent.action == "visitor.reveal")
    assert [(e.actor, e.entity) for e in reveals] == [("win07", "visitor")]
