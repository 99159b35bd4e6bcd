"""What the cases cost with a full file: the overdue list, the alert, a case's timeline, and a
finish that opens a case against one that doesn't (issue 12 §4).

    .venv/bin/python benchmarks/bench_cases.py                   # SQLite in a temporary folder
    .venv/bin/python benchmarks/bench_cases.py --pg postgresql://postgres@127.0.0.1:5432/test
    .venv/bin/python benchmarks/bench_cases.py --cases 20000 --tickets 200000   # smaller

Builds a hall with 1,000,000 tickets (1,000 a day over 1,000 past days, each with its visit;
100,000 visitors) and 100,000 cases opened over the same days (one visit in ten), with their
entries and visit links, bulk-inserted with ``insert_many``. States follow age: most cases older
than four months are closed (办结, some 不予受理), a few are still open and long overdue; recent
ones are spread over 待受理 … 已回访 with their acceptance or handling due dates (calendar days,
:func:`hall.cases.deadlines.due`), so a few thousand are overdue and some are due soon.

Then times, through the facade as the manager: ``hall.cases.list(overdue=True)`` (the first
page, at most 500 rows, and their summaries), ``hall.cases.alert()`` (the two counts the top bar
polls), ``hall.cases.detail`` of a case (its timeline, visits and documents, and the view's audit
event); each beside its floor, the same rows read by a bare driver query, fetched, nothing built.
Then ``hall.windows.finish_visit`` of a called visit, interleaved: with 立案交办 (opens a case)
and with 当场答复 (opens none); the ticket issued and called beforehand, untimed. Prints p50/p95
in ms and the query plans (SQLite's EXPLAIN QUERY PLAN); asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import peewee as pw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bigdb import pg_url

from config import DEFAULT_CONFIG, load_config
from hall import Hall
from hall.cases.deadlines import due
from hall.clock import FixedClock, to_storage
from models import Case, CaseCounter, CaseEntry, CaseVisit, Ticket, Visit, Visitor, open_database

NOW = datetime.fromisoformat("2026-11-23T09:00+08:00")
TODAY = NOW.date()


CPU: dict[int, list[float]] = {}
"""The CPU time (this process's) of each list of wall samples :func:`timed` returned, by id:
on a busy machine the wall time waits for the other processes, the CPU time does not."""


def timed(fn: Callable[[], object], n: int) -> list[float]:
    samples, cpu = [], []
    for _ in range(n):
        started, used = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    CPU[id(samples)] = cpu
    return samples


def figures(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return str(value)  # as peewee stores it: "YYYY-MM-DD HH:MM:SS[.ffffff]"
    if isinstance(value, date):
        return value.isoformat()
    return value


def insert(model: Any, rows: list[dict[str, Any]]) -> None:
    """Rows into ``model``'s table: the statement is ``insert_many``'s for one row (the model's
    defaults filled in by it), run with the driver's executemany for every row (peewee builds
    no SQL per row: a million rows load in seconds, not minutes)."""
    if not rows:
        return
    fields = [f for f in model._meta.sorted_fields
              if f.name in rows[0] or not isinstance(f, pw.AutoField)]
    names = [f.name for f in fields]
    defaults = {f.name: f.default() if callable(f.default) else f.default for f in fields}
    sql, _ = model.insert_many([[_plain(rows[0].get(n, defaults[n])) for n in names]],
                               fields=fields).sql()
    db = model._meta.database
    for k in range(0, len(rows), 50_000):
        db.cursor().executemany(sql, [tuple(_plain(r.get(n, defaults[n])) for n in names)
                                      for r in rows[k:k + 50_000]])


def build(hall: Hall, n_tickets: int, n_cases: int) -> None:
    """The past: visitors, visits with their tickets, cases with entries and visit links."""
    rnd = random.Random(12)
    config = hall.config
    per_day = 1000
    days = max(1, n_tickets // per_day)
    first_day = TODAY - timedelta(days=days)
    categories = [(c.code, c.department) for c in config.categories if not c.confidential]
    n_visitors = max(1, n_tickets // 10)
    due_cache: dict[tuple[date, int], date] = {}

    def due_after(start: date, n: int) -> date:
        if (start, n) not in due_cache:
            due_cache[start, n] = due(start, n, "calendar")[0]
        return due_cache[start, n]

    with hall.db.atomic():
        stamp = to_storage(NOW - timedelta(days=days + 1))
        insert(Visitor, [{"id_number": f"B{k:017d}", "name": f"来访人{k}", "created_at": stamp,
                          "updated_at": stamp} for k in range(1, n_visitors + 1)])
    vid = 0
    case_rows: list[dict[str, Any]] = []
    case_meta: list[tuple[str, date]] = []
    cases_every = max(1, n_tickets // n_cases)
    for d in range(days):
        day = first_day + timedelta(days=d)
        at = to_storage(datetime.combine(day, NOW.timetz()).replace(hour=9))
        visits, tickets = [], []
        for k in range(per_day):
            vid += 1
            code, dept = categories[vid % len(categories)]
            visits.append({"id": vid, "visitor": (vid % n_visitors) + 1, "business_day": day,
                           "registered_at": at, "registered_by": "desk01", "category": code,
                           "suggested_department": dept, "department": dept,
                           "matter": "拖欠工资", "outcome": "answered", "finished_at": at,
                           "finished_by": "win07"})
            tickets.append({"id": vid, "visit": vid, "business_day": day,
                            "number": f"B{k:04d}", "seq": k + 1, "origin_department": dept,
                            "department": dept, "priority_rank": 9, "status": "done",
                            "issued_at": at, "query_code": f"q{vid}"})
            if vid % cases_every == 0 and len(case_rows) < n_cases:
                age = (TODAY - day).days
                r = rnd.random()
                if age > 120:
                    state = ("closed" if r < 0.90 else "rejected" if r < 0.95
                             else "handling" if r < 0.98 else "replied")
                else:
                    state = rnd.choice(["pending", "accepted", "handling", "handling",
                                        "replied", "followed", "closed"])
                accept_due = due_after(day, 15)
                handle_due = due_after(day, 60)
                open_ = state not in ("closed", "rejected")
                due_on = (accept_due if state == "pending" else handle_due
                          if state in ("accepted", "handling") else None)
                seq = len(case_rows) + 1
                case_rows.append({
                    "id": seq, "year": day.year, "seq": seq,
                    "number": f"江信〔{day.year}〕第 {seq:04d} 号",
                    "visitor": visits[-1]["visitor"], "visit": vid, "category": code,
                    "matter": "拖欠工资", "outcome": "filed", "department": dept,
                    "state": state, "open": open_, "opened_on": day, "opened_at": at,
                    "opened_by": "win07", "acceptance_due": accept_due,
                    "accepted_on": None if state == "pending" else day,
                    "handling_due": handle_due, "due_on": due_on,
                    "closed_on": None if open_ else day + timedelta(days=30),
                    "last_seq": 0, "updated_at": at})
                case_meta.append((state, day))
        with hall.db.atomic():
            insert(Visit, visits)
            insert(Ticket, tickets)
    path = {"pending": ["opened"], "accepted": ["opened", "accept"],
            "handling": ["opened", "accept", "assign"],
            "replied": ["opened", "accept", "assign", "reply"],
            "followed": ["opened", "accept", "assign", "reply", "followup"],
            "closed": ["opened", "accept", "assign", "reply", "followup", "close"],
            "rejected": ["opened", "rejected"]}
    entries, links = [], []
    for row, (state, _) in zip(case_rows, case_meta, strict=True):
        steps = path[state]
        row["last_seq"] = len(steps)
        for n, kind in enumerate(steps, start=1):
            entries.append({"case": row["id"], "seq": n, "at": row["opened_at"], "actor": "win07",
                            "kind": kind, "state": state if n == len(steps) else "pending",
                            "note": "", "detail": json.dumps({"unit": row["department"]})})
        links.append({"case": row["id"], "visit": row["visit"], "linked_at": row["opened_at"],
                      "linked_by": "win07"})
    with hall.db.atomic():
        insert(Case, case_rows)
        insert(CaseEntry, entries)
        insert(CaseVisit, links)
        for year in sorted({r["year"] for r in case_rows}):
            CaseCounter.insert(year=year, last=max(r["seq"] for r in case_rows)).execute()


def plans(path: str) -> None:
    """SQLite's plans of the statements the reads run (the list, the alert, the timeline)."""
    con = sqlite3.connect(path)
    today = TODAY.isoformat()
    for label, sql, params in [
        ("list(overdue=True)", 'SELECT * FROM "case" WHERE "open" = 1 AND due_on < ? ORDER BY '
         '"open" DESC, due_on ASC NULLS LAST, id DESC LIMIT 500', (today,)),
        ("alert: overdue", 'SELECT COUNT(1) FROM "case" WHERE "open" = 1 AND due_on < ?',
         (today,)),
        ("alert: due soon", 'SELECT COUNT(1) FROM "case" WHERE "open" = 1 AND due_on >= ? '
         'AND due_on <= ?', (today, today)),
        ("detail: entries", "SELECT * FROM case_entry WHERE case_id = ? ORDER BY seq", (1,)),
        ("detail: visits", "SELECT * FROM visit JOIN case_visit ON case_visit.visit_id = visit.id"
         " WHERE case_visit.case_id = ? ORDER BY visit.registered_at", (1,)),
    ]:
        plan = [r[3] for r in con.execute("EXPLAIN QUERY PLAN " + sql, params)]
        print(f"  plan {label:<20} {' | '.join(plan)}")
    con.close()


