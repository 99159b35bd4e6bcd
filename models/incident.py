"""Special situations (特殊情况): an incident and its append-only timeline of entries.

An incident is logged once (type, place, linked ticket and visitor, people, what happened); from
then on nothing in it is edited or deleted. Each step is a new :class:`IncidentEntry`, numbered
1, 2, 3 ... within its incident: the log itself, actions taken, corrections pointing at the entry
they correct, the close with its conclusion, a reopening with its reason. The incident row keeps
only what lists and alerts filter on (status, severity, day) and the last entry number, which is
taken under the incident's row lock so entries written at the same instant keep an order.
"""

from __future__ import annotations

import peewee as pw

from models.base import BaseModel
from models.ticket import Ticket
from models.visitor import Visitor


class Incident(BaseModel):
    """One special situation in the hall (schema v4)."""

    business_day = pw.DateField()
    logged_at = pw.DateTimeField()
    logged_by = pw.CharField(max_length=32)
    type = pw.CharField(max_length=32)
    # Copied from the type when logged: a later change of configuration does not rewrite history.
    severity = pw.CharField(max_length=8)
    place = pw.CharField(max_length=64)
    ticket = pw.ForeignKeyField(Ticket, null=True, backref="incidents", on_delete="RESTRICT")
    visitor = pw.ForeignKeyField(Visitor, null=True, backref="incidents", on_delete="RESTRICT")
    people = pw.IntegerField(default=1)
    status = pw.CharField(max_length=8, default="open")  # open / closed
    last_seq = pw.IntegerField(default=0)  # the number of its latest entry
    updated_at = pw.DateTimeField()

    class Meta:
        indexes = (
            (("business_day", "status"), False),
            # The alert: open incidents of high severity.
            (("status", "severity"), False),
        )


class IncidentEntry(BaseModel):
    """A dated step of an incident: logged, action, correction, closed, reopened; append-only."""

    incident = pw.ForeignKeyField(Incident, backref="entries", on_delete="RESTRICT")
    seq = pw.IntegerField()  # 1, 2, 3 ... within the incident: the timeline's order
    at = pw.DateTimeField()
    actor = pw.CharField(max_length=32)
    kind = pw.CharField(max_length=16)
    action = pw.CharField(max_length=32, default="")  # the action's code, for kind "action"
    result = pw.TextField(default="")
    note = pw.TextField(default="")
    corrects = pw.ForeignKeyField("self", null=True, backref="corrections",
                                  on_delete="RESTRICT")

    class Meta:
        indexes = ((("incident", "seq"), True),)
