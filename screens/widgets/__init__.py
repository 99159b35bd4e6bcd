"""Widgets several roles share: big digits, terminal-cell arithmetic, a pinyin picker, a top bar.

A role's own widgets live in its package (screens/desk/, screens/window/, ...).
"""

from __future__ import annotations

from screens.widgets.bignumber import BigNumber, big_width
from screens.widgets.cells import cut, fit, share_widths
from screens.widgets.picker import Choice, Picker, filter_choices
from screens.widgets.topbar import TopBar

__all__ = [
    "BigNumber", "Choice", "Picker", "TopBar", "big_width", "cut", "filter_choices", "fit",
    "share_widths",
]
