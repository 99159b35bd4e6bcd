"""The schema's version: created on first use, upgraded in place without loss, never misread.

A frozen version-1 database (tests/legacy_v1.py) is upgraded by the current code; the result must
hold every old row and look exactly like a freshly created database.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import peewee as pw
import pytest

import main
import models
from config import HallConfig
from hall import Hall
from hall.accounts import Accounts
from hall.clock import FixedClock
from models import (
    AuditEvent,
    ChangeCounter,
    Representative,
    SchemaTooNewError,
    Ticket,
    TicketCounter,
    Visit,
    Visitor,
    current_version,
    ensure_schema,
    open_database,
)
from models.migrations import STEPS, SchemaVersion
from tests import legacy_v1, workers
from tests.conftest import PG_URL, _pg_schema_url
from tests.helpers import form, make_id


@pytest.fixture
def other_url(db_url: str, tmp_path) -> Iterator[str]:
    """A second empty database on the same backend as ``db_url``."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'other.db'}"
    else:
        assert PG_URL
        yield from _pg_schema_url(PG_URL)


def shape(db: pw.Database) -> dict[str, Any]:
    """Tables, their columns and their indexes, order aside."""
    out: dict[str, Any] = {}
    for table in db.get_tables():
        columns = sorted((c.name, c.data_type.lower(), c.null, c.primary_key, c.default)
                         for c in db.get_columns(table))
        indexes = sorted((i.name, tuple(i.columns), i.unique) for i in db.get_indexes(table))
        fks = sorted((f.column, f.dest_table, f.dest_column) for f in db.get_foreign_keys(table))
        out[table] = (columns, indexes, fks)
    return out


def test_a_new_database_is_created_at_the_current_version(db_url: str) -> None:
    db = open_database(db_url)
    assert current_version(db) == 0
    assert ensure_schema(db) == 0
    assert current_version(db) == models.SCHEMA_VERSION
    assert ensure_schema(db) == models.SCHEMA_VERSION  # a second start changes nothing
    assert SchemaVersion.select().count() == 1
    db.close()


def test_version_1_is_upgraded_in_place_without_loss(db_url: str, config: HallConfig,
                                                      clock: FixedClock) -> None:
    counts = legacy_v1.build_v1_database(db_url)
    db = open_database(db_url)
    assert current_version(db) == legacy_v1.V1
    assert "sex" not in {c.name for c in db.get_columns("visitor")}
    hall = Hall(db, config, clock)
    assert current_version(db) == models.SCHEMA_VERSION

    # Every old row is still there, unchanged; the first use seeded the configured accounts
    # (their counter bumped) and added nothing else.
    for model in (Visitor, Visit, Representative, Ticket, TicketCounter, AuditEvent):
        assert model.select().count() == counts[model._meta.table_name], model
    assert ChangeCounter.select().where(ChangeCounter.topic != "accounts").count() == \
        counts[ChangeCounter._meta.table_name]
    assert models.Account.select().count() == len(config.staff)
    old = {v.id_number: v for v in Visitor.select()}
    for number, name, phone, address, district in legacy_v1.VISITORS:
        v = old[number]
        assert (v.name, v.phone, v.address, v.district) == (name, phone, address, district)
    tickets = list(Ticket.select().order_by(Ticket.id))
    assert [(t.business_day, t.number, t.status) for t in tickets] == [
        (day, number, status)
        for _, day, _, _, number, _, status, _ in legacy_v1.VISITS]
    assert [v.matter for v in Visit.select().order_by(Visit.id)] == [
        f"旧事由{k}" for k in range(len(legacy_v1.VISITS))]

    # Sex and birth date were backfilled from the ID number; a number that cannot be read is
    # left blank rather than guessed.
    assert (old["11010519491231002X"].sex, old["11010519491231002X"].birth_date) == (
        "F", date(1949, 12, 31))
    assert (old["440524188001010014"].sex, old["440524188001010014"].birth_date) == (
        "M", date(1880, 1, 1))
    assert (old["BROKEN-ID"].sex, old["BROKEN-ID"].birth_date) == ("", None)

    # The hall goes on: numbering continues, old query codes still work, old files are found.
    code = legacy_v1.query_code(date(2026, 11, 23), "L001")
    assert hall.desk.ticket_status(code).number == "L001"
    assert hall.desk.ticket_status("L001", date(2026, 11, 20)).status == "done"
    # L001 of today still waits: a second ticket needs a reason (issue 9 §3), the upgraded file's
    # ticket counts like a new one.
    again = hall.desk.issue(form(id_number="11010519491231002X", name="李秀英",
                                 again_reason="旧票遗失"), actor="desk01")
    assert again.number == "L002"
    assert again.repeat is True
    assert [v.date for v in again.visits] == ["2026-11-23", "2026-11-23", "2026-11-20"]
    assert again.visits[-1].outcome_label == "当场答复"
    assert hall.desk.issue(form(id_number=make_id(seq=77), category="policy"),
                      actor="desk01").number == "R002"
    newcomer = Visitor.get(Visitor.id_number == make_id(seq=77))
    assert (newcomer.sex, newcomer.birth_date) == ("M", date(1980, 1, 1))
    assert hall.change_version() == len(legacy_v1.VISITS) + 2  # the old counter goes on
    db.close()


