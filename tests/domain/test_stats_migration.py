"""Schema v10: cases indexed by the day they were opened (the statistics' period of a case).

A database at v9 (the cases issue's schema, holding a case) is opened by this program: the index
is added, nothing else changes, every row stays, and the schema is the one a new database gets.
On SQLite the statistics' read of a period's cases then goes through the index rather than
reading every case.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import models
from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from models import Case, CaseEntry, current_version, ensure_schema, is_sqlite, open_database
from models.migrations import SchemaVersion
from tests.conftest import PG_URL, _pg_schema_url
from tests.domain.test_migrations import shape
from tests.helpers import form, make_id

V9 = 9
INDEX = "case_opened_on"


@pytest.fixture
def fresh_url(db_url: str, tmp_path) -> Iterator[str]:
    """A second empty database on the same backend as ``db_url``."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
    else:
        assert PG_URL
        yield from _pg_schema_url(PG_URL)


def build_v9_database(url: str, config: HallConfig, clock: FixedClock) -> dict[str, int]:
    """A database as the cases issue left it (v9, no index on ``opened_on``), holding a case
    opened at a window; the row counts of every table."""
    db = open_database(url)
    hall = Hall(db, config, clock)
    hall.desk.issue(form(id_number=make_id(seq=31), category="wages"), actor="desk01")
    hall.windows.call_next(7, "win07")
    opened = hall.windows.finish_visit(7, "filed", "win07", note="立案交办").case
    assert opened is not None
    db.execute_sql(f'DROP INDEX "{INDEX}"')
    SchemaVersion.update(version=V9).execute()
    counts = {t: db.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
              for t in db.get_tables()}
    assert current_version(db) == V9
    assert INDEX not in {i.name for i in db.get_indexes("case")}
    db.close()
    return counts


def test_v9_gains_the_index_and_keeps_every_row(db_url: str, fresh_url: str,
                                                config: HallConfig, clock: FixedClock) -> None:
    counts = build_v9_database(db_url, config, clock)
    db = open_database(db_url)
    assert ensure_schema(db) == V9
    assert current_version(db) == models.SCHEMA_VERSION == 10
    indexes = {i.name: (tuple(i.columns), i.unique) for i in db.get_indexes("case")}
    assert indexes[INDEX] == (("opened_on",), False)
    assert {t: db.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
            for t in db.get_tables()} == counts
    case = Case.get()
    assert (case.state, case.outcome, case.department) == ("pending", "filed", "hrss")
    assert case.opened_on == clock.now().date()
    assert [e.kind for e in CaseEntry.select().order_by(CaseEntry.seq)] == ["opened"]
    upgraded = shape(db)
    db.close()

    fresh = open_database(fresh_url)
    ensure_schema(fresh)
    assert shape(fresh) == upgraded
    fresh.close()


def test_a_period_of_cases_is_read_through_the_index(sqlite_url: str, config: HallConfig,
                                                      clock: FixedClock) -> None:
    build_v9_database(sqlite_url, config, clock)
    db = open_database(sqlite_url)
    today = clock.now().date()
    query = (Case.select(Case.department, Case.id)
             .where((Case.opened_on >= today) & (Case.opened_on <= today)))
    sql, params = query.sql()
    assert is_sqlite(db)
    before = " | ".join(r[3] for r in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    assert before.startswith("SCAN")
    ensure_schema(db)
    after = " | ".join(r[3] for r in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    assert after.startswith(f"SEARCH t1 USING INDEX {INDEX} (opened_on>? AND opened_on<?)")
    db.close()
