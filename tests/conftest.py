"""Shared fixtures: the shipped configuration, a fixed clock, and a fresh database per test.

``db_url`` runs a test on SQLite, and on PostgreSQL too when HALL_TEST_PG_URL is set (each test
gets its own schema there, dropped afterwards). ``db_url`` is empty: no table, no row.

``hall`` is the hall a new database becomes when the shipped configuration opens it at a fixed
time (the schema created, the configured staff's accounts seeded). Building that takes 0.05 s on
SQLite and 0.5-2 s on PostgreSQL (some thirty tables and their indexes), and every test needs the
same state, so :func:`fill` copies it from a template built once per session and time: a copied
file on SQLite; on PostgreSQL a schema of a pool renamed to the test's (a catalogue update), which
goes back to the pool afterwards, reset to the template's rows and sequences (the tables written
to truncated, the template's rows copied back, every sequence set to the template's value). A
schema whose shape a test changed (a table, a column, an index, a constraint) is dropped, never
reused. The template's one random value, the query codes' key, is drawn again for each test.
Fixtures that open the shipped hall themselves on ``db_url`` call :func:`fill` first; any other
hall (another configuration, the system clock) is built on the empty database as before.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import secrets
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlparse

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


def template_time(config: Any, clock: Any) -> str | None:
    """The template a hall opened with ``config`` and ``clock`` would build on a new database: the
    shipped configuration at a fixed time (its ISO text); None for any other hall."""
    if config is not shipped_config() or not isinstance(clock, FixedClock):
        return None
    return clock.now().isoformat()


def _build(url: str, at: str) -> None:
    """Open the shipped hall at ``at`` on ``url`` (a new database): the template's state. The
    models stay bound as they were."""
    bound = database.obj
    db = open_database(url)
    try:
        Hall(db, shipped_config(), FixedClock(datetime.fromisoformat(at)))
    finally:
        db.close()
        if bound is not None:
            database.initialize(bound)


NEW_SECRET = "UPDATE setting SET value = ? WHERE key = 'query_secret'"
"""The one random value of the template's state (the query codes' key, hall/desk/codes.py): each
database has its own, as each new one would."""


def fill(url: str, config: Any, clock: Any) -> None:
    """Give the new, empty test database ``url`` the state a hall opened with ``config`` and
    ``clock`` would build on it, copied from the template (see the module); nothing when the hall
    is not a templated one or the database is not new and empty. ``Hall(db, config, clock)`` on
    it then finds its schema and accounts there, as on a database it built before."""
    at = template_time(config, clock)
    if at is None:
        return
    if url.startswith("sqlite:///"):
        _copy_template(Path(url.removeprefix("sqlite:///")), at)
    elif PG_URL and url.startswith(PG_URL):
        _swap_in(url, at)


# -- SQLite: a copied file ------------------------------------------------------------------------


@functools.cache
def _sqlite_template(at: str) -> Path:
    path = Path(_TEMPLATES) / f"hall-{len(os.listdir(_TEMPLATES))}.db"
    _build(f"sqlite:///{path}", at)
    db = peewee.SqliteDatabase(str(path))
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # the whole state in the one file
    db.close()
    return path


_TEMPLATES = tempfile.mkdtemp(prefix="hall-templates-")
atexit.register(shutil.rmtree, _TEMPLATES, True)


def _copy_template(path: Path, at: str) -> None:
    if path.exists() or not path.parent.is_dir():
        return
    shutil.copyfile(_sqlite_template(at), path)
    path.chmod(0o600)  # as the hall creates its files
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.execute(NEW_SECRET, (secrets.token_hex(32),))


@functools.cache
def _sqlite_demo(at: str) -> tuple[Path, str]:
    """The demo hall (:func:`hall.demo.build_demo`) built once on a copy of the template at
    ``at``: its file and its summary. The models stay bound as they were."""
    from hall.demo import build_demo

    path = Path(_TEMPLATES) / f"demo-{len(os.listdir(_TEMPLATES))}.db"
    _copy_template(path, at)
    bound = database.obj
    db = open_database(f"sqlite:///{path}")
    try:
        summary = build_demo(Hall(db, shipped_config(), FixedClock(datetime.fromisoformat(at))))
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # the whole state in the one file
    finally:
        db.close()
        if bound is not None:
            database.initialize(bound)
    return path, summary


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


def q(name: str) -> str:
    return f'"{name}"'


def _admin() -> peewee.Database:
    """One session on PG_URL for creating, swapping, resetting and dropping the tests' schemas
    (the models stay bound as they were)."""
    global _ADMIN
    if _ADMIN is None:
        bound = database.obj
        _ADMIN = open_database(str(PG_URL))
        if bound is not None:
            database.initialize(bound)
    return _ADMIN


_ADMIN: peewee.Database | None = None


class _Pool:
    """Schemas holding one template's state (one time), lent to one test at a time."""

    def __init__(self, at: str) -> None:
        self.at = at
        self.admin = _admin()
        self.made: list[str] = []
        self.template = self._new()
        self.shape = self._shape(self.template)
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
        schema = f"p_{uuid.uuid4().hex[:12]}"
        self.admin.execute_sql(f'CREATE SCHEMA "{schema}"')
        self.made.append(schema)
        _build(_schema_url(str(PG_URL), schema), self.at)
        return schema

    def _shape(self, schema: str) -> str:
        return str(self.admin.execute_sql(SHAPE, (schema, schema)).fetchone()[0])

    def lend(self) -> str:
        if not self.free:
            return self._new()
        schema = self.free.pop()
        self.admin.execute_sql(NEW_SECRET.replace("setting", f'"{schema}".setting')
                               .replace("?", "%s"), (secrets.token_hex(32),))
        return schema

    def give_back(self, schema: str) -> bool:
        """Bring ``schema`` back to the template's state, renamed to a name of the pool's, and
        back to the pool; False (nothing done) when its shape is not the template's any more or
        it cannot be reset."""
        try:
            if self._shape(schema) != self.shape:
                return False  # the test changed the schema itself
            s, t = f'"{schema}"', f'"{self.template}"'
            written = {r[0] for r in self.admin.execute_sql(WRITTEN, (schema,)).fetchall()}
            script = [f"TRUNCATE {', '.join(f'{s}.{q(x)}' for x in sorted(written))} CASCADE"]
            script += [f"INSERT INTO {s}.{q(x)} SELECT * FROM {t}.{q(x)}" for x in self.filled]
            script += [f"SELECT setval('{s}.{q(n)}', {value}, {called})"
                       for n, value, called in self.sequences]
            name = f"p_{uuid.uuid4().hex[:12]}"
            script.append(f'ALTER SCHEMA {s} RENAME TO "{name}"')
            with self.admin.atomic():
                self.admin.execute_sql(";\n".join(script))
        except Exception:
            return False
        self.made.append(name)
        self.free.append(name)
        return True


