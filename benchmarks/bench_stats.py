"""A month's statistics and its register over the benchmark database (issue 13 §4).

    .venv/bin/python benchmarks/bench_stats.py                  # SQLite; the big file is cached
    .venv/bin/python benchmarks/bench_stats.py --rebuild        # build it again
    .venv/bin/python benchmarks/bench_stats.py --pg postgresql://postgres@127.0.0.1:5432/test

The targets: ``hall.stats.figures`` of a month over 1,000,000 tickets in under 1 s on SQLite, and
the register of that month (about 20,000 visits, ``hall.stats.register`` then
``hall.export.register.register_xlsx``) written to XLSX in under 5 s. Prints, never asserts:

- the figures of the month (its headlines, to compare the engines): the first run on its own
  (the file's pages dropped from the operating system's cache first, a fresh connection:
  cold), then p50/p95 of ``--runs`` more;
  each section of ``hall.stats.context.SECTIONS`` alone (p50), and the query plans of the
  statements each section runs (SQLite's EXPLAIN QUERY PLAN; a ``SCAN`` of a whole table is
  flagged ``<-- full scan``);
- beside them, floors measured in the same run: ``SELECT COUNT(*)`` of the month's visits, and
  the month's visits, tickets and ticket events read raw with sqlite3 (every column, fetched,
  nothing counted), so a slow machine is told apart from slow code;
- the register of the month read and written to XLSX (first run, then p50), beside its floor:
  the same number of rows and columns read raw and written by openpyxl's write-only workbook.

The database is bench_issue's history (issue_history.py, made at ``--per-day`` tickets a
business day: 1,000 gives about 22,000 visits a month) with, bulk-loaded the same way, what the
figures read (stats_history.py): the windows' events, outcomes and refusals, collective visits,
priority groups, cases with their timelines, repeat visits linked to a case, leader reception
days with bookings, incidents. Cached as ``--cache``/stats-<tickets>-<per day>-v<schema>.db.
``--pg URL`` builds the same rows in the schema ``hall_bench_stats`` (COPY, kept) and times the
figures there too.
"""

from __future__ import annotations

import argparse
import io
import os
import sqlite3
import statistics
import sys
import textwrap
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import peewee as pw
from bigdb import cached
from issue_history import BENCH_DAY, CST
from stats_history import PG_SCHEMA, build_pg, build_sqlite, pg_url

from config import DEFAULT_CONFIG, load_config
from hall import Hall
from hall.clock import FixedClock
from hall.stats.context import SECTIONS
from hall.stats.period import month_period
from hall.stats.query import Query
from hall.stats.views import Filters
from models import SCHEMA_VERSION, open_database

MONTH = "2026-10"  # the last whole month of the history (it ends on 2026-11-20)
MANAGER = "mgr01"


# -- timing ----------------------------------------------------------------------------------------

def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall and CPU milliseconds of one call, and what it returned."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, out


def p50(samples: list[float]) -> float:
    return statistics.median(samples)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)]


def row(label: str, walls: list[float], cpus: list[float] | None = None) -> str:
    cpu = f"{p50(cpus):10.1f}" if cpus else f"{'':>10}"
    return f"  {label:<44}{p50(walls):10.1f}{p95(walls):10.1f}{cpu}"


def drop_os_cache(path: Path) -> None:
    """The file's pages out of the operating system's cache (this file only)."""
    for suffix in ("", "-wal"):
        file = Path(f"{path}{suffix}")
        if file.exists():
            fd = os.open(file, os.O_RDONLY)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            os.close(fd)


class Recorder:
    """The statements a database runs while recording (sql, params)."""

    def __init__(self, db: pw.Database) -> None:
        self.db, self.original = db, db.execute_sql
        self.statements: list[tuple[str, Any]] = []

    def __enter__(self) -> Recorder:
        def execute_sql(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
            self.statements.append((sql, params))
            return self.original(sql, params, *args, **kwargs)
        self.db.execute_sql = execute_sql
        return self

    def __exit__(self, *exc: object) -> None:
        del self.db.execute_sql  # back to the class's method


def plans(hall: Hall, period: Any) -> None:
    """Each section's statements and SQLite's plan of each; a whole-table SCAN flagged."""
    store = hall.stats.store
    print("query plans (EXPLAIN QUERY PLAN), by section:")
    for section in SECTIONS:
        with store.connection(), Recorder(hall.db) as rec:
            section(Query(store, period, Filters()))
        print(f"  {section.__module__}: {len(rec.statements)} statements")
        for sql, params in rec.statements:
            steps = [r[3] for r in hall.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params)]
            scans = [s for s in steps if s.startswith("SCAN") and "INDEX" not in s
                     and "CONSTANT" not in s]
            flag = "   <-- full scan" if scans else ""
            head = " ".join(sql.split())
            head = head[head.find(" FROM "):][:90] if " FROM " in head else head[:90]
            print(f"    {head}{flag}\n      {' | '.join(steps)}")


