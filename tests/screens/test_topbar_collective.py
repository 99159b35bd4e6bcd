"""A collective visit (集体访) shows on every staff screen's top bar the moment it is registered,
until a window has finished it (issue 9 §3); the board never shows it. The visit is registered
and finished by another terminal (the ``hall`` command in a subprocess)."""

from __future__ import annotations

import pytest
from textual.widgets import Label

import main
from hall import Hall
from screens.app import HallApp
from screens.widgets.topbar import TopBar
from tests.helpers import form, make_id, named, run_async
from tests.screens.test_incident_screens import run_cli, settle, until

CROWD = ["issue", "--staff", "desk02", "--name", "赵大成", "--id-number", make_id(seq=71),
         "--category", "wages", "--matter", "工地欠薪", "--people", "12",
         *[a for rep in named([make_id(seq=73), make_id(seq=75)])
           for a in ("--representative", rep)]]


def collective_text(app: HallApp) -> str | None:
    bars = list(app.screen.query(TopBar).results(TopBar))
    if not bars or not bars[0].has_class("-collective"):
        return None
    return str(bars[0].query_one("#topbar-collective", Label).render())


@pytest.mark.parametrize("start", ["incidents", "leaders", "window"])
@run_async
async def test_a_collective_visit_alerts_every_staff_screen(hall: Hall, db_url: str,
                                                            start: str) -> None:
    app = main.make_app(hall, "win07" if start == "window" else "mgr01", start=start, window=7)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await run_cli(hall, db_url, "issue", "--staff", "desk02", "--name", "钱二",
                      "--id-number", make_id(seq=77), "--category", "wages", "--matter", "欠薪",
                      "--people", "4")
        await run_cli(hall, db_url, *CROWD)
        await until(pilot, lambda: collective_text(app) is not None, 4)
        assert collective_text(app) == "集体访 L002 12人 09:00"
        for _ in range(2):  # the first in line, then the crowd, called and finished
            await run_cli(hall, db_url, "--staff", "win07", "call", "--window", "7")
            await run_cli(hall, db_url, "--staff", "win07", "finish", "--window", "7",
                          "--outcome", "answered")
        await until(pilot, lambda: collective_text(app) is None, 4)


@run_async
async def test_the_desk_that_registers_it_and_80_columns(hall: Hall) -> None:
    hall.desk.issue(form(
        id_number=make_id(seq=71), people=6, representatives=named([make_id(seq=73)])),
        actor="desk02")
    app = main.make_app(hall, "desk01", start="desk")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: collective_text(app) is not None, 4)
        assert collective_text(app) == "集体访 1 起"
        status = str(app.screen.query_one("#topbar-status", Label).render())
        assert status.endswith("（desk01）")  # the status stays whole


@run_async
async def test_the_board_never_shows_it(hall: Hall) -> None:
    hall.desk.issue(form(
        id_number=make_id(seq=71), people=6, representatives=named([make_id(seq=73)])),
        actor="desk02")
    app = main.make_app(hall, None, start="board")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(app.collective_watch.alerts), 4)
        assert not app.screen.query(TopBar)
