"""The schema version and the upgrades that bring an older database up to it.

A new database is created at the current version in one go. An older one is upgraded in place,
one step per version, inside a single locked transaction, so two terminals starting at once never
upgrade twice and a crash leaves the old version intact. A database newer than this program is
refused rather than misread.

To change the schema: change the model, bump ``SCHEMA_VERSION``, and add a step to ``STEPS`` that
does the same to an existing database (``playhouse.migrate``), backfilling data where needed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import peewee as pw

from models.account import ACCOUNT_MODELS
from models.audit import AuditEvent, ChangeCounter, Setting
from models.base import BaseModel, is_sqlite, unhurried, write_transaction
from models.case import CASE_MODELS, Case
from models.incident import Incident, IncidentEntry
from models.leader import LEADER_MODELS
from models.leader_profile import LeaderProfile
from models.ticket import Ticket, TicketCounter, TicketEvent
from models.visitor import Representative, Visit, Visitor
from models.visitor_history import VisitorChange
from models.window import WindowState

if TYPE_CHECKING:  # playhouse.migrate loads psycopg2: imported only to upgrade a database
    from playhouse.migrate import SchemaMigrator

SCHEMA_VERSION = 10

MODELS: list[type[BaseModel]] = [
    Visitor, Visit, Representative, TicketCounter, Ticket, TicketEvent, AuditEvent,
    ChangeCounter, Setting, WindowState, *LEADER_MODELS, Incident, IncidentEntry,
    LeaderProfile, VisitorChange, *ACCOUNT_MODELS, *CASE_MODELS,
]


class SchemaVersion(BaseModel):
    """The one row saying which schema version the database holds."""

    id = pw.IntegerField(primary_key=True)
    version = pw.IntegerField()


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer version of the program."""


def _v2_visitor_sex_birth(db: pw.Database, migrator: SchemaMigrator) -> None:
    """v2: keep the sex and birth date derived from the ID number on the visitor's file."""
    from playhouse.migrate import migrate

    migrate(
        migrator.add_column("visitor", "sex", pw.CharField(max_length=1, default="")),
        migrator.add_column("visitor", "birth_date", pw.DateField(null=True)),
    )
    rows = db.execute_sql("SELECT id, id_number FROM visitor").fetchall()
    for row_id, number in rows:
        if len(number) != 18 or not number[:17].isdigit():
            continue
        try:
            born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            continue
        sex = "M" if int(number[16]) % 2 else "F"
        Visitor.update(sex=sex, birth_date=born).where(Visitor.id == row_id).execute()


def _v3_windows(db: pw.Database, migrator: SchemaMigrator) -> None:
    """v3: windows call visitors: recall counts, the outcome of a refusal, window state."""
    from playhouse.migrate import migrate

    migrate(
        migrator.add_column("ticket", "recalls", pw.IntegerField(default=0)),
        migrator.add_column("visit", "outcome_reason", pw.TextField(default="")),
        migrator.add_column("visit", "outcome_channel", pw.TextField(default="")),
        migrator.add_column("visit", "finished_at", pw.DateTimeField(null=True)),
        migrator.add_column("visit", "finished_by", pw.CharField(max_length=32, default="")),
    )
    db.create_tables([WindowState])


def _v4_leader_days(db: pw.Database, migrator: SchemaMigrator) -> None:
    """v4: leader reception days, their rules, bookings with history, 包案."""
    db.create_tables(LEADER_MODELS)


def _v5_incidents(db: pw.Database, migrator: SchemaMigrator) -> None:
    """v5: special situations (特殊情况): incidents and their append-only entries."""
    db.create_tables([Incident, IncidentEntry])


def _v6_leader_roster(db: pw.Database, migrator: SchemaMigrator) -> None:
    """v6: the leaders' roster edited from the manager screen (versions of a profile)."""
    db.create_tables([LeaderProfile])


def _v7_visitor_documents(db: pw.Database, migrator: SchemaMigrator) -> None:
    """v7: files keyed by (document type, number); representatives' name and phone; the history
    of a file's name, phone, address and district. Existing files are mainland ID cards."""
    from playhouse.migrate import migrate

    migrate(
        migrator.add_column("visitor", "doc_type",
                            pw.CharField(max_length=16, default="id_card")),
        migrator.drop_index("visitor", "visitor_id_number"),
        migrator.add_index("visitor", ("id_number", "doc_type"), True),
        migrator.add_column("representative", "name", pw.CharField(max_length=64, default="")),
        migrator.add_column("representative", "phone", pw.CharField(max_length=32, default="")),
    )
    db.create_tables([VisitorChange])


