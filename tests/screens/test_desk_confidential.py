"""The desk reads the file of a visitor who reported an official (检举控告 → 纪委监委): the report
is 「保密事项」 and its date, never counted, so the banner says no 重复访 (issue 11, section 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hall import Hall
from models import AuditEvent
from screens.app import HallApp
from screens.desk.banner import VisitHistory, VisitorBanner
from tests.helpers import form, run_async
from tests.screens.test_desk import KNOWN_ID, paste, settle


@pytest.fixture
def app(sqlite_hall: Hall, tmp_path: Path) -> HallApp:
    sqlite_hall.desk.issue(form(id_number=KNOWN_ID, name="王秀兰", category="report",
                                matter="举报某局长收受贿赂"), actor="desk02")
    sqlite_hall.windows.call_next(11, "win11")
    sqlite_hall.windows.finish(11, "filed", "win11")
    return HallApp(sqlite_hall, staff="desk01", start="desk", data_dir=tmp_path)


@run_async
async def test_the_desk_sees_only_that_a_confidential_matter_exists(app: HallApp) -> None:
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await paste(pilot, KNOWN_ID)
        await settle(pilot)
        banner = str(app.screen.query_one(VisitorBanner).render())
        panel = str(app.screen.query_one(VisitHistory).render())
        assert "王秀兰" in banner and "已建档" in banner and "重复访" not in banner
        assert "此前来访 0 次" in banner and "另有保密事项 1 件" in banner
        assert "保密事项" in panel
        for shown in (banner, panel):
            assert not any(s in shown for s in ("举报", "纪委", "检举", "立案交办", "W001"))
        assert app.screen.form.value("category") == ""  # nothing of the report carried over
    viewed = AuditEvent.select().where(AuditEvent.action == "visitor.view")
    assert [e.actor for e in viewed] == ["desk01"]
