"""The facade: one root object per hall, one object per context, one code path per rule.

    hall = Hall(db, config, SystemClock())
    ticket = hall.desk.issue(Registration(...), actor="desk01")
    called = hall.windows.call_next(5, actor="win05")
    view = hall.board.view()

The CLI, every screen, the tests and the benchmarks go through this object. :class:`Hall` owns the
:class:`~hall.store.Store` (database, clock, transaction, audit log, change counter) and builds the
contexts, handing each what it needs from the others through its constructor:

- ``hall.desk`` (:mod:`hall.desk`): registration, tickets, visitor files, query codes;
- ``hall.windows`` (:mod:`hall.windows`): claim, recall, no-show, transfer, finish, pause;
- ``hall.board`` (:mod:`hall.board`): queues, recent calls, the board's view, announcements.

Leader reception days and incidents are still mixins (:class:`_LeadersAndIncidents`) while they
become contexts of their own.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any

import peewee as pw

from config.schema import HallConfig
from hall.board import Board
from hall.clock import Clock
from hall.desk import Desk
from hall.desk.registration import CleanRegistration
from hall.incidents import IncidentOps
from hall.leaders import LeaderOps
from hall.store import TICKETS, Store
from hall.views import IssuedTicket
from hall.windows import Windows
from models import Ticket, ensure_schema


class _LeadersAndIncidents(LeaderOps, IncidentOps):
    """Interim: the leader and incident mixins on the root, with the few hooks they expect.

    Goes away when ``hall.leaders`` and ``hall.incidents`` are contexts of their own.
    """

    store: Store
    desk: Desk

    def _audit(self, actor: str, action: str, entity: str, entity_id: Any, at: datetime,
               detail: dict[str, Any]) -> None:
        self.store.audit(actor, action, entity, entity_id, at, detail)

    def _bump(self, topic: str) -> None:
        self.store.bump(topic)

    def _issue(self, clean: CleanRegistration, actor: str) -> IssuedTicket:
        return self.desk.issue_locked(clean, actor)

    def _find_ticket(self, code_or_number: str, day: date | None) -> Ticket:
        return self.desk.find_ticket(code_or_number, day)


class Hall(_LeadersAndIncidents):
    """The hall's rules over its database, for one configuration and clock."""

    def __init__(self, db: pw.Database, config: HallConfig, clock: Clock) -> None:
        self.db = db
        self.config = config
        self.clock = clock
        ensure_schema(db)
        self.store = Store(db, config, clock)
        self.tz = self.store.tz
        # Late-bound lambdas: a context sees the other's current method (tests and benchmarks
        # replace some on the instance).
        self.board = Board(self.store, receptions=lambda: self.todays_receptions())
        self.desk = Desk(self.store, check_walk_in=lambda clean: self.check_walk_in(clean),
                         cases_of=lambda visitor: self.cases_of(visitor),
                         incidents_of=lambda visitor: self.visitor_incidents(visitor))
        self.windows = Windows(self.store, board=self.board, visits_of=self.desk.visits_of,
                               incidents_of=lambda visitor: self.visitor_incidents(visitor))

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
        """A connection for the calling thread, closed afterwards (screens' worker threads)."""
        return self.store.connection()