def _v8_accounts(db: pw.Database, migrator: SchemaMigrator) -> None:
    """v8: staff accounts with password hashes and history, access tokens, recusals (回避); the
    audit log read by who and by what (``hall audit``)."""
    db.create_tables(ACCOUNT_MODELS)
    AuditEvent._schema.create_indexes(safe=True)  # the new (actor, at); the others exist


def _v9_cases(db: pw.Database, migrator: SchemaMigrator) -> None:
    """v9: cases (信访事项) with their timeline, visits, documents, interview records and
    appointments; what the register asks of a visit (other channels, an earlier opinion). The
    older 包案 rows (``leader_case``) stay as they were: new 包案 are steps of a case."""
    from playhouse.migrate import migrate

    migrate(
        migrator.add_column("visit", "other_channels", pw.CharField(max_length=128, default="")),
        migrator.add_column("visit", "earlier_opinion", pw.TextField(default="")),
    )
    db.create_tables(CASE_MODELS)


def _v10_case_opened_on(db: pw.Database, migrator: SchemaMigrator) -> None:
    """v10: cases indexed by the day they were opened (the statistics count a period's cases by
    it; without the index every month's figures read every case ever opened)."""
    Case._schema.create_indexes(safe=True)  # the new (opened_on); the others exist


STEPS: dict[int, Callable[[pw.Database, SchemaMigrator], None]] = {
    2: _v2_visitor_sex_birth,
    3: _v3_windows,
    4: _v4_leader_days,
    5: _v5_incidents,
    6: _v6_leader_roster,
    7: _v7_visitor_documents,
    8: _v8_accounts,
    9: _v9_cases,
    10: _v10_case_opened_on,
}


def current_version(db: pw.Database) -> int:
    """The schema version the database holds; 0 when it is empty."""
    if not db.table_exists("schema_version"):
        return 0
    row = SchemaVersion.get_or_none(SchemaVersion.id == 1)
    return row.version if row else 0


def ensure_schema(db: pw.Database) -> int:
    """Create or upgrade the schema; returns the version the database was at before."""
    # Every terminal and command starts here: a database already at this version needs two reads,
    # not a write lock (which would queue behind the windows' claims) nor PostgreSQL's catalogue.
    if current_version(db) == SCHEMA_VERSION:
        return SCHEMA_VERSION
    if not is_sqlite(db):
        with unhurried(db):  # an index on a big table may take longer than a statement may
            return _ensure_schema(db)
    # SQLite changes a column by rebuilding its table (playhouse.migrate): with foreign keys
    # enforced, dropping the old table trips the RESTRICT references of its children and the
    # upgrade fails. SQLite's own recipe: foreign keys off outside the transaction, then
    # foreign_key_check before commit. The pragma is a no-op inside a transaction.
    enforced = bool(db.pragma("foreign_keys"))
    db.pragma("foreign_keys", 0)
    try:
        return _ensure_schema(db)
    finally:
        db.pragma("foreign_keys", int(enforced))


def _ensure_schema(db: pw.Database) -> int:
    with write_transaction(db):
        if not is_sqlite(db):
            # Serialise concurrent first starts; released at commit.
            db.execute_sql("SELECT pg_advisory_xact_lock(72740001)")
        db.create_tables([SchemaVersion], safe=True)
        before = current_version(db)
        if before > SCHEMA_VERSION:
            raise SchemaTooNewError(
                f"数据库结构版本为 {before}，高于本程序支持的 {SCHEMA_VERSION}：请升级程序")
        if before == 0:
            db.create_tables(MODELS, safe=True)
        else:
            from playhouse.migrate import PostgresqlMigrator, SqliteMigrator

            migrator: SchemaMigrator = (SqliteMigrator(db) if is_sqlite(db)
                                        else PostgresqlMigrator(db))
            for version in range(before + 1, SCHEMA_VERSION + 1):
                STEPS[version](db, migrator)
            if is_sqlite(db) and db.execute_sql("PRAGMA foreign_key_check").fetchone():
                raise RuntimeError(f"升级数据库结构（{before} → {SCHEMA_VERSION}）后外键不一致，"
                                   "已回滚，数据库未改动")
        if before != SCHEMA_VERSION:
            (SchemaVersion.insert(id=1, version=SCHEMA_VERSION)
             .on_conflict(conflict_target=[SchemaVersion.id],
                          update={SchemaVersion.version: SCHEMA_VERSION})
             .execute())
    return before
