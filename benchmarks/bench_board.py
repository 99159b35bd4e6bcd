"""The hall board: what its idle poll costs, and how long a call takes to reach its screen.

    .venv/bin/python benchmarks/bench_board.py
    .venv/bin/python benchmarks/bench_board.py --pg postgresql://postgres@127.0.0.1:5432/test

(a) The poll the board runs every ``BOARD_POLL_SECONDS`` when nothing changed: ``Hall.today()`` and
    ``Hall.change_version()`` (one primary-key read) on the board's long-lived connection,
    median/p99 in microseconds, beside the same SELECT through a bare sqlite3 connection; and
    the reload the board does when the counter moved (the screen's own read,
    ``screens.board.screen.BoardRead``, with 40 calls made today), the statements it runs, and
    on SQLite the same calls and counts statements through a bare sqlite3 connection (the floor).
(b) From a call in one process to the board's repaint in another: the board app runs headless in
    this process; a caller process records time.time() just before ``hall.windows.call_next``
    (the call itself in-process, so interpreter start-up is not counted), and the board records
    time.time() when the screen refreshed with the new number. ~30 calls at random moments
    against that poll (``board.min_display_seconds`` set to 0 here: this measures the way from
    the database to the screen, not the turns that keep each call up for 3 s). A few calls go
    through the whole ``hall call`` command (time taken before the process is spawned) for the
    figure a window script would see. Before the calls, the idle board's change-counter reads a
    minute, by topic.

SQLite always; PostgreSQL too with ``--pg URL`` (a scratch schema, dropped afterwards). Figures
are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config import DEFAULT_CONFIG, HallConfig, load_config  # noqa: E402
from hall import Hall  # noqa: E402
from hall.clock import FixedClock  # noqa: E402
from hall.desk.registration import Registration  # noqa: E402
from hall.errors import Refused  # noqa: E402
from models import open_database  # noqa: E402
from screens.board import BOARD_POLL_SECONDS  # noqa: E402

NOW = "2026-11-23T10:00:00+08:00"
WINDOWS = (1, 2, 3)  # the 信访局 windows
CALLS = 30
CLI_CALLS = 8
TODAYS_CALLS = 40
IDLE_SECONDS = 20.0
BENCH_PASSWORD = "bench-pass-2026"  # the CLI's account (win01) in the benchmark's database


def quiet_config() -> HallConfig:
    """The shipped hall without a voice (the benchmark measures the screen, not espeak-ng)."""
    config = load_config(DEFAULT_CONFIG)
    board = config.board.model_copy(update={"speech_command": [], "min_display_seconds": 0})
    return config.model_copy(update={"board": board})


def open_hall(url: str) -> Hall:
    return Hall(open_database(url), quiet_config(), FixedClock(datetime.fromisoformat(NOW)))


def seed(url: str, tickets: int) -> None:
    """Waiting tickets for windows 1-3 (ID numbers 110105 19800101 NNN + check)."""
    from hall.text.idnumber import check_character

    hall = open_hall(url)
    for n in range(tickets):
        first17 = f"{110105 + n // 900:06d}19800101{n % 900 + 100:03d}"
        hall.desk.issue(Registration(name="测试", id_number=first17 + check_character(first17),
                                category="reform", matter="改制安置"), actor="desk01")
    # The CLI's calls sign in as window 1's clerk (HALL_PASSWORD), as a script at a window does.
    hall.accounts._set_password("win01", BENCH_PASSWORD, "bench", one_time=False)
    hall.db.close()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# -- (a) the idle poll ---------------------------------------------------------------------------


def bench_poll(url: str, label: str, rounds: int = 20000) -> None:
    hall = open_hall(url)
    hall.db.connect(reuse_if_open=True)
    for n in range(TODAYS_CALLS):  # a morning's calls, so the board has a list to read
        window = WINDOWS[n % len(WINDOWS)]
        try:
            hall.windows.finish(window, "answered", "win01")
        except Refused:
            pass
        hall.windows.call_next(window, "win01")
    for _ in range(500):  # warm up
        hall.today(), hall.change_version()
    times = []
    for _ in range(rounds):
        started = time.perf_counter_ns()
        hall.today()
        hall.change_version()
        times.append((time.perf_counter_ns() - started) / 1000)
    from screens.board.screen import BoardRead

    read = BoardRead(hall)
    read()  # primes the ids already shown, as the board's first read does
    statements: list[str] = []
    real_execute = hall.db.execute_sql

    def counted(sql: str, params: object = None, *args: object, **kwargs: object) -> object:
        statements.append(sql)
        return real_execute(sql, params, *args, **kwargs)

    hall.db.execute_sql = counted  # type: ignore[method-assign]
    read()
    hall.db.execute_sql = real_execute  # type: ignore[method-assign]
    reloads = []
    for _ in range(500):
        started = time.perf_counter_ns()
        read()
        reloads.append((time.perf_counter_ns() - started) / 1e6)
    hall.db.close()
    print(f"  {label:<10} board poll (today + change_version): median "
          f"{statistics.median(times):6.1f} µs  p99 {pct(times, 0.99):6.1f} µs  ({rounds} polls)")
    print(f"  {label:<10} board reload when it moved:         median "
          f"{statistics.median(reloads):6.2f} ms  p99 {pct(reloads, 0.99):6.2f} ms  "
          f"({len(statements)} statements: the screen's read, 40 calls today)")
    texts = getattr(hall.db, "_hall_statements", {})
    if url.startswith("sqlite:///") and "board.calls" in texts:
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        day = hall.today().isoformat()
        plan = [(texts["board.calls"], ("called", "recalled", day, 32)),
                (texts["board.waiting"], (day, "waiting")), (texts["board.issued"], (day,))]
        floor = []
        for _ in range(500):
            started = time.perf_counter_ns()
            for text, params in plan:
                conn.execute(text, params).fetchall()
            floor.append((time.perf_counter_ns() - started) / 1e6)
        conn.close()
        print(f"  {label:<10} bare sqlite3, calls + counts:       median "
              f"{statistics.median(floor):6.2f} ms  p99 {pct(floor, 0.99):6.2f} ms  "
              "(the same statements: the floor)")
    if url.startswith("sqlite:///"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        bare = []
        for _ in range(rounds):
            started = time.perf_counter_ns()
            conn.execute("SELECT version FROM change_counter WHERE topic = ?",
                         ("tickets",)).fetchone()
            bare.append((time.perf_counter_ns() - started) / 1000)
        conn.close()
        print(f"  {label:<10} bare sqlite3 SELECT of the counter:   median "
              f"{statistics.median(bare):6.1f} µs  p99 {pct(bare, 0.99):6.1f} µs")


# -- (b) call -> repaint ---------------------------------------------------------------------------


def caller(url: str) -> None:
    """The other process: on each line of stdin, call the next ticket and print when it started."""
    hall = open_hall(url)
    turn = 0
    for _ in sys.stdin:
        window = WINDOWS[turn % len(WINDOWS)]
        turn += 1
        try:
            # free the window (before the clock starts)
            hall.windows.finish(window, "answered", "win01")
        except Refused:
            pass
        started = time.time()
        notice = hall.windows.call_next(window, "win01")
        print(json.dumps({"t0": started, "number": notice.number if notice else None,
                          "event": notice.event_id if notice else None}), flush=True)


async def bench_repaint(url: str, label: str) -> None:
    from screens.app import HallApp
    from screens.board import BoardScreen

    hall = open_hall(url)
    app = HallApp(hall, start="board")
    helper = subprocess.Popen([sys.executable, __file__, "--caller", url], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    latencies: list[float] = []
    cli_latencies: list[float] = []
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            board = app.screen
            assert isinstance(board, BoardScreen)
            while board.view is None:
                await pilot.pause(0.01)
            reads: list[str] = []
            real_version = Hall.change_version

            def counted(self: Hall, topic: str = "tickets") -> int:
                reads.append(topic)
                return real_version(self, topic)

            Hall.change_version = counted  # type: ignore[method-assign]
            await asyncio.sleep(IDLE_SECONDS)  # an idle board: what does it read?
            Hall.change_version = real_version  # type: ignore[method-assign]
            per_minute = {topic: reads.count(topic) * 60 / IDLE_SECONDS for topic in set(reads)}
            print(f"  {label:<10} idle board, counter reads a minute: " + ", ".join(
                f"{topic} {n:.0f}" for topic, n in sorted(per_minute.items()))
                + f"  (over {IDLE_SECONDS:.0f} s)")

            async def shown(number: str, started: float) -> float:
                while not (board.view and board.view.recent
                           and board.view.recent[0].number == number and board.painted
                           and board.painted[0] == board.view.recent[0].event_id):
                    await pilot.pause(0.002)
                    if time.time() - started > 10:
                        raise RuntimeError(f"{number} never reached the board")
                assert board.painted is not None
                return board.painted[1] - started

            for _ in range(CALLS):
                await asyncio.sleep(random.uniform(0.1, 0.7))  # random phase against the poll
                helper.stdin.write("call\n")  # type: ignore[union-attr]
                helper.stdin.flush()  # type: ignore[union-attr]
                answer = json.loads(await asyncio.to_thread(helper.stdout.readline))  # type: ignore[union-attr]
                latencies.append(await shown(answer["number"], answer["t0"]))
            env = {**os.environ, "HALL_NOW": NOW, "HALL_PASSWORD": BENCH_PASSWORD}
            for n in range(CLI_CALLS):
                window = WINDOWS[n % len(WINDOWS)]
                await asyncio.sleep(random.uniform(0.1, 0.7))
                base = [sys.executable, "-m", "main", "--db", url, "--staff", "win01"]
                await asyncio.to_thread(subprocess.run, [*base, "finish", "--window",
                                        str(window), "--outcome", "answered"],
                                        cwd=ROOT, env=env, capture_output=True)
                started = time.time()
                result = await asyncio.create_subprocess_exec(
                    *base, "call", "--window", str(window), "--json", cwd=ROOT, env=env,
                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
                out, err = await result.communicate()
                if result.returncode != 0:
                    raise RuntimeError(f"hall call failed: {err.decode()}")
                number = json.loads(out)["number"]
                cli_latencies.append(await shown(number, started))
    finally:
        helper.terminate()
        helper.wait()
    ms = [x * 1000 for x in latencies]
    print(f"  {label:<10} call -> board repaint: p50 {pct(ms, 0.5):5.0f} ms  p99 "
          f"{pct(ms, 0.99):5.0f} ms  min {min(ms):4.0f}  max {max(ms):4.0f}  ({len(ms)} calls, "
          f"caller in another process, poll every {BOARD_POLL_SECONDS} s)")
    ms = [x * 1000 for x in cli_latencies]
    print(f"  {label:<10} `hall call` -> repaint:   p50 {pct(ms, 0.5):5.0f} ms  p99 "
          f"{pct(ms, 0.99):5.0f} ms  ({len(ms)} calls, includes the CLI's start-up)")


# -- databases -------------------------------------------------------------------------------------


@contextmanager
def pg_schema(base: str) -> Iterator[str]:
    schema = f"bench_board_{uuid.uuid4().hex[:8]}"
    admin = open_database(base)
    admin.execute_sql(f'CREATE SCHEMA "{schema}"')
    admin.close()
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        admin = open_database(base)
        admin.execute_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


def run(url: str, label: str, repaint: bool = True) -> None:
    seed(url, TODAYS_CALLS + CALLS + CLI_CALLS + 10)
    bench_poll(url, label)
    if repaint:
        asyncio.run(bench_repaint(url, label))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", help="also run on this PostgreSQL database (scratch schema)")
    parser.add_argument("--poll-only", action="store_true",
                        help="only (a): the idle poll and the reload, not the app")
    parser.add_argument("--caller", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.caller:
        caller(args.caller)
        return
    print("hall board: idle poll and call-to-repaint latency")
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{Path(tmp) / 'board.db'}", "SQLite", not args.poll_only)
    if args.pg:
        with pg_schema(args.pg) as url:
            run(url, "PostgreSQL", not args.poll_only)


if __name__ == "__main__":
    main()
