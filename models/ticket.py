"""Tickets, their per-day per-department counters, and the events in a ticket's life."""

from __future__ import annotations

import peewee as pw

from models.base import BaseModel
from models.visitor import Visit


class TicketCounter(BaseModel):
    """The last number issued per business day and department; bumped atomically."""

    business_day = pw.DateField()
    department = pw.CharField(max_length=32)
    last = pw.IntegerField(default=0)

    class Meta:
        primary_key = pw.CompositeKey("business_day", "department")


class Ticket(BaseModel):
    """A numbered ticket (e.g. R007) for one visit, waiting in one department's queue."""

    visit = pw.ForeignKeyField(Visit, backref="tickets", unique=True, on_delete="RESTRICT")
    business_day = pw.DateField()
    number = pw.CharField(max_length=8)
    seq = pw.IntegerField()
    origin_department = pw.CharField(max_length=32)
    department = pw.CharField(max_length=32)  # the queue it waits in now
    priority_rank = pw.IntegerField()  # 0 first; groups in configured order, then everyone else
    status = pw.CharField(max_length=16, default="waiting")
    issued_at = pw.DateTimeField()
    called_at = pw.DateTimeField(null=True)
    window = pw.IntegerField(null=True)
    recalls = pw.IntegerField(default=0)  # schema v3
    query_code = pw.CharField(max_length=32, unique=True)

    class Meta:
        indexes = (
            (("business_day", "number"), True),
            # The queue: today's waiting tickets of a department in call order.
            (("business_day", "department", "status", "priority_rank", "issued_at"), False),
        )


class TicketEvent(BaseModel):
    """Something that happened to a ticket (issued, called, ...); append-only."""

    ticket = pw.ForeignKeyField(Ticket, backref="events", on_delete="RESTRICT")
    at = pw.DateTimeField()
    actor = pw.CharField(max_length=32)
    kind = pw.CharField(max_length=16)
    department = pw.CharField(max_length=32)
    window = pw.IntegerField(null=True)
    note = pw.TextField(default="")