def test_the_upgraded_schema_matches_a_fresh_one(db_url: str, other_url: str) -> None:
    legacy_v1.build_v1_database(db_url)
    upgraded = open_database(db_url)
    assert ensure_schema(upgraded) == legacy_v1.V1
    upgraded_shape = shape(upgraded)
    upgraded.close()
    fresh = open_database(other_url)
    ensure_schema(fresh)
    fresh_shape = shape(fresh)
    fresh.close()
    assert {"visitor", "visit", "ticket", "schema_version"} <= set(fresh_shape)
    assert "sex" in {c[0] for c in fresh_shape["visitor"][0]}
    assert set(upgraded_shape) == set(fresh_shape)
    for table in fresh_shape:
        assert upgraded_shape[table] == fresh_shape[table], table


def test_a_failed_upgrade_leaves_the_old_version_intact(db_url: str, monkeypatch) -> None:
    counts = legacy_v1.build_v1_database(db_url)
    last = models.SCHEMA_VERSION

    def broken(db: pw.Database, migrator: Any) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setitem(STEPS, last, broken)
    db = open_database(db_url)
    with pytest.raises(RuntimeError, match="power cut"):
        ensure_schema(db)
    if not db.is_closed():
        db.close()
    db = open_database(db_url)
    assert current_version(db) == legacy_v1.V1
    assert "sex" not in {c.name for c in db.get_columns("visitor")}  # step 2 rolled back too
    assert db.execute_sql("SELECT COUNT(*) FROM visit").fetchone()[0] == counts["visit"]
    monkeypatch.undo()
    assert ensure_schema(db) == legacy_v1.V1
    assert current_version(db) == models.SCHEMA_VERSION
    db.close()


def test_sqlite_foreign_keys_are_enforced_again_after_an_upgrade(sqlite_url: str) -> None:
    legacy_v1.build_v1_database(sqlite_url)
    db = open_database(sqlite_url)
    ensure_schema(db)
    assert db.pragma("foreign_keys") == 1
    with pytest.raises(pw.IntegrityError):
        Visit.insert(visitor=999_999, business_day=date(2026, 11, 23),
                     registered_at=date(2026, 11, 23), registered_by="x", category="wages",
                     suggested_department="hrss", department="hrss", matter="x").execute()
    db.close()


