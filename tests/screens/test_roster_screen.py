"""Pilot tests of the leaders' roster (manager screen key A): list, add with errors under the
fields, edit, retire and reinstate; and another terminal's edit appearing while it is open.

The app runs headless over a SQLite file with conftest's fixed clock (Monday 2026-11-23 09:00).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Label, OptionList, Select

from hall import Hall
from models import AuditEvent, LeaderProfile
from screens.leaders.dialogs import DayFormDialog
from screens.leaders.roster import LeaderFormDialog, RosterDialog
from screens.leaders.screen import LeadersScreen
from tests.helpers import add_account, run_async
from tests.screens.test_leaders_screen import manager, settle

SIZES = [(80, 24), (120, 40)]


def _lines(dialog: RosterDialog) -> list[str]:
    options = dialog.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_the_roster_from_the_manager_screen(sqlite_hall: Hall, tmp_path: Path,
                                                  size: tuple[int, int]) -> None:
    hall = sqlite_hall
    async with manager(hall, tmp_path).run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, LeadersScreen)
        await pilot.press("a")
        await settle(pilot)
        roster = pilot.app.screen
        assert isinstance(roster, RosterDialog)
        assert [x.code for x in roster.leaders] == ["zhangwei", "lihong", "wangshu", "shenlv"]
        assert "张伟副市长" in _lines(roster)[0] and "领导·领导接访室" in _lines(roster)[0]

        # N: a new duty lawyer; a bad code and an empty name are shown beside their fields.
        await pilot.press("n")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, LeaderFormDialog)
        assert form.query_one("#code", Input).has_focus
        await pilot.press("Z", "enter", "ctrl+s")
        await settle(pilot)
        code_error = form.query_one("#error-code", Label)
        assert code_error.display and "小写英文字母开头" in str(code_error.render())
        name_error = form.query_one("#error-name", Label)
        assert name_error.display and "姓名不能为空" in str(name_error.render())
        assert LeaderProfile.select().count() == 0
        form.query_one("#code", Input).value = "zhoulv"
        form.query_one("#name", Input).value = "周律师"
        form.query_one("#title", Input).value = "值班律师"
        form.query_one("#kind", Select).value = "lawyer"
        form.query_one("#department", Select).value = "lawyer"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is roster
        assert "周律师值班律师" in _lines(roster)[-1] and "新增" in _lines(roster)[-1]
        assert hall.leaders.roster.spec("zhoulv").department == "lawyer"

        # E on 李红: a new title, saved as version 1 by the staff member on duty.
        roster.query_one(OptionList).highlighted = 1
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, LeaderFormDialog) and form.query_one("#code", Input).disabled
        form.query_one("#title", Input).value = "市信访局党组书记"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "李红市信访局党组书记" in _lines(roster)[1]
        row = LeaderProfile.get(LeaderProfile.code == "lihong")
        assert (row.version, row.created_by) == (1, "mgr01")

        # D retires 王舒 (dimmed, kept), D again reinstates.
        roster.query_one(OptionList).highlighted = 2
        await pilot.press("d")
        await settle(pilot)
        assert "已停用" in _lines(roster)[2]
        assert "王舒市委副书记 已停用" in str(roster.query_one("#roster-message", Label).render())
        await pilot.press("d")
        await settle(pilot)
        assert "已停用" not in _lines(roster)[2]
        assert AuditEvent.select().where(AuditEvent.entity == "leader").count() == 4

        # Another terminal renames 沈律师 while the roster is open: it shows within a poll.
        add_account("mgr02", "manager", "xfj")  # the other terminal's manager
        hall.leaders.roster.edit("shenlv", "mgr02", name="沈明")
        await pilot.pause(1.3)
        await settle(pilot)
        assert "沈明值班律师" in _lines(roster)[3]

        # Closed: the day form offers the new lawyer.
        await pilot.press("escape")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, LeadersScreen)
        await pilot.press("n")
        await settle(pilot)
        day_form = pilot.app.screen
        assert isinstance(day_form, DayFormDialog)
        options = day_form.query_one("#leader", Select)._options
        assert ("周律师值班律师", "zhoulv") in [(str(p), v) for p, v in options]


@run_async
async def test_an_edit_on_a_stale_profile_is_refused_in_the_form(sqlite_hall: Hall,
                                                                 tmp_path: Path) -> None:
    hall = sqlite_hall
    async with manager(hall, tmp_path).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("e")  # 张伟, version 0
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, LeaderFormDialog)
        # another terminal, meanwhile
        add_account("mgr02", "manager", "xfj")
        hall.leaders.roster.edit("zhangwei", "mgr02", portfolio="城建")
        form.query_one("#title", Input).value = "常务副市长"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is form
        assert "刚被其他终端修改" in str(form.query_one("#form-error", Label).render())
        assert hall.leaders.roster.spec("zhangwei").title == "副市长"


@run_async
async def test_with_everyone_retired_no_form_offers_an_empty_list(sqlite_hall: Hall,
                                                                  tmp_path: Path) -> None:
    hall = sqlite_hall
    for x in hall.leaders.roster.list():
        hall.leaders.roster.retire(x.code, "mgr01")
    async with manager(hall, tmp_path).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LeadersScreen)
        assert any("名册中没有可安排的领导" in str(n.message)
                   for n in pilot.app._notifications)
