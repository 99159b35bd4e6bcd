"""peewee tables of the hall: one module per aggregate, bound to one database proxy.

    from models import open_database, ensure_schema
    db = open_database(url); ensure_schema(db)

The hot statements of issuing and calling live in :mod:`models.statements`, named functions with
keyword parameters (``statements.next_number(db, day=..., department=...)``): the one place that
holds SQL text. Nothing here knows about screens or rules; :mod:`hall` holds the rules.
"""

from __future__ import annotations

from models import drivers as _drivers  # noqa: F401  first: peewee without its drivers

# isort: split
from models.account import AccessToken, Account, AccountEvent, Recusal
from models.audit import AuditEvent, ChangeCounter, Setting
from models.base import (
    DatabaseURLError,
    database,
    is_sqlite,
    open_database,
    write_transaction,
)
from models.case import (
    Appointment,
    Case,
    CaseCounter,
    CaseDocument,
    CaseEntry,
    CaseVisit,
    InterviewRecord,
)
from models.incident import Incident, IncidentEntry
from models.leader import BookingEvent, LeaderBooking, LeaderCase, LeaderDay, LeaderRule
from models.leader_profile import LeaderProfile
from models.migrations import SCHEMA_VERSION, SchemaTooNewError, current_version, ensure_schema
from models.ticket import Ticket, TicketCounter, TicketEvent
from models.visitor import Representative, Visit, Visitor
from models.visitor_history import VisitorChange
from models.window import WindowState

__all__ = [
    "SCHEMA_VERSION",
    "AccessToken",
    "Account",
    "AccountEvent",
    "Appointment",
    "AuditEvent",
    "BookingEvent",
    "Case",
    "CaseCounter",
    "CaseDocument",
    "CaseEntry",
    "CaseVisit",
    "ChangeCounter",
    "DatabaseURLError",
    "Incident",
    "IncidentEntry",
    "InterviewRecord",
    "LeaderBooking",
    "LeaderCase",
    "LeaderDay",
    "LeaderProfile",
    "LeaderRule",
    "Recusal",
    "Representative",
    "SchemaTooNewError",
    "Setting",
    "Ticket",
    "TicketCounter",
    "TicketEvent",
    "Visit",
    "Visitor",
    "VisitorChange",
    "WindowState",
    "current_version",
    "database",
    "ensure_schema",
    "is_sqlite",
    "open_database",
    "write_transaction",
]
