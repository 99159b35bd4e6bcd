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
import itertools
import os
import random
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import peewee as pw

from config import DEFAULT_CONFIG, HallConfig, load_config
from hall import Hall
from hall.clock import FixedClock, to_storage
from hall.demo.people import GIVEN, MATTERS, MOBILE, SURNAMES
from hall.desk.registration import CleanRegistration, Registration, validate
from hall.text.idnumber import check_character
from models import (
    SCHEMA_VERSION,
    AuditEvent,
    Ticket,
    TicketCounter,
    TicketEvent,
    Visit,
    Visitor,
    open_database,
)
from models.base import SQLITE_PRAGMAS, unhurried

CST = timezone(timedelta(hours=8))
BENCH_DAY = date(2026, 11, 23)  # a Monday; the history is the working days before it
PER_DAY = 400  # tickets per past business day
NEW_VISITOR = 0.6  # share of past visits by someone never seen before
HOME = ("330105", "330102", "330104", "330106", "330108", "330122", "330127", "330110")
NAMES = [g for names in GIVEN.values() for g in names]
BIRTH0, BIRTH_SPAN = date(1940, 1, 1), 23725  # birth dates 1940-01-01 .. 2004-12


# -- the invented population: visitor k is a pure function of k -----------------------------------

def id_number(k: int) -> str:
    rest = k // len(HOME)
    born = BIRTH0 + timedelta(days=rest % BIRTH_SPAN)
    first17 = f"{HOME[k % len(HOME)]}{born:%Y%m%d}{100 + rest // BIRTH_SPAN:03d}"
    return first17 + check_character(first17)


