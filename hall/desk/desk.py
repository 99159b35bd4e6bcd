"""The desk's acts and reads: issue a ticket, a visitor's file, a ticket's status and slip.

    ticket = hall.desk.issue(Registration(...), actor="desk01")   # FormError writes nothing
    hall.desk.ticket_status("R001").ahead                          # by number today, or query code

Issuing is one transaction: the visitor's file (found by ID number or opened), the visit, its
representatives, the next number of (day, department), the ticket, its event, the audit rows and
the change counter. The hot statements come from :mod:`models.statements`. Issuing and saving a
file first ask the permission table (``ticket.issue``, ``visitor.save``); ``issue_locked`` and
``save_file_locked`` run inside an act that has asked for its own (a booking's check-in).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

import peewee as pw

from hall.accounts import visibility
from hall.accounts.actor import find_actor
from hall.clock import business_day, to_storage
from hall.desk.codes import QueryCodes
from hall.desk.files import CaseLinks, CollectiveAlert, FileChange, VisitorFiles
from hall.desk.registration import (
    CleanRegistration,
    NeedsConfirmation,
    Registration,
    route,
    validate,
    validate_file,
)
from hall.store import TICKETS, Store
from hall.text import freetext
from hall.text.documents import ID_CARD
from hall.views import (
    STATUS_LABELS,
    CaseSummary,
    IssuedTicket,
    TicketStatus,
    VisitorFile,
    VisitSummary,
    department_name,
)
from models import Representative, Ticket, TicketEvent, Visit, Visitor, locks
from models import statements as sql

if TYPE_CHECKING:
    from hall.cases.views import CaseSummary as OpenCase
    from hall.incidents.views import VisitorIncident
    from hall.printing import TicketPrint

_RETRIES = 5


class Desk:
    """Registration, tickets, visitor files and query codes.

    ``check_walk_in`` refuses a registration a reception room does not take today (leaders);
    ``cases_of``, ``incidents_of`` fill a file; ``open_cases_of``, ``link_case``: CaseLinks.
    """

    def __init__(self, store: Store, *, check_walk_in: Callable[[CleanRegistration], None],
                 cases_of: Callable[[int], Sequence[CaseSummary]],
                 incidents_of: Callable[[int], Sequence[VisitorIncident]],
                 open_cases_of: Callable[[int, str], Sequence[OpenCase]] = lambda v, w: (),
                 link_case: Callable[[int, int, str, datetime], None] | None = None) -> None:
        self.store = store
        self.config = store.config
        self.db = store.db
        self.codes = QueryCodes(store)
        self.files = VisitorFiles(store)
        self._check_walk_in = check_walk_in
        self._cases_of = cases_of
        self._incidents_of = incidents_of
        self.links = CaseLinks(open_cases_of, link_case)

    # -- reads ----------------------------------------------------------------------------------

    def visitor_file(self, id_number: str, doc_type: str = ID_CARD, *,
                     viewer: str) -> VisitorFile | None:
        """The file of the visitor with that (normalised) document number as ``viewer`` (a
        login) may see it, or None; written to the audit log (``visitor.view``).

        A confidential matter outside the viewer's department is 「保密事项」 and its date
        (:mod:`hall.accounts.visibility`); a role that reads no files (kiosk, board) gets
        :class:`~hall.errors.NotAllowed`."""
        actor = visibility.viewer(self.store, viewer)
        visitor = Visitor.get_or_none((Visitor.doc_type == (doc_type or ID_CARD))
                                      & (Visitor.id_number == id_number))
        if visitor is None:
            return None
        visits = visibility.visits_for(actor, self.recorded_visits(visitor.id))
        file = freetext.shown_in(VisitorFile(  # stored text made safe for a terminal
            visitor_id=visitor.id, id_number=visitor.id_number, name=visitor.name,
            sex=visitor.sex, birth_date=str(visitor.birth_date or ""), phone=visitor.phone,
            address=visitor.address, district=visitor.district, visits=tuple(visits),
            cases=tuple(self._cases_of(visitor.id)),
            incidents=tuple(self._incidents_of(visitor.id)),
            open_cases=tuple(self.links.offered(visitor.id, actor.login)),
            history=tuple(self.files.history(visitor.id)), doc_type=visitor.doc_type,
        ))
        visibility.audit_view(self.store, actor.login, visitor.id, visits, via="file")
        return file

    def file_history(self, visitor_id: int, *, viewer: str) -> list[FileChange]:
        """Every earlier name, phone, address and district of a file, newest first, for
        ``viewer`` (a login; kiosk and board: :class:`~hall.errors.NotAllowed`); audited
        (``visitor.history``)."""
        actor = visibility.viewer(self.store, viewer)
        changes = self.files.history(visitor_id)
        visibility.audit_view(self.store, actor.login, visitor_id, (),
                              action="visitor.history", via="history")
        return changes

    def collective_alerts(self) -> list[CollectiveAlert]:
        """Today's collective visits not yet finished (every staff screen's top bar)."""
        return self.files.collective_alerts()

    def suggest_department(self, category: str, district: str = "") -> str | None:
        """Where a category routes in a district (the desk's live suggestion)."""
        return route(self.config, category, district)

    def ticket_status(self, code_or_number: str, day: date | None = None) -> TicketStatus:
        """A ticket by query code, or by number on ``day`` (default today)."""
        ticket = self.find_ticket(code_or_number, day)
        return TicketStatus(
            number=ticket.number, business_day=str(ticket.business_day),
            department=ticket.department,
            department_name=department_name(self.config, ticket.department),
            status=ticket.status, status_label=STATUS_LABELS.get(ticket.status, ticket.status),
            ahead=self._ahead(ticket.status, ticket.business_day, ticket.department,
                              ticket.priority_rank, ticket.issued_at, ticket.id),
            window=ticket.window)

    def ticket(self, code_or_number: str, day: date | None = None) -> IssuedTicket:
        """A ticket as it was issued, with its current place in the queue."""
        ticket = self.find_ticket(code_or_number, day)
        visit = ticket.visit
        return self._issued(
            ticket_id=ticket.id, visit_id=visit.id, number=ticket.number,
            day=ticket.business_day, department=ticket.department, status=ticket.status,
            rank=ticket.priority_rank, stored=ticket.issued_at, priority=visit.priority,
            repeat=visit.is_repeat, people=visit.people, code=ticket.query_code,
            # Read back without a viewer (a slip to print): the visits' dates, nothing else.
            visits=tuple(visibility.visits_for(None, self.recorded_visits(visit.visitor_id))))

    def print_view(self, ticket: IssuedTicket) -> TicketPrint:
        """What goes on the paper slip (and its PNG/SVG image) for an issued ticket."""
        from hall.printing import TicketPrint

        return TicketPrint(
            hall_name=self.config.hall.name, number=ticket.number,
            department_name=ticket.department_name, windows=ticket.windows, ahead=ticket.ahead,
            issued_at=ticket.issued_at, query_code=ticket.query_code, qr_payload=ticket.qr)

    def query_code(self, day: date, number: str) -> str:
        """The query code (查询码) of a ticket: an HMAC only the hall's secret can make."""
        return self.codes.code(day, number)

    def find_ticket(self, code_or_number: str, day: date | None = None) -> Ticket:
        """The ticket row by query code, or by number on ``day`` (default today); NotFound."""
        return self.codes.find(code_or_number, day)

    def visits_of(self, visitor_id: int, *, viewer: str) -> list[VisitSummary]:
        """A visitor's visits, newest first, with their tickets' numbers and states, as
        ``viewer`` (a login) may see them (:mod:`hall.accounts.visibility`); audited."""
        actor = visibility.viewer(self.store, viewer)
        visits = visibility.visits_for(actor, self.recorded_visits(visitor_id))
        visibility.audit_view(self.store, actor.login, visitor_id, visits, via="visits")
        return visits

    def recorded_visits(self, visitor_id: int) -> list[VisitSummary]:
        """A visitor's visits as recorded, newest first, confidential ones too: for the
        domain's own rules and for reads that filter them for their viewer
        (:func:`hall.accounts.visibility.visits_for`); never hand them to an adapter as they
        are."""
        out = []
        today = self.store.today()
        as_date = Visit.business_day.python_value  # SQLite hands dates back as text
        for (visit_id, day, category, department, outcome, number, status, district,
             matter) in sql.visit_rows(self.db, visitor=visitor_id):
            day = as_date(day)
            label = STATUS_LABELS.get(status or "", "")
            if status == "waiting" and day < today:
                label = "未接谈"  # a ticket of a past day that was never called
            out.append(self._summary(visit_id, day, number or "", category, department,
                                     status or "", outcome, label, district, matter))
        return out

    # -- writes ---------------------------------------------------------------------------------

    def issue(self, form: Registration, actor: str) -> IssuedTicket:
        """Register a visit and issue its ticket, or raise :class:`FormError` writing nothing.

        :class:`NeedsConfirmation` (a FormError) when the name differs from the file's and
        ``form.rename`` is not set, or the person has a ticket waiting or called today and
        ``form.again_reason`` is empty. :class:`~hall.errors.NotAllowed` (nothing written but
        the refusal's audit) for an actor whose role may not issue (``ticket.issue``).
        """
        self.store.permit(actor, "ticket.issue")
        clean = validate(form, self.config, self.store.today())
        self._check_walk_in(clean)  # a reception room takes walk-ins only on days that say so
        if clean.case_id is not None:  # one of the visitor's open cases, or FormError
            self.links.check(clean, actor)
        for attempt in range(_RETRIES):
            try:
                with self.store.transaction():
                    return self.issue_locked(clean, actor, confirm=True)
            except pw.IntegrityError:
                # Two desks creating the same new visitor at once (PostgreSQL): the loser retries
                # and finds the file the winner made.
                if attempt == _RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def issue_locked(self, clean: CleanRegistration, actor: str,
                     confirm: bool = False) -> IssuedTicket:
        """Issue inside the caller's write transaction (the desk's, or a booking's check-in).
        The caller has checked the actor's permission (its own act's: ``booking.check_in``).

        ``confirm``: refuse a rename or a second open ticket today the form did not confirm (the
        desk; a booking's check-in is the appointment itself and keeps the name on file).
        """
        now = self.store.now()
        stored = to_storage(now)
        day = business_day(now, self.store.tz, self.config.hall.rollover_hour)
        visitor_id, earlier, first = self._save_visitor(clean, stored, actor, day, confirm)
        dept = clean.department
        # A confidential matter (a report to 纪委监委) makes no repeat visit for another department;
        # a visit about an open case (the same matter) does.
        repeat = visibility.counts_for(earlier, dept) or clean.case_id is not None
        visit_id = sql.insert_row(self.db, Visit, {
            "visitor": visitor_id, "business_day": day, "registered_at": stored,
            "registered_by": actor, "district": clean.district, "category": clean.category,
            "suggested_department": clean.suggested_department, "department": dept,
            "people": clean.people, "matter": clean.matter, "request": clean.request,
            "is_repeat": repeat, "priority": clean.priority,
            "other_channels": ",".join(clean.other_channels),
            "earlier_opinion": clean.earlier_opinion})
        if clean.case_id is not None:
            self.links.link(clean.case_id, visit_id, actor, stored)
        for position, rep in enumerate(clean.representatives, 1):
            Representative.create(visit=visit_id, position=position, id_number=rep.id.value,
                                  name=rep.name, phone=rep.phone)
        seq = sql.next_number(self.db, day=day, department=dept)
        number = f"{self.config.department(dept).prefix}{seq:03d}"  # type: ignore[union-attr]
        code = self.codes.code(day, number)
        ticket_id = sql.insert_row(self.db, Ticket, {
            "visit": visit_id, "business_day": day, "number": number, "seq": seq,
            "origin_department": dept, "department": dept, "priority_rank": clean.priority_rank,
            "status": "waiting", "issued_at": stored, "query_code": code})
        again = f"再次取号（今日已有 {first}）：{clean.again_reason}" if first else ""
        sql.insert_row(self.db, TicketEvent, {"ticket": ticket_id, "at": stored, "actor": actor,
                                              "kind": "issued", "department": dept,
                                              "note": again})
        detail = {"number": number, "department": dept, "visit": visit_id,
                  "routed": clean.suggested_department, "repeat": repeat,
                  "people": clean.people, "priority": clean.priority}
        if first:
            detail.update(again_reason=clean.again_reason, first=first)
        detail.update({"case": clean.case_id} if clean.case_id is not None else {})
        self.store.audit(actor, "ticket.issue", "ticket", ticket_id, stored, detail)
        self.store.bump(TICKETS)
        # The view the desk shows, from what is in hand: no reading back what was just written.
        this = self._summary(visit_id, day, number, clean.category, dept, "waiting", "",
                             STATUS_LABELS["waiting"], clean.district, clean.matter)
        return self._issued(
            ticket_id=ticket_id, visit_id=visit_id, number=number, day=day, department=dept,
            status="waiting", rank=clean.priority_rank, stored=stored, priority=clean.priority,
            repeat=repeat, people=clean.people, code=code,
            visits=(this, *(visibility.visits_for(find_actor(actor), earlier) if earlier else ())))

    def save_file(self, form: Registration, actor: str) -> VisitorFile:
        """Open or update a visitor's file from the form's name, document, phone, address and
        district, without a visit or a ticket (a first-time visitor booking a reception day).

        The form's visit fields are not needed. The rules are the issue's: a name that differs
        from the file's raises :class:`NeedsConfirmation` unless ``form.rename``; every replaced
        value stays in the file's history. :class:`FormError` writes nothing; so does
        :class:`~hall.errors.NotAllowed` (``visitor.save``) but for the refusal's audit.
        """
        self.store.permit(actor, "visitor.save")
        clean = validate_file(form, self.config, self.store.today())
        for attempt in range(_RETRIES):
            try:
                with self.store.transaction():
                    self.save_file_locked(clean, actor)
                break
            except pw.IntegrityError:  # another desk opened the same file meanwhile: found now
                if attempt == _RETRIES - 1:
                    raise
        file = self.visitor_file(clean.id.value, clean.document_type, viewer=actor)
        assert file is not None
        return file

    def save_file_locked(self, clean: CleanRegistration, actor: str, act: str = "保存档案") -> int:
        """:meth:`save_file` inside the caller's write transaction (a booking's): the file's id.
        ``act`` is what a refused rename says waits for the confirmation ("预约"). The caller
        has checked the actor's permission (its own act's: ``booking.manage``)."""
        return self._save_visitor(clean, to_storage(self.store.now()), actor, day=None,
                                  confirm=True, act=act)[0]

    # -- helpers --------------------------------------------------------------------------------

    def _save_visitor(self, clean: CleanRegistration, stored: datetime, actor: str,
                      day: date | None, confirm: bool,
                      act: str = "出票") -> tuple[int, list[VisitSummary], str]:
        """Find the file by (document type, number), locked, or open a new one; typed details
        update the file and its history keeps the values they replace.

        Returns the visitor's id, earlier visits, newest first (none for a new file), and the
        person's ticket still open on ``day`` as "R001（市人社局）" ("" for none). Without a
        ``day`` (a file saved without a ticket), neither visits nor the open ticket are read;
        ``act`` names what a refused rename waits for.
        """
        row = locks.locked_visitor(self.db, clean.document_type, clean.id.value)
        if row is None:
            visitor_id = sql.insert_row(self.db, Visitor, {
                "doc_type": clean.document_type, "id_number": clean.id.value,
                "name": clean.name, "sex": clean.id.sex, "birth_date": clean.id.birth_date,
                "phone": clean.phone, "address": clean.address, "district": clean.district,
                "created_at": stored, "updated_at": stored})
            self.store.audit(actor, "visitor.create", "visitor", visitor_id, stored, {})
            return visitor_id, [], ""
        visitor_id, *known = row
        changes = {key: (old, value) for key, value, old in zip(
            ("name", "phone", "address", "district"),
            (clean.name, clean.phone, clean.address, clean.district), known, strict=True)
            if value and old != value}
        open_ticket = None if day is None else self.files.open_ticket(visitor_id, day)
        first = ""
        if open_ticket is not None:
            number, department = open_ticket
            first = f"{number}（{department_name(self.config, department)}）" if department \
                else number  # 保密事项: neither number nor department (VisitorFiles.open_ticket)
        if confirm:
            self._confirmed(clean, known[0], changes, first, act)
        if changes:
            Visitor.update(updated_at=stored, **{k: new for k, (_, new) in changes.items()}) \
                .where(Visitor.id == visitor_id).execute()
            self.files.record(visitor_id, changes, stored, actor)
            # The audit log names the fields; their old and new values are in the file's history.
            self.store.audit(actor, "visitor.update", "visitor", visitor_id, stored,
                             {"fields": sorted(changes)})
        return visitor_id, [] if day is None else self.recorded_visits(visitor_id), first

    @staticmethod
    def _confirmed(clean: CleanRegistration, file_name: str, changes: dict[str, tuple[str, str]],
                   first: str, act: str) -> None:
        """Raise :class:`NeedsConfirmation` for what the form did not confirm (nothing written)."""
        errors = {}
        if "name" in changes and not clean.rename:
            errors["name"] = (f"与档案中的姓名“{file_name}”不同：确认为同一人改名后才能{act}，"
                              "否则请核对证件号码")
        if first and not clean.again_reason:
            errors["again_reason"] = (f"此人今天已有票号 {first}，尚未办结：确需再次取号，"
                                      "须说明原因（将记录在案）")
        if errors:
            raise NeedsConfirmation(errors, file_name=file_name, first=first)

    def _ahead(self, status: str, day: date, department: str, rank: int, stored: datetime,
               ticket_id: int) -> int:
        """Waiting tickets called before this one in its queue (0 once it is not waiting)."""
        if status != "waiting":
            return 0
        return sql.ahead(self.db, day=day, department=department, rank=rank, issued_at=stored,
                         ticket_id=ticket_id)

    def _issued(self, *, ticket_id: int, visit_id: int, number: str, day: date,
                department: str, status: str, rank: int, stored: datetime, priority: str,
                repeat: bool, people: int, code: str,
                visits: tuple[VisitSummary, ...]) -> IssuedTicket:
        """The one way an :class:`IssuedTicket` is made, at issue time or read back later."""
        group = self.config.priority_group(priority)
        return IssuedTicket(
            ticket_id=ticket_id, visit_id=visit_id, number=number, business_day=str(day),
            department=department, department_name=department_name(self.config, department),
            windows=tuple(w.title for w in self.config.windows_for(department)), status=status,
            ahead=self._ahead(status, day, department, rank, stored, ticket_id),
            priority=priority, priority_name=group.name if group else "", repeat=repeat,
            people=people, query_code=code, qr=self.codes.qr(code, number, day),
            issued_at=self.store.local(stored).strftime("%Y-%m-%d %H:%M"), visits=visits)

    def _summary(self, visit_id: int, day: date, number: str, category: str, department: str,
                 status: str, outcome: str, label: str, district: str,
                 matter: str) -> VisitSummary:
        cat = self.config.category(category)
        spec = self.config.outcome(outcome)  # None for "" (no outcome yet) as for a removed one
        return VisitSummary(
            visit_id=visit_id, date=str(day), number=number, category=category,
            category_name=cat.name if cat else category, department=department,
            department_name=department_name(self.config, department), status=status,
            outcome=outcome, outcome_label=(spec.name if spec else outcome) or label,
            district=district, matter=matter,
            confidential=bool(cat and cat.confidential))
