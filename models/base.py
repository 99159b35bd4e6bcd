"""The database handle every model uses, and how to open one from a URL.

    from models.base import open_database, database
    db = open_database("sqlite:///var/hall.db")      # or a plain path, or postgresql://user@host/db

SQLite runs in WAL mode with ``synchronous=normal``, foreign keys on and a busy timeout, so many
terminals on one host share one file. PostgreSQL is for terminals on several machines.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import parse_qsl, unquote, urlparse

import peewee

database = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "cache_size": -16000,
}
BUSY_TIMEOUT_SECONDS = 30


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
        return peewee.PostgresqlDatabase(
            unquote(parsed.path.lstrip("/")),
            user=unquote(parsed.username) if parsed.username else None,
            password=unquote(parsed.password) if parsed.password else None,
            host=parsed.hostname,
            port=parsed.port,
            # Query parameters go to libpq as they are: ?sslmode=require, ?options=-csearch_path=x
            **dict(parse_qsl(parsed.query)),
        )
    raise DatabaseURLError(f"不支持的数据库地址“{url}”：应为 SQLite 文件路径或 postgresql://…")


class _HallSqlite(peewee.SqliteDatabase):
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


def _sqlite(path: str) -> peewee.SqliteDatabase:
    return _HallSqlite(path, pragmas=SQLITE_PRAGMAS, timeout=BUSY_TIMEOUT_SECONDS,
                       autoconnect=True)


def is_sqlite(db: peewee.Database | None = None) -> bool:
    """True when the bound (or given) database is SQLite."""
    target: Any = db if db is not None else database.obj
    return isinstance(target, peewee.SqliteDatabase)


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
