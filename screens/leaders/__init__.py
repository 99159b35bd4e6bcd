"""Leaders' reception days: the month calendar, days, rules, the roster, bookings and export.

- :mod:`.screen` -- :class:`LeadersScreen` (``leaders.tcss``).
- :mod:`.monthgrid` -- :class:`MonthGrid`, the month calendar.
- :mod:`.month` -- what one read of the month brings, and how a day's bookings read.
- :mod:`.dialogs` -- :class:`DayFormDialog` and the words of a cancellation.
- :mod:`.rules`, :mod:`.roster` -- the schedule rules and the roster dialogs (``roster.tcss``).

The reason, notice, form and booking dialogs are shared: :mod:`screens.dialogs`.
"""

from __future__ import annotations

from screens.leaders.dialogs import DayFormDialog, LeaderForm, cancel_notice
from screens.leaders.monthgrid import MonthGrid
from screens.leaders.roster import LeaderFormDialog, RosterDialog
from screens.leaders.rules import RuleFormDialog, RuleListDialog
from screens.leaders.screen import LeadersScreen

__all__ = [
    "DayFormDialog", "LeaderForm", "LeaderFormDialog", "LeadersScreen", "MonthGrid",
    "RosterDialog", "RuleFormDialog", "RuleListDialog", "cancel_notice",
]
