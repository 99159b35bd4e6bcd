"""The past days the issue benchmarks start from: 1,000,000 tickets of invented visitors.

Visitor ``k`` is a pure function of ``k`` (:func:`id_number`, :func:`visitor_fields`), so a
benchmark can register someone already on file without reading the database. :func:`generate`
gives the rows of the business days before the benchmark day (``per_day`` tickets a day, done or
no-show, each with its visit, events, audit rows and the day's counters; six in ten visits by
someone new), shaped by the peewee models (bigdb.Table), a chunk of days at a time.

:func:`build_sqlite` and :func:`build_pg` load them with bigdb.py: bench_issue.py,
bench_call.py, bench_scale.py and bench_stats.py (stats_history.py, with more on top) share them.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import bigdb
from bigdb import Table, load_pg, load_sqlite

from config import HallConfig
from hall import Hall
from hall.demo.people import GIVEN, MATTERS, MOBILE, SURNAMES
from hall.text.idnumber import check_character
from models import SCHEMA_VERSION, AuditEvent, Ticket, TicketCounter, TicketEvent, Visit, Visitor

CST = timezone(timedelta(hours=8))
BENCH_DAY = date(2026, 11, 23)  # a Monday; the history is the working days before it
BUILT_AT = datetime.combine(BENCH_DAY, datetime.min.time(), CST)  # the builds' clock
PER_DAY = 400  # tickets per past business day
NEW_VISITOR = 0.6  # share of past visits by someone never seen before
HOME = ("330105", "330102", "330104", "330106", "330108", "330122", "330127", "330110")
NAMES = [g for names in GIVEN.values() for g in names]
BIRTH0, BIRTH_SPAN = date(1940, 1, 1), 23725  # birth dates 1940-01-01 .. 2004-12
HISTORY = (Visitor, Visit, Ticket, TicketEvent, AuditEvent, TicketCounter)  # the tables built


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


def history_days(n_tickets: int, per_day: int = PER_DAY) -> list[date]:
    """The business days before the benchmark day that hold ``n_tickets`` at ``per_day``."""
    days, day = [], BENCH_DAY
    while len(days) * per_day < n_tickets:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days[::-1]


def generate(hall: Hall, n_tickets: int, chunk_days: int = 50,
             per_day: int = PER_DAY) -> Iterator[dict[str, list]]:
    """Rows of past days (``per_day`` tickets a business day), a chunk of days at a time:
    {table: rows}."""
    config = hall.config
    rng = random.Random(1)
    codes, weights = categories(config)
    cum = list(itertools.accumulate(weights))
    query_code = query_codes(hall)
    route = {c: config.category(c).department for c in codes}  # type: ignore[union-attr]
    prefix = {d.code: d.prefix for d in config.departments}
    window = {d.code: (config.windows_for(d.code) or [None])[0] for d in config.departments}
    tables = {m: Table(m) for m in HISTORY}
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
    days = history_days(n_tickets, per_day)
    for start in range(0, len(days), chunk_days):
        out: dict[str, list] = {tables[m].name: [] for m in tables}
        for day in days[start:start + chunk_days]:
            iso = day.isoformat()
            seqs: dict[str, int] = {}
            for i in range(min(per_day, n_tickets - t)):
                t += 1
                second = 1800 + i * 8 * 3600 // per_day  # from 08:30 in Shanghai (00:30 UTC)
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


def build_sqlite(path: Path, config: HallConfig, n_tickets: int) -> float:
    """Build the big database at ``path``; returns seconds taken."""
    return load_sqlite(path, config, BUILT_AT, lambda hall: generate(hall, n_tickets), HISTORY)


PG_SCHEMA = "hall_bench"


def pg_url(base: str, schema: str = PG_SCHEMA) -> str:
    return bigdb.pg_url(base, schema)


def build_pg(base: str, config: HallConfig, n_tickets: int, rebuild: bool,
             schema: str = PG_SCHEMA) -> float | None:
    """Build the big data in ``schema`` (COPY); None when a matching one is there."""
    return load_pg(base, schema, config, BUILT_AT, lambda hall: generate(hall, n_tickets),
                   HISTORY, f"{n_tickets}-v{SCHEMA_VERSION}", rebuild)
