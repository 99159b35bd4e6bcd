"""Screens that skip Textual's restyle of every widget when first shown.

Textual restyles a whole screen each time it is resumed (``ScreenResume``), so that CSS or a
theme changed while the screen was hidden shows. A screen opened for the first time is resumed
right after its mount styled every widget: on the desk that second pass over ~110 widgets was
some 30 ms of CPU before the first frame. Until the screen has been hidden once, nothing can
have changed behind it (a theme or CSS change restyles the current screen at once), so the
restyle is skipped, but for the few widgets styled by where the focus is (a rule with
``:focus-within``, such as the desk's field labels): a field focused while the screen was composed
(``AUTO_FOCUS``) would otherwise leave its label unstyled. After a suspend, every
resume restyles as before. tests/screens/test_startup.py compares the styles with a full restyle.

    class DeskScreen(StyledWhileShown, ..., Screen[None]): ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events

if TYPE_CHECKING:
    from textual.screen import Screen

__all__ = ["StyledWhileShown"]


class StyledWhileShown:
    """Mixin for a :class:`~textual.screen.Screen`: no full restyle on a resume before the
    screen was ever suspended. Textual calls each class's own handler (this one before
    ``Screen``'s), so neither calls the other."""

    _suspended_once = False

    def _on_screen_suspend(self) -> None:
        self._suspended_once = True

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._suspended_once and event.refresh_styles:
            event.refresh_styles = False
            screen = cast("Screen[object]", self)
            nodes = [n for n in screen.walk_children(with_self=True) if n._has_focus_within]
            if nodes:
                screen.app.stylesheet.update_nodes(nodes, animate=False)