def test_a_database_newer_than_the_program_is_refused(db_url: str, config: HallConfig,
                                                       clock: FixedClock, monkeypatch,
                                                       capsys, tmp_path) -> None:
    db = open_database(db_url)
    Hall(db, config, clock).desk.issue(form(), actor="desk01")
    SchemaVersion.update(version=models.SCHEMA_VERSION + 1).execute()
    db.close()
    db = open_database(db_url)
    with pytest.raises(SchemaTooNewError) as caught:
        Hall(db, config, clock)
    assert f"数据库结构版本为 {models.SCHEMA_VERSION + 1}" in str(caught.value)
    assert current_version(db) == models.SCHEMA_VERSION + 1  # untouched
    assert Ticket.select().count() == 1
    db.close()

    for name in ("HALL_CONFIG", "HALL_DB", "HALL_STAFF"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HALL_DATA", str(tmp_path / "data"))
    capsys.readouterr()
    assert main.main(["--db", db_url, "status", "L001"]) == 2
    err = capsys.readouterr().err
    assert "高于本程序支持" in err
    assert "Traceback" not in err


def test_two_processes_starting_on_an_empty_database_both_succeed(db_url: str,
                                                                  config: HallConfig) -> None:
    outcomes = _start_together(db_url, 2)
    assert [o["ok"] for o in outcomes] == [True] * 2, outcomes
    assert sorted(o["before"] for o in outcomes) == [0, models.SCHEMA_VERSION]  # one created
    db = open_database(db_url)
    assert current_version(db) == models.SCHEMA_VERSION
    assert SchemaVersion.select().count() == 1
    assert db.execute_sql("SELECT COUNT(*) FROM setting").fetchone()[0] == 1  # one secret
    db.close()


def test_two_processes_upgrading_at_once_upgrade_once(db_url: str) -> None:
    counts = legacy_v1.build_v1_database(db_url)
    outcomes = _start_together(db_url, 2)
    assert [o["ok"] for o in outcomes] == [True] * 2, outcomes
    assert sorted(o["before"] for o in outcomes) == [legacy_v1.V1, models.SCHEMA_VERSION]
    db = open_database(db_url)
    assert current_version(db) == models.SCHEMA_VERSION
    assert Visitor.select().count() == counts["visitor"]
    assert Visitor.get(Visitor.id_number == "11010519491231002X").sex == "F"
    db.close()


def _start_together(url: str, n: int) -> list[dict[str, Any]]:
    return workers.run_workers(workers.start_hall, [(url,)] * n)


def test_the_desk_and_window_database_v3_gains_reception_days(db_url: str, config: HallConfig,
                                                              clock: FixedClock,
                                                              monkeypatch) -> None:
    """A v3 database (desk and windows in use) gains reception days, with every row kept."""
    from models import LeaderDay, WindowState
    from models import migrations as schema

    legacy_v1.build_v1_database(db_url)
    with monkeypatch.context() as patch:
        patch.setattr(schema, "SCHEMA_VERSION", 3)
        patch.setattr(Accounts, "seed", lambda self: 0)  # the v3 program had no accounts
        db = open_database(db_url)
        v3 = Hall(db, config, clock)
        assert current_version(db) == 3
        assert not db.table_exists("leader_day")
        # The window calls the old L001 (today's code cannot issue on a v3 file: it keys files
        # by document type since v7). Today's claim also reads the recusals (v8): their tables
        # are made empty first, as the upgrade would make them (it creates them if missing).
        db.create_tables([models.Account, models.Recusal])
        called = v3.windows.call_next(7, actor="win07")
        assert called is not None
        counts = {m._meta.table_name: m.select().count()
                  for m in (Visitor, Visit, Ticket, AuditEvent, WindowState)}
        db.close()
    db = open_database(db_url)
    hall = Hall(db, config, clock)
    assert current_version(db) == models.SCHEMA_VERSION
    for model in (Visitor, Visit, Ticket, AuditEvent, WindowState):
        assert model.select().count() == counts[model._meta.table_name], model
    # the window's visitor survived
    assert hall.windows.view(7, viewer="mgr01").current is not None
    assert LeaderDay.select().count() == 0
    day = hall.leaders.add_day("lihong", date(2026, 11, 23), "09:00", "11:30", 2, actor="mgr01")
    booking = hall.leaders.bookings.book(day.id, "11010519491231002X", actor="desk01").booking
    ticket = hall.leaders.bookings.check_in(booking.id, actor="desk01")
    assert ticket.repeat is True and ticket.number == "D001"
    db.close()
