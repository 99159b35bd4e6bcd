"""The database handle every model uses, and how to open one from a URL.

    from models.base import open_database, database
    db = open_database("sqlite:///var/hall.db")      # or a plain path, or postgresql://user@host/db

SQLite runs in WAL mode with ``synchronous=normal``, foreign keys on and a busy timeout, so many
terminals on one host share one file. The file, its ``-wal`` and ``-shm`` companions and the data
directory holding it are readable by their owner only: a new file is created 0600 and looser
existing ones are tightened when it is opened (:func:`config.paths.private_database`).
PostgreSQL is for terminals on several machines.

PostgreSQL connections come from a pool (a terminal's polls reuse one server session; a pooled
session is checked with a round trip before use) and never wait forever: the URL's query takes,
besides libpq's own parameters (``sslmode``, ``options``, ``keepalives_idle`` ...):

- ``connect_timeout`` seconds to connect (default :data:`PG_DEFAULTS`);
- ``statement_timeout`` milliseconds for a statement on the server; the client gives up one second
  later, so a frozen server (a stopped process, a dead network) answers within seconds;
- ``max_connections`` (pool size per process) and ``stale_timeout`` (seconds a session lives).

TCP keepalives are on. A breakdown raises a :class:`models.faults.DatabaseFault` in Chinese.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlparse

import peewee
from playhouse.pool import PooledPostgresqlDatabase

from config.paths import private_database
from models.drivers import load_postgres_driver
from models.faults import FaultsMixin, ServerTimeout, SqliteCursor, wait_with_timeout

database = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "cache_size": -16000,
}
BUSY_TIMEOUT_SECONDS = 30

PG_DEFAULTS = {
    # libpq's, passed on (connect_timeout is also enforced by the hall's wait callback).
    "connect_timeout": "5",
    "keepalives": "1",
    "keepalives_idle": "30",
    "keepalives_interval": "10",
    "keepalives_count": "3",
    # The hall's: milliseconds on the server, then one more second on the client.
    "statement_timeout": "5000",
    # The pool's: sessions per process, and seconds before a session is replaced.
    "max_connections": "20",
    "stale_timeout": "600",
}


class BaseModel(peewee.Model):
    """Every table: bound to the shared proxy."""

    class Meta:
        database = database
        legacy_table_names = False


class DatabaseURLError(ValueError):
    """The database URL cannot be used; the message says why, in Chinese."""


def open_database(url: str) -> peewee.Database:
    """Open the database at ``url`` and bind every model to it.

    Accepts ``sqlite:///path``, a plain file path, ``:memory:`` and ``postgresql://...``.
    """
    db = _connect(url)
    database.initialize(db)
    return db


def _connect(url: str) -> peewee.Database:
    if url == ":memory:" or "://" not in url:
        return _sqlite(url)
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        if parsed.netloc:  # sqlite://relative/path
            path = parsed.netloc + path
        elif path.startswith("//"):
            path = path[1:]
        elif path.startswith("/"):  # sqlite:///relative -> "relative", sqlite:////abs -> "/abs"
            path = path[1:]
        return _sqlite(path or ":memory:")
    if parsed.scheme in ("postgres", "postgresql"):
        if not parsed.path.strip("/"):
            raise DatabaseURLError(f"数据库地址缺少库名：{url}")
        return _postgres(url, parsed)
    raise DatabaseURLError(f"不支持的数据库地址“{url}”：应为 SQLite 文件路径或 postgresql://…")


def _postgres(url: str, parsed: Any) -> peewee.Database:
    load_postgres_driver()
    params = {**PG_DEFAULTS, **dict(parse_qsl(parsed.query))}
    try:
        connect_seconds = float(params["connect_timeout"])
        statement_ms = int(params.pop("statement_timeout"))
        pool = {"max_connections": int(params.pop("max_connections")),
                "stale_timeout": int(params.pop("stale_timeout"))}
    except ValueError as exc:
        raise DatabaseURLError(f"数据库地址的超时或连接数参数应为整数：{url}（{exc}）") from None
    # Query parameters go to libpq as they are: ?sslmode=require, ?options=-csearch_path=x
    params["options"] = f"-c statement_timeout={statement_ms} {params.get('options', '')}".strip()
    _install_wait_callback()
    connection_class = _connection_class(
        connect_seconds, statement_ms / 1000 + 1 if statement_ms > 0 else None)
    db = _HallPostgres(
        unquote(parsed.path.lstrip("/")),
        user=unquote(parsed.username) if parsed.username else None,
        password=unquote(parsed.password) if parsed.password else None,
        host=parsed.hostname,
        port=parsed.port,
        connection_factory=connection_class,
        **pool,
        **params,
    )
    db.fault_where = f"{parsed.hostname or 'localhost'}:{parsed.port or 5432}"
    return db


class _HallPostgres(FaultsMixin, PooledPostgresqlDatabase):
    """PostgreSQL through a pool, with the hall's timeouts and Chinese breakdowns."""

    def _is_closed(self, conn: Any) -> bool:
        """The pool's check of a kept session (a round trip), except that a server that does
        not answer it fails the checkout at once: opening a new session would only wait again."""
        try:
            if not conn.closed and self._adapter.txn_status(conn) == self._adapter.txn_idle:
                conn.cursor().execute("SELECT 1")
                return False
        except ServerTimeout:
            conn.close()
            raise
        except Exception:
            return True
        return bool(super()._is_closed(conn))


