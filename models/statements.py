"""The hot statements: issuing a ticket and calling the next one, as named functions.

    from models import statements as sql

    with write_transaction(db):
        seq = sql.next_number(db, day=day, department="xfj")
        ahead = sql.ahead(db, day=day, department="xfj", rank=3, issued_at=at, ticket_id=7)

Each function takes the database and keyword parameters, so the domain (``hall``) never holds SQL
text. Building a query costs peewee far more than running a simple one costs the database (about
0.3 ms of Python per statement, against tens of microseconds in SQLite), and issuing a ticket runs
ten. So each statement is built once per database with placeholders (``SQL(db.param)``) in place
of values, and executed after that with its parameters. The text is peewee's own for the
database at hand (quoting, ``RETURNING`` on PostgreSQL). This module is the one place that
writes SQL text; everything else uses peewee queries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

import peewee as pw

from models.account import Account, Recusal
from models.audit import ChangeCounter
from models.base import is_sqlite
from models.case import CaseCounter
from models.ticket import Ticket, TicketCounter, TicketEvent
from models.visitor import Visit, Visitor
from models.window import WindowState

Build = Callable[[pw.Node], pw.Query]

_CACHE = "_hall_statements"  # the attribute of a Database holding its statements' text
_FIELDS: dict[type[pw.Model], list[pw.Field]] = {}


def _run(db: pw.Database, key: object, build: Build, params: Sequence[Any]) -> Any:
    """Execute the statement ``build`` makes (its text cached per database); the cursor."""
    texts = getattr(db, _CACHE, None)
    if texts is None:
        texts = {}
        setattr(db, _CACHE, texts)
    text = texts.get(key)
    if text is None:
        text, literals = build(pw.SQL(db.param)).sql()
        if literals:  # pragma: no cover - a literal slipped into a prepared statement
            raise AssertionError(f"prepared statement {key!r} has parameters {literals!r}")
        texts[key] = text
    return db.execute_sql(text, params)


# -- inserts ---------------------------------------------------------------------------------------

def insert_row(db: pw.Database, model: type[pw.Model], values: dict[str, Any]) -> int:
    """Insert one row, the fields' defaults where ``values`` has none; returns its id."""
    fields = _FIELDS.get(model)
    if fields is None:
        fields = _FIELDS[model] = [f for f in model._meta.sorted_fields
                                   if not isinstance(f, pw.AutoField)]
    params = [f.db_value(values[f.name] if f.name in values else
                         f.default() if callable(f.default) else f.default) for f in fields]
    cursor = _run(db, model, lambda p: model.insert_many([[p] * len(fields)], fields=fields),
                  params)
    return cursor.fetchone()[0] if db.returning_clause else cursor.lastrowid


# -- issuing ---------------------------------------------------------------------------------------

def _visitor(lock: bool) -> Build:
    def build(p: pw.Node) -> pw.Query:
        query = (Visitor.select(Visitor.id, Visitor.name, Visitor.phone, Visitor.address,
                                Visitor.district)
                 .where((Visitor.id_number == p) & (Visitor.doc_type == p)))
        return query.for_update() if lock else query
    return build


def find_visitor(db: pw.Database, *, doc_type: str, number: str,
                 lock: bool = False) -> tuple[Any, ...] | None:
    """(id, name, phone, address, district) of the file of (document type, number), or None;
    ``lock``: the row locked for the transaction (PostgreSQL; SQLite's BEGIN IMMEDIATE already
    holds the database's write lock)."""
    lock = lock and not is_sqlite(db)
    return _run(db, ("visitor", lock), _visitor(lock), (number, doc_type)).fetchone()


def _open_tickets(p: pw.Node) -> pw.Query:
    return (Ticket.select(Ticket.number, Ticket.department)
            .join(Visit, on=(Ticket.visit == Visit.id))
            .where((Visit.visitor == p) & (Ticket.business_day == p)
                   & Ticket.status.in_([p, p, p]))
            .order_by(Ticket.issued_at, Ticket.id))