def visitor_fields(k: int, config: HallConfig) -> dict[str, str]:
    district = config.districts[k % len(config.districts)]
    return {"name": SURNAMES[k % len(SURNAMES)] + NAMES[(k // len(SURNAMES)) % len(NAMES)],
            "phone": MOBILE[k % len(MOBILE)] + f"{(k * 7919) % 10**8:08d}",
            "district": district.code, "address": f"{district.name}人民路{k % 400 + 1}号"}


def categories(config: HallConfig) -> tuple[list[str], list[int]]:
    # Not the rooms shut between their days (the lawyer seat, the leader's room): the desk
    # refuses their walk-ins on a day without a reception.
    closed = set(config.leader_settings.closed_without_day)
    codes = [c.code for c in config.categories if c.department not in closed]
    return codes, [MATTERS.get(c, (2, []))[0] for c in codes]


# -- rows shaped by the peewee models --------------------------------------------------------------

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


def _stamp(at: datetime) -> str:
    return at.isoformat(" ")  # as the sqlite3 adapter stores a datetime for peewee


def query_codes(hall: Hall) -> Callable[[str, str], str]:
    """``hall.desk.query_code`` for (iso day, number), faster: a keyed HMAC copied, 10 bytes encoded
    (base32 turns 5 bytes into 8 characters, so the 9-character part is the same) after the day."""
    import hmac
    from base64 import b32encode

    key = hmac.new(hall.desk.codes.secret, digestmod="sha256")
    prefix = f"{hall.config.hall.code}|"
    days: dict[str, str] = {}

    def code(iso: str, number: str) -> str:
        mac = key.copy()
        mac.update(f"{prefix}{iso}|{number}".encode())
        if iso not in days:
            days[iso] = hall.desk.query_code(date.fromisoformat(iso), "")[:3]
        return days[iso] + b32encode(mac.digest()[:10]).decode()[:9]

    assert code("2020-01-02", "R001") == hall.desk.query_code(date(2020, 1, 2), "R001")
    return code


def history_days(n_tickets: int) -> list[date]:
    days, day = [], BENCH_DAY
    while len(days) * PER_DAY < n_tickets:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days[::-1]


def generate(hall: Hall, n_tickets: int, chunk_days: int = 50) -> Iterator[dict[str, list]]:
    """Rows of past days, a chunk of days at a time: {table: rows}."""
    config = hall.config
    rng = random.Random(1)
    codes, weights = categories(config)
    cum = list(itertools.accumulate(weights))
    query_code = query_codes(hall)
    route = {c: config.category(c).department for c in codes}  # type: ignore[union-attr]
    prefix = {d.code: d.prefix for d in config.departments}
    window = {d.code: (config.windows_for(d.code) or [None])[0] for d in config.departments}
    tables = {m: Table(m) for m in (Visitor, Visit, Ticket, TicketEvent, AuditEvent,
                                    TicketCounter)}
    f_visitor = tables[Visitor].filler(["id", "id_number", "name", "sex", "birth_date", "phone",
                                        "address", "district", "created_at", "updated_at"])
    f_visit = tables[Visit].filler([
        "id", "visitor_id", "business_day", "registered_at", "registered_by", "district",
        "category", "suggested_department", "department", "people", "matter", "request",
        "is_repeat", "outcome", "outcome_note", "finished_at", "finished_by"])
    f_ticket = tables[Ticket].filler([
        "id", "visit_id", "business_day", "number", "seq", "origin_department", "department",
        "priority_rank", "status", "issued_at", "called_at", "window", "query_code"])
    f_event = tables[TicketEvent].filler(["id", "ticket_id", "at", "actor", "kind",
                                          "department", "window", "note"])
    f_audit = tables[AuditEvent].filler(["id", "at", "actor", "action", "entity", "entity_id",
                                         "detail"])
    f_counter = tables[TicketCounter].filler(["business_day", "department", "last"])
    visits_of: list[int] = []  # per visitor k, how many visits so far
    t = a = e = 0
    days = history_days(n_tickets)
    for start in range(0, len(days), chunk_days):
        out: dict[str, list] = {tables[m].name: [] for m in tables}
        for day in days[start:start + chunk_days]:
            iso = day.isoformat()
            seqs: dict[str, int] = {}
            for i in range(min(PER_DAY, n_tickets - t)):
                t += 1
                second = 1800 + i * 8 * 3600 // PER_DAY  # from 08:30 in Shanghai (00:30 UTC)
                stamp = f"{iso} {second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
                second += 1500  # finished 25 minutes later
                done = f"{iso} {second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"
                if not visits_of or rng.random() < NEW_VISITOR:
                    k = len(visits_of)
                    visits_of.append(0)
                    number = id_number(k)
                    fields = visitor_fields(k, config)
                    born = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
                    out["visitor"].append(f_visitor((
                        k + 1, number, fields["name"], "M" if int(number[16]) % 2 else "F",
                        born, fields["phone"], fields["address"], fields["district"], stamp,
                        stamp)))
                    a += 1
                    out["audit_event"].append(f_audit((a, stamp, "desk01", "visitor.create",
                                                       "visitor", str(k + 1), "{}")))
                else:
                    k = rng.randrange(len(visits_of))
                cat = rng.choices(codes, cum_weights=cum)[0]
                dept = route[cat]
                seqs[dept] = seq = seqs.get(dept, 0) + 1
                num = f"{prefix[dept]}{seq:03d}"
                no_show = rng.random() < 0.05
                win = window[dept].number if window[dept] else None
                out["visit"].append(f_visit((
                    t, k + 1, iso, stamp, "desk01", visitor_fields(k, config)["district"], cat,
                    dept, dept, 1, "拖欠工资三个月，多次讨要未果", "请求督促支付",
                    visits_of[k] > 0, "" if no_show else "answered",
                    "" if no_show else "已当场答复", None if no_show else done,
                    "" if no_show else "win01")))
                visits_of[k] += 1
                out["ticket"].append(f_ticket((
                    t, t, iso, num, seq, dept, dept, len(config.priority_groups),
                    "no_show" if no_show else "done", stamp, stamp, win,
                    query_code(iso, num))))
                for kind, when in (("issued", stamp), ("no_show" if no_show else "finished",
                                                       done)):
                    e += 1
                    out["ticket_event"].append(f_event((e, t, when, "desk01", kind, dept, win,
                                                        "")))
                a += 1
                out["audit_event"].append(f_audit((
                    a, stamp, "desk01", "ticket.issue", "ticket", str(t),
                    f'{{"number": "{num}", "department": "{dept}", "visit": {t}}}')))
            out["ticket_counter"] += [f_counter((iso, d, n)) for d, n in seqs.items()]
        yield out


# -- SQLite ----------------------------------------------------------------------------------------

def build_sqlite(path: Path, config: HallConfig, n_tickets: int) -> float:
    """Build the big database at ``path``; returns seconds taken."""
    began = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", ".tmp"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    tmp = Path(f"{path}.tmp")
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
    sql = {m._meta.table_name: Table(m).insert_sql("?") for m in
           (Visitor, Visit, Ticket, TicketEvent, AuditEvent, TicketCounter)}
    for chunk in generate(hall, n_tickets):
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
        _remove(copy)
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
        _remove(copy)
    return facade_ms, bare_ms


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


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

PG_SCHEMA = "hall_bench"


def pg_url(base: str) -> str:
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{PG_SCHEMA}"


def build_pg(base: str, config: HallConfig, n_tickets: int, rebuild: bool) -> float | None:
    """Build the big data in schema hall_bench (COPY); None when a matching one is there."""
    marker = f"{n_tickets}-v{SCHEMA_VERSION}"
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
    with unhurried(db, copy=True):  # COPY and index builds: no timeouts, plain waits
        _copy_in(db, hall, n_tickets, marker)
    db.close()
    return time.perf_counter() - began


def _copy_in(db: Any, hall: Hall, n_tickets: int, marker: str) -> None:
    import io

    con = db.connection()
    con.autocommit = True
    cur = con.cursor()
    cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s AND "
                "indexname NOT IN (SELECT conname FROM pg_constraint)", (PG_SCHEMA,))
    indexes = cur.fetchall()
    for name, _ in indexes:
        cur.execute(f'DROP INDEX {PG_SCHEMA}."{name}"')
    cols = {m._meta.table_name: Table(m).cols for m in
            (Visitor, Visit, Ticket, TicketEvent, AuditEvent, TicketCounter)}
    for chunk in generate(hall, n_tickets):
        for table, rows in chunk.items():
            text = "".join("\t".join("\\N" if v is None else str(v) for v in row) + "\n"
                           for row in rows)
            names = ", ".join(f'"{c}"' for c in cols[table])
            cur.copy_expert(f'COPY "{table}" ({names}) FROM STDIN', io.StringIO(text))
    for _, create in indexes:
        cur.execute(create)
    for table in ("visitor", "visit", "ticket", "ticket_event", "audit_event"):
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))")
    cur.execute("INSERT INTO setting (key, value) VALUES ('bench_build', %s)", (marker,))
    cur.execute("ANALYZE")


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
    if args.rebuild or not path.exists():
        print(f"building {path} ...", flush=True)
        took = build_sqlite(path, config, args.tickets)
        built = f"built in {took:.1f} s"
    else:
        built = "cached; --rebuild builds it again"
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
