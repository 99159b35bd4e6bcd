"""A demo hall: a few earlier days and a living morning, so a newcomer sees the hall at work.

    hall demo                        # the CLI: builds demo.db in the data directory
    summary = build_demo(hall)       # from Python: fills an EMPTY database, returns a summary

What it makes: five earlier working days (the first always in the month before), then today
from 08:30 on with tens of visitors over most departments, each with a matter and a request that
fit its category (:mod:`hall.demo.people`): elderly visitors (priority by the age in their ID), a
disabled and a pregnant visitor, a collective visit of 8 people with 3 representatives, and
visitors who came on earlier days and are back about the case their first visit opened (重复访，
同一事项: the desk links the visit to that open case), one of them with a new phone number.
Meanwhile the staffed windows work: they call in priority order, recall, mark a no-show,
interview, transfer a visitor to the competent department and finish with an outcome (refusals
with a reason and the proper channel). At the end some windows are mid-interview and people still
wait, as in a real hall.

Between the days the case office works the cases opened (:mod:`hall.demo.cases`): acceptance
notices on time and one late, replies, follow-ups with every rating, an extension, an urge, and
a case left overdue. Last month 李红 held a reception with bookings, two of them attended
(:mod:`hall.demo.leaders`); incidents of several kinds were logged and closed in both months,
one is still being handled this morning (:mod:`hall.demo.incidents`). So every statistic
(``hall stats --period month`` and ``--period last-month``, the statistics screen) has figures.

Everything goes through the :class:`Hall` facade (``issue``, ``call_next``, ``finish`` ...; the
reception days through ``hall.leaders``, :mod:`hall.demo.leaders`), never through the tables, so
every rule (validation, routing, priority, numbering, claims, audit) applies exactly as at the
desk and the windows. Registrations are made by the roster's desk operators (desk01, desk02; not
the self-service kiosk); a window works when the roster has a window staff member of one of its
departments to man it (one window each, in window order); the others stay closed and their
queues grow. The whole demo is one transaction: it builds completely or writes nothing.

Time. The facade stamps every act with its clock, so the demo drives a second :class:`Hall` over
the same database and configuration with a private :class:`FixedClock` that it moves from event to
event; the caller's hall and clock are never touched. "Now" is the caller's clock: the real time
under a system clock, the fixed time under a :class:`FixedClock` (``HALL_NOW``), which makes the
demo reproducible. The demo's day is today, or the next working day when today is not one; it
runs from 08:30 to 10:30 whatever the hour it is built at (ahead of the clock in the early
morning), so there are always two hours of visitors and people still waiting: :func:`demo_end`
is that moment, which ``hall demo`` prints as the ``HALL_NOW`` to open the hall with.

Accounts. Every account of the demo database gets one password, :data:`DEMO_PASSWORD`, which the
summary prints, so a newcomer can sign in to every screen (``HALL_PASSWORD`` in the printed
command line). Only a new database gets it (no visitor, no password yet): never a real hall.
"""

from __future__ import annotations

from hall.demo.build import DEMO_PASSWORD, DemoError, build_demo, demo_day, demo_end

__all__ = ["DEMO_PASSWORD", "DemoError", "build_demo", "demo_day", "demo_end"]
