"""The reception window: call, recall, interview, no-show, transfer, finish (one ticket to the end).

- :mod:`.screen` -- :class:`WindowScreen` (``window.tcss``); F5 calls the next ticket.
- :mod:`.dialogs` -- confirm, call a number, pick the window (``dialogs.tcss``).
- :mod:`.forms`, :mod:`.transfer` -- the outcome and transfer dialogs.
- :mod:`.casekeys`, :mod:`.casework` -- 接谈记录 (^E), 约谈 (^Y), the case a finish opens.
- :mod:`.visit`, :mod:`.waiting` -- the current visit panel and the waiting list.
"""

from __future__ import annotations

from screens.window.casework import AppointmentDialog, InterviewDialog
from screens.window.dialogs import CallNumberDialog, ConfirmDialog, WindowPickDialog
from screens.window.forms import OutcomeDialog
from screens.window.screen import WindowScreen
from screens.window.transfer import TransferDialog
from screens.window.visit import CurrentVisitPanel
from screens.window.waiting import WaitingList

__all__ = [
    "AppointmentDialog",
    "CallNumberDialog",
    "ConfirmDialog",
    "CurrentVisitPanel",
    "InterviewDialog",
    "OutcomeDialog",
    "TransferDialog",
    "WaitingList",
    "WindowPickDialog",
    "WindowScreen",
]
