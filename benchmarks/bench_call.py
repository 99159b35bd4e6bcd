"""Call-next latency on a database holding 1,000,000 past tickets and 500 waiting today.

    .venv/bin/python benchmarks/bench_call.py                  # SQLite; the big file is cached
    .venv/bin/python benchmarks/bench_call.py --pg postgresql://postgres@127.0.0.1:5432/test

Times ``hall.windows.call_next`` (the atomic claim: lock the window, take the first waiting ticket
of its departments in call order, mark it called, write the window's current, event, audit, change
counter) with an untimed ``hall.windows.finish`` between calls, beside a bare sqlite3 transaction
doing the same claim by hand on a copy of the same database, interleaved in the same run so both see
the same machine load. Prints p50/p99/mean wall time, p50 CPU time, the p50 ratio against the target
(within 5x), and the query plan of the claim's SELECT (it must search the ticket queue index).
Figures are printed, never asserted.

The 1,000,000-ticket history (done and no-show tickets of earlier business days) is built and
cached under /tmp by benchmarks/bench_issue.py's builder, shared with that benchmark; on
PostgreSQL the same builder fills a schema of its own, hall_bench_call, kept between runs. The
500 waiting tickets are issued through ``hall.desk.issue`` over every department's categories; the
calls go round the windows whose queues still hold someone, so windows serving two departments
(3, 9, 10, 12) claim from merged queues too.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import peewee as pw

from config import DEFAULT_CONFIG, HallConfig, load_config
from hall import Hall
from hall.clock import FixedClock, to_storage
from models import SCHEMA_VERSION, open_database
from models.base import SQLITE_PRAGMAS

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The sibling benchmark's builder and its cached 1,000,000-ticket file.
from bench_issue import BENCH_DAY, CST, build_pg, build_sqlite, make_forms, pg_clean, pg_url
from bigdb import cached, remove

# On PostgreSQL, a schema of our own (bench_issue builds it the same way): the issue benchmark
# empties and refills the benchmark day in its schema, which must not happen under our calls.
PG_SCHEMA = "hall_bench_call"

WAITING = 500
QUEUE_INDEX = "ticket_business_day_department_status_priority_rank_issued_at"
ISSUE_START = datetime.combine(BENCH_DAY, datetime.min.time(), CST) + timedelta(hours=8)
CALL_START = ISSUE_START + timedelta(hours=2)
CALLER = "mgr01"  # the one account that may call at every window (the permission table)


def stamp(at: datetime) -> str:
    """An aware time as peewee stores it in SQLite (naive UTC text)."""
    return str(to_storage(at))


class Timer:
    """Wall and CPU milliseconds of each timed call (the CPU time shows what a busy machine's
    scheduling adds to the wall time)."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def start(self) -> None:
        self._wall, self._cpu = time.perf_counter_ns(), time.thread_time_ns()

    def stop(self) -> None:
        self.wall.append((time.perf_counter_ns() - self._wall) / 1e6)
        self.cpu.append((time.thread_time_ns() - self._cpu) / 1e6)

    def skip(self, n: int) -> Timer:
        self.wall, self.cpu = self.wall[n:], self.cpu[n:]
        return self


def issue_waiting(hall: Hall, clock: FixedClock, count: int, known: int) -> Counter[str]:
    """Issue ``count`` tickets today through the facade; returns how many wait per department."""
    clock.set(ISSUE_START)
    waiting: Counter[str] = Counter()
    for form in make_forms(hall.config, known, count, repeat=0.3):
        waiting[hall.desk.issue(form, actor="desk01").department] += 1
        clock.advance(seconds=7)
    clock.set(CALL_START)
    return waiting


def windows_in_turn(config: HallConfig, waiting: Counter[str]) -> Iterator[int]:
    """Round the windows, skipping those whose queues are empty; the caller counts down
    ``waiting`` as it calls."""
    while sum(waiting.values()):
        for window in config.windows:
            if any(waiting[d] for d in window.departments):
                yield window.number


