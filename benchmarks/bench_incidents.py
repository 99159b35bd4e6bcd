"""What special situations cost: logging, recording a step, the alert's poll, the manager's list.

    .venv/bin/python benchmarks/bench_incidents.py               # SQLite in a temporary folder
    .venv/bin/python benchmarks/bench_incidents.py --pg postgresql://postgres@127.0.0.1:5432/test

A hall with 5,000 past incidents (20 a day over 250 days, each with 4 entries, most closed) and
today's few: times ``hall.incidents.log`` (validate, one transaction: incident, first entry, audit,
counter), ``hall.incidents.act`` (row lock, next entry number, entry, audit, counter), the alert's
poll (``change_version("incidents")``, every terminal once a second, and ``open_alerts`` when it
moved), and the manager's list of a day. Prints p50/p99 in milliseconds; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config import DEFAULT_CONFIG, load_config
from hall import Hall
from hall.clock import FixedClock
from hall.incidents import NewIncident
from models import open_database

CST = datetime.fromisoformat("2026-11-23T09:00+08:00").tzinfo
DAYS, PER_DAY = 250, 20


def timed(fn: Callable[[], object], n: int) -> tuple[float, float]:
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", help="PostgreSQL URL (a schema of its own is made and dropped)")
    args = parser.parse_args()
    config = load_config(DEFAULT_CONFIG)
    schema = ""
    if args.pg:
        schema = f"bench_inc_{uuid.uuid4().hex[:8]}"
        open_database(args.pg).execute_sql(f'CREATE SCHEMA "{schema}"')
        url = f"{args.pg}{'&' if '?' in args.pg else '?'}options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    start = datetime(2026, 3, 18, 9, 0, tzinfo=CST)
    clock = FixedClock(start)
    hall = Hall(open_database(url), config, clock)
    types = [t.code for t in config.incidents.types]
    built = time.perf_counter()
    for day in range(DAYS):
        clock.set(start + timedelta(days=day))
        for k in range(PER_DAY):
            spec = config.incidents.type_of(types[k % len(types)])
            assert spec is not None
            new = hall.incidents.log(NewIncident(spec.code, "候谈区", f"第{day}天第{k}起"),
                                     "desk01")
            for step in spec.chain[:2]:
                hall.incidents.act(new.id, step, "win01")
            if day < DAYS - 1 or k % 3:
                hall.incidents.close(new.id, "已处置", "mgr01")
            clock.advance(minutes=20)
    print(f"built {DAYS * PER_DAY} incidents in {time.perf_counter() - built:.1f} s "
          f"({'PostgreSQL' if args.pg else 'SQLite'})")
    today = hall.today()
    made: list[int] = []

    def log() -> None:
        made.append(hall.incidents.log(NewIncident("illness", "7号窗口", "晕倒"), "win07").id)

    rows = [("log_incident", timed(log, 200)),
            ("act", timed(lambda: hall.incidents.act(made[-1], "medical", "win07"), 200)),
            ("change_version('incidents')", timed(lambda: hall.change_version("incidents"),
                                                  2000)),
            ("open_alerts", timed(hall.incidents.open_alerts, 200)),
            (f"incidents(day) ({len(hall.incidents.list(day=today))} rows)",
             timed(lambda: hall.incidents.list(day=today), 50))]
    for name, (p50, p99) in rows:
        print(f"{name:<36} p50 {p50:7.3f} ms   p99 {p99:7.3f} ms")
    hall.db.close()
    if schema:
        open_database(args.pg).execute_sql(f'DROP SCHEMA "{schema}" CASCADE')


if __name__ == "__main__":
    main()
