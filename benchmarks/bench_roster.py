"""What reading the leaders' roster from the database costs the screens that show leaders.

    .venv/bin/python benchmarks/bench_roster.py                 # SQLite in a temporary folder
    .venv/bin/python benchmarks/bench_roster.py --pg postgresql://postgres@127.0.0.1:5432/test

A database with the configured leaders, 20 added ones edited 5 times each (104 profile rows, more
than a hall will gather in years) and a month of 40 reception days. It times (p50/p99/mean in ms)
``hall.leaders.days`` for the month (the calendar's read), ``hall.leaders.todays_receptions`` (the
board's leader line) and the shared state's ``roster()`` read alone, each interleaved with the same
call when the roster is the configuration's (the program before the roster was stored), so the
difference is the database read. Figures are printed, never asserted.
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
from hall.leaders.shared import RosterEntry
from models import open_database

CST = timezone(timedelta(hours=8))
ROUNDS = 300


def run(url: str) -> None:
    config = load_config(DEFAULT_CONFIG)
    hall = Hall(open_database(url), config, FixedClock(datetime(2026, 11, 2, 9, tzinfo=CST)))
    for n in range(20):
        code = f"added{n:02d}"
        hall.leaders.roster.add(code, f"领导{n}", "mgr01", title="副区长", department="leader")
        for k in range(4):
            hall.leaders.roster.edit(code, "mgr01", portfolio=f"分管领域第{k}版")
    codes = [x.code for x in hall.leaders.roster.list()]
    first = date(2026, 11, 2)
    for k in range(40):  # a date's second reception in the afternoon: one room, one at a time
        start, end = ("09:00", "11:00") if k < 28 else ("14:00", "16:00")
        hall.leaders.add_day(codes[k % len(codes)], first + timedelta(days=k % 28), start, end,
                             10, actor="mgr01", walk_ins=True)
    state = hall.leaders.state  # the roster read every part shares
    stored = state.roster
    configured = {x.code: RosterEntry(x, False, 0, True) for x in config.leaders}

    def config_only() -> dict[str, RosterEntry]:
        return configured

    calls: dict[str, Callable[[], Any]] = {
        "leader_days (month of 40 days)": lambda: hall.leaders.days(first, date(2026, 11, 30)),
        "todays_receptions (board line)": hall.leaders.todays_receptions,
        "state.roster (the read alone)": lambda: state.roster(),
    }
    for name, fn in calls.items():
        with_db: list[float] = []
        without: list[float] = []
        for _ in range(ROUNDS):
            for samples, roster in ((with_db, stored), (without, config_only)):
                state.roster = roster  # type: ignore[method-assign]
                started = time.perf_counter()
                fn()
                samples.append((time.perf_counter() - started) * 1000)
        state.roster = stored  # type: ignore[method-assign]
        report(f"{name}, roster stored", with_db)
        report(f"{name}, roster as configured", without)
    queue_reads(hall)
    hall.db.close()


def queue_reads(hall: Hall) -> None:
    """The leader room's queue (what window 20 and ``hall queue`` read) with 20 walk-ins and 2
    receptions today, naming whom each waits for, interleaved with the read that does not."""
    from hall.desk.registration import Registration
    from hall.text.idnumber import check_character

    for n in range(20):
        first17 = f"11010519800101{n + 100:03d}"
        hall.desk.issue(Registration(name="张三", id_number=first17 + check_character(first17),
                                     category="wages", matter="工资", department="leader"),
                        actor="desk01")
    named, plain = hall.board._waits_for, list
    samples: dict[str, list[float]] = {"named": [], "plain": []}
    for _ in range(ROUNDS):
        for key, fn in (("named", named), ("plain", plain)):
            hall.board._waits_for = fn
            started = time.perf_counter()
            hall.board.queue(["leader"])
            samples[key].append((time.perf_counter() - started) * 1000)
    hall.board._waits_for = named
    report("board.queue(leader) naming whom each waits for", samples["named"])
    report("board.queue(leader) without (before issue 9 §4)", samples["plain"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="PostgreSQL URL (a scratch schema is made and dropped)")
    args = parser.parse_args()
    with scratch_url(args.pg, "one file") as url:
        run(url)
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
