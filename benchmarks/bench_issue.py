"""Issue-ticket latency on a database already holding 1,000,000 tickets of past days.

    .venv/bin/python benchmarks/bench_issue.py                  # SQLite; the big file is cached
    .venv/bin/python benchmarks/bench_issue.py --rebuild        # build the big file again
    .venv/bin/python benchmarks/bench_issue.py --pg postgresql://postgres@127.0.0.1:5432/test

Prints p50/p99/mean of ``hall.desk.issue`` (validation, the write transaction, the ticket view the
desk shows) beside a bare sqlite3 transaction that writes the same rows on a copy of the same
database in the same run, and the ratio against the target (facade p50 within 5x of the bare one).
Figures are printed, never asserted.

The database is built with bulk inserts through a raw connection (indexes dropped and recreated,
journal off while building), then switched to WAL like the hall's own. Rows follow the peewee
models, so the build follows schema changes; the file is cached under /tmp, keyed by size and
schema version. ``--pg URL`` builds the same data in the schema ``hall_bench`` of that database
(COPY, kept between runs) and times the facade and the bare transaction there too.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import peewee as pw
from bigdb import Table, cached, remove
from issue_history import (  # kept importable from here too (bench_call, bench_window)
    BENCH_DAY,
    CST,
    PG_SCHEMA,
    build_pg,
    build_sqlite,
    categories,
    id_number,
    pg_url,
    visitor_fields,
)

from config import DEFAULT_CONFIG, HallConfig, load_config
from hall import Hall
from hall.clock import FixedClock, to_storage
from hall.desk.registration import CleanRegistration, Registration, validate
from models import SCHEMA_VERSION, AuditEvent, Ticket, TicketEvent, Visit, Visitor, open_database
from models.base import SQLITE_PRAGMAS


def _stamp(at: datetime) -> str:
    return at.isoformat(" ")  # as the sqlite3 adapter stores a datetime for peewee


# -- SQLite ----------------------------------------------------------------------------------------

def start_clock() -> FixedClock:
    return FixedClock(datetime.combine(BENCH_DAY, datetime.min.time(), CST)
                      + timedelta(hours=8, minutes=30))


def timed(fn: Callable[[], Any]) -> float:
    began = time.perf_counter_ns()
    fn()
    return (time.perf_counter_ns() - began) / 1e6


def run_sqlite(path: Path, config: HallConfig, forms: list[Registration],
               cleans: list[CleanRegistration]) -> tuple[list[float], list[float]]:
    """Milliseconds per issue, facade and bare interleaved (each on its own copy of the big
    database), so both see the same machine load; which goes first alternates."""
    copies = [path.with_name(f"work-{name}.db") for name in ("facade", "bare")]
    for copy in copies:
        remove(copy)
        shutil.copyfile(path, copy)
    clock = start_clock()
    db = open_database(f"sqlite:///{copies[0]}")
    hall = Hall(db, config, clock)
    con = sqlite3.connect(copies[1], isolation_level=None, timeout=30)
    for key, value in SQLITE_PRAGMAS.items():
        con.execute(f"PRAGMA {key}={value}")
    bare = Bare(con, "?", "BEGIN IMMEDIATE", hall)
    facade_ms, bare_ms = [], []
    for i, (form, clean) in enumerate(zip(forms, cleans, strict=True)):
        at = clock.advance(seconds=20)
        runs = [(facade_ms, lambda f=form: hall.desk.issue(f, actor="desk01")),
                (bare_ms, lambda c=clean, t=at: bare.issue(c, t, "desk01"))]
        for out, fn in runs[:: 1 if i % 2 else -1]:
            out.append(timed(fn))
    db.close()
    con.close()
    for copy in copies:
        remove(copy)
    return facade_ms, bare_ms


class Bare:
    """The rows ``hall.desk.issue`` writes, by hand: one transaction of plain statements.

    BEGIN IMMEDIATE; find the visitor by ID number (insert the file and its audit row if new,
    else count earlier visits: the repeat mark); insert the visit; upsert the day's counter
    RETURNING the number; insert the ticket, its event and its audit row; bump the change counter;
    COMMIT. No validation, no ORM, no view built afterwards.
    """

    def __init__(self, con: Any, mark: str, begin: str, hall: Hall) -> None:
        self.con, self.mark, self.begin, self.hall = con, mark, begin, hall
        self.visitor_sql = Table(Visitor).insert_sql(mark, skip_id=True) + " RETURNING id"
        self.visit_sql = Table(Visit).insert_sql(mark, skip_id=True) + " RETURNING id"
        self.ticket_sql = Table(Ticket).insert_sql(mark, skip_id=True) + " RETURNING id"
        self.event_sql = Table(TicketEvent).insert_sql(mark, skip_id=True)
        self.audit_sql = Table(AuditEvent).insert_sql(mark, skip_id=True)
        self.find_sql = f"SELECT id FROM visitor WHERE id_number = {mark}"
        self.count_sql = f"SELECT COUNT(*) FROM visit WHERE visitor_id = {mark}"
        self.counter_sql = (
            f"INSERT INTO ticket_counter (business_day, department, last) "
            f"VALUES ({mark}, {mark}, 1) ON CONFLICT (business_day, department) DO UPDATE "
            "SET last = ticket_counter.last + 1 RETURNING last")
        self.bump_sql = (f"INSERT INTO change_counter (topic, version) VALUES ({mark}, 1) "
                         "ON CONFLICT (topic) DO UPDATE SET version = change_counter.version + 1")
        self.f_visitor = _drop_id(Table(Visitor)).filler(
            ["id_number", "name", "sex", "birth_date", "phone", "address", "district",
             "created_at", "updated_at"])
        self.f_visit = _drop_id(Table(Visit)).filler(
            ["visitor_id", "business_day", "registered_at", "registered_by", "district",
             "category", "suggested_department", "department", "people", "matter", "request",
             "is_repeat", "priority"])
        self.f_ticket = _drop_id(Table(Ticket)).filler(
            ["visit_id", "business_day", "number", "seq", "origin_department", "department",
             "priority_rank", "status", "issued_at", "query_code"])
        self.f_event = _drop_id(Table(TicketEvent)).filler(
            ["ticket_id", "at", "actor", "kind", "department"])
        self.f_audit = _drop_id(Table(AuditEvent)).filler(
            ["at", "actor", "action", "entity", "entity_id", "detail"])

    def issue(self, c: CleanRegistration, at: datetime, actor: str) -> None:
        cur = self.con.cursor()
        stamp, day = _stamp(to_storage(at)), BENCH_DAY.isoformat()
        cur.execute(self.begin)
        cur.execute(self.find_sql, (c.id.value,))
        row = cur.fetchone()
        repeat = False
        if row is None:
            cur.execute(self.visitor_sql, self.f_visitor((
                c.id.value, c.name, c.id.sex, c.id.birth_date.isoformat(), c.phone, c.address,
                c.district, stamp, stamp)))
            (visitor_id,) = cur.fetchone()
            cur.execute(self.audit_sql, self.f_audit((stamp, actor, "visitor.create", "visitor",
                                                      str(visitor_id), "{}")))
        else:
            (visitor_id,) = row
            cur.execute(self.count_sql, (visitor_id,))
            repeat = cur.fetchone()[0] > 0
        cur.execute(self.visit_sql, self.f_visit((
            visitor_id, day, stamp, actor, c.district, c.category, c.suggested_department,
            c.department, c.people, c.matter, c.request, repeat, c.priority)))
        (visit_id,) = cur.fetchone()
        cur.execute(self.counter_sql, (day, c.department))
        (seq,) = cur.fetchone()
        prefix = self.hall.config.department(c.department).prefix  # type: ignore[union-attr]
        number = f"{prefix}{seq:03d}"
        cur.execute(self.ticket_sql, self.f_ticket((
            visit_id, day, number, seq, c.department, c.department, c.priority_rank, "waiting",
            stamp, self.hall.desk.query_code(BENCH_DAY, number))))
        (ticket_id,) = cur.fetchone()
        cur.execute(self.event_sql, self.f_event((ticket_id, stamp, actor, "issued",
                                                  c.department)))
        cur.execute(self.audit_sql, self.f_audit((
            stamp, actor, "ticket.issue", "ticket", str(ticket_id),
            f'{{"number": "{number}", "department": "{c.department}", "visit": {visit_id}, '
            f'"repeat": {"true" if repeat else "false"}}}')))
        cur.execute(self.bump_sql, ("tickets",))
        cur.execute("COMMIT")


def _drop_id(table: Table) -> Table:
    if "id" in table.cols:
        at = table.cols.index("id")
        del table.cols[at], table.template[at]
    return table


# -- PostgreSQL ------------------------------------------------------------------------------------

def pg_clean(url: str) -> None:
    """Remove what earlier runs issued on the benchmark day, so each run starts alike."""
    db = open_database(url)
    day, start = BENCH_DAY.isoformat(), f"{BENCH_DAY} 00:00:00"
    with db.atomic():
        for sql in (
            "DELETE FROM ticket_event WHERE ticket_id IN "
            "(SELECT id FROM ticket WHERE business_day = %s)",
            "DELETE FROM ticket WHERE business_day = %s",
            "DELETE FROM representative WHERE visit_id IN "
            "(SELECT id FROM visit WHERE business_day = %s)",
            "DELETE FROM visit WHERE business_day = %s",
            "DELETE FROM ticket_counter WHERE business_day = %s",
        ):
            db.execute_sql(sql, (day,))
        db.execute_sql("DELETE FROM visitor WHERE created_at >= %s", (start,))
        db.execute_sql("DELETE FROM audit_event WHERE at >= %s", (start,))
    db.close()


def run_pg(url: str, config: HallConfig, forms: list[Registration],
           cleans: list[CleanRegistration]) -> tuple[list[float], list[float]]:
    """Milliseconds per issue on PostgreSQL: the facade's run, then the bare one (one schema)."""
    pg_clean(url)
    clock = start_clock()
    db = open_database(url)
    hall = Hall(db, config, clock)
    facade_ms = []
    for form in forms:
        clock.advance(seconds=20)
        facade_ms.append(timed(lambda f=form: hall.desk.issue(f, actor="desk01")))
    db.close()
    pg_clean(url)
    clock = start_clock()
    db = open_database(url)
    con = db.connection()
    con.autocommit = True
    bare = Bare(con, "%s", "BEGIN", hall)
    bare_ms = []
    for clean in cleans:
        at = clock.advance(seconds=20)
        bare_ms.append(timed(lambda c=clean, t=at: bare.issue(c, t, "desk01")))
    db.close()
    pg_clean(url)
    return facade_ms, bare_ms