def open_ticket(db: pw.Database, *, visitor: int, day: date) -> tuple[str, str] | None:
    """(number, department) of the visitor's first ticket of ``day`` still waiting, called or
    at a window, or None."""
    row = _run(db, "open_ticket", _open_tickets,
               (visitor, day, "waiting", "called", "serving")).fetchone()
    return (row[0], row[1]) if row else None


def _summaries(p: pw.Node) -> pw.Query:
    return (Visit.select(Visit.id, Visit.business_day, Visit.category, Visit.department,
                         Visit.outcome, Ticket.number, Ticket.status, Visit.district,
                         Visit.matter)
            .join(Ticket, pw.JOIN.LEFT_OUTER, on=(Ticket.visit == Visit.id))
            .where(Visit.visitor == p)
            .order_by(Visit.registered_at.desc(), Visit.id.desc()))


def visit_rows(db: pw.Database, *, visitor: int) -> list[tuple[Any, ...]]:
    """A visitor's visits, newest first: (id, day, category, department, outcome, ticket number,
    ticket status, district, matter); the day as the driver returns it (text on SQLite)."""
    return _run(db, "summaries", _summaries, (visitor,)).fetchall()


def _next_number(p: pw.Node) -> pw.Query:
    return (TicketCounter
            .insert({TicketCounter.business_day: p, TicketCounter.department: p,
                     TicketCounter.last: pw.SQL("1")})
            .on_conflict(conflict_target=[TicketCounter.business_day, TicketCounter.department],
                         update={TicketCounter.last: TicketCounter.last + pw.SQL("1")})
            .returning(TicketCounter.last))


def next_number(db: pw.Database, *, day: date, department: str) -> int:
    """Atomically take the next sequence number of (day, department)."""
    return int(_run(db, "next_number", _next_number, (day, department)).fetchone()[0])


def _next_case(p: pw.Node) -> pw.Query:
    return (CaseCounter
            .insert({CaseCounter.year: p, CaseCounter.last: pw.SQL("1")})
            .on_conflict(conflict_target=[CaseCounter.year],
                         update={CaseCounter.last: CaseCounter.last + pw.SQL("1")})
            .returning(CaseCounter.last))


def next_case_seq(db: pw.Database, *, year: int) -> int:
    """Atomically take the year's next case number."""
    return int(_run(db, "next_case", _next_case, (year,)).fetchone()[0])


def _ahead(p: pw.Node) -> pw.Query:
    before = ((Ticket.priority_rank < p)
              | ((Ticket.priority_rank == p)
                 & ((Ticket.issued_at < p) | ((Ticket.issued_at == p) & (Ticket.id < p)))))
    return (Ticket.select(pw.fn.COUNT(Ticket.id))
            .where((Ticket.business_day == p) & (Ticket.department == p)
                   & (Ticket.status == p) & before))


def ahead(db: pw.Database, *, day: date, department: str, rank: int, issued_at: datetime,
          ticket_id: int) -> int:
    """Waiting tickets of the queue called before the ticket (rank, issue time, id) given."""
    params = (day, department, "waiting", rank, rank, issued_at, issued_at, ticket_id)
    return int(_run(db, "ahead", _ahead, params).fetchone()[0])


def _bump(p: pw.Node) -> pw.Query:
    return (ChangeCounter.insert({ChangeCounter.topic: p, ChangeCounter.version: pw.SQL("1")})
            .on_conflict(conflict_target=[ChangeCounter.topic],
                         update={ChangeCounter.version: ChangeCounter.version + pw.SQL("1")}))


def bump(db: pw.Database, *, topic: str) -> None:
    """Advance ``topic``'s change counter (created at 1)."""
    _run(db, "bump", _bump, (topic,))


# -- calling ---------------------------------------------------------------------------------------

