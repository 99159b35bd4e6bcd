"""A window's reload with 100, 1,000 and 5,000 visitors waiting, beside a bare query of its rows.

    .venv/bin/python benchmarks/bench_window.py                     # SQLite, 100 / 1,000 / 5,000
    .venv/bin/python benchmarks/bench_window.py --sizes 1000 --reads 300
    .venv/bin/python benchmarks/bench_window.py --pg postgresql://postgres@127.0.0.1:5432/test

For each size a fresh database gets that many tickets waiting today for window 3 (信访局 and 生态
环境局, so the list merges two queues), issued through ``hall.desk.issue`` (about a fifth of the
visitors are 70 or older and go first). Then, interleaved so all see the same machine load:

- **reload**: what a window terminal's poll reads when the change counter moved: the counter, the
  business day and ``hall.windows.view(3)`` (state, current visitor, the waiting list);
- **board.queue**: ``hall.board.queue`` of the same departments, the list as peewee model objects
  (what the window read before issue 10, still the board's and the CLI's list);
- **floor**: a bare driver query (sqlite3 / psycopg2) of the same rows, fetched, nothing built.

With ``--screen`` it also times the window screen's own part of a reload in a headless app
(``WindowScreen._apply``: the state bar, the current visitor, the waiting list's lines) at each
size. Prints p50/p99/mean in milliseconds; figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_issue import BENCH_DAY, CST, id_number, visitor_fields

from config import DEFAULT_CONFIG, HallConfig, load_config
from hall import Hall
from hall.clock import FixedClock
from hall.desk.registration import Registration
from models import open_database

WINDOW = 3
FLOOR_SQL = """
SELECT t.number, t.department, t.issued_at, v.priority, v.is_repeat, v.people, p.name
FROM ticket t JOIN visit v ON v.id = t.visit_id JOIN visitor p ON p.id = v.visitor_id
WHERE t.business_day = {p} AND t.department IN ({p}, {p}) AND t.status = 'waiting'
ORDER BY t.priority_rank, t.issued_at, t.id
"""


def fill(hall: Hall, clock: FixedClock, count: int, first: int) -> None:
    """Issue ``count`` tickets for window 3's departments, a few seconds apart."""
    categories = ["reform", "pollution", "other"]
    for i in range(count):
        k = first + i
        fields = visitor_fields(k, hall.config)
        hall.desk.issue(Registration(id_number=id_number(k), category=categories[k % 3],
                                     matter="企业改制后安置费未落实", **fields), actor="desk01")
        clock.advance(seconds=2)


CPU: dict[str, list[float]] = {}
"""Milliseconds of this thread's CPU per timed call, by label (less sensitive to a busy machine
than the wall time: every read here runs in the calling thread)."""


def timed(fn: Callable[[], Any], label: str = "") -> float:
    began, cpu = time.perf_counter_ns(), time.thread_time_ns()
    fn()
    CPU.setdefault(label, []).append((time.thread_time_ns() - cpu) / 1e6)
    return (time.perf_counter_ns() - began) / 1e6


def line(label: str, times: list[float]) -> str:
    p50 = statistics.median(times)
    p99 = statistics.quantiles(times, n=100)[98] if len(times) > 1 else p50
    cpu = statistics.median(CPU[label]) if CPU.get(label) else float("nan")
    return f"  {label:<34}{p50:>9.3f}{p99:>9.3f}{statistics.fmean(times):>9.3f}{cpu:>9.3f}"


def measure(hall: Hall, floor: Callable[[], list[Any]], reads: int) -> dict[str, list[float]]:
    departments = list(hall.windows.spec(WINDOW).departments)

    def reload() -> None:
        hall.change_version()
        hall.today()
        hall.windows.view(WINDOW, viewer="win03")

    runs = {"reload (window view)": reload,
            "board.queue (model objects)": lambda: hall.board.queue(departments),
            "floor (bare query, fetchall)": floor}
    out: dict[str, list[float]] = {k: [] for k in runs}
    for name in runs:
        CPU[name] = []
    for i in range(reads + 5):
        order = list(runs.items())
        order = order[i % len(order):] + order[:i % len(order)]
        for name, fn in order:
            ms = timed(fn, name)
            if i >= 5:  # warm-up
                out[name].append(ms)
            else:
                CPU[name].pop()
    return out


