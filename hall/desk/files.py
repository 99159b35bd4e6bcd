"""One person, one file, kept honestly: the file's history, today's open ticket, collective visits.

    files = VisitorFiles(store)
    files.history(visitor_id)             # earlier names, phones, addresses, newest first
    files.open_ticket(visitor_id, day)    # ("R001", "rsj") while one waits or is called today
    files.collective_alerts()             # today's collective visits still in the hall
    links.offered(visitor_id, viewer)     # open cases a repeat visit may be linked to

A repeat visit about the same matter links to one of the visitor's open cases (信访事项): the
desk offers those the viewer may see (:class:`CaseLinks`), a confidential case of another
department neither offered nor named; issuing checks the pick again and links the visit inside
its transaction (the case gets a "visit" entry; the window's finish then adds to that case
instead of opening a second one).

:class:`hall.desk.desk.Desk` records the changes (inside its issuing transaction) and asks for the
open ticket under the visitor's lock (:func:`models.locks.locked_visitor`), so two desks issuing
for one person at once cannot both pass the check.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import peewee as pw

from hall.accounts.visibility import CONFIDENTIAL_LABEL, is_confidential
from hall.desk.registration import CleanRegistration, FormError
from hall.store import Store
from hall.views import department_name
from models import Representative, Ticket, Visit, Visitor, VisitorChange
from models import statements as sql

if TYPE_CHECKING:
    from hall.cases.views import CaseSummary as OpenCase

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


class CaseLinks:
    """The visitor's open cases a visit may be about, through the cases context's callables
    (late-bound by the facade: ``open_cases_of(visitor_id, viewer)`` and ``link_case(case_id,
    visit_id, actor, at)``, the latter inside the caller's transaction)."""

    def __init__(self, open_cases_of: Callable[[int, str], Sequence[OpenCase]],
                 link_case: Callable[[int, int, str, datetime], None] | None) -> None:
        self._open_cases_of = open_cases_of
        self._link_case = link_case

    def offered(self, visitor_id: int, viewer: str) -> list[OpenCase]:
        """The visitor's open cases ``viewer`` may link a visit to, newest first: a confidential
        case of another department (masked for them) is neither offered nor named."""
        return [case for case in self._open_cases_of(visitor_id, viewer) if not case.masked]

    def check(self, clean: CleanRegistration, actor: str) -> None:
        """Before the issuing transaction: refuse (:class:`FormError`, nothing written) a
        ``clean.case_id`` that is not one of the visitor's open cases offered to ``actor``
        (another person's, a closed one, a confidential one of another department; a new visitor
        has none). The link itself locks the case and refuses (:class:`~hall.errors.Refused`)
        one closed since."""
        visitor_id = Visitor.select(Visitor.id).where(
            (Visitor.doc_type == clean.document_type)
            & (Visitor.id_number == clean.id.value)).scalar()
        if self._link_case is None or visitor_id is None or clean.case_id not in {
                case.id for case in self.offered(visitor_id, actor)}:
            raise FormError({"case_id": "所选案件不是此来访人未办结的案件，不能关联："
                                        "请重新选择，或不选（按不同事项登记）"})

    def link(self, case_id: int, visit_id: int, actor: str, at: datetime) -> None:
        """Link the visit being issued to the case (inside the caller's transaction)."""
        assert self._link_case is not None  # check() refused otherwise
        self._link_case(case_id, visit_id, actor, at)
