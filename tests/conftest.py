"""Shared fixtures: the shipped configuration, a fixed clock, and a fresh database per test.

``db_url`` runs a test on SQLite, and on PostgreSQL too when HALL_TEST_PG_URL is set (each test
gets its own schema there). ``db_url`` alone is empty: no table, no row.

``hall`` is the hall a new database becomes when the shipped configuration opens it at
:data:`MORNING` (the schema created, the configured staff's accounts seeded). Building that takes
0.05 s on SQLite and 0.5-2 s on PostgreSQL (some forty tables and their indexes), and a test needs
the same state every time, so it is built once per session (a template) and each test gets a copy
of it: a copied file on SQLite; on PostgreSQL a schema of a pool, brought back to the template's
rows and sequences after each test (TRUNCATE, the template's rows copied back, each sequence set
to the template's value). A test that changes the schema itself (a table, a column, an index or a
constraint) leaves a schema that does not match the template's any more: it is dropped, never
reused. A test whose clock or configuration is not the shipped one at MORNING gets an empty
database and builds it as before.
"""

from __future__ import annotations

import contextlib
import functools
import os
import secrets
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

import peewee
import pytest

from config import DEFAULT_CONFIG, HallConfig, load_config
from hall import Hall
from hall.clock import FixedClock
from models import open_database
from models.base import database

PG_URL = os.environ.get("HALL_TEST_PG_URL")
CST = timezone(timedelta(hours=8))
MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=CST)


@functools.lru_cache(maxsize=1)
def shipped_config() -> HallConfig:
    """The shipped configuration, loaded once (the ``config`` fixture's)."""
    return load_config(DEFAULT_CONFIG)


@pytest.fixture(scope="session")
def config() -> HallConfig:
    return shipped_config()


@pytest.fixture
def clock() -> FixedClock:
    """Monday 2026-11-23, 09:00 in the hall."""
    return FixedClock(MORNING)


def _templated(config: Any, clock: Any) -> bool:
    """A hall opened with ``config`` and ``clock`` leaves the template's state on a new database."""
    return config is shipped_config() and isinstance(clock, FixedClock) and \
        clock.now() == MORNING


def _build(url: str) -> None:
    """Open the shipped hall at MORNING on ``url`` (a new database): the template's state. The
    models stay bound as they were."""
    bound = database.obj
    db = open_database(url)
    try:
        Hall(db, shipped_config(), FixedClock(MORNING))
    finally:
        db.close()
        if bound is not None:
            database.initialize(bound)


NEW_SECRET = "UPDATE setting SET value = ? WHERE key = 'query_secret'"
"""The one random value of the template's state (the query codes' key, hall/desk/codes.py): each
database has its own, as each new one would."""


# -- SQLite: a copied file ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "hall.db"
    _build(f"sqlite:///{path}")
    db = peewee.SqliteDatabase(str(path))
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # the whole state in the one file
    db.close()
    return path


def _copy_template(request: pytest.FixtureRequest, url: str, config: Any, clock: Any) -> None:
    """Put the template on the SQLite file ``url`` names, when it is new and the hall will be
    the shipped one at MORNING."""
    path = Path(url.removeprefix("sqlite:///"))
    if not _templated(config, clock) or path.exists():
        return
    shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
    path.chmod(0o600)  # as the hall creates its files
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute(NEW_SECRET, (secrets.token_hex(32),))


# -- PostgreSQL: a pool of schemas reset to the template ------------------------------------------


def _schema_url(base: str, schema: str) -> str:
    sep = "&" if "?" in base else "?"
    # A commit waits for its WAL to reach the disk only for the server's crash, which no test
    # stages: without the wait a commit costs 0.3 ms instead of 4 ms (the transactions, their
    # isolation and what other sessions see are the same).
    options = f"-csearch_path={schema} -csynchronous_commit=off"
    return f"{base}{sep}options={quote(options)}"


SHAPE = """
SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (
    SELECT concat_ws(' ', c.relname::text, c.relkind::text, a.attname::text, a.atttypid::text,
                     a.atttypmod::text, a.attnotnull::text, a.atthasdef::text) AS x
    FROM pg_class c
    LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE c.relnamespace = %s::regnamespace
    UNION ALL
    SELECT concat_ws(' ', conname::text, contype::text, conkey::text, confkey::text,
                     (SELECT relname::text FROM pg_class WHERE oid = confrelid),
                     confupdtype::text, confdeltype::text)
    FROM pg_constraint WHERE connamespace = %s::regnamespace) f
"""
"""A digest of a schema's shape: its relations (tables, indexes, sequences), their columns with
their types, and its constraints, by name (two schemas built alike have the same)."""

WRITTEN = """
SELECT relname FROM pg_class
WHERE relnamespace = %s::regnamespace AND relkind = 'r' AND pg_relation_size(oid) > 0
"""
"""The tables of a schema that hold a page: every table a row was ever written to (TRUNCATE gives
a table a new, empty file; a table no one wrote to has none)."""


