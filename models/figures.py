"""The few SQL expressions the statistics need that SQLite and PostgreSQL spell differently.

The statistics (:mod:`hall.stats`) group and count in the database; where a figure needs time
arithmetic (a wait from issue to call) or the hour of a stored time, it takes the expression
from here, so the SQL text of both dialects lives in ``models/`` as every statement does:

    wait = epoch_seconds(db, called.at) - epoch_seconds(db, Ticket.issued_at)
    hour = utc_hour(db, Visit.registered_at)
    day = shifted_date(db, CaseEntry.at, 8 * 3600)   # the hall's local date of a stored time

Stored times are naive UTC (:func:`hall.clock.to_storage`). :func:`epoch_seconds` truncates to
the whole second on both engines, so a difference of two is the same integer on SQLite and on
PostgreSQL (the tests compare the two engines' figures).
"""

from __future__ import annotations

import peewee as pw

__all__ = ["epoch_seconds", "is_postgres", "shifted_date", "utc_hour"]


def is_postgres(db: pw.Database) -> bool:
    """Whether ``db`` speaks PostgreSQL (else SQLite)."""
    return isinstance(db, pw.PostgresqlDatabase)


def epoch_seconds(db: pw.Database, column: pw.Node) -> pw.Node:
    """Whole seconds since 1970-01-01 00:00 UTC of a stored (naive UTC) time, as an integer."""
    if is_postgres(db):
        return pw.Cast(pw.fn.date_part("epoch", pw.fn.date_trunc("second", column)), "BIGINT")
    return pw.Cast(pw.fn.strftime("%s", column), "INTEGER")


def utc_hour(db: pw.Database, column: pw.Node) -> pw.Node:
    """The hour (0–23, UTC) of a stored time, as an integer."""
    if is_postgres(db):
        return pw.Cast(pw.fn.date_part("hour", column), "INTEGER")
    return pw.Cast(pw.fn.strftime("%H", column), "INTEGER")


def shifted_date(db: pw.Database, column: pw.Node, seconds: int) -> pw.Node:
    """The calendar date of a stored (naive UTC) time moved by ``seconds`` (the zone's offset:
    the hall's local date), as a date both engines compare with a date column."""
    seconds = int(seconds)
    if is_postgres(db):
        # an Expression, not ``+``: on a subquery peewee's ``+`` means UNION ALL
        return pw.Cast(pw.Expression(column, "+", pw.SQL(f"INTERVAL '{seconds} seconds'")),
                       "DATE")
    return pw.fn.date(column, f"{seconds:+d} seconds")
