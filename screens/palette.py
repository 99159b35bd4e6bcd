"""The command palette (Ctrl+P): the current screen's actions, by their Chinese names.

    class HallApp(App):
        ENABLE_COMMAND_PALETTE = True
        def get_system_commands(self, screen):
            yield from screen_commands(self, screen)

Textual's palette lists the app's "system commands"; the hall's are the actions the screen's keys
offer at that moment (the same list the footer shows, disabled ones left out), each titled with
its description and key, e.g. 「叫号（F5）」, so a newcomer finds an action by name and learns its
key. The theme picker and 退出 follow. A remapped key (``terminal.keys``) shows as remapped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.command import CommandPalette
from textual.theme import ThemeProvider

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen


def screen_commands(app: App[object], screen: Screen[object]) -> Iterator[SystemCommand]:
    """The screen's enabled key actions with their descriptions, then 配色主题 and 退出."""
    seen: set[tuple[int, str]] = set()
    keys: dict[tuple[int, str], list[str]] = {}
    found = []
    for active in screen.active_bindings.values():
        binding = active.binding
        if not active.enabled or not binding.description or not binding.id:
            continue  # Textual's own widget keys (a table's arrows) carry no id and no Chinese
        which = (id(active.node), binding.action)
        display = app.get_key_display(binding)
        keys.setdefault(which, []).append(
            display.upper() if re.fullmatch(r"f\d+|[a-z]", display) else display)
        if which not in seen:
            seen.add(which)
            found.append(active)
    for active in found:
        binding = active.binding
        shown = "/".join(keys[(id(active.node), binding.action)])
        if binding.id in ("app.quit", "app.palette"):
            continue  # offered last, as 退出
        yield SystemCommand(f"{binding.description}（{shown}）", binding.id or binding.action,
                            partial(app.run_action, binding.action, active.node))
    yield SystemCommand("配色主题", f"换一种配色（当前：{app.theme}）", partial(pick_theme, app))
    yield SystemCommand("退出", "关闭这个终端", app.action_quit)


def open_palette(app: App[object]) -> None:
    """Ctrl+P: the palette, asking in Chinese."""
    if app.use_command_palette and not CommandPalette.is_open(app):
        app.push_screen(CommandPalette(placeholder="输入操作名称，如 叫号、出票…",
                                       id="--command-palette"))


def pick_theme(app: App[object]) -> None:
    """The theme picker (Textual's themes, by name)."""
    app.push_screen(CommandPalette(providers=[ThemeProvider], placeholder="输入主题名…"))
