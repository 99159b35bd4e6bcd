"""Pilot tests of the case screen (`hall cases`): the list and its views, a case's timeline, a
step taken with its one key through its dialog, the scope of a window clerk, a masked
confidential case, documents, the managers' overdue mark when the clock passes midnight after a
due date, the launcher's key, and the leaders' screen's cases of the selected day's leader.

The app runs headless over a SQLite file with the conftest's fixed clock (Monday 2026-11-23
09:00); the cases are opened the way the hall opens them, by a window finishing a visit 立案交办.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Label, Static

import main
from hall import Hall
from hall.clock import FixedClock
from models import AuditEvent, Case, CaseEntry
from screens.app import HallApp
from screens.cases.dialogs import DocumentDialog, StepDialog
from screens.cases.screen import CasesScreen
from screens.dialogs import NoticeDialog
from screens.launcher.launcher import LauncherScreen
from screens.widgets.topbar import TopBar
from tests.conftest import CST, MORNING
from tests.helpers import distinct_id, form, only_changes, run_async
from tests.screens.test_incident_screens import settle, until

LATER = datetime(2026, 12, 10, 9, 0, tzinfo=CST)
"""When the list is looked at: the first cases' acceptance notice (due 12-08) is 2 days late."""


def open_case(hall: Hall, window: int, clerk: str, n: int, **changes: object) -> int:
    """A visitor registered, called at ``window`` and finished 立案交办: the new case's id."""
    hall.desk.issue(form(id_number=distinct_id(n), **changes), actor="desk01")
    hall.windows.call_next(window, clerk)
    finished = hall.windows.finish_visit(window, "filed", clerk, note=f"第{n}位，已登记诉求")
    assert finished.case is not None
    return finished.case.case_id


@pytest.fixture
def cases(sqlite_hall: Hall, clock: FixedClock) -> dict[str, int]:
    """wages (人社局, 11-23, overdue by 12-10), report (纪委监委, confidential, 11-23, taken by
    李红), policy (信访局, opened 12-10, due 12-25)."""
    hall = sqlite_hall
    ids = {"wages": open_case(hall, 7, "win07", 1),
           "report": open_case(hall, 11, "win11", 2, category="report",
                               matter="反映某局干部收受红包")}
    hall.cases.lead(ids["report"], "lihong", "mgr01")
    clock.set(LATER)
    ids["policy"] = open_case(hall, 1, "win01", 3, category="policy", matter="咨询退休政策")
    return ids


def screen(app: HallApp) -> CasesScreen:
    found = next(s for s in app.screen_stack if isinstance(s, CasesScreen))
    return found


def table_text(app: HallApp) -> list[str]:
    table = screen(app).query_one(DataTable)
    return [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


def detail_text(app: HallApp) -> str:
    return str(screen(app).query_one("#case-detail", Static).render())


def footer_keys(app: HallApp) -> dict[str, str]:
    return {key: b.binding.description for key, b in app.screen.active_bindings.items()
            if b.binding.show}


def mark(app: HallApp) -> str | None:
    bars = list(app.screen.query(TopBar).results(TopBar))
    if not bars or not bars[0].has_class("-cases"):
        return None
    return str(bars[0].query_one("#topbar-cases", Label).render())


async def loaded(pilot: Pilot, rows: int) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, CasesScreen)
                and screen(pilot.app).query_one(DataTable).row_count == rows)


async def open_row(pilot: Pilot, index: int) -> None:
    table = screen(pilot.app).query_one(DataTable)
    table.move_cursor(row=index)
    await pilot.press("enter")
    await until(pilot, lambda: screen(pilot.app).detail is not None
                and screen(pilot.app).detail.summary.id == screen(pilot.app).rows[index].id)


async def type_text(pilot: Pilot, text: str) -> None:
    app = pilot.app
    app.screen.focused.insert_text_at_cursor(text)  # type: ignore[union-attr]
    await pilot.pause()


