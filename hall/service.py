"""The facade: everything the hall does, one method per act, one transaction per change.

    hall = Hall(db, config, SystemClock())
    ticket = hall.issue(Registration(...), actor="desk01")

The CLI, every screen, the tests and the benchmarks go through this class, so each rule has one
code path. Every change runs in one transaction that also appends an audit event and bumps the
change counter other terminals poll.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from base64 import b32encode
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import peewee as pw

from config.schema import HallConfig
from hall.clock import Clock, business_day, from_storage, to_storage
from hall.errors import NotFound
from hall.incidents import Incidents
from hall.leaders import Leaders
from hall.queue import QueueReads
from hall.registration import CleanRegistration, Registration, route, validate
from hall.store import Store
from hall.views import (
    STATUS_LABELS,
    IssuedTicket,
    QueueLength,
    TicketStatus,
    VisitorFile,
    VisitSummary,
)
from hall.windows import WindowOps
from models import (
    ChangeCounter,
    Representative,
    Setting,
    Ticket,
    TicketCounter,
    TicketEvent,
    Visit,
    Visitor,
    ensure_schema,
    write_transaction,
)

if TYPE_CHECKING:
    from hall.printing import TicketPrint

TICKETS = "tickets"
_NUMBER = re.compile(r"([A-Z]{1,2})(\d{3,4})")
_RETRIES = 5


class Hall(WindowOps, QueueReads):
    """The hall's rules over its database, for one configuration and clock."""

    def __init__(self, db: pw.Database, config: HallConfig, clock: Clock) -> None:
        self.db = db
        self.config = config
        self.clock = clock
        self.tz = ZoneInfo(config.hall.timezone)
        ensure_schema(db)
        self.store = Store(db, config, clock)
        self._sql = self.store.sql
        self._secret = self._query_secret()
        self.leaders = Leaders(self.store, issue_locked=self._issue)
        self.incidents = Incidents(self.store, find_ticket=self._find_ticket)

    # -- time ---------------------------------------------------------------------------------

    def now(self) -> datetime:
        """The current instant (aware), from the injected clock."""
        return self.clock.now()

    def today(self) -> date:
        """The current business day."""
        return business_day(self.clock.now(), self.tz, self.config.hall.rollover_hour)

    def local(self, stored: datetime) -> datetime:
        """A stored (naive UTC) time in the hall's time zone."""
        return from_storage(stored, self.tz)

    # -- reads ----------------------------------------------------------------------------------

    def change_version(self, topic: str = TICKETS) -> int:
        """The change counter of ``topic``: one primary-key read; poll it to see others' work."""
        row = ChangeCounter.select(ChangeCounter.version).where(ChangeCounter.topic == topic)
        value = row.scalar()
        return int(value or 0)

    def visitor_file(self, id_number: str) -> VisitorFile | None:
        """The file of the visitor with that (normalised) ID number, or None."""
        visitor = Visitor.get_or_none(Visitor.id_number == id_number)
        if visitor is None:
            return None
        return VisitorFile(
            visitor_id=visitor.id, id_number=visitor.id_number, name=visitor.name,
            sex=visitor.sex, birth_date=str(visitor.birth_date or ""), phone=visitor.phone,
            address=visitor.address, district=visitor.district,
            visits=tuple(self._visit_summaries(visitor.id)),
            cases=tuple(self.leaders.cases_of(visitor.id)),
            incidents=tuple(self.incidents.of_visitor(visitor.id)),
        )

    def suggest_department(self, category: str, district: str = "") -> str | None:
        """Where a category routes in a district (the desk's live suggestion)."""
        return route(self.config, category, district)

    def queue_lengths(self) -> list[QueueLength]:
        """Today's waiting and issued counts per department, in configured order."""
        day = self.today()
        waiting = dict(
            Ticket.select(Ticket.department, pw.fn.COUNT(Ticket.id))
            .where((Ticket.business_day == day) & (Ticket.status == "waiting"))
            .group_by(Ticket.department).tuples())
        issued = dict(TicketCounter.select(TicketCounter.department, TicketCounter.last)
                      .where(TicketCounter.business_day == day).tuples())
        return [QueueLength(d.code, d.name, d.prefix, waiting.get(d.code, 0),
                            issued.get(d.code, 0)) for d in self.config.departments]

    def ticket_status(self, code_or_number: str, day: date | None = None) -> TicketStatus:
        """A ticket by query code, or by number on ``day`` (default today)."""
        ticket = self._find_ticket(code_or_number, day)
        dept = self.config.department(ticket.department)
        return TicketStatus(
            number=ticket.number, business_day=str(ticket.business_day),
            department=ticket.department, department_name=dept.name if dept else ticket.department,
            status=ticket.status, status_label=STATUS_LABELS.get(ticket.status, ticket.status),
            ahead=self._ahead(ticket) if ticket.status == "waiting" else 0, window=ticket.window)

    def ticket(self, code_or_number: str, day: date | None = None) -> IssuedTicket:
        """A ticket as it was issued, with its current place in the queue."""
        return self._issued_view(self._find_ticket(code_or_number, day))

    def print_view(self, ticket: IssuedTicket) -> TicketPrint:
        """What goes on the paper slip (and its PNG/SVG image) for an issued ticket."""
        from hall.printing import TicketPrint

        return TicketPrint(
            hall_name=self.config.hall.name, number=ticket.number,
            department_name=ticket.department_name, windows=ticket.windows, ahead=ticket.ahead,
            issued_at=ticket.issued_at, query_code=ticket.query_code, qr_payload=ticket.qr)

    # -- writes ---------------------------------------------------------------------------------

    def issue(self, form: Registration, actor: str) -> IssuedTicket:
        """Register a visit and issue its ticket, or raise :class:`FormError` writing nothing."""
        clean = validate(form, self.config, self.today())
        self.leaders.check_walk_in(clean)  # a reception room takes walk-ins only on some days
        for attempt in range(_RETRIES):
            try:
                with write_transaction(self.db):
                    return self._issue(clean, actor)
            except pw.IntegrityError:
                # Two desks creating the same new visitor at once (PostgreSQL): the loser retries
                # and finds the file the winner made.
                if attempt == _RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def _issue(self, clean: CleanRegistration, actor: str) -> IssuedTicket:
        """The issue transaction; its statements are prepared once (see :class:`_Prepared`)."""
        now = self.clock.now()
        stored = to_storage(now)
        day = business_day(now, self.tz, self.config.hall.rollover_hour)
        visitor_id, earlier = self._save_visitor(clean, stored, actor)
        repeat = bool(earlier)
        dept = clean.department
        visit_id = self._sql.insert(Visit, {
            "visitor": visitor_id, "business_day": day, "registered_at": stored,
            "registered_by": actor, "district": clean.district, "category": clean.category,
            "suggested_department": clean.suggested_department, "department": dept,
            "people": clean.people, "matter": clean.matter, "request": clean.request,
            "is_repeat": repeat, "priority": clean.priority})
        for position, rep in enumerate(clean.representatives, 1):
            Representative.create(visit=visit_id, position=position, id_number=rep.value)
        seq = self._next_number(day, dept)
        department = self.config.department(dept)
        number = f"{department.prefix}{seq:03d}"  # type: ignore[union-attr]
        code = self.query_code(day, number)
        rank = clean.priority_rank
        ticket_id = self._sql.insert(Ticket, {
            "visit": visit_id, "business_day": day, "number": number, "seq": seq,
            "origin_department": dept, "department": dept, "priority_rank": rank,
            "status": "waiting", "issued_at": stored, "query_code": code})
        self._sql.insert(TicketEvent, {"ticket": ticket_id, "at": stored, "actor": actor,
                                       "kind": "issued", "department": dept})
        self._audit(actor, "ticket.issue", "ticket", ticket_id, stored, {
            "number": number, "department": dept, "visit": visit_id,
            "routed": clean.suggested_department, "repeat": repeat,
            "people": clean.people, "priority": clean.priority})
        self._bump(TICKETS)
        # The view the desk shows, from what is in hand: no reading back what was just written.
        ahead = self._sql.scalar("ahead", _ahead_query, day, dept, "waiting", rank, rank, stored,
                                 stored, ticket_id)
        cat = self.config.category(clean.category)
        group = self.config.priority_group(clean.priority)
        this = VisitSummary(
            visit_id=visit_id, date=str(day), number=number, category=clean.category,
            category_name=cat.name if cat else clean.category, department=dept,
            department_name=department.name if department else dept, status="waiting",
            outcome="", outcome_label=STATUS_LABELS["waiting"])
        return IssuedTicket(
            ticket_id=ticket_id, visit_id=visit_id, number=number, business_day=str(day),
            department=dept, department_name=department.name if department else dept,
            windows=tuple(w.title for w in self.config.windows_for(dept)), status="waiting",
            ahead=int(ahead), priority=clean.priority, priority_name=group.name if group else "",
            repeat=repeat, people=clean.people, query_code=code,
            qr=self.config.tickets.qr_template.format(code=code, number=number, date=day),
            issued_at=self.local(stored).strftime("%Y-%m-%d %H:%M"), visits=(this, *earlier))

    def _save_visitor(self, clean: CleanRegistration, stored: datetime,
                      actor: str) -> tuple[int, list[VisitSummary]]:
        """Find the file by ID number or open a new one; typed details update the file.

        Returns the visitor's id and earlier visits, newest first (none for a new file).
        """
        row = self._sql.row("visitor", _visitor_query, clean.id.value)
        if row is None:
            visitor_id = self._sql.insert(Visitor, {
                "id_number": clean.id.value, "name": clean.name, "sex": clean.id.sex,
                "birth_date": clean.id.birth_date, "phone": clean.phone,
                "address": clean.address, "district": clean.district, "created_at": stored,
                "updated_at": stored})
            self._audit(actor, "visitor.create", "visitor", visitor_id, stored, {})
            return visitor_id, []
        visitor_id, *known = row
        changes = {key: value for key, value, old in zip(
            ("name", "phone", "address", "district"),
            (clean.name, clean.phone, clean.address, clean.district), known, strict=True)
            if value and old != value}
        if changes:
            Visitor.update(updated_at=stored, **changes).where(Visitor.id == visitor_id).execute()
            # The audit log names the fields that changed, never their (personal) values.
            self._audit(actor, "visitor.update", "visitor", visitor_id, stored,
                        {"fields": sorted(changes)})
        return visitor_id, self._visit_summaries(visitor_id)

    def _next_number(self, day: date, department: str) -> int:
        """Atomically take the next sequence number of (day, department)."""
        return int(self._sql.scalar("next_number", _next_number_query, day, department))

    # -- helpers --------------------------------------------------------------------------------

    def query_code(self, day: date, number: str) -> str:
        """The query code (查询码) of a ticket: an HMAC only the hall's secret can make."""
        message = f"{self.config.hall.code}|{day.isoformat()}|{number}".encode()
        digest = hmac.new(self._secret, message, hashlib.sha256).digest()
        return b32encode(digest).decode()[:12]

    def qr_payload(self, ticket: Ticket) -> str:
        """What the ticket's QR code carries (the configured template)."""
        return self.config.tickets.qr_template.format(
            code=ticket.query_code, number=ticket.number, date=ticket.business_day)

    def _query_secret(self) -> bytes:
        row = Setting.get_or_none(Setting.key == "query_secret")
        if row is None:
            with write_transaction(self.db):
                (Setting.insert(key="query_secret", value=secrets.token_hex(32))
                 .on_conflict_ignore().execute())
            row = Setting.get(Setting.key == "query_secret")
        return bytes.fromhex(row.value)

    def _find_ticket(self, code_or_number: str, day: date | None) -> Ticket:
        text = code_or_number.strip().upper()
        match = _NUMBER.fullmatch(text)
        if match:
            day = day or self.today()
            ticket = Ticket.get_or_none((Ticket.business_day == day) & (Ticket.number == text))
            if ticket is None:
                raise NotFound(f"{day.isoformat()} 没有票号 {text}")
            return ticket
        ticket = Ticket.get_or_none(Ticket.query_code == text)
        if ticket is None or not hmac.compare_digest(
                ticket.query_code, self.query_code(ticket.business_day, ticket.number)):
            raise NotFound(f"查询码“{code_or_number.strip()}”无效：请核对票据上的查询码")
        return ticket

    def _ahead(self, ticket: Ticket) -> int:
        """Waiting tickets called before this one in its queue."""
        before = (
            (Ticket.priority_rank < ticket.priority_rank)
            | ((Ticket.priority_rank == ticket.priority_rank)
               & ((Ticket.issued_at < ticket.issued_at)
                  | ((Ticket.issued_at == ticket.issued_at) & (Ticket.id < ticket.id)))))
        return (Ticket.select()
                .where((Ticket.business_day == ticket.business_day)
                       & (Ticket.department == ticket.department)
                       & (Ticket.status == "waiting") & before)
                .count())

    def _issued_view(self, ticket: Ticket) -> IssuedTicket:
        visit = ticket.visit
        dept = self.config.department(ticket.department)
        group = self.config.priority_group(visit.priority)
        visits = tuple(self._visit_summaries(visit.visitor_id))
        return IssuedTicket(
            ticket_id=ticket.id, visit_id=visit.id, number=ticket.number,
            business_day=str(ticket.business_day), department=ticket.department,
            department_name=dept.name if dept else ticket.department,
            windows=tuple(w.title for w in self.config.windows_for(ticket.department)),
            status=ticket.status,
            ahead=self._ahead(ticket) if ticket.status == "waiting" else 0,
            priority=visit.priority, priority_name=group.name if group else "",
            repeat=visit.is_repeat, people=visit.people, query_code=ticket.query_code,
            qr=self.qr_payload(ticket),
            issued_at=self.local(ticket.issued_at).strftime("%Y-%m-%d %H:%M"),
            visits=visits)

    def _visit_summaries(self, visitor_id: int) -> list[VisitSummary]:
        """A visitor's visits, newest first, with their tickets' numbers and states."""
        rows = self._sql.rows("summaries", _summaries_query, visitor_id)
        out = []
        today = self.today()
        as_date = Visit.business_day.python_value  # SQLite hands dates back as text
        for visit_id, day, category, department, outcome, number, status in rows:
            day = as_date(day)
            dept = self.config.department(department)
            cat = self.config.category(category)
            status = status or ""
            label = STATUS_LABELS.get(status, "")
            if status == "waiting" and day < today:
                label = "未接谈"  # a ticket of a past day that was never called
            out.append(VisitSummary(
                visit_id=visit_id, date=str(day), number=number or "", category=category,
                category_name=cat.name if cat else category, department=department,
                department_name=dept.name if dept else department,
                status=status, outcome=outcome,
                outcome_label=self._outcome_name(outcome) or label))
        return out

    def _outcome_name(self, code: str) -> str:
        outcome = self.config.outcome(code) if code else None
        return outcome.name if outcome else code

    def _audit(self, actor: str, action: str, entity: str, entity_id: Any, at: datetime,
               detail: dict[str, Any]) -> None:
        self.store.audit(actor, action, entity, entity_id, at, detail)

    def _bump(self, topic: str) -> None:
        self.store.bump(topic)

    def connection(self) -> Any:
        """A connection for the calling thread, closed afterwards (screens' worker threads)."""
        return self.store.connection()