class BareSqlite:
    """The claim ``hall.windows.call_next`` makes, by hand on a plain sqlite3 connection.

    BEGIN IMMEDIATE; make sure the window's state row exists and read it (paused? a current
    visitor?); SELECT the first waiting ticket of the window's departments ORDER BY priority,
    issue time LIMIT 1; UPDATE it to called WHERE it is still waiting; UPDATE the window's
    current; INSERT the ticket event and the audit row; bump the change counter; COMMIT.
    """

    def __init__(self, con: sqlite3.Connection, config: HallConfig) -> None:
        self.con, self.config = con, config
        self.claims: dict[int, str] = {}
        for window in config.windows:
            marks = ", ".join("?" * len(window.departments))
            self.claims[window.number] = (
                "SELECT id, number, department FROM ticket WHERE business_day = ? AND "
                f"department IN ({marks}) AND status = 'waiting' "
                "ORDER BY priority_rank, issued_at, id LIMIT 1")

    def call(self, window: int, at: datetime, actor: str) -> tuple[str, str] | None:
        cur, now = self.con.cursor(), stamp(at)
        departments = self.config.window(window).departments  # type: ignore[union-attr]
        cur.execute("BEGIN IMMEDIATE")
        cur.execute("INSERT OR IGNORE INTO window_state (number, paused, actor, updated_at) "
                    "VALUES (?, 0, '', ?)", (window, now))
        paused, current = cur.execute("SELECT paused, current_id FROM window_state "
                                      "WHERE number = ?", (window,)).fetchone()
        if paused or current is not None:
            cur.execute("ROLLBACK")
            raise RuntimeError(f"window {window} is not free")
        row = cur.execute(self.claims[window], (BENCH_DAY.isoformat(), *departments)).fetchone()
        if row is None:
            cur.execute("COMMIT")
            return None
        ticket_id, number, department = row
        cur.execute("UPDATE ticket SET status = 'called', \"window\" = ?, called_at = ?, "
                    "recalls = 0 WHERE id = ? AND status = 'waiting'", (window, now, ticket_id))
        assert cur.rowcount == 1
        cur.execute("UPDATE window_state SET current_id = ?, actor = ?, updated_at = ? "
                    "WHERE number = ?", (ticket_id, actor, now, window))
        cur.execute("INSERT INTO ticket_event (ticket_id, at, actor, kind, department, "
                    "\"window\", note) VALUES (?, ?, ?, 'called', ?, ?, '')",
                    (ticket_id, now, actor, department, window))
        cur.execute("INSERT INTO audit_event (at, actor, action, entity, entity_id, detail) "
                    "VALUES (?, ?, 'ticket.called', 'ticket', ?, ?)",
                    (now, actor, str(ticket_id), f'{{"number": "{number}", "window": {window}}}'))
        cur.execute("INSERT INTO change_counter (topic, version) VALUES ('tickets', 1) "
                    "ON CONFLICT (topic) DO UPDATE SET version = change_counter.version + 1")
        cur.execute("COMMIT")
        return number, department

    def finish(self, window: int, at: datetime, actor: str) -> None:
        """What ``hall.windows.finish`` writes (untimed; it keeps both databases alike)."""
        cur, now = self.con.cursor(), stamp(at)
        cur.execute("BEGIN IMMEDIATE")
        (ticket_id,) = cur.execute("SELECT current_id FROM window_state WHERE number = ?",
                                   (window,)).fetchone()
        number, department, visit_id = cur.execute(
            "SELECT number, department, visit_id FROM ticket WHERE id = ?",
            (ticket_id,)).fetchone()
        cur.execute("UPDATE ticket SET status = 'done' WHERE id = ?", (ticket_id,))
        cur.execute("UPDATE visit SET outcome = 'answered', outcome_note = '', outcome_reason = '',"
                    " outcome_channel = '', finished_at = ?, finished_by = ? WHERE id = ?",
                    (now, actor, visit_id))
        cur.execute("UPDATE window_state SET current_id = NULL, actor = ?, updated_at = ? "
                    "WHERE number = ?", (actor, now, window))
        cur.execute("INSERT INTO ticket_event (ticket_id, at, actor, kind, department, "
                    "\"window\", note) VALUES (?, ?, ?, 'finished', ?, ?, '当场答复')",
                    (ticket_id, now, actor, department, window))
        cur.execute("INSERT INTO audit_event (at, actor, action, entity, entity_id, detail) "
                    "VALUES (?, ?, 'ticket.finished', 'ticket', ?, ?)",
                    (now, actor, str(ticket_id), f'{{"number": "{number}", "window": {window}}}'))
        cur.execute("INSERT INTO change_counter (topic, version) VALUES ('tickets', 1) "
                    "ON CONFLICT (topic) DO UPDATE SET version = change_counter.version + 1")
        cur.execute("COMMIT")