def floors(path: str, case_id: int) -> dict[str, Callable[[], object]]:
    con = sqlite3.connect(path)
    today = TODAY.isoformat()
    soon = (TODAY + timedelta(days=3)).isoformat()
    return {
        "list": lambda: con.execute(
            'SELECT * FROM "case" WHERE "open" = 1 AND due_on < ? ORDER BY "open" DESC, '
            'due_on ASC NULLS LAST, id DESC LIMIT 500', (today,)).fetchall(),
        "alert": lambda: (con.execute('SELECT COUNT(1) FROM "case" WHERE "open" = 1 AND '
                                      'due_on < ?', (today,)).fetchone(),
                          con.execute('SELECT COUNT(1) FROM "case" WHERE "open" = 1 AND '
                                      'due_on >= ? AND due_on <= ?', (today, soon)).fetchone()),
        "detail": lambda: (con.execute('SELECT * FROM "case" WHERE id = ?', (case_id,)).fetchone(),
                           con.execute("SELECT * FROM case_entry WHERE case_id = ? ORDER BY seq",
                                       (case_id,)).fetchall()),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", help="PostgreSQL URL (a schema of its own is made and dropped)")
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    config = load_config(DEFAULT_CONFIG)
    schema, path = "", ""
    if args.pg:
        schema = f"bench_cases_{uuid.uuid4().hex[:8]}"
        open_database(args.pg).execute_sql(f'CREATE SCHEMA "{schema}"')
        url = pg_url(args.pg, schema)
    else:
        path = f"{tempfile.mkdtemp()}/bench.db"
        url = f"sqlite:///{path}"
    clock = FixedClock(NOW)
    hall = Hall(open_database(url), config, clock)
    started = time.perf_counter()
    build(hall, args.tickets, args.cases)
    if args.pg:  # the ids were given: move the sequences past them
        for model in (Visit, Ticket, Case):
            table = model._meta.table_name
            hall.db.execute_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                f'(SELECT MAX(id) FROM "{table}"))')
    hall.db.execute_sql("ANALYZE")
    overdue = hall.cases.alert().overdue
    print(f"built {Ticket.select().count():,} tickets, {Case.select().count():,} cases "
          f"({overdue:,} overdue, {Case.select().where(Case.open == True).count():,} open), "  # noqa: E712
          f"{CaseEntry.select().count():,} entries in {time.perf_counter() - started:.0f} s "
          f"({'PostgreSQL' if args.pg else 'SQLite ' + sqlite3.sqlite_version})")
    if path:
        plans(path)
    case_id = Case.select(Case.id).where(Case.state == "closed").order_by(Case.id.desc()).scalar()
    n = args.samples
    rows: list[tuple[str, list[float], list[float] | None]] = []
    floor = floors(path, case_id) if path else {}
    listed = len(hall.cases.list("mgr01", overdue=True))
    rows.append((f"list(overdue=True) ({listed} rows)",
                 timed(lambda: hall.cases.list("mgr01", overdue=True), n // 4),
                 timed(floor["list"], n // 4) if floor else None))
    rows.append(("alert()", timed(hall.cases.alert, n),
                 timed(floor["alert"], n) if floor else None))
    entries = len(hall.cases.detail(case_id, "mgr01").entries)
    rows.append((f"detail(case) ({entries} entries)",
                 timed(lambda: hall.cases.detail(case_id, "mgr01"), n),
                 timed(floor["detail"], n) if floor else None))
    print(f"{'':<36} {'p50':>8} {'p95':>8} {'cpu p50':>8}   {'floor p50':>9} {'p95':>8}  (ms)")
    for label, samples, bare in rows:
        p50, p95 = figures(samples)
        f50, f95 = figures(bare) if bare else (float("nan"), float("nan"))
        c50 = statistics.median(CPU[id(samples)])
        print(f"{label:<36} {p50:8.3f} {p95:8.3f} {c50:8.3f}   {f50:9.3f} {f95:8.3f}")

    # Finishing a visit: one that opens a case and one that doesn't, interleaved.
    walls: dict[str, list[float]] = {"filed": [], "answered": []}
    cpus: dict[str, list[float]] = {"filed": [], "answered": []}
    k = 0
    for r in range(n):
        for outcome in ("filed", "answered") if r % 2 else ("answered", "filed"):
            k += 1
            hall.desk.issue(_form(config, k), actor="desk01")
            hall.windows.call_next(7, "win07")
            begun, used = time.perf_counter(), time.process_time()
            hall.windows.finish_visit(7, outcome, "win07", note="接谈")
            walls[outcome].append((time.perf_counter() - begun) * 1000)
            cpus[outcome].append((time.process_time() - used) * 1000)
    (o50, o95), (p50, p95) = figures(walls["filed"]), figures(walls["answered"])
    oc, pc = statistics.median(cpus["filed"]), statistics.median(cpus["answered"])
    print(f"{'finish_visit, opens a case':<36} {o50:8.3f} {o95:8.3f} {oc:8.3f}")
    print(f"{'finish_visit, opens none (floor)':<36} {p50:8.3f} {p95:8.3f} {pc:8.3f}   "
          f"ratio p50 {o50 / p50:.2f}x wall, {oc / pc:.2f}x cpu")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    hall.db.close()
    if schema:
        open_database(args.pg).execute_sql(f'DROP SCHEMA "{schema}" CASCADE')


def _form(config: Any, k: int) -> Any:
    from hall.desk.registration import Registration
    from hall.text.idnumber import check_character

    first17 = f"{120101 + k // 1000:06d}19800101{k % 1000:03d}"
    return Registration(name="张三", id_number=first17 + check_character(first17),
                        category="wages", matter="工地拖欠工资三个月", phone="",
                        district="jiangbei")


if __name__ == "__main__":
    main()