# -- prepared statements ---------------------------------------------------------------------------

class _Prepared:
    """The SQL of the hot statements, written by peewee once per Hall and then reused.

    Building a query costs peewee far more than running a simple one costs the database (about
    0.3 ms of Python per statement, against tens of microseconds in SQLite), and issuing a
    ticket runs ten. So each statement is built once with placeholders (``SQL(db.param)``) in
    place of values, and executed after that with its parameters, in the order given. The text
    is peewee's own for the database at hand (quoting, ``RETURNING`` on PostgreSQL).
    """

    def __init__(self, db: pw.Database) -> None:
        self.db = db
        self._text: dict[object, str] = {}
        self._fields: dict[type[pw.Model], list[pw.Field]] = {}

    def _sql(self, key: object, build: Callable[[pw.Node], pw.Query]) -> str:
        text = self._text.get(key)
        if text is None:
            text, params = build(pw.SQL(self.db.param)).sql()
            if params:  # pragma: no cover - a literal slipped into a prepared statement
                raise AssertionError(f"prepared statement {key!r} has parameters {params!r}")
            self._text[key] = text
        return text

    def insert(self, model: type[pw.Model], values: dict[str, Any]) -> int:
        """Insert one row, the fields' defaults where ``values`` has none; returns its id."""
        fields = self._fields.get(model)
        if fields is None:
            fields = self._fields[model] = [f for f in model._meta.sorted_fields
                                            if not isinstance(f, pw.AutoField)]
        text = self._sql(model, lambda p: model.insert_many([[p] * len(fields)], fields=fields))
        params = [f.db_value(values[f.name] if f.name in values else
                             f.default() if callable(f.default) else f.default) for f in fields]
        cursor = self.db.execute_sql(text, params)
        return cursor.fetchone()[0] if self.db.returning_clause else cursor.lastrowid

    def execute(self, key: str, build: Callable[[pw.Node], pw.Query], *params: Any) -> Any:
        """Run the statement ``build`` makes; returns the cursor."""
        return self.db.execute_sql(self._sql(key, build), params)

    def scalar(self, key: str, build: Callable[[pw.Node], pw.Query], *params: Any) -> Any:
        return self.execute(key, build, *params).fetchone()[0]

    def row(self, key: str, build: Callable[[pw.Node], pw.Query], *params: Any) -> Any:
        return self.execute(key, build, *params).fetchone()

    def rows(self, key: str, build: Callable[[pw.Node], pw.Query], *params: Any) -> list[Any]:
        return self.execute(key, build, *params).fetchall()