def _recused(p: pw.Node) -> pw.Query:
    """The actor (by login) has a recusal in force from the visitor of the outer query's ticket:
    correlated on ``ticket.visit_id``; visit by primary key, then the recusal(visitor, account)
    index, then the account by primary key."""
    return (Recusal.select(pw.SQL("1"))
            .join(Visit, on=(Visit.visitor == Recusal.visitor))
            .join(Account, on=(Account.id == Recusal.account))
            .where((Visit.id == Ticket.visit) & (Account.login == p)
                   & Recusal.withdrawn_at.is_null()))


def claim_next(db: pw.Database, *, day: date, departments: Sequence[str],
               actor: str) -> tuple[int, str, str] | None:
    """The first waiting ticket of a day's departments in call order that ``actor`` (a login)
    may call: (id, number, department).

    The queue index (business_day, department, status, priority_rank, issued_at) serves it;
    PostgreSQL locks the row and skips rows another window is claiming this instant instead of
    waiting for them. A ticket whose visitor the actor has recused themselves from (回避, a
    :class:`~models.account.Recusal` not withdrawn) is passed over inside the same statement, so
    the claim stays one atomic step and another window calls that visitor. Mark it with
    :func:`take` in the same transaction.
    """
    count = len(departments)

    def build(p: pw.Node) -> pw.Query:
        query = (Ticket.select(Ticket.id, Ticket.number, Ticket.department)
                 .where((Ticket.business_day == p) & Ticket.department.in_([p] * count)
                        & (Ticket.status == p) & ~pw.fn.EXISTS(_recused(p)))
                 .order_by(Ticket.priority_rank, Ticket.issued_at, Ticket.id)
                 .limit(pw.SQL("1")))
        return query if is_sqlite(db) else query.for_update("FOR UPDATE SKIP LOCKED")

    return _run(db, ("claim", count), build, (day, *departments, "waiting", actor)).fetchone()


def _take(p: pw.Node) -> pw.Query:
    # peewee writes SET in the fields' declaration order: status, called_at, window, recalls.
    return (Ticket.update({Ticket.status: p, Ticket.called_at: p, Ticket.window: p,
                           Ticket.recalls: p})
            .where((Ticket.id == p) & (Ticket.status == p)))


def take(db: pw.Database, *, ticket_id: int, window: int, at: datetime) -> bool:
    """Mark a ticket called by ``window`` only if it is still waiting; False if it was not."""
    params = ("called", at, window, 0, ticket_id, "waiting")
    return _run(db, "take", _take, params).rowcount == 1


def _current(p: pw.Node) -> pw.Query:
    # SET in declaration order: current, actor, updated_at.
    return (WindowState.update({WindowState.current: p, WindowState.actor: p,
                                WindowState.updated_at: p})
            .where(WindowState.number == p))


def set_current(db: pw.Database, *, window: int, ticket_id: int | None, actor: str,
                at: datetime) -> None:
    """Set (or, with None, clear) a window's current visitor."""
    _run(db, "window.current", _current, (ticket_id, actor, at, window))


def _ensure_window(p: pw.Node) -> pw.Query:
    fields = [WindowState.number, WindowState.paused, WindowState.current, WindowState.actor,
              WindowState.updated_at]
    return WindowState.insert_many([[p] * len(fields)], fields=fields).on_conflict_ignore()


def lock_window(db: pw.Database, *, window: int, at: datetime) -> tuple[int, bool, int | None]:
    """The window's state row (number, paused, current ticket id), created if new, locked for the
    transaction (SQLite: the write lock BEGIN IMMEDIATE took; PostgreSQL: FOR UPDATE)."""
    _run(db, "window.ensure", _ensure_window, (window, False, None, "", at))

    def build(p: pw.Node) -> pw.Query:
        query = (WindowState.select(WindowState.number, WindowState.paused, WindowState.current)
                 .where(WindowState.number == p))
        return query if is_sqlite(db) else query.for_update()

    number, paused, current = _run(db, "window.lock", build, (window,)).fetchone()
    return number, bool(paused), current


