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

The database is bench_issue's history (its generator, made at ``--per-day`` tickets a business
day: 1,000 gives about 22,000 visits a month), and on top of it, bulk-loaded the same way: ticket
events of a whole day at the windows (issued, called, recalled, transferred and called again,
finished or no-show; waits and service times spread), outcomes (refusals with their channel),
collective visits with representatives, priority groups; cases opened by the outcomes that open
one, with their timelines (acceptance, assignment, reply, follow-up with satisfaction, close;
urges, extensions, 包案), repeat visits linked to an earlier case; leader reception days from the
configured rules (held, cancelled, lapsed) with bookings; incidents with entries. Cached as
``--cache``/stats-<tickets>-<per day>-v<schema>.db. ``--pg URL`` builds the same rows in the
schema ``hall_bench_stats`` (COPY, kept) and times the figures there too.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import sqlite3
import statistics
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_issue
import peewee as pw
from bench_issue import BENCH_DAY, CST, Table, generate

from config import DEFAULT_CONFIG, HallConfig, load_config
from hall import Hall
from hall.cases.deadlines import due
from hall.clock import FixedClock
from hall.stats.context import SECTIONS
from hall.stats.period import month_period
from hall.stats.query import Query
from hall.stats.views import Filters
from models import (
    SCHEMA_VERSION,
    AuditEvent,
    Case,
    CaseEntry,
    CaseVisit,
    Incident,
    IncidentEntry,
    LeaderBooking,
    LeaderCase,
    LeaderDay,
    Representative,
    Ticket,
    TicketCounter,
    TicketEvent,
    Visit,
    Visitor,
    open_database,
)

MONTH = "2026-10"  # the last whole month of the history (it ends on 2026-11-20)
MANAGER = "mgr01"
BASE = (Visitor, Visit, Ticket, TicketEvent, AuditEvent, TicketCounter)
EXTRA = (Representative, Case, CaseEntry, CaseVisit, LeaderDay, LeaderBooking, LeaderCase,
         Incident, IncidentEntry)
OUTCOMES = {"answered": 45, "phone": 10, "notice": 12, "forward": 2, "filed": 7,
            "coordinate": 1.5, "report": 0.5, "rejected": 8, "closed": 4}
CHANNELS = ("依法向人民法院提起诉讼", "申请劳动仲裁", "申请行政复议")


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _s(at: datetime) -> str:
    return at.isoformat(" ")  # the stored form: naive UTC "YYYY-MM-DD HH:MM:SS"