# -- the list, the timeline, a step --------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@run_async
async def test_a_manager_sees_the_overdue_case_marked_opens_it_and_accepts_it(
        sqlite_hall: Hall, cases: dict[str, int], size: tuple[int, int]) -> None:
    app = main.make_app(sqlite_hall, "mgr01", start="cases")
    async with app.run_test(size=size) as pilot:
        await loaded(pilot, 3)
        rows = table_text(app)
        # Open cases by due date: the two overdue (due 12-08) first, marked; then the new one.
        assert "逾期2天" in rows[0] and "逾期2天" in rows[1]
        assert "剩15天" in rows[2] and "咨询退休政策" in rows[2]
        assert mark(app) is not None and "逾期案件 2 件" in (mark(app) or "")
        await pilot.press("1")  # the overdue list: one key
        await loaded(pilot, 2)
        index = next(i for i, r in enumerate(screen(app).rows) if r.id == cases["wages"])
        await open_row(pilot, index)
        assert "工地拖欠工资三个月" in detail_text(app)
        assert "第1位，已登记诉求" in detail_text(app)  # the window's note (口径一致)
        assert "#1" in detail_text(app) and "#2" not in detail_text(app)
        keys = footer_keys(app)
        assert keys.get("a") == "受理告知" and keys.get("u") == "督办"
        assert "r" not in keys and "f" not in keys  # 答复 and 回访 wait for their state
        others = {cases["report"], cases["policy"]}
        with only_changes(Case, cases["wages"]):
            before = {e.id for e in CaseEntry.select().where(CaseEntry.case.in_(others))}
            await pilot.press("a")
            await until(pilot, lambda: isinstance(app.screen, StepDialog))
            await type_text(pilot, "电话告知")
            await pilot.press("enter", "enter")  # the note may stay empty: saved
            await until(pilot, lambda: screen(app).detail is not None
                        and screen(app).detail.summary.state == "accepted")
        assert {e.id for e in CaseEntry.select().where(CaseEntry.case.in_(others))} == before
        assert "#2" in detail_text(app) and "受理告知" in detail_text(app)
        assert "电话告知" in detail_text(app)
        keys = footer_keys(app)
        assert "a" not in keys and keys.get("r") == "答复" and keys.get("e") == "申请延期"


@run_async
async def test_urge_through_its_dialog_refuses_bad_input_in_chinese_then_grows_the_timeline(
        sqlite_hall: Hall, cases: dict[str, int]) -> None:
    app = main.make_app(sqlite_hall, "mgr01", start="cases")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, 3)
        index = next(i for i, r in enumerate(screen(app).rows) if r.id == cases["wages"])
        await open_row(pilot, index)
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, StepDialog))
        dialog = app.screen
        await pilot.press("enter", "enter")  # nothing typed: the note is required
        await settle(pilot)
        assert app.screen is dialog
        assert "不能为空" in str(dialog.query_one("#error-note", Label).render())
        await type_text(pilot, "请本周内答复")  # the focus went back to the note
        await pilot.press("enter")
        await type_text(pilot, "2026-13-01")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog and "YYYY-MM-DD" in str(
            dialog.query_one("#error-due", Label).render())
        assert CaseEntry.select().where(CaseEntry.case == cases["wages"]).count() == 1
        dialog.query_one("#field-due").value = "2026-12-12"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, CasesScreen)
                    and "督办" in detail_text(app) and "#2" in detail_text(app))
        assert "请本周内答复" in detail_text(app) and "2026-12-12" in detail_text(app)
        entry = CaseEntry.get((CaseEntry.case == cases["wages"]) & (CaseEntry.seq == 2))
        assert (entry.kind, entry.actor, str(entry.due_on)) == ("urge", "mgr01", "2026-12-12")


@run_async
async def test_a_refusal_from_the_hall_stays_in_the_dialog_in_chinese(
        sqlite_hall: Hall, cases: dict[str, int]) -> None:
    app = main.make_app(sqlite_hall, "mgr01", start="cases")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, 3)
        index = next(i for i, r in enumerate(screen(app).rows) if r.id == cases["wages"])
        await open_row(pilot, index)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, StepDialog))
        sqlite_hall.cases.accept(cases["wages"], "win07")  # another terminal was quicker
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "不能受理告知" in str(
            app.screen.query_one("#form-error", Label).render()))
        assert isinstance(app.screen, StepDialog)
        assert CaseEntry.select().where(CaseEntry.case == cases["wages"]).count() == 2
