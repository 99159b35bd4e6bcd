"""Leader reception days (领导接待日): the roster, rules and planning, days, bookings, 包案.

One context of the hall, ``hall.leaders`` (:class:`Leaders`), with three parts over one shared
state (:class:`hall.leaders.shared.LeaderState`: the Store, the roster as read, a day's lock and
view):

    hall.leaders.roster.add("zhaomin", "赵敏", "mgr01", title="副区长", department="leader")
    hall.leaders.plan.month(2026, 12, actor="mgr01")            # rules → planned days
    hall.leaders.plan.publish_due(actor="mgr01")                 # within the horizon → published
    day = hall.leaders.add_day("zhangwei", date(2026, 12, 3), "09:00", "11:30", 8, actor="mgr01")
    booked = hall.leaders.bookings.book(day.id, "11010519491231002X", actor="desk01")
    hall.leaders.bookings.book_form(day.id, Registration(...), actor="desk01")  # opens the file
    ticket = hall.leaders.bookings.check_in(booked.booking.id, actor="desk01")  # on the day

Modules: :mod:`~hall.leaders.days` (the context: days, 包案, the desk's walk-in rule, the board's
line), :mod:`~hall.leaders.roster`, :mod:`~hall.leaders.plan`, :mod:`~hall.leaders.bookings`,
:mod:`~hall.leaders.schedule` (the calendar: rules → dates, holidays and 调休),
:mod:`~hall.leaders.views` (the frozen results adapters get).

What it needs from the rest of the hall comes through its constructor: the Store, and the desk's
``issue_locked(clean, actor)`` that a check-in issues its ticket with, inside its own transaction.
Every act asks the permission table first (:meth:`hall.store.Store.permit`): days, planning and
the roster are the managers'; bookings and check-in the desk's and managers'; a 包案 the
managers' and the leader's own room's.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # each name is imported with its module when first asked for (__getattr__)
    from hall.leaders.bookings import BOOKED_RANK_BASE, Bookings
    from hall.leaders.days import ClosedToday, Leaders
    from hall.leaders.plan import Plan
    from hall.leaders.roster import ROSTER_LABELS, Roster
    from hall.leaders.shared import LEADERS

# The board and the desk read the leaders' line through hall.leaders.shared and .views at start;
# bookings, planning and the roster come with the context, when first used.
_HOMES = {"BOOKED_RANK_BASE": "bookings", "Bookings": "bookings", "ClosedToday": "days",
          "Leaders": "days", "Plan": "plan", "ROSTER_LABELS": "roster", "Roster": "roster",
          "LEADERS": "shared"}

__all__ = ["BOOKED_RANK_BASE", "LEADERS", "ROSTER_LABELS", "Bookings", "ClosedToday", "Leaders",
           "Plan", "Roster"]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