def floors(path: Path, period: Any) -> dict[str, Callable[[], Any]]:
    """The same month's rows by bare sqlite3 queries (the hall's pragmas), fetched."""
    from models.base import SQLITE_PRAGMAS

    con = sqlite3.connect(path)
    for key, value in SQLITE_PRAGMAS.items():
        con.execute(f"PRAGMA {key}={value}")
    span = (period.start.isoformat(), period.end.isoformat())
    month = "business_day BETWEEN ? AND ?"
    return {
        "SELECT COUNT(*) of the month's visits": lambda: con.execute(
            f"SELECT COUNT(*) FROM visit WHERE {month}", span).fetchone(),
        "month's visits, tickets, events read raw": lambda: (
            con.execute(f"SELECT * FROM visit WHERE {month}", span).fetchall(),
            con.execute(f"SELECT * FROM ticket WHERE {month}", span).fetchall(),
            con.execute(f"SELECT e.* FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id "
                        f"WHERE t.{month}", span).fetchall()),
    }


def register_floor(path: Path, period: Any, columns: int) -> Callable[[], Any]:
    """The month's visits with visitor and ticket read raw, written by a write-only workbook
    (``columns`` values a row): what any register of the month costs at least."""
    from openpyxl import Workbook

    con = sqlite3.connect(path)
    span = (period.start.isoformat(), period.end.isoformat())

    def run() -> bytes:
        rows = con.execute(
            "SELECT v.registered_at, t.number, p.name, p.sex, p.id_number, p.phone, v.district, "
            "v.people, v.category, v.matter, v.request, v.is_repeat, v.department, t.window, "
            "v.outcome, v.finished_at, v.outcome_note, v.priority, p.address, v.business_day "
            "FROM visit v JOIN visitor p ON p.id = v.visitor_id LEFT JOIN ticket t ON "
            "t.visit_id = v.id WHERE v.business_day BETWEEN ? AND ? ORDER BY v.registered_at",
            span).fetchall()
        book = Workbook(write_only=True)
        sheet = book.create_sheet("来访登记簿")
        for r in rows:
            sheet.append([str(x) for x in (r * 2)[:columns]])
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    return run


def register_parts() -> tuple[Callable | None, str]:
    """``register_xlsx`` when the exports have landed (None and why otherwise)."""
    try:
        from hall.export.register import register_xlsx
    except ImportError as e:
        return None, f"hall.export.register not importable ({e})"
    return register_xlsx, ""


def measure(hall: Hall, path: Path | None, runs: int, register: bool = True) -> None:
    """The figures (cold, then warm), each section, the floors, the register."""
    period = month_period(MONTH)
    figures = lambda: hall.stats.figures(MANAGER, period, Filters())  # noqa: E731
    wall, cpu, first = timed(figures)
    visits = first.value("visits")
    print(f"the month {period.start} .. {period.end}: {visits:,} visits; "
          f"{len(first.tables)} tables, {len(first.headlines)} headlines from "
          f"{len(SECTIONS)} sections")
    shown = ", ".join(f"{h.key} {h.value}" for h in first.headlines)
    print("\n".join(textwrap.wrap(f"headlines: {shown}", 100, initial_indent="  ",
                                   subsequent_indent="    ")))
    print(f"  {'':<44}{'p50 ms':>10}{'p95 ms':>10}{'cpu p50':>10}")
    print(f"  {'figures, first run (cold)':<44}{wall:10.1f}{'':>10}{cpu:10.1f}")
    bare = floors(path, period) if path else {}
    samples: dict[str, tuple[list[float], list[float]]] = {
        k: ([], []) for k in ["figures (warm)", *bare]}
    for i in range(runs):
        for label, fn in [("figures (warm)", figures), *bare.items()][:: 1 if i % 2 else -1]:
            w, c, _ = timed(fn)
            samples[label][0].append(w)
            samples[label][1].append(c)
    for label, (walls, cpus) in samples.items():
        print(row(label if label.startswith("fig") else f"floor: {label}", walls, cpus))
    store = hall.stats.store
    for section in SECTIONS:
        walls, cpus = [], []
        for _ in range(runs):
            with store.connection():
                w, c, _ = timed(lambda s=section: s(Query(store, period, Filters())))
            walls.append(w)
            cpus.append(c)
        print(row(f"  section {section.__module__.rsplit('.', 1)[-1]}", walls, cpus))
    fig = p50(samples["figures (warm)"][0])
    print(f"  a month's figures: p50 {fig / 1000:.3f} s — target < 1 s: "
          f"{'met' if fig < 1000 else 'MISSED'}")

    if not register:
        return
    register_xlsx, why = register_parts()
    if register_xlsx is None or not hasattr(hall.stats, "register"):
        print(f"register: not measured: {why or 'hall.stats.register not on the facade yet'}")
        return
    name = hall.config.hall.name
    read = lambda: hall.stats.register(MANAGER, period, what="register.xlsx",  # noqa: E731
                                       file="bench.xlsx")
    w1, c1, reg = timed(read)
    w2, c2, data = timed(lambda: register_xlsx(reg, name))
    first_wall, first_cpu = w1 + w2, c1 + c2
    n_rows, n_cols = len(reg.table.rows), len(reg.table.columns)
    floor = register_floor(path, period, n_cols) if path else None
    reads, writes, totals, cpus, fw, fc = [], [], [], [], [], []
    for i in range(max(1, runs)):  # the register and its floor, interleaved
        for which in ("register", "floor")[:: 1 if i % 2 else -1]:
            if which == "floor" and floor is not None:
                w, c, _ = timed(floor)
                fw.append(w)
                fc.append(c)
            elif which == "register":
                w1, c1, reg = timed(read)
                w2, c2, data = timed(lambda r=reg: register_xlsx(r, name))
                reads.append(w1)
                writes.append(w2)
                totals.append(w1 + w2)
                cpus.append(c1 + c2)
    print(f"register of the month: {n_rows:,} rows x {n_cols} columns, "
          f"{len(data) / 2**20:.1f} MiB of XLSX (masked: {reg.masked})")
    print(f"  {'':<44}{'p50 ms':>10}{'p95 ms':>10}{'cpu p50':>10}")
    print(f"  {'register, first run':<44}{first_wall:10.1f}{'':>10}{first_cpu:10.1f}")
    print(row("hall.stats.register (read)", reads))
    print(row("register_xlsx (write)", writes))
    print(row("register + XLSX", totals, cpus))
    if fw:
        print(row("floor: raw rows + write-only workbook", fw, fc))
    total = p50(totals)
    print(f"  a month's register to XLSX: p50 {total / 1000:.3f} s — target < 5 s: "
          f"{'met' if total < 5000 else 'MISSED'}")


