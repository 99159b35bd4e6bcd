"""The registration desk: register a visitor, check the ID, route to a department, issue a ticket.

- :mod:`.screen` -- :class:`DeskScreen` (``desk.tcss``); F5 issues.
- :mod:`.ticket` -- :class:`TicketScreen`, the issued ticket (``ticket.tcss``).
- :mod:`.deskform`, :mod:`.fields` -- the registration form and its fields.
- :mod:`.banner` -- :class:`VisitorBanner` and :class:`VisitHistory` (a known visitor's file).
- :mod:`.queue` -- :class:`QueuePanel`, the waiting counts beside the form.
"""

from __future__ import annotations

from screens.desk.banner import VisitHistory, VisitorBanner
from screens.desk.deskform import DeskForm
from screens.desk.queue import QueuePanel
from screens.desk.screen import DeskScreen
from screens.desk.ticket import TicketScreen

__all__ = ["DeskForm", "DeskScreen", "QueuePanel", "TicketScreen", "VisitHistory", "VisitorBanner"]