@contextmanager
def recording(db: pw.Database) -> Iterator[list[tuple[str, Any]]]:
    """Record the statements the facade sends while inside the block."""
    seen: list[tuple[str, Any]] = []
    original = db.execute_sql

    def execute_sql(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        seen.append((sql, params))
        return original(sql, params, *args, **kwargs)

    db.execute_sql = execute_sql  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        db.execute_sql = original  # type: ignore[method-assign]


def claim_plans(hall: Hall, con: sqlite3.Connection, windows: list[int]) -> list[str]:
    """EXPLAIN QUERY PLAN of the SELECTs ``call_next`` sends, per window (run on ``con``)."""
    out = []
    for window in windows:
        with recording(hall.db) as seen:
            hall.windows.call_next(window, "mgr01")
        hall.windows.finish(window, "answered", "mgr01")
        for sql, params in seen:
            if sql.lstrip().upper().startswith("SELECT") and 'FROM "ticket"' in sql:
                plan = con.execute(f"EXPLAIN QUERY PLAN {sql}", params or ()).fetchall()
                used = "uses the queue index" if any(QUEUE_INDEX in r[-1] for r in plan) else \
                    "DOES NOT USE THE QUEUE INDEX"
                out.append(f"  window {window} ({'+'.join(hall.windows.spec(window).departments)})"
                           f" claim: {used}")
                out += [f"    {r[-1]}" for r in plan]
    return out


def copy_database(source: Path, target: Path) -> None:
    remove(target)
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()


def run_sqlite(big: Path, config: HallConfig, calls: int,
               warmup: int) -> tuple[Timer, Timer, list[str]]:
    """Milliseconds per call, facade and bare interleaved, each on its own copy of ``big``."""
    work = [big.with_name(f"call-{name}.db") for name in ("facade", "bare", "plan")]
    copy_database(big, work[0])
    clock = FixedClock(ISSUE_START)
    db = open_database(f"sqlite:///{work[0]}")
    hall = Hall(db, config, clock)
    known = db.execute_sql("SELECT COUNT(*) FROM visitor").fetchone()[0]
    waiting = issue_waiting(hall, clock, WAITING, known)
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    for copy in work[1:]:
        copy_database(work[0], copy)

    con = sqlite3.connect(work[1], isolation_level=None, timeout=30)
    for key, value in SQLITE_PRAGMAS.items():
        con.execute(f"PRAGMA {key}={value}")
    bare = BareSqlite(con, config)
    facade_ms, bare_ms = Timer(), Timer()
    turns = windows_in_turn(config, waiting)
    for i in range(min(calls + warmup, WAITING)):
        window = next(turns)
        at = clock.advance(seconds=30)
        got: dict[str, tuple[str, str] | None] = {}
        for side in ("facade", "bare") if i % 2 else ("bare", "facade"):
            if side == "facade":
                facade_ms.start()
                notice = hall.windows.call_next(window, CALLER)
                facade_ms.stop()
                got[side] = (notice.number, notice.department) if notice else None
                hall.windows.finish(window, "answered", CALLER)
            else:
                bare_ms.start()
                got[side] = bare.call(window, at, "win")
                bare_ms.stop()
                bare.finish(window, at, "win")
        claimed = got["facade"]
        if claimed is None or claimed != got["bare"]:
            raise AssertionError(f"call {i}: the facade and the bare claim disagree: {got}")
        waiting[claimed[1]] -= 1
    db.close()
    con.close()

    # The plans, on a fresh copy holding the same waiting tickets.
    clock.set(CALL_START)
    plan_db = open_database(f"sqlite:///{work[2]}")
    plan_hall = Hall(plan_db, config, clock)
    plan_con = sqlite3.connect(work[2])
    plans = claim_plans(plan_hall, plan_con, [1, 3])
    plan_db.close()
    plan_con.close()
    for copy in work:
        remove(copy)
    return facade_ms.skip(warmup), bare_ms.skip(warmup), plans


# -- PostgreSQL -----------------------------------------------------------------------------------


class BarePg:
    """The same claim on a psycopg2 connection: the window row FOR UPDATE, the ticket
    FOR UPDATE SKIP LOCKED."""

    def __init__(self, con: Any, config: HallConfig) -> None:
        self.con, self.config = con, config

    def call(self, window: int, at: datetime, actor: str) -> tuple[str, str] | None:
        cur, now = self.con.cursor(), to_storage(at)
        departments = list(self.config.window(window).departments)  # type: ignore[union-attr]
        cur.execute("BEGIN")
        cur.execute("INSERT INTO window_state (number, paused, actor, updated_at) "
                    "VALUES (%s, false, '', %s) ON CONFLICT DO NOTHING", (window, now))
        cur.execute("SELECT paused, current_id FROM window_state WHERE number = %s FOR UPDATE",
                    (window,))
        paused, current = cur.fetchone()
        if paused or current is not None:
            cur.execute("ROLLBACK")
            raise RuntimeError(f"window {window} is not free")
        cur.execute("SELECT id, number, department FROM ticket WHERE business_day = %s AND "
                    "department = ANY(%s) AND status = 'waiting' "
                    "ORDER BY priority_rank, issued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
                    (BENCH_DAY, departments))
        row = cur.fetchone()
        if row is None:
            cur.execute("COMMIT")
            return None
        ticket_id, number, department = row
        cur.execute("UPDATE ticket SET status = 'called', \"window\" = %s, called_at = %s, "
                    "recalls = 0 WHERE id = %s AND status = 'waiting'", (window, now, ticket_id))
        cur.execute("UPDATE window_state SET current_id = %s, actor = %s, updated_at = %s "
                    "WHERE number = %s", (ticket_id, actor, now, window))
        cur.execute("INSERT INTO ticket_event (ticket_id, at, actor, kind, department, "
                    "\"window\", note) VALUES (%s, %s, %s, 'called', %s, %s, '')",
                    (ticket_id, now, actor, department, window))
        cur.execute("INSERT INTO audit_event (at, actor, action, entity, entity_id, detail) "
                    "VALUES (%s, %s, 'ticket.called', 'ticket', %s, %s)",
                    (now, actor, str(ticket_id), f'{{"number": "{number}", "window": {window}}}'))
        cur.execute("INSERT INTO change_counter (topic, version) VALUES ('tickets', 1) "
                    "ON CONFLICT (topic) DO UPDATE SET version = change_counter.version + 1")
        cur.execute("COMMIT")
        return number, department

    def finish(self, window: int, at: datetime, actor: str) -> None:
        cur, now = self.con.cursor(), to_storage(at)
        cur.execute("BEGIN")
        cur.execute("SELECT current_id FROM window_state WHERE number = %s FOR UPDATE",
                    (window,))
        (ticket_id,) = cur.fetchone()
        cur.execute("UPDATE ticket SET status = 'done' WHERE id = %s", (ticket_id,))
        cur.execute("UPDATE visit SET outcome = 'answered', finished_at = %s, finished_by = %s "
                    "WHERE id = (SELECT visit_id FROM ticket WHERE id = %s)",
                    (now, actor, ticket_id))
        cur.execute("UPDATE window_state SET current_id = NULL WHERE number = %s", (window,))
        cur.execute("INSERT INTO ticket_event (ticket_id, at, actor, kind, department, "
                    "\"window\", "
                    "note) SELECT id, %s, %s, 'finished', department, %s, '' FROM ticket "
                    "WHERE id = %s", (now, actor, window, ticket_id))
        cur.execute("COMMIT")


def pg_reset(url: str) -> None:
    db = open_database(url)
    db.execute_sql("UPDATE window_state SET current_id = NULL, paused = false")
    db.close()
    pg_clean(url)


def run_pg(url: str, config: HallConfig, calls: int,
           warmup: int) -> tuple[Timer, Timer, list[str]]:
    """The facade's run, then the bare one, each on the same 500 freshly issued tickets."""
    results: dict[str, Timer] = {}
    plan: list[str] = []
    for side in ("facade", "bare"):
        pg_reset(url)
        clock = FixedClock(ISSUE_START)
        db = open_database(url)
        hall = Hall(db, config, clock)
        known = db.execute_sql("SELECT COUNT(*) FROM visitor").fetchone()[0]
        waiting = issue_waiting(hall, clock, WAITING, known)
        db.execute_sql("ANALYZE ticket")
        con = db.connection()
        bare = BarePg(con, config)
        times = Timer()
        turns = windows_in_turn(config, waiting)
        for _ in range(min(calls + warmup, WAITING)):
            window = next(turns)
            at = clock.advance(seconds=30)
            times.start()
            if side == "facade":
                notice = hall.windows.call_next(window, CALLER)
                times.stop()
                got = (notice.number, notice.department) if notice else None
                hall.windows.finish(window, "answered", CALLER)
            else:
                got = bare.call(window, at, "win")
                times.stop()
                bare.finish(window, at, "win")
            assert got is not None
            waiting[got[1]] -= 1
        results[side] = times.skip(warmup)
        if side == "bare":
            cur = con.cursor()
            cur.execute("EXPLAIN SELECT id FROM ticket WHERE business_day = %s AND department = "
                        "ANY(%s) AND status = 'waiting' ORDER BY priority_rank, issued_at, id "
                        "LIMIT 1 FOR UPDATE SKIP LOCKED", (BENCH_DAY, ["xfj", "environment"]))
            plan = [f"    {r[0]}" for r in cur.fetchall()]
        db.close()
    pg_reset(url)
    return results["facade"], results["bare"], plan


# -- the run --------------------------------------------------------------------------------------


def line(label: str, times: Timer) -> str:
    wall = times.wall
    p50, p99 = statistics.median(wall), statistics.quantiles(wall, n=100)[98]
    return (f"  {label:<36}{p50:>8.3f}{p99:>9.3f}{statistics.fmean(wall):>9.3f}"
            f"{statistics.median(times.cpu):>9.3f}")


def verdict(facade: Timer, bare: Timer) -> str:
    ratio = statistics.median(facade.wall) / statistics.median(bare.wall)
    cpu = statistics.median(facade.cpu) / statistics.median(bare.cpu)
    return (f"  p50 ratio facade/bare: {ratio:.1f}x — target ≤ 5x: "
            f"{'met' if ratio <= 5 else 'MISSED'} (CPU time p50 ratio {cpu:.1f}x)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000,
                        help="past tickets in the database (default 1,000,000)")
    parser.add_argument("--calls", type=int, default=480,
                        help=f"timed calls (default 480; at most {WAITING} less the warm-up)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed calls first")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/hall-bench"),
                        help="folder of the cached database (default /tmp/hall-bench)")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--pg", metavar="URL",
                        help=f"also run on PostgreSQL (schema {PG_SCHEMA})")
    args = parser.parse_args(argv)
    config = load_config(os.environ.get("HALL_CONFIG") or DEFAULT_CONFIG)

    big = args.cache / f"issue-{args.tickets}-v{SCHEMA_VERSION}.db"  # bench_issue's cache
    print(f"hall call-next benchmark: Python {sys.version.split()[0]}, SQLite "
          f"{sqlite3.sqlite_version}, peewee {pw.__version__}")
    built = cached(big, args.rebuild, lambda: build_sqlite(big, config, args.tickets))
    con = sqlite3.connect(big)
    past = con.execute("SELECT COUNT(*) FROM ticket").fetchone()[0]
    days = con.execute("SELECT COUNT(DISTINCT business_day) FROM ticket").fetchone()[0]
    con.close()
    print(f"database: {big} ({big.stat().st_size / 2**20:.0f} MiB, {built})")
    print(f"  {past:,} past tickets over {days:,} business days; {WAITING} issued today "
          f"({BENCH_DAY}) through hall.desk.issue")
    print(f"{args.calls} calls timed after {args.warmup} warm-up, round the windows; finish "
          "between calls, untimed")
    print(f"  {'':<36}{'p50 ms':>8}{'p99 ms':>9}{'mean ms':>9}{'CPU p50':>9}")

    facade, bare, plans = run_sqlite(big, config, args.calls, args.warmup)
    print(line("SQLite  hall.windows.call_next", facade))
    print(line("SQLite  bare sqlite3 claim", bare))
    print(verdict(facade, bare))
    print("query plan of the claim (EXPLAIN QUERY PLAN):")
    print("\n".join(plans))

    if args.pg:
        took = build_pg(args.pg, config, args.tickets, args.rebuild, PG_SCHEMA)
        state = "cached" if took is None else f"built in {took:.1f} s"
        print(f"PostgreSQL: schema {PG_SCHEMA} ({state})")
        facade, bare, plan = run_pg(pg_url(args.pg, PG_SCHEMA), config, args.calls, args.warmup)
        print(line("PostgreSQL  hall.windows.call_next", facade))
        print(line("PostgreSQL  bare psycopg2 claim", bare))
        print(verdict(facade, bare))
        print("query plan of the claim (EXPLAIN, window 3: xfj+environment):")
        print("\n".join(plan))
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