def describe(run: Callable[..., Any], mark: str, period: Any) -> str:
    """What the database holds (``run``: a driver's or peewee's execute)."""
    month = (period.start.isoformat(), period.end.isoformat())
    counts = []
    for table in ("ticket", "ticket_event", "visitor", "case", "case_entry", "leader_day",
                  "leader_booking", "incident"):
        n = run(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
        counts.append(f"{n:,} {table}")
    cur = run(f"SELECT COUNT(*) FROM visit WHERE business_day BETWEEN {mark} AND "
                      f"{mark}", month)
    return ", ".join(counts) + f"; {cur.fetchone()[0]:,} visits in {period.start:%Y-%m}"


def clock() -> FixedClock:
    return FixedClock(datetime.combine(BENCH_DAY, datetime.min.time(), CST)
                      + timedelta(hours=10))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000,
                        help="past tickets in the database (default 1,000,000)")
    parser.add_argument("--per-day", type=int, default=1000,
                        help="tickets a business day (default 1,000: ~22,000 a month)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs after the first")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/hall-bench"),
                        help="folder of the cached database (default /tmp/hall-bench)")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--no-register", action="store_true", help="the figures only")
    parser.add_argument("--pg", metavar="URL", help="also on PostgreSQL (schema hall_bench_stats)")
    args = parser.parse_args(argv)
    config = load_config(os.environ.get("HALL_CONFIG") or DEFAULT_CONFIG)
    period = month_period(MONTH)
    path = args.cache / f"stats-{args.tickets}-{args.per_day}-v{SCHEMA_VERSION}.db"
    print(f"hall statistics benchmark: Python {sys.version.split()[0]}, SQLite "
          f"{sqlite3.sqlite_version}, peewee {pw.__version__}")
    built = cached(path, args.rebuild,
                   lambda: build_sqlite(path, config, args.tickets, args.per_day))
    con = sqlite3.connect(path)
    print(f"database: {path} ({path.stat().st_size / 2**20:.0f} MiB, {built})\n  "
          f"{describe(con.execute, '?', period)}")
    con.close()
    drop_os_cache(path)
    db = open_database(f"sqlite:///{path}")
    hall = Hall(db, config, clock())
    print("SQLite")
    measure(hall, path, args.runs, not args.no_register)
    plans(hall, period)
    db.close()

    if args.pg:
        took = build_pg(args.pg, config, args.tickets, args.per_day, args.rebuild)
        print(f"PostgreSQL: schema {PG_SCHEMA} "
              f"({'cached' if took is None else f'built in {took:.1f} s'})")
        db = open_database(pg_url(args.pg))
        hall = Hall(db, config, clock())
        print(f"  {describe(db.execute_sql, '%s', period)}")
        measure(hall, None, args.runs, not args.no_register)
        db.close()
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
