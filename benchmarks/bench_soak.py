"""Memory of the desk, a window and the board over minutes of continuous issuing and calling.

    .venv/bin/python benchmarks/bench_soak.py                      # 10 minutes, RSS every 30 s
    .venv/bin/python benchmarks/bench_soak.py --minutes 3 --sample 10

Five processes share one SQLite file and a clock that starts on a Monday at 09:00 and runs at real
speed:

- three terminals, each the hall's Textual app run headless (``App.run_test``) in its own process:
  the **desk** (Tab moves the focus to the next field every ``--tab`` seconds, as an operator
  moving through the form does), **window 1** (信访局; it only watches: every change made elsewhere
  makes it reload its view, as a window does all day) and the **board**;
- an **issuer** that issues a ticket every ``--issue`` seconds through ``hall.desk.issue``, over
  every department's categories;
- a **caller** that goes round windows 2 to 13 calling the next visitor and finishing the visit
  (``hall.windows.call_next`` / ``finish``), so queues move and every terminal reloads.

Every ``--sample`` seconds it prints each terminal's resident memory (VmRSS from /proc), the
tickets issued and the calls made so far, and at the end the growth of each terminal from the end of
the warm-up (the first fifth) to the end, per minute. The window's process also reports how many
times it reloaded and how many FooterKey objects it holds. Figures are printed, never asserted.

Looking into one terminal (issue 10 §4, the board):

    .venv/bin/python benchmarks/bench_soak.py --only board --minutes 25 --sample 60 --probe 60
    MALLOC_ARENA_MAX=2 .venv/bin/python benchmarks/bench_soak.py --only board ...
    .venv/bin/python benchmarks/bench_soak.py --only board --probe 60 --trim     # malloc_trim(0)
    .venv/bin/python benchmarks/bench_soak.py --only board --probe 60 --tracemalloc

``--only`` runs just those terminals (with the issuer and the caller). With ``--probe`` each
terminal looks at itself every so many seconds and the table gets, per terminal, the Python
objects alive (gc), the memory blocks Python has allocated (``sys.getallocatedblocks``), the
entries held by every ``functools.lru_cache`` and Textual ``LRUCache``/``FIFOCache`` in the
process, and glibc's view (``mallinfo2``: bytes in use, bytes free but kept); at the end it
prints the object types and the caches that grew from the warm-up to the end. ``--trim`` makes the
probing terminal hand freed memory back (``malloc_trim(0)``) after each probe, to tell memory
kept by the allocator from memory in use; ``--tracemalloc`` traces Python's allocations and
prints the top growth by line (it costs memory itself: read its RSS apart). ``--one-thread`` makes
the pollers read in one long-lived thread instead of a new worker thread per poll (an experiment:
the hall's pollers do not). glibc's own knobs go in the environment (``MALLOC_ARENA_MAX=1``).
The looking itself lives in ``soak_probe.py`` beside this script.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from soak_probe import make_tracer, malloc_trim, one_reading_thread, probe, probed, rss_mb

ROOT = Path(__file__).resolve().parents[1]
CST = timezone(timedelta(hours=8))
START = datetime(2026, 11, 23, 9, 0, tzinfo=CST)
TERMINALS = ("desk", "window", "board")


class RunningClock:
    """Real time, shifted to start at ``START`` when the soak started (``t0``, epoch seconds)."""

    def __init__(self, t0: float) -> None:
        self.t0 = t0

    def now(self) -> datetime:
        return START + timedelta(seconds=time.time() - self.t0)


def open_hall(db: str, t0: float) -> Any:
    from config import DEFAULT_CONFIG, load_config
    from hall import Hall
    from models import open_database

    return Hall(open_database(f"sqlite:///{db}"), load_config(DEFAULT_CONFIG), RunningClock(t0))


# -- the children ----------------------------------------------------------------------------------

def run_terminal(role: str, db: str, t0: float, stats: Path, tab: float,
                 every: float = 0.0, trim: bool = False, trace: bool = False,
                 one_thread: bool = False) -> None:
    """A terminal in this process until killed; every few seconds its counters to ``stats``, and
    every ``every`` seconds (if any) a probe of itself, a JSON line, to ``stats`` + ``.probe``."""
    from textual.widgets._footer import FooterKey

    import main

    if one_thread:
        one_reading_thread()

    tracer = make_tracer() if trace else None
    probes = stats.with_suffix(".probe")

    hall = open_hall(db, t0)
    staff = {"desk": "desk01", "window": "win01", "board": None}[role]
    app = main.make_app(hall, staff, start=role, window=1 if role == "window" else None)
    reloads = 0
    if role == "window":
        from screens.window.screen import WindowScreen

        apply = WindowScreen._apply

        def counted(self: Any, *args: Any) -> None:
            nonlocal reloads
            reloads += 1
            apply(self, *args)

        WindowScreen._apply = counted  # type: ignore[method-assign]

    async def run() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            tabs, last = 0, 0.0
            probed = time.monotonic()
            while True:
                if every and time.monotonic() - probed >= every:
                    probed = time.monotonic()
                    seen = probe(tracer)
                    seen["minute"] = (time.time() - t0) / 60
                    if trim:
                        malloc_trim()
                        seen["rss_trimmed"] = rss_mb(os.getpid())
                    with probes.open("a") as out:
                        out.write(json.dumps(seen) + "\n")
                await pilot.pause(tab if role == "desk" else 1.0)
                if role == "desk":
                    await pilot.press("tab")
                    tabs += 1
                if time.monotonic() - last >= 5:
                    last = time.monotonic()
                    keys = sum(isinstance(o, FooterKey) for o in gc.get_objects())
                    stats.write_text(json.dumps({"reloads": reloads, "tabs": tabs,
                                                 "footer_keys": keys}))

    asyncio.run(run())


def run_issuer(db: str, t0: float, every: float) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_issue import make_forms

    hall = open_hall(db, t0)
    forms = make_forms(hall.config, known=2000, count=20_000, repeat=0.3)
    for form in forms:
        hall.desk.issue(form, actor="desk01")
        time.sleep(every)


def run_caller(db: str, t0: float, every: float) -> None:
    hall = open_hall(db, t0)
    windows = [w.number for w in hall.config.windows if w.number != 1]
    rng = random.Random(3)
    while True:
        window = rng.choice(windows)
        # The manager: the one account that may call at every window (permission table).
        if hall.windows.call_next(window, actor="mgr01") is not None:
            hall.windows.finish(window, "answered", actor="mgr01")
        time.sleep(every)


# -- the parent ------------------------------------------------------------------------------------

def counts(db: str) -> tuple[int, int]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        issued = con.execute("SELECT COUNT(*) FROM ticket").fetchone()[0]
        called = con.execute("SELECT COUNT(*) FROM ticket_event WHERE kind = 'called'"
                             ).fetchone()[0]
        return issued, called
    finally:
        con.close()


def soak(args: argparse.Namespace) -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the children on the way out
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "soak.db")
        open_hall(db, time.time()).store.db.close()  # the schema, before anyone starts
        t0 = time.time()
        me = [sys.executable, str(Path(__file__).resolve())]
        common = ["--db", db, "--t0", str(t0)]
        procs: dict[str, subprocess.Popen[bytes]] = {}
        logs = {}
        looks = [*(["--probe", str(args.probe)] if args.probe else []),
                 *(["--trim"] if args.trim else []),
                 *(["--tracemalloc"] if args.tracemalloc else []),
                 *(["--one-thread"] if args.one_thread else [])]
        for role in (*args.only, "issuer", "caller"):
            logs[role] = open(Path(tmp) / f"{role}.log", "wb")
            procs[role] = subprocess.Popen(
                [*me, "--role", role, *common, "--stats", str(Path(tmp) / f"{role}.json"),
                 "--issue", str(args.issue), "--call", str(args.call), "--tab", str(args.tab),
                 *(looks if role in TERMINALS else [])],
                stdout=logs[role], stderr=subprocess.STDOUT)
        try:
            table = watch(args, db, tmp, procs)
        finally:
            for proc in procs.values():
                proc.terminate()
            for proc in procs.values():
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
            for log in logs.values():
                log.close()
        for role, proc in procs.items():
            if proc.returncode not in (0, -15):
                tail = (Path(tmp) / f"{role}.log").read_text(errors="replace")[-2000:]
                print(f"{role} exited {proc.returncode}:\n{tail}")
        summary(table, args.minutes, args.only)
        for role in args.only:
            probed(Path(tmp) / f"{role}.probe", role, args.minutes)


def watch(args: argparse.Namespace, db: str, tmp: str,
          procs: dict[str, subprocess.Popen[bytes]]) -> list[tuple[float, list[float]]]:
    print(f"{'min':>5}" + "".join(f"{r + ' MB':>11}" for r in args.only)
          + f"{'issued':>8}{'called':>8}{'reloads':>9}{'tabs':>6}{'FooterKeys w/d':>16}")
    table = []
    began = time.monotonic()
    end = began + args.minutes * 60
    while time.monotonic() < end:
        time.sleep(min(args.sample, max(0.0, end - time.monotonic())))
        for role, proc in procs.items():
            if proc.poll() is not None:
                tail = (Path(tmp) / f"{role}.log").read_text(errors="replace")[-2000:]
                raise SystemExit(f"{role} stopped ({proc.returncode}):\n{tail}")
        minute = (time.monotonic() - began) / 60
        rss = [rss_mb(procs[r].pid) for r in args.only]
        issued, called = counts(db)
        stat = {r: _stats(Path(tmp) / f"{r}.json") for r in ("window", "desk")}
        table.append((minute, rss))
        print(f"{minute:>5.1f}" + "".join(f"{m:>11.1f}" for m in rss)
              + f"{issued:>8}{called:>8}{stat['window'].get('reloads', 0):>9}"
              f"{stat['desk'].get('tabs', 0):>6}"
              f"{stat['window'].get('footer_keys', 0):>8}/{stat['desk'].get('footer_keys', 0)}",
              flush=True)
    return table


def _stats(path: Path) -> dict[str, int]:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def summary(table: list[tuple[float, list[float]]], minutes: float,
            roles: list[str]) -> None:
    if len(table) < 2:
        return
    warm = next((row for row in table if row[0] >= minutes / 5), table[0])
    last = table[-1]
    span = last[0] - warm[0]
    print(f"after warm-up (from {warm[0]:.1f} to {last[0]:.1f} min):")
    for i, role in enumerate(roles):
        grown = last[1][i] - warm[1][i]
        rate = grown / span if span > 0 else 0.0
        print(f"  {role:<7} {warm[1][i]:7.1f} MB -> {last[1][i]:7.1f} MB   {grown:+7.1f} MB "
              f"({rate:+.2f} MB/min, {rate * 60 * 9:+.0f} MB over a 9-hour day)")
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long (default 10)")
    parser.add_argument("--sample", type=float, default=30.0, help="seconds between samples")
    parser.add_argument("--issue", type=float, default=0.5, help="seconds between issues")
    parser.add_argument("--call", type=float, default=0.25, help="seconds between calls")
    parser.add_argument("--tab", type=float, default=0.5, help="seconds between Tabs at the desk")
    parser.add_argument("--only", nargs="+", choices=TERMINALS, default=list(TERMINALS),
                        help="the terminals to run (default all three)")
    parser.add_argument("--probe", type=float, default=0.0,
                        help="seconds between each terminal's looks into itself (default none)")
    parser.add_argument("--trim", action="store_true", help="malloc_trim(0) after each probe")
    parser.add_argument("--tracemalloc", action="store_true", help="trace Python allocations")
    parser.add_argument("--one-thread", action="store_true",
                        help="pollers read in one long-lived thread, not a new thread per poll")
    parser.add_argument("--role", choices=(*TERMINALS, "issuer", "caller"), help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--t0", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--stats", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.role in TERMINALS:
        run_terminal(args.role, args.db, args.t0, args.stats, args.tab, args.probe, args.trim,
                     args.tracemalloc, args.one_thread)
    elif args.role == "issuer":
        run_issuer(args.db, args.t0, args.issue)
    elif args.role == "caller":
        run_caller(args.db, args.t0, args.call)
    else:
        soak(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