class _Pool:
    """Schemas holding the template's state, lent to one test at a time."""

    def __init__(self, base: str) -> None:
        self.base = base
        bound = database.obj
        self.admin = open_database(base)
        if bound is not None:
            database.initialize(bound)
        self.made: list[str] = []
        self.template = self._new()
        self.shape = self._fingerprint(self.template)
        self.filled = [t for t, in self.admin.execute_sql(WRITTEN, (self.template,)).fetchall()
                       if self.admin.execute_sql(
                           f'SELECT EXISTS (SELECT 1 FROM "{self.template}"."{t}")').fetchone()[0]]
        self.sequences = [(name, *self.admin.execute_sql(
            f'SELECT last_value, is_called FROM "{self.template}"."{name}"').fetchone())
            for (name,) in self.admin.execute_sql(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = %s ORDER BY 1",
                (self.template,)).fetchall()]
        self.free: list[str] = []

    def _new(self) -> str:
        schema = f"t_{uuid.uuid4().hex[:12]}"
        self.admin.execute_sql(f'CREATE SCHEMA "{schema}"')
        self.made.append(schema)
        _build(_schema_url(self.base, schema))
        return schema

    def _fingerprint(self, schema: str) -> str:
        return str(self.admin.execute_sql(SHAPE, (schema, schema)).fetchone()[0])

    def lend(self) -> str:
        if not self.free:
            return self._new()
        schema = self.free.pop()
        self.admin.execute_sql(NEW_SECRET.replace("setting", f'"{schema}".setting')
                               .replace("?", "%s"), (secrets.token_hex(32),))
        return schema

    def give_back(self, schema: str) -> None:
        """Bring ``schema`` back to the template's state and to the pool; drop it instead when
        its shape is not the template's any more (or it cannot be reset)."""
        try:
            if self._fingerprint(schema) != self.shape:
                raise ValueError("the test changed the schema")
            s, t = f'"{schema}"', f'"{self.template}"'
            written = {r[0] for r in self.admin.execute_sql(WRITTEN, (schema,)).fetchall()}
            script = [f"TRUNCATE {', '.join(f'{s}.{q(x)}' for x in sorted(written))} CASCADE"]
            script += [f"INSERT INTO {s}.{q(x)} SELECT * FROM {t}.{q(x)}" for x in self.filled]
            script += [f"SELECT setval('{s}.{q(n)}', {value}, {called})"
                       for n, value, called in self.sequences]
            with self.admin.atomic():
                self.admin.execute_sql(";\n".join(script))
        except Exception:
            self.drop(schema)
            return
        self.free.append(schema)

    def drop(self, schema: str) -> None:
        self.admin.execute_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    def close(self) -> None:
        for schema in self.made:
            self.drop(schema)
        self.admin.close()


def q(name: str) -> str:
    return f'"{name}"'


@pytest.fixture(scope="session")
def _pg_pool() -> Iterator[_Pool]:
    assert PG_URL
    pool = _Pool(PG_URL)
    yield pool
    pool.close()


def _pg_schema_url(base: str) -> Iterator[str]:
    """A new, empty schema, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = open_database(base)
    admin.execute_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield _schema_url(base, schema)
    finally:
        admin = open_database(base)
        admin.execute_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


def _pg_templated_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A schema of the pool, in the template's state; given back afterwards."""
    pool: _Pool = request.getfixturevalue("_pg_pool")
    schema = pool.lend()
    request.node.stash[_LENT] = (pool, schema)
    yield _schema_url(pool.base, schema)
    pool.give_back(schema)


_LENT = pytest.StashKey[tuple[_Pool, str]]()


@pytest.fixture(params=["sqlite", "pg"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A fresh database: SQLite, and PostgreSQL when HALL_TEST_PG_URL is set. Empty, unless the
    test uses ``hall``: then, on PostgreSQL, a schema in the template's state (see the module)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'hall.db'}"
        return
    if not PG_URL:
        pytest.skip("HALL_TEST_PG_URL is not set")
    if "hall" in request.fixturenames and _templated(
            request.getfixturevalue("config"), request.getfixturevalue("clock")):
        yield from _pg_templated_url(request)
    else:
        yield from _pg_schema_url(PG_URL)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A fresh SQLite database file (for tests that only make sense embedded)."""
    return f"sqlite:///{tmp_path / 'hall.db'}"


@pytest.fixture
def hall(request: pytest.FixtureRequest, db_url: str, config: HallConfig,
         clock: FixedClock) -> Iterator[Hall]:
    if db_url.startswith("sqlite:///"):
        _copy_template(request, db_url, config, clock)
    elif _LENT in request.node.stash and not _templated(config, clock):
        # A fixture moved the clock after the schema was lent: the hall is built on an empty one.
        pool, schema = request.node.stash[_LENT]
        pool.drop(schema)
        pool.admin.execute_sql(f'CREATE SCHEMA "{schema}"')
    db = open_database(db_url)
    yield Hall(db, config, clock)
    if not db.is_closed():
        db.close()


@pytest.fixture
def sqlite_hall(request: pytest.FixtureRequest, sqlite_url: str, config: HallConfig,
                clock: FixedClock) -> Iterator[Hall]:
    _copy_template(request, sqlite_url, config, clock)
    db: peewee.Database = open_database(sqlite_url)
    yield Hall(db, config, clock)
    db.close()
