"""Visitors (one file per person, 一人一档), their visits, a collective visit's representatives."""

from __future__ import annotations

import peewee as pw

from models.base import BaseModel


class Visitor(BaseModel):
    """A person, found by (document type, number); their visits hang off this file."""

    # schema v7: the document's type (居民身份证 "id_card", passport, permits...); the file is
    # keyed by (doc_type, id_number), no longer by the number alone.
    doc_type = pw.CharField(max_length=16, default="id_card")
    id_number = pw.CharField(max_length=18)
    name = pw.CharField(max_length=64)
    sex = pw.CharField(max_length=1, default="")  # "M" / "F", derived from the ID (schema v2)
    birth_date = pw.DateField(null=True)  # derived from the ID (schema v2)
    phone = pw.CharField(max_length=32, default="")
    address = pw.CharField(max_length=200, default="")
    district = pw.CharField(max_length=32, default="")
    created_at = pw.DateTimeField()
    updated_at = pw.DateTimeField()

    class Meta:
        # The number first: the lookups by number alone (the leaders' bookings, mainland IDs)
        # use the same index as the desk's by (type, number).
        indexes = ((("id_number", "doc_type"), True),)


class Visit(BaseModel):
    """One registration at the desk: who came, about what, and where it was routed."""

    visitor = pw.ForeignKeyField(Visitor, backref="visits", on_delete="RESTRICT")
    business_day = pw.DateField(index=True)
    registered_at = pw.DateTimeField()
    registered_by = pw.CharField(max_length=32)
    district = pw.CharField(max_length=32, default="")
    category = pw.CharField(max_length=32)
    suggested_department = pw.CharField(max_length=32)
    department = pw.CharField(max_length=32)
    people = pw.IntegerField(default=1)
    matter = pw.TextField()
    request = pw.TextField(default="")
    is_repeat = pw.BooleanField(default=False)
    priority = pw.CharField(max_length=32, default="")
    outcome = pw.CharField(max_length=32, default="")  # 办理方式, set when a window finishes
    outcome_note = pw.TextField(default="")
    # schema v3: for a refusal, why and where the visitor was told to turn instead
    outcome_reason = pw.TextField(default="")
    outcome_channel = pw.TextField(default="")
    finished_at = pw.DateTimeField(null=True)
    finished_by = pw.CharField(max_length=32, default="")
    # schema v9: what the register asks: the same matter raised elsewhere (letters, online, other
    # bodies; codes, comma-separated) and an earlier handling opinion (处理意见), if any
    other_channels = pw.CharField(max_length=128, default="")
    earlier_opinion = pw.TextField(default="")

    class Meta:
        indexes = ((("visitor", "registered_at"), False),)


class Representative(BaseModel):
    """A representative named by a collective visit (集体访)."""

    visit = pw.ForeignKeyField(Visit, backref="representatives", on_delete="RESTRICT")
    position = pw.IntegerField()
    id_number = pw.CharField(max_length=18)
    name = pw.CharField(max_length=64, default="")  # schema v7: who to talk to, and how
    phone = pw.CharField(max_length=32, default="")

    class Meta:
        indexes = ((("visit", "position"), True),)
