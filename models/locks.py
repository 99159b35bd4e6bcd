"""The locks a transaction takes before it counts and writes: one place for each kind.

    with write_transaction(db):
        day = locked_leader_day(db, day_id)          # bookings of one day queue up here
        lock_leader_days(db, ["zhangwei"])           # making days for a leader, one at a time

SQLite needs none of them: ``BEGIN IMMEDIATE`` (:func:`models.base.write_transaction`) already
serialises writers. PostgreSQL takes row locks (``SELECT … FOR UPDATE``) where the row exists, and
transaction-scoped advisory locks where the rule reads rows that may not exist yet.
"""

from __future__ import annotations

import zlib
from typing import Any

import peewee as pw

from models import statements
from models.account import Account
from models.base import is_sqlite
from models.case import Case
from models.incident import Incident
from models.leader import LeaderDay

LEADER_DAYS_LOCK = 72740002
"""The advisory-lock class of making a leader's days (72740001: the schema's, in migrations)."""


def lock_leader_days(db: pw.Database, codes: list[str]) -> None:
    """Hold, until this transaction ends, the right to make days for these leaders.

    The one-day-per-leader-per-date check reads rows that may not exist yet, so no row lock can
    guard it: on PostgreSQL a transaction-scoped advisory lock keyed by the leader makes a second
    manager's check wait for the first one's day (sorted, so that planning several leaders never
    deadlocks).
    """
    if is_sqlite(db):
        return
    for code in sorted(set(codes)):
        key = zlib.crc32(code.encode()) - 2**31  # a signed 32-bit key per leader
        db.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", (LEADER_DAYS_LOCK, key))


def locked_leader_day(db: pw.Database, day_id: int) -> LeaderDay | None:
    """The reception day's row, locked for this transaction (None when there is none)."""
    query = LeaderDay.select().where(LeaderDay.id == day_id)
    if not is_sqlite(db):
        query = query.for_update()
    return query.first()


def locked_visitor(db: pw.Database, doc_type: str, number: str) -> tuple[Any, ...] | None:
    """(id, name, phone, address, district) of the visitor's file, locked for this transaction
    (None when there is none yet).

    Issuing checks today's tickets of the person before adding one: two desks issuing for the
    same person at once queue up here, so the second sees the first's ticket. A file not made
    yet needs no lock: the second insert of the same (type, number) waits for the first and
    fails on the unique index, and the desk's retry then finds the file and its ticket.
    """
    return statements.find_visitor(db, doc_type=doc_type, number=number, lock=True)


def locked_incident(db: pw.Database, incident_id: int) -> Incident | None:
    """The incident's row, locked for this transaction (None when there is none)."""
    query = Incident.select().where(Incident.id == incident_id)
    if not is_sqlite(db):
        query = query.for_update()
    return query.first()


def locked_account(db: pw.Database, account_id: int) -> Account:
    """The account's row, locked for this transaction (two terminals counting wrong passwords
    for one login at once count both)."""
    query = Account.select().where(Account.id == account_id)
    if not is_sqlite(db):
        query = query.for_update()
    return query.get()


def locked_case(db: pw.Database, case_id: int) -> Case | None:
    """The case's row, locked for this transaction (None when there is none): two managers
    acting on one case at once both get their entry, one after the other."""
    query = Case.select().where(Case.id == case_id)
    if not is_sqlite(db):
        query = query.for_update()
    return query.first()