# -- the run ---------------------------------------------------------------------------------------

def make_forms(config: HallConfig, known: int, count: int, repeat: float) -> list[Registration]:
    """``count`` registrations: a share of visitors already on file, the rest new."""
    rng = random.Random(2)
    codes, weights = categories(config)
    forms = []
    seen: set[int] = set()
    for i in range(count):
        k = rng.randrange(known) if rng.random() < repeat else known + i
        fields = visitor_fields(k, config)
        # A visitor drawn twice today has a ticket still waiting: the desk gives a reason.
        again = "同日再次登记" if k in seen else ""
        seen.add(k)
        forms.append(Registration(
            id_number=id_number(k), category=rng.choices(codes, weights)[0],
            matter="在工地务工被拖欠工资三个月共23500元", request="请求督促支付拖欠工资",
            again_reason=again, **fields))
    return forms


def stats(times: list[float]) -> tuple[float, float, float]:
    return (statistics.median(times), statistics.quantiles(times, n=100)[98],
            statistics.fmean(times))


def line(label: str, times: list[float]) -> str:
    p50, p99, mean = stats(times)
    return f"  {label:<40}{p50:>8.3f}{p99:>9.3f}{mean:>9.3f}"


def verdict(facade: list[float], bare: list[float]) -> str:
    ratio = statistics.median(facade) / statistics.median(bare)
    return (f"  p50 ratio facade/bare: {ratio:.1f}x — target ≤ 5x: "
            f"{'met' if ratio <= 5 else 'MISSED'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000,
                        help="past tickets in the database (default 1,000,000)")
    parser.add_argument("--issues", type=int, default=500, help="timed issues (default 500)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed issues first")
    parser.add_argument("--repeat", type=float, default=0.3,
                        help="share of visitors already on file (default 0.3)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/hall-bench"),
                        help="folder of the cached database (default /tmp/hall-bench)")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--pg", metavar="URL", help="also run on PostgreSQL (schema hall_bench)")
    args = parser.parse_args(argv)
    config = load_config(os.environ.get("HALL_CONFIG") or DEFAULT_CONFIG)

    path = args.cache / f"issue-{args.tickets}-v{SCHEMA_VERSION}.db"
    print(f"hall issue benchmark: Python {sys.version.split()[0]}, SQLite "
          f"{sqlite3.sqlite_version}, peewee {pw.__version__}")
    built = cached(path, args.rebuild, lambda: build_sqlite(path, config, args.tickets))
    con = sqlite3.connect(path)
    counts = {t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
              for t in ("ticket", "visit", "visitor", "ticket_event", "audit_event",
                        "ticket_counter")}
    days = con.execute("SELECT COUNT(DISTINCT business_day) FROM ticket").fetchone()[0]
    con.close()
    print(f"database: {path} ({path.stat().st_size / 2**20:.0f} MiB, {built})")
    print("  " + ", ".join(f"{n:,} {t}" for t, n in counts.items()) + f"; {days:,} past days")

    forms = make_forms(config, counts["visitor"], args.warmup + args.issues, args.repeat)
    cleans = [validate(f, config, BENCH_DAY) for f in forms]
    print(f"{args.issues} issues timed after {args.warmup} warm-up, one desk, "
          f"{args.repeat:.0%} of visitors already on file, on {BENCH_DAY}")
    print(f"  {'':<40}{'p50 ms':>8}{'p99 ms':>9}{'mean ms':>9}")

    facade, bare = run_sqlite(path, config, forms, cleans)
    print(line("SQLite  hall.desk.issue", facade[args.warmup:]))
    print(line("SQLite  bare sqlite3 transaction", bare[args.warmup:]))
    print(verdict(facade[args.warmup:], bare[args.warmup:]))

    if args.pg:
        took = build_pg(args.pg, config, args.tickets, args.rebuild)
        print(f"PostgreSQL: schema {PG_SCHEMA} "
              f"({'cached' if took is None else f'built in {took:.1f} s'})")
        facade, bare = run_pg(pg_url(args.pg), config, forms, cleans)
        print(line("PostgreSQL  hall.desk.issue", facade[args.warmup:]))
        print(line("PostgreSQL  bare psycopg2 transaction", bare[args.warmup:]))
        print(verdict(facade[args.warmup:], bare[args.warmup:]))
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