def _install_wait_callback() -> None:
    from psycopg2 import extensions

    if extensions.get_wait_callback() is not wait_with_timeout:
        extensions.set_wait_callback(wait_with_timeout)


def _connection_class(connect_seconds: float, wait_seconds: float | None) -> type:
    """psycopg2's connection carrying the timeouts the wait callback reads."""
    from psycopg2 import extensions

    return type("HallConnection", (extensions.connection,),
                {"hall_connect_seconds": connect_seconds, "hall_wait_seconds": wait_seconds})


class _HallSqlite(FaultsMixin, peewee.SqliteDatabase):
    """SQLite whose connection set-up survives terminals starting together on a new file.

    Switching a new database to WAL needs an exclusive lock, and SQLite can answer "database is
    locked" at once, without waiting for the busy timeout, while another connection is doing the
    same. The pragmas are idempotent, so they are simply tried again for a while.
    """

    def _set_pragmas(self, conn: Any) -> None:
        deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
        while True:
            try:
                super()._set_pragmas(conn)
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)


    def cursor(self, named_cursor: Any = None) -> Any:
        if self.is_closed():
            self.connect()
        cursor = self._state.conn.cursor(SqliteCursor)
        cursor.fault_where = self.fault_where
        return cursor


def _sqlite(path: str) -> peewee.SqliteDatabase:
    private_database(path)  # before SQLite creates the file or its -wal and -shm
    db = _HallSqlite(path, pragmas=SQLITE_PRAGMAS, timeout=BUSY_TIMEOUT_SECONDS,
                     autoconnect=True)
    db.fault_where = path if path == ":memory:" else str(Path(path).expanduser().resolve())
    return db


def is_sqlite(db: peewee.Database | None = None) -> bool:
    """True when the bound (or given) database is SQLite."""
    target: Any = db if db is not None else database.obj
    return isinstance(target, peewee.SqliteDatabase)


@contextmanager
def unhurried(db: peewee.Database, *, copy: bool = False) -> Iterator[None]:
    """Long statements on this thread's PostgreSQL connection (a schema upgrade, a bulk load):
    no statement timeout, no client-side wait limit. ``copy``: psycopg2's COPY too, which its
    wait callback refuses, by waiting the plain way meanwhile (single-threaded tools only).
    SQLite: nothing to do."""
    if is_sqlite(db):
        yield
        return
    from psycopg2 import extensions

    conn = db.connection()
    ours = hasattr(type(conn), "hall_wait_seconds")  # opened by open_database
    db.execute_sql("SET statement_timeout = 0")
    if ours:
        conn.hall_wait_seconds = None
    if copy:
        extensions.set_wait_callback(None)
    try:
        yield
    finally:
        if copy:
            _install_wait_callback()
        if ours:
            del conn.hall_wait_seconds  # the class's again
        if not conn.closed:
            db.execute_sql("RESET statement_timeout")  # the URL's, given at connect


def write_transaction(db: peewee.Database | None = None) -> AbstractContextManager[Any]:
    """A transaction that takes the write lock at once.

    On SQLite a deferred transaction that reads and then writes can fail with "database is locked"
    without waiting when another writer got in between; ``BEGIN IMMEDIATE`` waits for the busy
    timeout instead. PostgreSQL takes row locks as it goes.
    """
    target: Any = db if db is not None else database
    if is_sqlite(db):
        return target.atomic("IMMEDIATE")
    return target.atomic()
