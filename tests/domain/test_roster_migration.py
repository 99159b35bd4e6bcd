"""Upgrading a v5 database (reception days and incidents) to v6 (the leaders' roster).

The v5 database is the desk issue's v3 database (tests/domain/test_incident_migration.py) brought to
v5 by the historical steps 4 and 5 and given a reception day with a booking. Opening it with this
program adds the roster table and keeps every row; the roster starts as configured, and an edit
shows on the old day. """

from __future__ import annotations

from datetime import date, datetime

import models
from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from models import (
    LeaderBooking,
    LeaderDay,
    LeaderProfile,
    Visitor,
    current_version,
    ensure_schema,
    is_sqlite,
    open_database,
)
from models.migrations import STEPS, SchemaVersion
from tests.domain.test_incident_migration import build_v3_database, fresh_url  # noqa: F401 (fixture)
from tests.domain.test_migrations import shape

V5 = 5


def build_v5_database(url: str) -> dict[str, int]:
    """A v5 database holding v1, v3 and v4-era rows (a day with one booking)."""
    build_v3_database(url)
    db = open_database(url)
    if is_sqlite(db):
        db.pragma("foreign_keys", 0)
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator

    with db.atomic():
        migrator = SqliteMigrator(db) if is_sqlite(db) else PostgresqlMigrator(db)
        for version in (4, V5):
            STEPS[version](db, migrator)
        SchemaVersion.update(version=V5).execute()
        at = datetime(2026, 11, 20, 1, 0)
        day = LeaderDay.create(leader="lihong", department="leader", date=date(2026, 11, 24),
                               start="09:00", end="11:00", room="领导接访室", capacity=3,
                               status="published", origin="manual:v5", created_at=at,
                               created_by="mgr01", published_at=at, published_by="mgr01")
        visitor = Visitor.select(Visitor.id).order_by(Visitor.id).first()  # v5 columns only
        LeaderBooking.create(day=day.id, visitor=visitor.id, seq=1, status="booked",
                             category="other", created_at=at, created_by="desk01",
                             updated_at=at)
    if is_sqlite(db):
        db.pragma("foreign_keys", 1)
    counts = {t: db.execute_sql(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in db.get_tables()}
    assert current_version(db) == V5
    assert "leader_profile" not in db.get_tables()
    db.close()
    return counts


def test_a_v5_database_is_upgraded_with_its_data(db_url: str, config: HallConfig,
                                                  clock: FixedClock) -> None:
    counts = build_v5_database(db_url)
    db = open_database(db_url)
    hall = Hall(db, config, clock)
    assert current_version(db) == models.SCHEMA_VERSION >= 6
    for table, count in counts.items():
        if table != "schema_version":
            # The first use seeds the configured accounts and bumps their change counter.
            seeded = {"change_counter": 1}.get(table, 0)
            assert db.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == \
                count + seeded, table
    assert [x.code for x in hall.leaders.roster.list()] == ["zhangwei", "lihong", "wangshu",
                                                            "shenlv"]
    [day] = hall.leaders.days(date(2026, 11, 1), date(2026, 11, 30))
    assert (day.leader_label, day.booked) == ("李红市信访局局长", 1)
    hall.leaders.roster.edit("lihong", "mgr01", title="局长")
    assert hall.leaders.day(day.id).leader_label == "李红局长"
    assert LeaderProfile.select().count() == 1
    db.close()


def test_the_upgraded_v5_schema_matches_a_fresh_one(db_url: str, fresh_url: str) -> None:  # noqa: F811
    build_v5_database(db_url)
    upgraded = open_database(db_url)
    assert ensure_schema(upgraded) == V5
    got = shape(upgraded)
    upgraded.close()
    fresh = open_database(fresh_url)
    ensure_schema(fresh)
    want = shape(fresh)
    fresh.close()
    assert "leader_profile" in want
    assert got == want