class Life:
    """What happens to the history's tickets after issue, chunk by chunk (rows edited in place,
    events rewritten, the extra tables' rows added)."""

    def __init__(self, config: HallConfig) -> None:
        self.config, self.rng = config, random.Random(13)
        self.cols = {m._meta.table_name: {c: i for i, c in enumerate(Table(m).cols)}
                     for m in BASE + EXTRA}
        self.template = {m._meta.table_name: Table(m).template for m in (*EXTRA, TicketEvent)}
        self.windows = {d.code: [w.number for w in config.windows_for(d.code)] or [None]
                        for d in config.departments}
        shut = set(config.leader_settings.closed_without_day)
        self.open_departments = [d.code for d in config.departments if d.code not in shut]
        self.outcomes = list(OUTCOMES)
        self.outcome_weights = list(OUTCOMES.values())
        self.opens = {o.code for o in config.outcomes if o.opens_case}
        self.ways = list(config.cases.followup_ways)
        self.limits = config.time_limits
        self.ids: dict[str, int] = {}
        self.cases: list[tuple[int, int]] = []  # (case id, visitor id) of the cases so far
        self.due: dict[tuple[date, int], date] = {}

    def next_id(self, table: str) -> int:
        self.ids[table] = self.ids.get(table, 0) + 1
        return self.ids[table]

    def row(self, table: str, **values: Any) -> list:
        row = list(self.template[table])
        at = self.cols[table]
        for k, v in values.items():
            row[at[k]] = v
        return row

    def due_after(self, start: date, days: int) -> date:
        if (start, days) not in self.due:
            self.due[start, days] = due(start, days, self.limits.counting)[0]
        return self.due[start, days]

    def chunk(self, out: dict[str, list]) -> dict[str, list]:
        for table in (m._meta.table_name for m in EXTRA):
            out[table] = []
        out["ticket_event"] = []
        tv, tt = self.cols["visit"], self.cols["ticket"]
        for visit, ticket in zip(out["visit"], out["ticket"], strict=True):
            self.ticket_life(out, visit, ticket, tv, tt)
        days = sorted({t[tt["business_day"]] for t in out["ticket"]})
        for iso in days:
            self.day_extras(out, date.fromisoformat(iso))
        return out

    def ticket_life(self, out: dict[str, list], visit: list, ticket: list,
                    tv: dict[str, int], tt: dict[str, int]) -> None:
        rng, ev = self.rng, out["ticket_event"]
        tid, dept = ticket[tt["id"]], ticket[tt["department"]]
        issued = _at(ticket[tt["issued_at"]])

        def event(kind: str, at: datetime, department: str, window: int | None,
                  note: str = "") -> None:
            ev.append(self.row("ticket_event", id=self.next_id("ticket_event"), ticket_id=tid,
                               at=_s(at), actor="desk01" if kind == "issued" else "win01",
                               kind=kind, department=department, window=window, note=note))

        event("issued", issued, dept, None)
        if rng.random() < 0.08:
            group = rng.randrange(len(self.config.priority_groups))
            visit[tv["priority"]] = self.config.priority_groups[group].code
            ticket[tt["priority_rank"]] = group
        if rng.random() < 0.02:
            visit[tv["people"]] = people = rng.randint(5, 40)
            for pos in range(1, min(5, people // 5) + 1):
                out["representative"].append(self.row(
                    "representative", id=self.next_id("representative"),
                    visit_id=visit[tv["id"]], position=pos,
                    id_number=f"R{visit[tv['id']]:012d}{pos}", name="代表"))
        window = rng.choice(self.windows[dept])
        called = issued + timedelta(seconds=int(rng.expovariate(1 / 1200)) + 30)
        event("called", called, dept, window)
        if ticket[tt["status"]] == "no_show":
            event("recalled", called + timedelta(seconds=120), dept, window)
            event("no_show", called + timedelta(seconds=330), dept, window)
            ticket[tt["called_at"]], ticket[tt["window"]] = _s(called), window
            return
        if rng.random() < 0.03:  # 转办: called, sent on, called again in the other queue
            to = rng.choice([d for d in self.open_departments if d != dept])
            moved = called + timedelta(seconds=rng.randint(120, 600))
            event("transferred", moved, to, window)
            dept, window = to, rng.choice(self.windows[to])
            called = moved + timedelta(seconds=int(rng.expovariate(1 / 900)) + 30)
            ticket[tt["department"]] = visit[tv["department"]] = dept
            event("called", called, dept, window)
        finished = called + timedelta(seconds=int(rng.expovariate(1 / 900)) + 60)
        outcome = rng.choices(self.outcomes, self.outcome_weights)[0]
        spec = self.config.outcome(outcome)
        event("finished", finished, dept, window, spec.name if spec else outcome)
        ticket[tt["called_at"]], ticket[tt["window"]] = _s(called), window
        visit[tv["outcome"]], visit[tv["finished_at"]] = outcome, _s(finished)
        visit[tv["finished_by"]] = f"win{window or 0:02d}"
        if spec and spec.refusal:
            visit[tv["outcome_reason"]] = "不属于信访受理范围"
            visit[tv["outcome_channel"]] = rng.choice(CHANNELS)
        if outcome in self.opens:
            self.open_case(out, visit, tv, outcome, dept, finished)
        elif visit[tv["is_repeat"]] and self.cases and rng.random() < 0.3:
            case_id, _ = self.cases[rng.randrange(max(0, len(self.cases) - 2000),
                                                  len(self.cases))]
            out["case_visit"].append(self.row(
                "case_visit", id=self.next_id("case_visit"), case_id=case_id,
                visit_id=visit[tv["id"]], linked_at=_s(finished), linked_by="win01"))

    def open_case(self, out: dict[str, list], visit: list, tv: dict[str, int], outcome: str,
                  dept: str, at: datetime) -> None:
        rng = self.rng
        case_id = self.next_id("case")
        opened = (at + timedelta(hours=8)).date()  # the hall's local date (+8)
        acceptance_due = self.due_after(opened, self.limits.acceptance_days)
        handling_due = self.due_after(opened, self.limits.handling_days)
        steps: list[tuple[str, date, dict]] = []
        accepted = opened + timedelta(days=rng.choice((1, 3, 7, 12, 14, 16, 20)))
        steps.append(("accept", accepted, {}))
        steps.append(("assign", accepted, {"unit": dept}))
        extension = rng.random() < 0.04
        if extension:
            steps.append(("extend", accepted + timedelta(days=20), {"days": 30}))
            steps.append(("approve_extension", accepted + timedelta(days=22), {"told": "电话"}))
            handling_due = self.due_after(handling_due, self.limits.extension_days)
        if rng.random() < 0.06:
            steps.append(("urge", accepted + timedelta(days=30), {}))
        leader = ""
        if rng.random() < 0.02:
            leader = rng.choice(self.config.leaders).code
            steps.append(("lead", accepted + timedelta(days=5), {"leader": leader}))
        stalls = rng.random() < 0.03
        if not stalls:
            replied = accepted + timedelta(days=rng.randint(10, 70))
            satisfaction = rng.choices(("满意", "基本满意", "不满意"), (70, 20, 10))[0]
            steps += [("reply", replied, {}),
                      ("followup", replied + timedelta(days=3),
                       {"how": rng.choice(self.ways), "satisfaction": satisfaction}),
                      ("close", replied + timedelta(days=5), {})]
        steps.sort(key=lambda s: s[1])
        state, accepted_on, closed_on, sat, ext = "pending", None, None, "", ""
        after = {"accept": "accepted", "assign": "handling", "reply": "replied",
                 "followup": "followed", "close": "closed"}
        entries = [("opened", opened, {"visit": visit[tv["id"]], "outcome": outcome})]
        for kind, on, detail in steps:
            if on >= BENCH_DAY:
                break
            entries.append((kind, on, detail))
            state = after.get(kind, state)
            accepted_on = on if kind == "accept" else accepted_on
            closed_on = on if kind == "close" else closed_on
            sat = detail.get("satisfaction", sat)
            ext = {"extend": "requested", "approve_extension": "approved"}.get(kind, ext)
        due_on = (acceptance_due if state == "pending" else handling_due
                  if state in ("accepted", "handling") else None)
        number = f"江信〔{opened.year}〕第 {case_id:04d} 号"
        stamp = _s(at)
        out["case"].append(self.row(
            "case", id=case_id, year=opened.year, seq=case_id, number=number,
            visitor_id=visit[tv["visitor_id"]], visit_id=visit[tv["id"]],
            category=visit[tv["category"]], matter=visit[tv["matter"]], outcome=outcome,
            department="" if outcome == "forward" else dept,
            outside_unit="区人民政府" if outcome == "forward" else "", state=state,
            open=state != "closed", opened_on=opened.isoformat(), opened_at=stamp,
            opened_by=visit[tv["finished_by"]], acceptance_due=acceptance_due.isoformat(),
            accepted_on=accepted_on and accepted_on.isoformat(),
            handling_due=handling_due.isoformat(), extension_days=30 if ext == "approved" else 0,
            extension_state=ext, due_on=due_on and due_on.isoformat(), leader=leader,
            satisfaction=sat, closed_on=closed_on and closed_on.isoformat(),
            last_seq=len(entries), updated_at=stamp))
        for seq, (kind, on, detail) in enumerate(entries, start=1):
            when = stamp if seq == 1 else f"{on.isoformat()} 02:00:00"
            out["case_entry"].append(self.row(
                "case_entry", id=self.next_id("case_entry"), case_id=case_id, seq=seq, at=when,
                actor="win01", kind=kind, state=state, note="", detail=json.dumps(detail)))
        out["case_visit"].append(self.row(
            "case_visit", id=self.next_id("case_visit"), case_id=case_id,
            visit_id=visit[tv["id"]], linked_at=stamp, linked_by="win01"))
        self.cases.append((case_id, visit[tv["visitor_id"]]))

    def day_extras(self, out: dict[str, list], day: date) -> None:
        """A business day's reception days (by the configured rules), incidents, 包案."""
        rng, iso = self.rng, day.isoformat()
        stamp = f"{(day - timedelta(days=14)).isoformat()} 01:00:00"
        for leader in self.config.leaders:
            for n, rule in enumerate(leader.rules):
                if day.day not in rule.days or (rule.every == "quarter"
                                                and day.month % 3 != rule.quarter_month % 3):
                    continue
                status = rng.choices(("held", "cancelled", "published"), (85, 8, 7))[0]
                day_id = self.next_id("leader_day")
                out["leader_day"].append(self.row(
                    "leader_day", id=day_id, leader=leader.code, department=leader.department,
                    date=iso, start=rule.start, end=rule.end, room="接访室",
                    capacity=rule.capacity, walk_ins=rule.walk_ins, status=status,
                    origin=f"cfg:{leader.code}:{n}", created_at=stamp, created_by="mgr01",
                    cancelled_at=stamp if status == "cancelled" else None,
                    cancel_reason="领导公务冲突" if status == "cancelled" else ""))
                for seq in range(1, rule.capacity + 3):
                    kept = rng.choices(("checked_in", "booked", "cancelled"), (75, 15, 10))[0]
                    booked = ("day_cancelled" if status == "cancelled" else "waitlisted"
                              if seq > rule.capacity else kept if status == "held"
                              else "booked")
                    out["leader_booking"].append(self.row(
                        "leader_booking", id=self.next_id("leader_booking"), day_id=day_id,
                        visitor_id=rng.randint(1, 1000), seq=seq, status=booked,
                        category=self.config.leader_settings.default_category, matter="征收补偿",
                        created_at=stamp, created_by="desk01", updated_at=stamp))
        types = self.config.incidents.types
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            kind = rng.choice(types)
            incident_id = self.next_id("incident")
            at = f"{iso} 0{rng.randint(1, 8)}:{rng.randint(10, 59)}:00"
            entries = rng.randint(1, 4)
            out["incident"].append(self.row(
                "incident", id=incident_id, business_day=iso, logged_at=at, logged_by="desk01",
                type=kind.code, severity=kind.severity, place="候谈区",
                people=rng.randint(1, 6), status="closed" if rng.random() < 0.95 else "open",
                last_seq=entries, updated_at=at))
            for seq in range(1, entries + 1):
                out["incident_entry"].append(self.row(
                    "incident_entry", id=self.next_id("incident_entry"),
                    incident_id=incident_id, seq=seq, at=at,
                    actor="desk01", kind="logged" if seq == 1 else "action",
                    action="" if seq == 1 else "dissuade", note="已处置"))
        if rng.random() < 0.05:
            out["leader_case"].append(self.row(
                "leader_case", id=self.next_id("leader_case"), visitor_id=rng.randint(1, 1000),
                leader=rng.choice(self.config.leaders).code, taken_on=iso, matter="征收补偿",
                created_at=f"{iso} 02:00:00", created_by="mgr01"))


def chunks(hall: Hall, n_tickets: int, per_day: int) -> Iterator[dict[str, list]]:
    """bench_issue's history at ``per_day`` tickets a business day, with its life added."""
    bench_issue.PER_DAY = per_day
    life = Life(hall.config)
    for out in generate(hall, n_tickets, chunk_days=20):
        yield life.chunk(out)


def build_sqlite(path: Path, config: HallConfig, n_tickets: int, per_day: int) -> float:
    """Build the database at ``path`` (indexes dropped while loading); seconds taken."""
    began = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(f"{path}.tmp")
    for p in (path, tmp):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{p}{suffix}").unlink(missing_ok=True)
    db = open_database(f"sqlite:///{tmp}")
    hall = Hall(db, config, FixedClock(datetime.combine(BENCH_DAY, datetime.min.time(), CST)))
    db.close()
    con = sqlite3.connect(tmp, isolation_level=None)
    for pragma in ("journal_mode=DELETE", "synchronous=OFF", "cache_size=-1000000",
                   "temp_store=MEMORY", "foreign_keys=OFF"):
        con.execute(f"PRAGMA {pragma}")
    indexes = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                          "AND sql IS NOT NULL").fetchall()
    for name, _ in indexes:
        con.execute(f'DROP INDEX "{name}"')
    sql = {m._meta.table_name: Table(m).insert_sql("?") for m in BASE + EXTRA}
    for chunk in chunks(hall, n_tickets, per_day):
        con.execute("BEGIN")
        for table, rows in chunk.items():
            con.executemany(sql[table], rows)
        con.execute("COMMIT")
    for _, create in indexes:
        con.execute(create)
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    tmp.rename(path)
    return time.perf_counter() - began


PG_SCHEMA = "hall_bench_stats"


def pg_url(base: str) -> str:
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{PG_SCHEMA}"


def build_pg(base: str, config: HallConfig, n_tickets: int, per_day: int,
             rebuild: bool) -> float | None:
    """The same rows in schema hall_bench_stats (COPY); None when a matching one is there."""
    from models.base import unhurried

    marker = f"{n_tickets}-{per_day}-v{SCHEMA_VERSION}"
    admin = open_database(base)
    cached = admin.execute_sql(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = "
        "'setting'", (PG_SCHEMA,)).fetchone() and admin.execute_sql(
        f"SELECT value FROM {PG_SCHEMA}.setting WHERE key = 'bench_build'").fetchone()
    if cached and cached[0] == marker and not rebuild:
        admin.close()
        return None
    began = time.perf_counter()
    admin.execute_sql(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
    admin.execute_sql(f"CREATE SCHEMA {PG_SCHEMA}")
    admin.close()
    db = open_database(pg_url(base))
    hall = Hall(db, config, FixedClock(datetime.combine(BENCH_DAY, datetime.min.time(), CST)))
    with unhurried(db, copy=True):
        con = db.connection()
        con.autocommit = True
        cur = con.cursor()
        cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s AND "
                    "indexname NOT IN (SELECT conname FROM pg_constraint)", (PG_SCHEMA,))
        indexes = cur.fetchall()
        for name, _ in indexes:
            cur.execute(f'DROP INDEX {PG_SCHEMA}."{name}"')
        cols = {m._meta.table_name: Table(m).cols for m in BASE + EXTRA}
        for chunk in chunks(hall, n_tickets, per_day):
            for table, rows in chunk.items():
                text = "".join("\t".join("\\N" if v is None else str(v) for v in row) + "\n"
                               for row in rows)
                names = ", ".join(f'"{c}"' for c in cols[table])
                cur.copy_expert(f'COPY "{table}" ({names}) FROM STDIN', io.StringIO(text))
        for _, create in indexes:
            cur.execute(create)
        for table in [m._meta.table_name for m in BASE + EXTRA if m is not TicketCounter]:
            cur.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                        f'(SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"), false)')
        cur.execute("INSERT INTO setting (key, value) VALUES ('bench_build', %s)", (marker,))
        cur.execute("ANALYZE")
    db.close()
    return time.perf_counter() - began


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
    if args.rebuild or not path.exists():
        print(f"building {path} ...", flush=True)
        built = f"built in {build_sqlite(path, config, args.tickets, args.per_day):.1f} s"
    else:
        built = "cached; --rebuild builds it again"
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
