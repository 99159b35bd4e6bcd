"""The state of each service window: open or paused, and the visitor it is serving."""

from __future__ import annotations

import peewee as pw

from models.base import BaseModel
from models.ticket import Ticket


class WindowState(BaseModel):
    """One row per window that has ever been used; written in the same transaction as the call.

    ``current`` is the ticket the window called and has not yet finished, transferred or marked
    a no-show; a window terminal that restarts (or crashed mid-call) finds its visitor here.
    """

    number = pw.IntegerField(primary_key=True)
    paused = pw.BooleanField(default=False)
    current = pw.ForeignKeyField(Ticket, null=True, on_delete="RESTRICT")
    actor = pw.CharField(max_length=32, default="")
    updated_at = pw.DateTimeField()
