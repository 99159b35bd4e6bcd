"""The leaders' roster as managers edit it (领导名册): append-only versions of a profile.

The configuration's ``leaders`` list is the initial roster; this table holds what managers changed
and added since, so that every terminal (on every machine sharing the database) sees one roster.
A row is never updated: an edit, a retirement or a reinstatement is a new row with the next
``version`` of that code, and the latest version wins. The unique (code, version) index makes two
terminals that edit the same leader at the same instant collide instead of one silently
overwriting the other.
"""

from __future__ import annotations

import peewee as pw

from models.base import BaseModel


class LeaderProfile(BaseModel):
    """One version of a leader's profile: who, in charge of what, receiving in which queue."""

    code = pw.CharField(max_length=32)
    version = pw.IntegerField()  # 1, 2, … per code; a configured leader's own entry is version 0
    name = pw.CharField(max_length=64)
    title = pw.CharField(max_length=64, default="")
    portfolio = pw.CharField(max_length=200, default="")
    kind = pw.CharField(max_length=8, default="leader")  # leader / lawyer
    department = pw.CharField(max_length=32)
    retired = pw.BooleanField(default=False)
    note = pw.TextField(default="")  # why it was retired, or reinstated
    created_at = pw.DateTimeField()
    created_by = pw.CharField(max_length=32)

    class Meta:
        indexes = ((("code", "version"), True),)
