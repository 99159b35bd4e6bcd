"""The benchmarks' big databases: rows shaped by the peewee models, bulk-loaded and cached.

Used by issue_history.py (the 1,000,000-ticket history of bench_issue.py, bench_call.py and
bench_scale.py), stats_history.py (that history with its life added, for bench_stats.py), and
for a file's removal or a schema's URL by bench_call.py, bench_scale.py and bench_cases.py. A
builder gives the rows, a chunk at a time (``{table: [row, ...]}``, full rows in the models' column
order, see :class:`Table`), and the models they fill; this module makes the database:

- :func:`load_sqlite`: a fresh file through ``Hall`` (the schema, the seeded rows), then a raw
  sqlite3 connection with the journal off, the indexes dropped, one transaction of
  ``executemany`` a chunk, the indexes made again, WAL switched on like the hall's own; built
  as ``<file>.tmp`` and renamed, so a half-built file is never taken for a cached one.
  :func:`cached` builds it only when the file is missing (or ``--rebuild``).
- :func:`load_pg`: the same rows in a schema of their own (``COPY``, indexes dropped and made
  again, the id sequences moved past the rows, ``ANALYZE``), marked with a build key in the
  schema's ``setting`` table so a matching schema is kept between runs. :func:`pg_url` is a
  URL whose search path is that schema.
"""

from __future__ import annotations

import io
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import peewee as pw

from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from models import open_database
from models.base import unhurried

Rows = Callable[[Hall], Iterable[dict[str, list]]]
"""The rows of a build, chunk by chunk, given the freshly made hall (its config, its codes)."""


class Table:
    """A model's table as column names and a row template of the fields' defaults."""

    def __init__(self, model: type[pw.Model]) -> None:
        fields = model._meta.sorted_fields
        self.name = model._meta.table_name
        self.cols = [f.column_name for f in fields]
        self.template = [_default(f) for f in fields]

    def filler(self, cols: list[str]) -> Callable[[tuple], list]:
        """A function turning values for ``cols`` into a full row (defaults elsewhere)."""
        at = [self.cols.index(c) for c in cols]
        template = self.template

        def fill(values: tuple) -> list:
            row = template.copy()
            for i, v in zip(at, values, strict=True):
                row[i] = v
            return row
        return fill

    def insert_sql(self, mark: str, skip_id: bool = False) -> str:
        cols = [c for c in self.cols if not (skip_id and c == "id")]
        names = ", ".join(f'"{c}"' for c in cols)
        return f'INSERT INTO "{self.name}" ({names}) VALUES ({", ".join([mark] * len(cols))})'


def _default(field: pw.Field) -> Any:
    return field.default() if callable(field.default) else field.default


def remove(path: Path) -> None:
    """A SQLite file and its -wal and -shm, where they are."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def cached(path: Path, rebuild: bool, build: Callable[[], float]) -> str:
    """``build()`` (seconds taken) unless the file at ``path`` is there and not to be rebuilt;
    says so while building, and returns what to print about the file."""
    if rebuild or not path.exists():
        print(f"building {path} ...", flush=True)
        return f"built in {build():.1f} s"
    return "cached; --rebuild builds it again"


def load_sqlite(path: Path, config: HallConfig, at: datetime, rows: Rows,
                models: Sequence[type[pw.Model]]) -> float:
    """Build the database at ``path`` (the hall made at ``at``, then ``rows`` of ``models``
    bulk-inserted with the indexes dropped); returns seconds taken."""
    began = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(f"{path}.tmp")
    remove(path)
    remove(tmp)
    db = open_database(f"sqlite:///{tmp}")
    hall = Hall(db, config, FixedClock(at))
    db.close()
    con = sqlite3.connect(tmp, isolation_level=None)
    for pragma in ("journal_mode=DELETE", "synchronous=OFF", "cache_size=-1000000",
                   "temp_store=MEMORY", "foreign_keys=OFF"):
        con.execute(f"PRAGMA {pragma}")
    indexes = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                          "AND sql IS NOT NULL").fetchall()
    for name, _ in indexes:
        con.execute(f'DROP INDEX "{name}"')
    sql = {m._meta.table_name: Table(m).insert_sql("?") for m in models}
    for chunk in rows(hall):
        con.execute("BEGIN")
        for table, values in chunk.items():
            con.executemany(sql[table], values)
        con.execute("COMMIT")
    for _, create in indexes:
        con.execute(create)
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    tmp.rename(path)
    return time.perf_counter() - began


def pg_url(base: str, schema: str) -> str:
    """``base`` with its search path set to ``schema``."""
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"


def load_pg(base: str, schema: str, config: HallConfig, at: datetime, rows: Rows,
            models: Sequence[type[pw.Model]], marker: str, rebuild: bool) -> float | None:
    """The rows in ``schema`` of the database at ``base`` (dropped and made again, COPY);
    None when the schema is there with the same ``marker`` and not to be rebuilt, else
    seconds taken."""
    admin = open_database(base)
    found = admin.execute_sql(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = "
        "'setting'", (schema,)).fetchone() and admin.execute_sql(
        f"SELECT value FROM {schema}.setting WHERE key = 'bench_build'").fetchone()
    if found and found[0] == marker and not rebuild:
        admin.close()
        return None
    began = time.perf_counter()
    admin.execute_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    admin.execute_sql(f"CREATE SCHEMA {schema}")
    admin.close()
    db = open_database(pg_url(base, schema))
    hall = Hall(db, config, FixedClock(at))
    with unhurried(db, copy=True):  # COPY and index builds: no timeouts, plain waits
        _copy_in(db, hall, schema, rows, models, marker)
    db.close()
    return time.perf_counter() - began


def _copy_in(db: pw.Database, hall: Hall, schema: str, rows: Rows,
             models: Sequence[type[pw.Model]], marker: str) -> None:
    con = db.connection()
    con.autocommit = True
    cur = con.cursor()
    cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s AND "
                "indexname NOT IN (SELECT conname FROM pg_constraint)", (schema,))
    indexes = cur.fetchall()
    for name, _ in indexes:
        cur.execute(f'DROP INDEX {schema}."{name}"')
    cols = {m._meta.table_name: Table(m).cols for m in models}
    for chunk in rows(hall):
        for table, values in chunk.items():
            text = "".join("\t".join("\\N" if v is None else str(v) for v in row) + "\n"
                           for row in values)
            names = ", ".join(f'"{c}"' for c in cols[table])
            cur.copy_expert(f'COPY "{table}" ({names}) FROM STDIN', io.StringIO(text))
    for _, create in indexes:
        cur.execute(create)
    for model in models:  # the next id past the loaded rows
        if isinstance(model._meta.primary_key, pw.AutoField):
            table = model._meta.table_name
            cur.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                        f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"), false)')
    cur.execute("INSERT INTO setting (key, value) VALUES ('bench_build', %s)", (marker,))
    cur.execute("ANALYZE")
