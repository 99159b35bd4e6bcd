"""What every context of the hall shares: the database, the clock, one transaction, the audit log.

    store = Store(db, config, clock)
    with store.transaction():
        ...                                  # the context's rule
        store.audit(actor, "ticket.issue", "ticket", ticket_id, stored, {...})
        store.bump("tickets")                # other terminals poll this counter

A context (desk, windows, board, leaders, incidents) gets the Store and the other contexts it
needs through its constructor; none reads the clock or the environment directly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import peewee as pw

from hall.clock import Clock, business_day, from_storage, to_storage
from models import AuditEvent, ChangeCounter, write_transaction
from models import statements as sql

if TYPE_CHECKING:
    from config.schema import HallConfig
    from hall.accounts.actor import Actor

TICKETS = "tickets"


class Store:
    """The database, configuration and clock of one hall, and the acts every change shares."""

    def __init__(self, db: pw.Database, config: HallConfig, clock: Clock) -> None:
        self.db = db
        self.config = config
        self.clock = clock
        self.tz = ZoneInfo(config.hall.timezone)

    # -- time ---------------------------------------------------------------------------------

    def now(self) -> datetime:
        """The current instant (aware), from the injected clock."""
        return self.clock.now()

    def today(self) -> date:
        """The current business day (time zone and rollover hour from the configuration)."""
        return business_day(self.clock.now(), self.tz, self.config.hall.rollover_hour)

    def local(self, stored: datetime) -> datetime:
        """A stored (naive UTC) time in the hall's time zone."""
        return from_storage(stored, self.tz)

    # -- database -------------------------------------------------------------------------------

    def transaction(self) -> AbstractContextManager[Any]:
        """One write transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: row locks as it goes)."""
        return write_transaction(self.db)

    @contextmanager
    def connection(self) -> Iterator[None]:
        """A connection for the calling thread, given back afterwards (screens' worker threads).

        PostgreSQL: a session kept in the pool, checked with one round trip (a poll opens no new
        server session; a frozen server fails it within seconds). SQLite: opened and closed."""
        with self.db.connection_context():
            yield

    def audit(self, actor: str, action: str, entity: str, entity_id: Any, at: datetime,
              detail: dict[str, Any]) -> None:
        """Append one audit event (inside the caller's transaction)."""
        sql.insert_row(self.db, AuditEvent, {
            "at": at, "actor": actor, "action": action, "entity": entity,
            "entity_id": str(entity_id),
            "detail": json.dumps(detail, ensure_ascii=False, default=str)})

    def permit(self, actor: str, act: str, department: str | None = None, *,
               departments: Iterable[str] = ()) -> Actor:
        """The account ``actor`` as a signed-in :class:`~hall.accounts.actor.Actor` if it may
        do ``act`` (for ``department``: a room's, a ticket's; or for any one of
        ``departments``: a window's) per the permission table
        (:mod:`hall.accounts.permissions`); else :class:`~hall.errors.NotAllowed`, and the
        refusal is audited (in its own transaction: the act itself writes nothing).

        Called by every act before its transaction opens; one indexed read of the account, so a
        role changed or an account disabled elsewhere counts from the next act."""
        from hall.accounts.actor import check, find_actor
        from hall.errors import NotAllowed

        found = find_actor(actor, self.db)
        departments = tuple(departments)
        try:
            return check(found, actor, act, department, departments=departments,
                         name=self._department_name)
        except NotAllowed as refused:
            with self.transaction():
                self.audit(actor, "denied", "act", act, to_storage(self.now()),
                           {"department": department or ",".join(departments) or None,
                            "reason": str(refused)})
            raise

    def _department_name(self, code: str) -> str:
        """What a department is called (「市人社局」), for a refusal; the code when unknown."""
        found = self.config.department(code)
        return found.name if found is not None else code

    def bump(self, topic: str) -> None:
        """Advance ``topic``'s change counter (inside the caller's transaction)."""
        sql.bump(self.db, topic=topic)

    def change_version(self, topic: str = TICKETS) -> int:
        """The change counter of ``topic``: one primary-key read; poll it to see others' work."""
        row = ChangeCounter.select(ChangeCounter.version).where(ChangeCounter.topic == topic)
        return int(row.scalar() or 0)
