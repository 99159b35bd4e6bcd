"""What reading the leaders' roster from the database costs the screens that show leaders.

    .venv/bin/python benchmarks/bench_roster.py                 # SQLite in a temporary folder
    .venv/bin/python benchmarks/bench_roster.py --pg postgresql://postgres@127.0.0.1:5432/test

A database with the configured leaders, 20 added ones edited 5 times each (104 profile rows, more
than a hall will gather in years) and a month of 40 reception days. It times (p50/p99/mean in ms)
``Hall.leader_days`` for the month (the calendar's read), ``Hall.todays_receptions`` (the board's
leader line) and ``Hall._roster`` alone, each interleaved with the same call when the roster is
the configuration's (the program before the roster was stored), so the difference is the
database read. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from typing import Any

from bench_booking import report, scratch_url

from config import DEFAULT_CONFIG, load_config
from hall import Hall
from hall.clock import FixedClock
from hall.roster import _Entry
from models import open_database

CST = timezone(timedelta(hours=8))
ROUNDS = 300


def run(url: str) -> None:
    config = load_config(DEFAULT_CONFIG)
    hall = Hall(open_database(url), config, FixedClock(datetime(2026, 11, 2, 9, tzinfo=CST)))
    for n in range(20):
        code = f"added{n:02d}"
        hall.add_leader(code, f"领导{n}", "mgr01", title="副区长", department="leader")
        for k in range(4):
            hall.edit_leader(code, "mgr01", portfolio=f"分管领域第{k}版")
    codes = [x.code for x in hall.leaders()]
    first = date(2026, 11, 2)
    for k in range(40):
        hall.add_day(codes[k % len(codes)], first + timedelta(days=k % 28), "09:00", "11:00", 10,
                     actor="mgr01")
    stored = hall._roster
    configured = {x.code: _Entry(x, False, 0, True) for x in config.leaders}

    def config_only() -> dict[str, _Entry]:
        return configured

    calls: dict[str, Callable[[], Any]] = {
        "leader_days (month of 40 days)": lambda: hall.leader_days(first, date(2026, 11, 30)),
        "todays_receptions (board line)": hall.todays_receptions,
        "_roster (the read alone)": lambda: hall._roster(),
    }
    for name, fn in calls.items():
        with_db: list[float] = []
        without: list[float] = []
        for _ in range(ROUNDS):
            for samples, roster in ((with_db, stored), (without, config_only)):
                hall._roster = roster  # type: ignore[method-assign]
                started = time.perf_counter()
                fn()
                samples.append((time.perf_counter() - started) * 1000)
        hall._roster = stored  # type: ignore[method-assign]
        report(f"{name}, roster stored", with_db)
        report(f"{name}, roster as configured", without)
    hall.db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="PostgreSQL URL (a scratch schema is made and dropped)")
    args = parser.parse_args()
    with scratch_url(args.pg, "one file") as url:
        run(url)
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
