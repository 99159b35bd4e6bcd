"""Shared fixtures: the shipped configuration, a fixed clock, and a fresh database per test.

``db_url`` runs a test on SQLite, and on PostgreSQL too when HALL_TEST_PG_URL is set (each test
gets its own schema there, dropped afterwards).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import peewee
import pytest

from config import DEFAULT_CONFIG, HallConfig, load_config
from hall import Hall
from hall.clock import FixedClock
from models import open_database

PG_URL = os.environ.get("HALL_TEST_PG_URL")
CST = timezone(timedelta(hours=8))
MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=CST)


@pytest.fixture(scope="session")
def config() -> HallConfig:
    return load_config(DEFAULT_CONFIG)


@pytest.fixture
def clock() -> FixedClock:
    """Monday 2026-11-23, 09:00 in the hall."""
    return FixedClock(MORNING)


def _pg_schema_url(base: str) -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = open_database(base)
    admin.execute_sql(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        admin = open_database(base)
        admin.execute_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


@pytest.fixture(params=["sqlite", "pg"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A fresh, empty database: SQLite, and PostgreSQL when HALL_TEST_PG_URL is set."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hall.db'}"
        return
    if not PG_URL:
        pytest.skip("HALL_TEST_PG_URL is not set")
    yield from _pg_schema_url(PG_URL)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A fresh SQLite database file (for tests that only make sense embedded)."""
    return f"sqlite:///{tmp_path / 'hall.db'}"


@pytest.fixture
def hall(db_url: str, config: HallConfig, clock: FixedClock) -> Iterator[Hall]:
    db = open_database(db_url)
    yield Hall(db, config, clock)
    if not db.is_closed():
        db.close()


@pytest.fixture
def sqlite_hall(sqlite_url: str, config: HallConfig, clock: FixedClock) -> Iterator[Hall]:
    db: peewee.Database = open_database(sqlite_url)
    yield Hall(db, config, clock)
    db.close()
