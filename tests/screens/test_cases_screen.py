"""Pilot tests of the case screen (`hall cases`): the list and its views, a case's timeline, a
step taken with its one key through its dialog, the scope of a window clerk, a masked
confidential case, documents, the managers' overdue mark when the clock passes midnight after a
due date, the launcher's key, and the leaders' screen's cases of the selected day's leader.

The app runs headless over a SQLite file with the conftest's fixed clock (Monday 2026-11-23
09:00); the cases are opened the way the hall opens them, by a window finishing a visit 立案交办.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Label, OptionList, Static

import main
from hall import Hall
from hall.clock import FixedClock
from models import Case, CaseEntry
from screens.app import HallApp
from screens.cases.dialogs import DocumentDialog, StepDialog
from screens.cases.screen import CasesScreen
from screens.dialogs import NoticeDialog
from screens.launcher.launcher import LauncherScreen
from screens.leaders.cases import LeaderCases
from screens.widgets.topbar import TopBar
from tests.conftest import CST
from tests.helpers import add_account, distinct_id, form, only_changes, run_async
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
        assert "剩15天" in rows[2] and "咨询" in rows[2]  # cut with … at 80 columns
        assert mark(app) is not None and "逾期案件 2 件" in (mark(app) or "")
        await pilot.press("1")  # the overdue list: one key
        await loaded(pilot, 2)
        index = next(i for i, r in enumerate(screen(app).rows) if r.id == cases["wages"])
        await open_row(pilot, index)
        assert "工地拖欠工资三个月" in detail_text(app)
        assert "第1位，已登记诉求" in detail_text(app)  # the window's note (口径一致)
        assert "#1" in detail_text(app) and "#2" not in detail_text(app)
        keys = footer_keys(app)
        assert keys.get("a") == "受理" and keys.get("u") == "督办"
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
        assert "a" not in keys and keys.get("r") == "答复" and keys.get("e") == "延期"


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


# -- who sees what -------------------------------------------------------------------------------


@run_async
async def test_a_window_clerk_sees_only_their_department_s_cases(
        sqlite_hall: Hall, cases: dict[str, int]) -> None:
    app = main.make_app(sqlite_hall, "win07", start="cases")  # 人社局
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, 1)
        assert [r.id for r in screen(app).rows] == [cases["wages"]]
        await pilot.press("4")  # every case, closed too: still only 人社局's
        await settle(pilot)
        assert [r.id for r in screen(app).rows] == [cases["wages"]]
        await open_row(pilot, 0)
        keys = footer_keys(app)
        # A clerk handles (受理) but does not supervise (督办, 交办 are the managers').
        assert keys.get("a") == "受理" and "u" not in keys and "s" not in keys


@run_async
async def test_a_confidential_case_is_masked_outside_its_department(
        sqlite_hall: Hall, cases: dict[str, int]) -> None:
    # win20 works in the leaders' room: it sees the case 李红 took, not what it is about.
    app = main.make_app(sqlite_hall, "win20", start="cases")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, 1)
        assert "保密事项" in table_text(app)[0] and "红包" not in table_text(app)[0]
        await open_row(pilot, 0)
        text = detail_text(app)
        assert "保密事项" in text and "红包" not in text and "第2位" not in text
        assert "李红" in text  # the leader who took it


# -- the managers' mark --------------------------------------------------------------------------


@run_async
async def test_the_mark_appears_when_the_clock_passes_midnight_after_the_due_date(
        sqlite_hall: Hall, clock: FixedClock) -> None:
    open_case(sqlite_hall, 7, "win07", 1)  # opened 11-23: the acceptance notice due 12-08
    # 23:59 on the due date: not yet overdue. Past midnight the business day is still 12-08
    # (rollover at 03:00) and nobody writes: only the date moved.
    clock.set(datetime(2026, 12, 8, 23, 59, 30, tzinfo=CST))
    app = main.make_app(sqlite_hall, "mgr01")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LauncherScreen)
        await pilot.pause(1.2)
        assert mark(app) is None
        clock.set(datetime(2026, 12, 9, 0, 0, 30, tzinfo=CST))
        waited = await until(pilot, lambda: mark(app) is not None, 4)
        print(f"overdue mark shown {waited * 1000:.0f} ms after midnight")
        assert mark(app) == "逾期案件 1 件"


@run_async
async def test_the_mark_is_the_managers_and_short_at_80_columns(
        sqlite_hall: Hall, cases: dict[str, int]) -> None:
    app = main.make_app(sqlite_hall, "mgr01", start="cases")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: mark(app) is not None)
        assert mark(app) == "逾期案件 2 件"
        status = str(app.screen.query_one("#topbar-status", Label).render())
        assert status.endswith("张主任（mgr01）")  # the status stays whole
    app = main.make_app(sqlite_hall, "win07", start="cases")
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, 1)
        await pilot.pause(1.2)
        assert mark(app) is None and app.case_watch.alerts == ()


# -- the launcher, the leaders' screen, documents ------------------------------------------------


@pytest.mark.parametrize(("login", "offered"), [("mgr01", True), ("win01", True),
                                                 ("leader01", True), ("desk01", False)])
@run_async
async def test_the_launcher_offers_the_case_screen_to_those_who_may_open_it(
        sqlite_hall: Hall, login: str, offered: bool) -> None:
    if login == "leader01":
        add_account("leader01", "leader", "leader", name="韩秘书")
    app = HallApp(sqlite_hall, staff=login)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        roles = app.screen.query_one("#roles", OptionList)
        ids = [roles.get_option_at_index(i).id for i in range(roles.option_count)]
        assert ("cases" in ids) == offered
        await pilot.press("6")
        await settle(pilot)
        assert isinstance(app.screen, CasesScreen) == offered


@run_async
async def test_the_leaders_screen_lists_the_cases_the_day_s_leader_took(
        sqlite_hall: Hall, cases: dict[str, int]) -> None:
    sqlite_hall.leaders.add_day("lihong", LATER.date(), "09:00", "11:30", 20, actor="mgr01")
    app = main.make_app(sqlite_hall, "mgr01", start="leaders")
    async with app.run_test(size=(120, 40)) as pilot:
        panel = app.screen.query_one(LeaderCases)
        await until(pilot, lambda: bool(panel.rows))
        text = str(panel.render())
        number = Case.get_by_id(cases["report"]).number
        assert "包案" in text and "李红" in text and number in text
        assert "待受理" in text and "逾期2天" in text


@run_async
async def test_d_prints_a_document_into_the_exports_folder(
        sqlite_hall: Hall, cases: dict[str, int], tmp_path: Path) -> None:
    app = HallApp(sqlite_hall, staff="mgr01", start="cases", data_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, 3)
        index = next(i for i, r in enumerate(screen(app).rows) if r.id == cases["wages"])
        await open_row(pilot, index)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DocumentDialog))
        await pilot.press("1")  # 受理告知书
        await until(pilot, lambda: isinstance(app.screen, NoticeDialog), 10)
        saved = list((tmp_path / "exports").glob("acceptance-*.pdf"))
        assert len(saved) == 1 and saved[0].read_bytes().startswith(b"%PDF")
        assert str(saved[0]) in app.screen.text