def screen_apply(hall: Hall, reads: int) -> list[float]:
    """Milliseconds of WindowScreen._apply with the hall's current view, in a headless app."""
    import main
    from screens.window.screen import WindowScreen

    app = main.make_app(hall, "win03", start="window", window=WINDOW)
    times: list[float] = []

    async def run() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, WindowScreen)
            view, key = screen._read(WINDOW)
            CPU["screen _apply (headless)"] = []
            for i in range(reads + 3):
                ms = timed(lambda: screen._apply(view, key), "screen _apply (headless)")
                await pilot.pause()
                if i >= 3:
                    times.append(ms)
                else:
                    CPU["screen _apply (headless)"].pop()

    asyncio.run(run())
    return times


def run(url: str, config: HallConfig, sizes: list[int], reads: int, screen: bool,
        floor_conn: Callable[[], Any]) -> None:
    clock = FixedClock(datetime.combine(BENCH_DAY, datetime.min.time(), CST) + timedelta(hours=8))
    hall = Hall(open_database(url), config, clock)
    done = 0
    con, param = floor_conn()
    departments = hall.windows.spec(WINDOW).departments
    sql = FLOOR_SQL.format(p=param)
    print(f"{'':36}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'CPU p50':>9}")
    for size in sizes:
        began = time.perf_counter()
        fill(hall, clock, size - done, done)
        done = size
        built = time.perf_counter() - began

        def floor() -> list[Any]:
            cur = con.cursor()
            cur.execute(sql, (BENCH_DAY, *departments))
            return cur.fetchall()

        waiting = len(hall.windows.view(WINDOW, viewer="win03").waiting)
        assert waiting == size == len(floor()), (waiting, size)
        print(f"{size:,} waiting for window {WINDOW} (issued in {built:.0f} s):")
        figures = measure(hall, floor, reads)
        for name, times in figures.items():
            print(line(name, times))
        floor_p50 = statistics.median(figures["floor (bare query, fetchall)"])
        reload_p50 = statistics.median(figures["reload (window view)"])
        cpu_p50 = statistics.median(CPU["reload (window view)"])
        verdict = ("met" if reload_p50 < 10 else f"MISSED (CPU {cpu_p50:.1f} ms)"
                   ) if size == 1000 else "-"
        print(f"  reload/floor p50: {reload_p50 / floor_p50:.1f}x; target reload < 10 ms at "
              f"1,000: {verdict}")
        if screen:
            print(line("screen _apply (headless)", screen_apply(hall, max(20, reads // 5))))
    con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000",
                        help="waiting counts, ascending (default 100,1000,5000)")
    parser.add_argument("--reads", type=int, default=200, help="timed reads of each kind")
    parser.add_argument("--screen", action="store_true", help="also time the screen's apply")
    parser.add_argument("--pg", metavar="URL", help="PostgreSQL instead of a SQLite file")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    config = load_config(DEFAULT_CONFIG)
    if args.pg:
        run_pg(args.pg, config, sizes, args.reads, args.screen)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "window.db"
            print(f"SQLite {sqlite3.sqlite_version}, {path}")
            run(f"sqlite:///{path}", config, sizes, args.reads, args.screen,
                lambda: (sqlite3.connect(path), "?"))
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


def run_pg(base: str, config: HallConfig, sizes: list[int], reads: int, screen: bool) -> None:
    import uuid

    import psycopg2

    schema = f"bench_window_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(base)
    admin.autocommit = True
    admin.cursor().execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options=-csearch_path%3D{schema}"
    print(f"PostgreSQL, schema {schema} (dropped afterwards)")

    def connect() -> tuple[Any, str]:
        con = psycopg2.connect(base, options=f"-csearch_path={schema}")
        con.autocommit = True
        return con, "%s"

    try:
        run(url, config, sizes, reads, screen, connect)
    finally:
        admin.cursor().execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()


if __name__ == "__main__":
    sys.exit(main())
