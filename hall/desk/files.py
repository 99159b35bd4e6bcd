"""One person, one file, kept honestly: the file's history, today's open ticket, collective visits.

    files = VisitorFiles(store)
    files.history(visitor_id)             # earlier names, phones, addresses, newest first
    files.open_ticket(visitor_id, day)    # ("R001", "rsj") while one waits or is called today
    files.collective_alerts()             # today's collective visits still in the hall

:class:`hall.desk.desk.Desk` records the changes (inside its issuing transaction) and asks for the
open ticket under the visitor's lock (:func:`models.locks.locked_visitor`), so two desks issuing
for one person at once cannot both pass the check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import peewee as pw

from hall.accounts.visibility import CONFIDENTIAL_LABEL, is_confidential
from hall.store import Store
from hall.views import department_name
from models import Representative, Ticket, Visit, VisitorChange
from models import statements as sql

OPEN_STATUSES = ("waiting", "called", "serving")
"""A ticket of today in one of these states means the person is still in the hall's queue
(:func:`models.statements.open_ticket` asks for the same three)."""
HISTORY_FIELDS = {"name": "姓名", "phone": "电话", "address": "住址", "district": "属地"}


@dataclass(frozen=True)
class FileChange:
    """One field of a visitor's file changed: the value before and after, who, when."""

    at: str
    actor: str
    field: str
    field_label: str
    old: str
    new: str


@dataclass(frozen=True)
class CollectiveAlert:
    """A collective visit (集体访) of today still waiting, called or at a window."""

    ticket_id: int
    number: str
    department_name: str
    people: int
    representatives: int
    since: str
    """The local time it was registered, "HH:MM"."""


class VisitorFiles:
    """Reads and appends on a visitor's file beside the desk's acts."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def history(self, visitor_id: int) -> list[FileChange]:
        """Every change of the file's name, phone, address and district, newest first."""
        rows = (VisitorChange.select().where(VisitorChange.visitor == visitor_id)
                .order_by(VisitorChange.at.desc(), VisitorChange.field))
        return [FileChange(at=self.store.local(r.at).strftime("%Y-%m-%d %H:%M"), actor=r.actor,
                           field=r.field, field_label=HISTORY_FIELDS.get(r.field, r.field),
                           old=r.old_value, new=r.new_value) for r in rows]

    def record(self, visitor_id: int, changes: dict[str, tuple[str, str]], stored: datetime,
               actor: str) -> None:
        """Append the (old, new) value of each changed field (inside the caller's transaction)."""
        VisitorChange.insert_many([
            {"visitor": visitor_id, "at": stored, "actor": actor, "field": name,
             "old_value": old or "", "new_value": new or ""}
            for name, (old, new) in sorted(changes.items())]).execute()

    def open_ticket(self, visitor_id: int, day: date) -> tuple[str, str] | None:
        """(number, department) of the person's first ticket of ``day`` still open, or None;
        ("保密事项", "") when it is a confidential matter's: the desk that asks for a reason for a
        second ticket learns that one is open, not that the person reported an official (the
        number's prefix would say 纪委监委)."""
        found = sql.open_ticket(self.store.db, visitor=visitor_id, day=day)
        if found is None:
            return None
        category = (Visit.select(Visit.category).join(Ticket, on=(Ticket.visit == Visit.id))
                    .where((Visit.visitor == visitor_id) & (Ticket.business_day == day)
                           & (Ticket.number == found[0])).scalar())
        if is_confidential(self.store.config, category or ""):
            return CONFIDENTIAL_LABEL, ""
        return found

    def collective_alerts(self) -> list[CollectiveAlert]:
        """Today's collective visits (people ≥ the configured threshold) not yet finished, the
        newest last: what every staff screen's top bar shows until a window has finished it."""
        config = self.store.config
        reps = (Representative.select(pw.fn.COUNT(Representative.id))
                .where(Representative.visit == Visit.id))
        rows = (Ticket.select(Ticket.id, Ticket.number, Ticket.department, Ticket.issued_at,
                              Visit.people, reps.alias("reps"))
                .join(Visit)
                .where((Ticket.business_day == self.store.today())
                       & (Visit.people >= config.collective.threshold)
                       & Ticket.status.in_(OPEN_STATUSES))
                .order_by(Ticket.issued_at, Ticket.id).tuples())
        return [CollectiveAlert(
            ticket_id=tid, number=number, department_name=department_name(config, dept),
            people=people, representatives=count or 0,
            since=self.store.local(Ticket.issued_at.python_value(at)).strftime("%H:%M"))
            for tid, number, dept, at, people, count in rows]
