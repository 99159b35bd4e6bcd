"""The history of a visitor's file: every earlier name, phone, address and district (schema v7).

A change to the file at the desk appends one row per field, with the value before and after, who
and when; rows are never updated or deleted, so the file keeps every value it ever held.
"""

from __future__ import annotations

import peewee as pw

from models.base import BaseModel
from models.visitor import Visitor


class VisitorChange(BaseModel):
    """One field of a visitor's file changed: old and new value, who, when, and why if asked."""

    visitor = pw.ForeignKeyField(Visitor, backref="changes", on_delete="RESTRICT")
    at = pw.DateTimeField()
    actor = pw.CharField(max_length=32)
    field = pw.CharField(max_length=16)  # name, phone, address, district
    old_value = pw.TextField()
    new_value = pw.TextField()

    class Meta:
        indexes = ((("visitor", "at"), False),)
