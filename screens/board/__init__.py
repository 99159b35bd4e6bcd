"""The hall board: the latest call in big type, recent calls, queue lengths, spoken calls.

- :mod:`.screen` -- :class:`BoardScreen` (``board.tcss``), read-only, no login.
- :mod:`.widgets` -- the call banner, recent calls and queue counts.
"""

from __future__ import annotations

from screens.board.screen import BOARD_POLL_SECONDS, BoardScreen, SeenIds, unannounced
from screens.board.widgets import CallBanner, QueueCounts, RecentCalls

__all__ = [
    "BOARD_POLL_SECONDS", "BoardScreen", "CallBanner", "QueueCounts", "RecentCalls", "SeenIds",
    "unannounced",
]