_POOLS: dict[str, _Pool] = {}
_SWAPPED: dict[str, _Pool] = {}
"""The tests' schemas (by name) that are a pool's schema swapped in, and their pool."""
_EMPTY: set[str] = set()
"""The tests' schemas created empty and not swapped yet."""


def _swap_in(url: str, at: str) -> None:
    """Replace the test's new, empty schema by one of the pool's, renamed to its name (a rename
    is a catalogue update: the tables stay as they are)."""
    schema = parse_qs(urlparse(url).query).get("options", [""])[0]
    schema = schema.split("search_path=", 1)[-1].split()[0] if "search_path=" in schema else ""
    if schema not in _EMPTY:
        return
    admin = _admin()
    if admin.execute_sql("SELECT EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = "
                         "%s::regnamespace)", (schema,)).fetchone()[0]:
        return  # written to already
    pool = _POOLS.get(at) or _POOLS.setdefault(at, _Pool(at))
    lent = pool.lend()
    with admin.atomic():
        admin.execute_sql(f'DROP SCHEMA "{schema}"; ALTER SCHEMA "{lent}" RENAME TO "{schema}"')
    pool.made.remove(lent)
    _EMPTY.discard(schema)
    _SWAPPED[schema] = pool


def _pg_schema_url(base: str) -> Iterator[str]:
    """A new, empty schema, dropped afterwards (or given back to its pool: :func:`fill`)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = _admin() if base == PG_URL else open_database(base)
    admin.execute_sql(f'CREATE SCHEMA "{schema}"')
    _EMPTY.add(schema)
    try:
        yield _schema_url(base, schema)
    finally:
        _EMPTY.discard(schema)
        pool = _SWAPPED.pop(schema, None)
        if pool is None or not pool.give_back(schema):
            admin.execute_sql(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(scope="session", autouse=True)
def _drop_pools() -> Iterator[None]:
    """At the end of the session, the pools' schemas are dropped."""
    yield
    for pool in _POOLS.values():
        for schema in pool.made:
            pool.admin.execute_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    if _ADMIN is not None:
        _ADMIN.close()


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
    fill(db_url, config, clock)
    db = open_database(db_url)
    yield Hall(db, config, clock)
    if not db.is_closed():
        db.close()


@pytest.fixture
def demo(db_url: str, config: HallConfig, clock: FixedClock) -> Iterator[tuple[Hall, str]]:
    """The ``hall`` fixture's hall with the demo built on it (:func:`hall.demo.build_demo`) and
    the demo's summary. On SQLite the database is a copy of one demo built per session (2-3 s
    of CPU each): the demo is the same every time it is built at the same moment
    (tests/domain/test_demo.py::test_deterministic), and opening the copy is what a terminal
    does after ``hall demo``. On PostgreSQL it is built in the test's schema."""
    at = template_time(config, clock)
    if at is not None and db_url.startswith("sqlite:///"):
        source, summary = _sqlite_demo(at)
        path = Path(db_url.removeprefix("sqlite:///"))
        shutil.copyfile(source, path)
        path.chmod(0o600)  # as the hall creates its files
        db = open_database(db_url)
        built = Hall(db, config, clock)
    else:
        from hall.demo import build_demo

        fill(db_url, config, clock)
        db = open_database(db_url)
        built = Hall(db, config, clock)
        summary = build_demo(built)
    yield built, summary
    if not db.is_closed():
        db.close()


@pytest.fixture
def sqlite_hall(sqlite_url: str, config: HallConfig, clock: FixedClock) -> Iterator[Hall]:
    fill(sqlite_url, config, clock)
    db: peewee.Database = open_database(sqlite_url)
    yield Hall(db, config, clock)
    db.close()


@pytest.fixture
def printer() -> Iterator[Any]:
    """A fake ESC/POS printer on a local TCP port that records what it is sent
    (:class:`tests.fake_printer.FakePrinter`), closed after the test."""
    from tests.fake_printer import FakePrinter

    fake = FakePrinter()
    yield fake
    fake.close()
