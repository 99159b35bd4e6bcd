"""The append-only audit log, the change counters other terminals poll, and hall settings."""

from __future__ import annotations

import peewee as pw

from models.base import BaseModel


class AuditEvent(BaseModel):
    """Who did what to which record, when; never updated or deleted."""

    at = pw.DateTimeField(index=True)
    actor = pw.CharField(max_length=32)
    action = pw.CharField(max_length=32)
    entity = pw.CharField(max_length=32)
    entity_id = pw.CharField(max_length=32)
    detail = pw.TextField(default="{}")  # JSON

    class Meta:
        indexes = ((("actor", "at"), False),)  # `hall audit --staff LOGIN` (schema v8)


class ChangeCounter(BaseModel):
    """A version per topic, bumped inside every writing transaction.

    Terminals poll it with one primary-key read. A row bumped in the writer's transaction is
    visible exactly when the change is; a MAX(id) over an append-only table is not, because on
    PostgreSQL sequence numbers are handed out before commit and can become visible out of order.
    """

    topic = pw.CharField(max_length=32, primary_key=True)
    version = pw.BigIntegerField(default=0)


class Setting(BaseModel):
    """Per-hall values created with the database, e.g. the secret behind query codes."""

    key = pw.CharField(max_length=64, primary_key=True)
    value = pw.TextField()