def _visitor_query(p: pw.Node) -> pw.Query:
    return (Visitor.select(Visitor.id, Visitor.name, Visitor.phone, Visitor.address,
                           Visitor.district)
            .where(Visitor.id_number == p))


def _summaries_query(p: pw.Node) -> pw.Query:
    return (Visit.select(Visit.id, Visit.business_day, Visit.category, Visit.department,
                         Visit.outcome, Ticket.number, Ticket.status)
            .join(Ticket, pw.JOIN.LEFT_OUTER, on=(Ticket.visit == Visit.id))
            .where(Visit.visitor == p)
            .order_by(Visit.registered_at.desc(), Visit.id.desc()))


def _ahead_query(p: pw.Node) -> pw.Query:
    """Waiting tickets called before a ticket (day, department, rank, issued_at, id)."""
    before = ((Ticket.priority_rank < p)
              | ((Ticket.priority_rank == p)
                 & ((Ticket.issued_at < p) | ((Ticket.issued_at == p) & (Ticket.id < p)))))
    return (Ticket.select(pw.fn.COUNT(Ticket.id))
            .where((Ticket.business_day == p) & (Ticket.department == p)
                   & (Ticket.status == p) & before))


def _next_number_query(p: pw.Node) -> pw.Query:
    return (TicketCounter
            .insert({TicketCounter.business_day: p, TicketCounter.department: p,
                     TicketCounter.last: pw.SQL("1")})
            .on_conflict(conflict_target=[TicketCounter.business_day, TicketCounter.department],
                         update={TicketCounter.last: TicketCounter.last + pw.SQL("1")})
            .returning(TicketCounter.last))


def _bump_query(p: pw.Node) -> pw.Query:
    return (ChangeCounter.insert({ChangeCounter.topic: p, ChangeCounter.version: pw.SQL("1")})
            .on_conflict(conflict_target=[ChangeCounter.topic],
                         update={ChangeCounter.version: ChangeCounter.version + pw.SQL("1")}))
