"""Staff accounts, their history, access tokens and recusals (schema v8).

An account is seeded from the configuration's staff list the first time a database is used; from
then on the database holds it. Its history (:class:`AccountEvent`) is append-only, like the
leaders' roster: every creation, password change, lock, role or state change is a new row. A
password is stored only as an argon2id hash (:mod:`hall.accounts.passwords`), a token only as the
SHA-256 digest of its text. A recusal (回避) ties a staff member to a visitor's file: that person's
windows do not call the visitor's tickets.
"""

from __future__ import annotations

import peewee as pw

from models.base import BaseModel
from models.visitor import Visitor


class Account(BaseModel):
    """One staff member who may sign in: role, department(s), state and password hash."""

    login = pw.CharField(max_length=32, unique=True)
    name = pw.CharField(max_length=64)
    role = pw.CharField(max_length=16)
    departments = pw.CharField(max_length=256, default="")  # department codes, comma-separated
    active = pw.BooleanField(default=True)
    password_hash = pw.CharField(max_length=256, default="")  # argon2id; "" = none set yet
    must_change = pw.BooleanField(default=False)  # a one-time password: change at first login
    failures = pw.IntegerField(default=0)  # wrong passwords in a row
    locked_until = pw.DateTimeField(null=True)  # naive UTC, like every stored time
    created_at = pw.DateTimeField()
    version = pw.IntegerField(default=1)  # bumped by every change (optimistic checks, caches)


class AccountEvent(BaseModel):
    """One entry of an account's history; never updated or deleted."""

    account = pw.ForeignKeyField(Account, backref="events", on_delete="RESTRICT")
    at = pw.DateTimeField()
    actor = pw.CharField(max_length=32)
    kind = pw.CharField(max_length=16)  # created, password, reset, role, disabled, enabled, ...
    detail = pw.TextField(default="{}")  # JSON, never a password or token

    class Meta:
        indexes = ((("account", "at"), False),)


class AccessToken(BaseModel):
    """A token for a kiosk, the board or an integration: only its SHA-256 digest is kept."""

    account = pw.ForeignKeyField(Account, backref="tokens", on_delete="RESTRICT")
    digest = pw.CharField(max_length=64, unique=True)
    label = pw.CharField(max_length=64, default="")
    created_at = pw.DateTimeField()
    created_by = pw.CharField(max_length=32)
    expires_at = pw.DateTimeField(null=True)
    revoked_at = pw.DateTimeField(null=True)
    revoked_by = pw.CharField(max_length=32, default="")


class Recusal(BaseModel):
    """回避: a staff member declared a conflict of interest with a visitor."""

    account = pw.ForeignKeyField(Account, backref="recusals", on_delete="RESTRICT")
    visitor = pw.ForeignKeyField(Visitor, backref="recusals", on_delete="RESTRICT")
    reason = pw.TextField()
    at = pw.DateTimeField()
    actor = pw.CharField(max_length=32)
    withdrawn_at = pw.DateTimeField(null=True)
    withdrawn_by = pw.CharField(max_length=32, default="")

    class Meta:
        indexes = ((("visitor", "account"), False),)


ACCOUNT_MODELS: list[type[BaseModel]] = [Account, AccountEvent, AccessToken, Recusal]
