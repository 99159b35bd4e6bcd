"""The reception window: call, recall, interview, no-show, transfer, finish (one ticket to the end).

- :mod:`.screen` -- :class:`WindowScreen` (``window.tcss``); F5 calls the next ticket.
- :mod:`.dialogs` -- confirm, call a number, pick the window (``dialogs.tcss``).
- :mod:`.forms` -- the outcome and transfer dialogs.
- :mod:`.visit`, :mod:`.waiting` -- the current visit panel and the waiting list.
"""

from __future__ import annotations

from screens.window.dialogs import CallNumberDialog, ConfirmDialog, WindowPickDialog
from screens.window.forms import OutcomeDialog, TransferDialog
from screens.window.screen import WindowScreen
from screens.window.visit import CurrentVisitPanel
from screens.window.waiting import WaitingList

__all__ = [
    "CallNumberDialog", "ConfirmDialog", "CurrentVisitPanel", "OutcomeDialog",
    "TransferDialog", "WaitingList", "WindowPickDialog", "WindowScreen",
]
