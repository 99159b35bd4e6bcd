"""Keys remapped and a theme picked in the configuration (``terminal:``), and the command palette
(Ctrl+P) offering the screen's actions by their Chinese names."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from textual.binding import Binding
from textual.command import CommandPalette
from textual.dom import DOMNode
from textual.theme import BUILTIN_THEMES

import main
import screens
from config import ConfigError
from config.terminal import BINDING_IDS, THEMES
from hall import Hall
from screens.app import HallApp
from screens.palette import screen_commands
from screens.window.screen import WindowScreen
from tests.helpers import config_with, distinct_id, form, run_async
from tests.screens.test_window_screen import current, opened, press, until


def screen_binding_ids() -> set[str | None]:
    """Every binding id declared by a class of the screens package (None: a binding without)."""
    found: set[str | None] = set()
    for module in pkgutil.walk_packages(screens.__path__, "screens."):
        loaded = importlib.import_module(module.name)
        for _name, cls in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(cls, DOMNode) and cls.__module__ == loaded.__name__:
                found.update(b.id if isinstance(b, Binding) else None
                             for b in cls.__dict__.get("BINDINGS", []))
    return found


def test_the_configuration_knows_every_binding_id_of_the_screens() -> None:
    declared = screen_binding_ids()
    assert None not in declared, "every binding has an id (remappable from the configuration)"
    assert declared == BINDING_IDS, (
        f"config/terminal.py BINDING_IDS: add {sorted(declared - BINDING_IDS)}, "  # type: ignore[type-var]
        f"remove {sorted(BINDING_IDS - declared)}")  # type: ignore[operator]


def test_the_configuration_knows_textual_s_themes() -> None:
    assert set(THEMES) == set(BUILTIN_THEMES)


KEYS = "  keys: {}                    # remap"


@pytest.mark.parametrize(("replacement", "message", "suggestion"), [
    ("  keys: {window.cal_next: f1}  # remap",
     "未知的按键绑定编号“window.cal_next”，window 下可用：", "window.call_next"),
    ("  keys: {windows.call_next: f1}  # remap", "未知的按键绑定编号“windows.call_next”",
     "window.call_next"),
    ("  keys: {zzz: f1}  # remap", "前缀可为：app、board、booking", None),
    ("  keys: {window.call_next: 'F 1'}  # remap", "按键“F 1”写法不对", None),
])
def test_an_unknown_binding_id_is_refused_with_the_nearest(replacement: str, message: str,
                                                           suggestion: str | None) -> None:
    with pytest.raises(ConfigError) as caught:
        config_with((KEYS, replacement))
    (problem,) = caught.value.problems
    assert message in problem.message and problem.suggestion == suggestion
    assert problem.dotted.startswith("terminal.keys.") and problem.line > 1


def test_an_unknown_theme_is_refused_with_the_nearest() -> None:
    with pytest.raises(ConfigError) as caught:
        config_with(("  theme: textual-dark ", "  theme: textual-lite "))
    (problem,) = caught.value.problems
    assert "未知的配色主题“textual-lite”" in problem.message
    assert problem.suggestion == "textual-light"


def remapped_hall(hall: Hall) -> Hall:
    config = config_with(("  theme: textual-dark ", "  theme: textual-light "),
                         (KEYS, "  keys: {window.call_next: f1, window.recall: 'f6,r'}  # remap"))
    remapped = Hall(hall.db, config, hall.clock)
    for n in (1, 2):
        remapped.desk.issue(form(name="欧阳明月", id_number=distinct_id(n), category="reform"),
                            actor="desk01")
    return remapped


@run_async
async def test_keys_and_theme_from_the_configuration(sqlite_hall: Hall) -> None:
    hall = remapped_hall(sqlite_hall)
    app: HallApp = main.make_app(hall, "win01", start="window", window=1)
    async with app.run_test(size=(120, 30)) as pilot:
        await opened(pilot)
        assert app.theme == "textual-light"
        await press(pilot, "f5")
        assert current(app) is None  # F5 no longer calls: F1 does
        await press(pilot, "f1")
        assert current(app) == "R001"
        await press(pilot, "r")
        assert hall.desk.ticket_status("R001").status == "called"
        screen = app.screen
        assert isinstance(screen, WindowScreen) and screen.view.current.recalls == 1  # type: ignore[union-attr]
        titles = [c.title for c in screen_commands(app, screen)]
        assert "叫号（F1）" in titles and "重呼（F6/R）" in titles


@run_async
async def test_the_palette_offers_the_screen_s_actions_in_chinese(sqlite_hall: Hall) -> None:
    sqlite_hall.desk.issue(form(name="欧阳明月", id_number=distinct_id(1), category="reform"),
                           actor="desk01")
    app: HallApp = main.make_app(sqlite_hall, "win01", start="window", window=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await opened(pilot)
        titles = [c.title for c in screen_commands(app, app.screen)]
        for title in ("叫号（F5）", "指定叫号（F4）", "暂停（F2）", "工作台（F10）",
                      "特殊情况（F12）", "配色主题", "退出"):
            assert title in titles
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"叫号")
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: current(app) == "R001")
        assert isinstance(app.screen, WindowScreen)

