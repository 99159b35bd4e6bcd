"""Upgrading the desk issue's database (schema v3) to the incident schema, with data kept.

The v3 database is made as the desk program made it: a frozen v1 database (tests/legacy_v1.py)
brought to v3 by the historical steps 2 and 3, then given v3-era rows (a window's current
visitor, a finished refusal with its reason). Opening it with this program adds the incident
tables and keeps every row; the upgraded schema is the one a new database gets.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import peewee as pw
import pytest
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator

import models
from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from hall.incidents import NewIncident
from models import (
    AuditEvent,
    Incident,
    IncidentEntry,
    Ticket,
    Visit,
    Visitor,
    WindowState,
    current_version,
    ensure_schema,
    is_sqlite,
    open_database,
)
from models.migrations import STEPS, SchemaVersion
from tests import legacy_v1
from tests.conftest import PG_URL, _pg_schema_url
from tests.domain.test_migrations import shape
from tests.helpers import form

V3 = 3


def build_v3_database(url: str) -> dict[str, int]:
    """A v3 database (the desk and window issues' schema) holding v1 and v3-era rows."""
    legacy_v1.build_v1_database(url)
    db = open_database(url)
    if is_sqlite(db):
        db.pragma("foreign_keys", 0)
    with db.atomic():
        migrator = SqliteMigrator(db) if is_sqlite(db) else PostgresqlMigrator(db)
        for version in (2, V3):
            STEPS[version](db, migrator)
        SchemaVersion.update(version=V3).execute()
        p = db.param
        # Window 7 is serving the waiting L001 of 2026-11-23; the 20th's L002 was refused.
        at = datetime(2026, 11, 23, 1, 30)
        l001 = Ticket.get((Ticket.business_day == date(2026, 11, 23)) & (Ticket.number == "L001"))
        db.execute_sql(f"UPDATE ticket SET status = {p}, \"window\" = {p}, called_at = {p}, "
                       f"recalls = {p} WHERE id = {p}", ("serving", 7, at, 1, l001.id))
        db.execute_sql(f"INSERT INTO window_state (number, paused, current_id, actor, "
                       f"updated_at) VALUES ({p}, {p}, {p}, {p}, {p})",
                       (7, False, l001.id, "win07", at))
        l002 = Ticket.get((Ticket.business_day == date(2026, 11, 20)) & (Ticket.number == "L002"))
        db.execute_sql(f"UPDATE visit SET outcome = {p}, outcome_reason = {p}, "
                       f"outcome_channel = {p}, finished_by = {p} WHERE id = {p}",
                       ("rejected", "已经仲裁", "向人民法院提起诉讼", "win07", l002.visit_id))
    if is_sqlite(db):
        db.pragma("foreign_keys", 1)
    counts = {t: db.execute_sql(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in db.get_tables()}
    assert current_version(db) == V3
    assert "incident" not in db.get_tables()
    db.close()
    return counts


@pytest.fixture
def fresh_url(db_url: str, tmp_path) -> Iterator[str]:
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
    else:
        assert PG_URL
        yield from _pg_schema_url(PG_URL)


def test_a_v3_database_is_upgraded_with_its_data(db_url: str, config: HallConfig,
                                                  clock: FixedClock) -> None:
    counts = build_v3_database(db_url)
    db = open_database(db_url)
    hall = Hall(db, config, clock)
    assert current_version(db) == models.SCHEMA_VERSION
    for table, count in counts.items():
        if table != "schema_version":
            # The first use seeds the configured accounts and bumps their change counter.
            seeded = {"change_counter": 1}.get(table, 0)
            assert db.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == \
                count + seeded, table
    # The v3 state is intact: window 7 still has its visitor, the refusal keeps its reason.
    view = hall.windows.view(7, viewer="mgr01")
    assert view.current is not None and view.current.number == "L001"
    assert view.current.recalls == 1 and view.current.incidents == ()
    refused = Visit.get(Visit.outcome == "rejected")
    assert (refused.outcome_reason, refused.outcome_channel) == ("已经仲裁", "向人民法院提起诉讼")
    # Incidents work on the upgraded database, linked to an old ticket and visitor.
    new = hall.incidents.log(NewIncident("illness", "7号窗口", "晕倒", ticket="L001"), "win07")
    hall.incidents.act(new.id, "medical", "win07")
    assert new.ticket == "L001"
    current = hall.windows.view(7, viewer="mgr01").current
    assert [i.type_name for i in current.incidents] == ["来访人突发疾病"]
    file = hall.desk.visitor_file("11010519491231002X", viewer="mgr01")
    assert file is not None and file.name == "李秀英" and len(file.incidents) == 1
    assert Incident.select().count() == 1 and IncidentEntry.select().count() == 2
    assert Visitor.select().count() == counts["visitor"]
    assert WindowState.select().count() == counts["window_state"]
    # the incident's two entries, and two views (the window's, once per call, and the file)
    assert AuditEvent.select().count() == counts["audit_event"] + 2 + 2
    assert hall.desk.issue(form(
        id_number="440524188001010014", name="陈阿四"), actor="desk01").number == "L002"
    db.close()


def test_the_upgraded_v3_schema_matches_a_fresh_one(db_url: str, fresh_url: str) -> None:
    build_v3_database(db_url)
    upgraded = open_database(db_url)
    assert ensure_schema(upgraded) == V3
    got = shape(upgraded)
    upgraded.close()
    fresh = open_database(fresh_url)
    ensure_schema(fresh)
    want = shape(fresh)
    fresh.close()
    assert {"incident", "incident_entry"} <= set(want)
    assert got == want


def test_a_failed_incident_step_leaves_the_v3_database_as_it_was(db_url: str,
                                                                monkeypatch) -> None:
    build_v3_database(db_url)

    def broken(db: pw.Database, migrator: object) -> None:
        STEPS_BEFORE(db, migrator)
        raise RuntimeError("power cut")

    STEPS_BEFORE = STEPS[models.SCHEMA_VERSION]
    monkeypatch.setitem(STEPS, models.SCHEMA_VERSION, broken)
    db = open_database(db_url)
    with pytest.raises(RuntimeError, match="power cut"):
        ensure_schema(db)
    if not db.is_closed():
        db.close()
    db = open_database(db_url)
    assert current_version(db) == V3
    assert "incident" not in db.get_tables()
    db.close()
