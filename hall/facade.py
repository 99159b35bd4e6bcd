"""The facade: one root object per hall, one object per context, one code path per rule.

    hall = Hall(db, config, SystemClock())
    ticket = hall.desk.issue(Registration(...), actor="desk01")
    called = hall.windows.call_next(5, actor="win05")
    view = hall.board.view()

The CLI, every screen, the tests and the benchmarks go through this object. :class:`Hall` owns the
:class:`~hall.store.Store` (database, clock, transaction, audit log, change counter) and builds the
contexts (the desk at once, the others when first used, so a command imports only the contexts it
uses), handing each what it needs from the others through its constructor:

- ``hall.accounts`` (:mod:`hall.accounts`): staff accounts, signing in, passwords, tokens;
- ``hall.recusals`` (:mod:`hall.accounts.recusal`): 回避, staff who must not handle a visitor;
- ``hall.audit`` (:mod:`hall.accounts.audit`): the audit log read back (``hall audit``);
- ``hall.desk`` (:mod:`hall.desk`): registration, tickets, visitor files, query codes;
- ``hall.windows`` (:mod:`hall.windows`): claim, recall, no-show, transfer, finish, pause;
- ``hall.board`` (:mod:`hall.board`): queues, recent calls, the board's view, announcements;
- ``hall.leaders`` (:mod:`hall.leaders`): reception days, 包案, roster, planning, bookings;
- ``hall.incidents`` (:mod:`hall.incidents`): special situations, their steps and reports;
- ``hall.cases`` (:mod:`hall.cases`): cases (信访事项) from the window to their close;
- ``hall.stats`` (:mod:`hall.stats`): the figures of a period, the visit register, exports;
- ``hall.printer`` (:mod:`hall.printing.tickets`): a ticket's slip on the receipt printer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import TYPE_CHECKING, Generic, TypeVar

from hall.clock import Clock
from hall.desk.desk import Desk
from hall.store import TICKETS, Store
from models import ensure_schema

if TYPE_CHECKING:
    import peewee as pw

    from config.schema import HallConfig
    from hall.accounts.audit import AuditLog
    from hall.accounts.recusal import Recusals
    from hall.board import Board
    from hall.cases import Cases
    from hall.incidents import Incidents
    from hall.leaders import Leaders
    from hall.printing.tickets import TicketPrinter
    from hall.stats import Stats
    from hall.windows import Windows

C = TypeVar("C")


class _Context(Generic[C]):
    """A context built (and its module imported) on first use, once, whichever thread asks first;
    later reads find it in the instance, without the lock."""

    def __init__(self, build: Callable[[Hall], C]) -> None:
        self.build = build
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, hall: Hall | None, owner: type | None = None) -> C:
        if hall is None:
            return self  # type: ignore[return-value]  # the class's attribute: the descriptor
        with hall._building:
            if self.name not in hall.__dict__:
                hall.__dict__[self.name] = self.build(hall)
        return hall.__dict__[self.name]


class Hall:
    """The hall's rules over its database, for one configuration and clock.

    The desk is built with the hall; the other contexts when first used (``hall status`` on a
    kiosk needs the desk's lookup, not reception days, incidents, the board and the windows).
    """

    def __init__(self, db: pw.Database, config: HallConfig, clock: Clock) -> None:
        self.db = db
        self.config = config
        self.clock = clock
        ensure_schema(db)
        self.store = Store(db, config, clock)
        self.tz = self.store.tz
        self._building = threading.RLock()  # building the windows builds the board and desk
        # The contexts need each other both ways (the desk asks leaders about walk-ins, a
        # booking's check-in issues through the desk), so they get late-bound callables: a
        # context sees the other's current method, whatever order they are built in (tests and
        # benchmarks replace some on the instance).
        from hall.accounts.context import Accounts

        self.accounts = Accounts(self.store)
        if hasattr(config, "staff"):  # a status lookup's few settings hold no roster
            self.accounts.seed()  # the first use of a database: the configured staff's accounts
        # The desk is built with the hall, not on first use: building it makes the query codes'
        # secret on a new database, and an act refused before the desk was first used (a
        # board's account asked to issue) must still write nothing.
        self.desk = Desk(self.store,
                         check_walk_in=lambda clean: self.leaders.check_walk_in(clean),
                         cases_of=lambda visitor: self.leaders.cases_of(visitor),
                         incidents_of=lambda visitor: self.incidents.of_visitor(visitor),
                         open_cases_of=lambda visitor, viewer: self.cases.open_cases_of(
                             visitor, viewer),
                         link_case=lambda case, visit, actor, at: self.cases.link_visit_locked(
                             case, visit, actor, at))

    @_Context
    def audit(self) -> AuditLog:
        """The audit log, read by administrators and managers (``hall audit``)."""
        from hall.accounts.audit import AuditLog

        return AuditLog(self.store)

    @_Context
    def leaders(self) -> Leaders:
        """Reception days, 包案, the roster, planning, bookings."""
        from hall.leaders import Leaders

        return Leaders(self.store, issue_locked=self.desk.issue_locked,
                       file_locked=self.desk.save_file_locked, cases=lambda: self.cases)

    @_Context
    def incidents(self) -> Incidents:
        """Special situations, their steps and reports."""
        from hall.incidents import Incidents

        return Incidents(self.store, find_ticket=self.desk.find_ticket)

    @_Context
    def cases(self) -> Cases:
        """Cases (信访事项): opened at the window, followed to their close."""
        from hall.cases import Cases

        return Cases(self.store, leaders=lambda: self.leaders.roster.specs(),
                     active_leader=lambda code: self.leaders.roster.active(code))

    @_Context
    def stats(self) -> Stats:
        """The figures of a period, the visit register, the audit of exports."""
        from hall.stats import Stats

        return Stats(self.store)

    @_Context
    def printer(self) -> TicketPrinter:
        """The receipt printer: print or reprint a ticket's slip, audited."""
        from hall.printing.tickets import TicketPrinter

        return TicketPrinter(self.store, self.desk)

    @_Context
    def board(self) -> Board:
        """Queues, recent calls, the board's view, announcements."""
        from hall.board import Board

        return Board(self.store, receptions=lambda: self.leaders.todays_receptions(),
                     waits_for=lambda entries: self.leaders.waits_for(entries))

    @_Context
    def windows(self) -> Windows:
        """Claim, recall, no-show, transfer, finish, pause."""
        from hall.windows import Windows

        return Windows(self.store, board=self.board, visits_of=self.desk.recorded_visits,
                       check_transfer=lambda department: self.leaders.check_transfer(department),
                       incidents_of=lambda visitor: self.incidents.of_visitor(visitor),
                       recused_from=lambda login: self.recusals.recused_from(login),
                       cases=lambda: self.cases)

    @_Context
    def recusals(self) -> Recusals:
        """回避: declare, withdraw, list; a window hands a recused visitor back."""
        from hall.accounts.recusal import Recusals

        return Recusals(self.store)

    def now(self) -> datetime:
        """The current instant (aware), from the injected clock."""
        return self.store.now()

    def today(self) -> date:
        """The current business day."""
        return self.store.today()

    def local(self, stored: datetime) -> datetime:
        """A stored (naive UTC) time in the hall's time zone."""
        return self.store.local(stored)

    def change_version(self, topic: str = TICKETS) -> int:
        """The change counter of ``topic``: one primary-key read; poll it to see others' work."""
        return self.store.change_version(topic)

    def connection(self) -> AbstractContextManager[None]:
        """A connection for the calling thread, given back afterwards (screens' worker threads;
        PostgreSQL: a pooled session, see :meth:`hall.store.Store.connection`)."""
        return self.store.connection()
