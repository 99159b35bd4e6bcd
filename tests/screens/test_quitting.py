"""Quitting and clearing never drop typed work without asking (issue 10 §2), at 80x24.

Ctrl+Q quits at once when nothing is typed; with a half-typed registration (even one left on the
desk while the launcher is shown) or a half-typed incident form it asks first, and Ctrl+Q again
confirms. F2 at the desk clears a filled form only after asking.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from hall import Hall
from screens.app import HallApp
from screens.desk.screen import DeskScreen
from screens.incidents.form import IncidentForm
from screens.launcher.launcher import LauncherScreen
from screens.window.dialogs import ConfirmDialog
from tests.helpers import run_async
from tests.screens.test_window_screen import until


def desk_app(hall: Hall, tmp_path: Path) -> HallApp:
    return HallApp(hall, staff="desk01", start="desk", data_dir=tmp_path)


async def ready(pilot: Pilot) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, DeskScreen)
                and pilot.app.screen.focused is not None)


def typed_name(app: HallApp) -> str:
    desk = next(s for s in app.screen_stack if isinstance(s, DeskScreen))
    return desk.query_one("#name", Input).value


async def type_a_name(pilot: Pilot) -> None:
    pilot.app.screen.query_one("#name", Input).focus()
    await pilot.pause()
    await pilot.press(*"欧阳明月")
    await until(pilot, lambda: typed_name(pilot.app) == "欧阳明月")  # type: ignore[arg-type]


def message(app: HallApp) -> str:
    return str(app.screen.query_one("#confirm-message").render())


@run_async
async def test_ctrl_q_on_an_empty_desk_quits_at_once(sqlite_hall: Hall, tmp_path: Path) -> None:
    app = desk_app(sqlite_hall, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: not app.is_running)


@run_async
async def test_ctrl_q_with_a_half_typed_form_asks_and_escape_keeps_it(sqlite_hall: Hall,
                                                                     tmp_path: Path) -> None:
    app = desk_app(sqlite_hall, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await type_a_name(pilot)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "登记表中已填写的内容尚未保存，退出后将丢失" in message(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DeskScreen))
        assert app.is_running and typed_name(app) == "欧阳明月"
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("ctrl+q")  # again: yes, quit
        await until(pilot, lambda: not app.is_running)


@run_async
async def test_the_form_left_on_the_desk_is_asked_about_from_the_launcher(
        sqlite_hall: Hall, tmp_path: Path) -> None:
    app = desk_app(sqlite_hall, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await type_a_name(pilot)
        await pilot.press("f10")
        await until(pilot, lambda: isinstance(app.screen, LauncherScreen))
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("enter")
        await until(pilot, lambda: not app.is_running)


@run_async
async def test_a_half_typed_incident_form_is_asked_about(sqlite_hall: Hall,
                                                         tmp_path: Path) -> None:
    app = desk_app(sqlite_hall, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f12")
        await until(pilot, lambda: isinstance(app.screen, IncidentForm))
        app.screen.query_one("#incident-note", Input).focus()
        await pilot.pause()
        await pilot.press(*"有人吵闹")
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "未保存的特殊情况登记" in message(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, IncidentForm))
        assert app.screen.query_one("#incident-note", Input).value == "有人吵闹"


@run_async
async def test_f2_clears_an_empty_form_at_once_and_asks_for_a_filled_one(
        sqlite_hall: Hall, tmp_path: Path) -> None:
    app = desk_app(sqlite_hall, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, DeskScreen)  # nothing typed: nothing to ask
        await type_a_name(pilot)
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "登记表中已填写的内容将全部清空" in message(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DeskScreen))
        assert typed_name(app) == "欧阳明月"
        await pilot.press("f2")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DeskScreen))
        assert typed_name(app) == "" and not app.screen.form.filled  # type: ignore[attr-defined]
        assert app.screen.focused is app.screen.query_one("#id_number", Input)