# -- the permission check (every act) -------------------------------------------------------------

def _account(p: pw.Node) -> pw.Query:
    return (Account.select(Account.login, Account.name, Account.role, Account.departments,
                           Account.must_change)
            .where((Account.login == p) & (Account.active == p)).limit(pw.SQL("1")))


def active_account(db: pw.Database, *, login: str) -> tuple[str, str, str, str, bool] | None:
    """The active account ``login`` as (login, name, role, departments, must_change), or None:
    the read :meth:`hall.store.Store.permit` makes before every act (the unique login index)."""
    rows = _run(db, "account.active", _account, (login, True)).fetchall()
    if not rows:
        return None
    name, full, role, departments, must_change = rows[0]
    return name, full, role, departments, bool(must_change)


# -- the board -------------------------------------------------------------------------------------

def _recent_calls(p: pw.Node) -> pw.Query:
    return (TicketEvent.select(TicketEvent.id, Ticket.number, TicketEvent.department,
                               TicketEvent.window, TicketEvent.kind, TicketEvent.at)
            .join(Ticket)
            .where(TicketEvent.kind.in_([p, p]) & (Ticket.business_day == p))
            .order_by(TicketEvent.id.desc())
            .limit(p))


def recent_calls(db: pw.Database, *, day: date,
                 limit: int) -> list[tuple[int, str, str, int | None, str, datetime]]:
    """A day's latest calls and recalls, newest first: (event id, ticket number, department
    called in, window, kind, at as stored)."""
    rows = _run(db, "board.calls", _recent_calls, ("called", "recalled", day, limit)).fetchall()
    at = TicketEvent.at.python_value  # SQLite hands the time back as text
    return [(i, number, dept, window, kind, at(when))
            for i, number, dept, window, kind, when in rows]


def _waiting_counts(p: pw.Node) -> pw.Query:
    return (Ticket.select(Ticket.department, pw.fn.COUNT(Ticket.id))
            .where((Ticket.business_day == p) & (Ticket.status == p))
            .group_by(Ticket.department))


def _issued_counts(p: pw.Node) -> pw.Query:
    return (TicketCounter.select(TicketCounter.department, TicketCounter.last)
            .where(TicketCounter.business_day == p))


def queue_counts(db: pw.Database, *, day: date) -> tuple[dict[str, int], dict[str, int]]:
    """A day's waiting tickets and tickets issued, each by department."""
    waiting = dict(_run(db, "board.waiting", _waiting_counts, (day, "waiting")).fetchall())
    issued = dict(_run(db, "board.issued", _issued_counts, (day,)).fetchall())
    return waiting, issued


# -- a window's reads ------------------------------------------------------------------------------

def waiting_rows(db: pw.Database, *, day: date,
                 departments: Sequence[str]) -> list[tuple[Any, ...]]:
    """A day's waiting tickets of ``departments`` in call order, as plain rows: (number,
    department, issued_at, priority group, repeat visit, people, visitor's name, visitor's id);
    issued_at as the driver returns it (text on SQLite). The queue index serves the search, as
    for the claim."""
    count = len(departments)

    def build(p: pw.Node) -> pw.Query:
        return (Ticket.select(Ticket.number, Ticket.department, Ticket.issued_at, Visit.priority,
                              Visit.is_repeat, Visit.people, Visitor.name, Visitor.id)
                .join(Visit).join(Visitor)
                .where((Ticket.business_day == p) & Ticket.department.in_([p] * count)
                       & (Ticket.status == p))
                .order_by(Ticket.priority_rank, Ticket.issued_at, Ticket.id))

    return _run(db, ("waiting", count), build, (day, *departments, "waiting")).fetchall()
