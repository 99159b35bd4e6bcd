"""The status page under load: 200 phones polling every second on a hall of 1,000,000 tickets,
while desks and windows keep issuing and calling.

    .venv/bin/python benchmarks/bench_status_page.py                   # 1,000,000 tickets, cached
    .venv/bin/python benchmarks/bench_status_page.py --tickets 20000 --seconds 20

The database is ``benchmarks/bench_issue.py``'s (``build_sqlite``: past days' visits, tickets,
events and audit rows), cached as ``<cache>/issue-<tickets>-v<schema>.db`` and shared with that
benchmark, so it is built once; each run works on a copy. On the copy, before the clock starts:
``--clients`` tickets issued today through the facade (the pollers' codes: half of them today's,
waiting in queues that move, half of them past days', done or no-show).

Then, all at once, each in its own process on the same SQLite file:

- ``hall status-page`` (the real command, on a free port);
- ``--desks`` desks issuing a ticket every ``--issue-every`` seconds (``hall.desk.issue``) and
  ``--windows`` windows calling and finishing the next visit every ``--call-every`` seconds
  (``hall.windows.call_next`` / ``finish``), each timing its own acts;
- in this process, ``--clients`` aiohttp clients, each polling its code once a second (a random
  phase each), through ``X-Forwarded-For`` as different phones behind the hall's web server.

Printed: the pollers' latency p50/p90/p99/max and their status codes; the desks' issue and the
windows' call+finish p50/p99 (beside the same acts with no page running: the first seconds of
the run, before the pollers start); and the floor, the same lookup
(:class:`hall.public.PublicLookup`) called directly in this process, no HTTP, during the load.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_issue import BENCH_DAY, CST, build_sqlite, make_forms  # noqa: E402

from config import DEFAULT_CONFIG, load_config  # noqa: E402
from hall import Hall  # noqa: E402
from models import SCHEMA_VERSION, Ticket, open_database  # noqa: E402

START = datetime.combine(BENCH_DAY, datetime.min.time(), CST) + timedelta(hours=9)


class RunningClock:
    """Real time, shifted to start at 09:00 on the benchmark day when the run started."""

    def __init__(self, t0: float) -> None:
        self.t0 = t0

    def now(self) -> datetime:
        return START + timedelta(seconds=time.time() - self.t0)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else 0.0


def line(label: str, ms: list[float]) -> str:
    if not ms:
        return f"  {label:<46} (none)"
    return (f"  {label:<46} n={len(ms):>6}  p50 {statistics.median(ms):7.2f}  "
            f"p90 {pct(ms, 90):7.2f}  p99 {pct(ms, 99):7.2f}  max {max(ms):8.2f} ms")


# -- the desks and windows (child processes) -------------------------------------------------------

def run_role(role: str, db: str, t0: float, seconds: float, every: float, seed: int,
             out: str, calm: float) -> None:
    """A desk or a window until ``seconds`` pass; its acts' milliseconds to ``out`` (JSON), split
    at ``calm`` seconds (before: no page load yet)."""
    config = load_config(DEFAULT_CONFIG)
    hall = Hall(open_database(f"sqlite:///{db}"), config, RunningClock(t0))
    rng = random.Random(seed)
    forms = iter(make_forms(config, known=2000, count=100_000, repeat=0.3)[seed * 5000:])
    windows = [w.number for w in config.windows if w.number != 1]
    times: dict[str, list[float]] = {"calm": [], "load": []}
    began = time.time()
    while time.time() - began < seconds:
        at = time.perf_counter()
        if role == "desk":
            hall.desk.issue(next(forms), actor="desk01")
        else:
            window = rng.choice(windows)
            if hall.windows.call_next(window, actor="mgr01") is not None:
                hall.windows.finish(window, "answered", actor="mgr01")
        ms = (time.perf_counter() - at) * 1000
        times["calm" if time.time() - began < calm else "load"].append(ms)
        time.sleep(every * rng.uniform(0.5, 1.5))
    Path(out).write_text(json.dumps(times))


# -- the phones (this process) ---------------------------------------------------------------------

async def poll(port: int, codes: list[str], seconds: float) -> tuple[list[float], dict[int, int]]:
    import aiohttp

    times: list[float] = []
    statuses: dict[int, int] = {}
    url = f"http://127.0.0.1:{port}/cx"
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        async def phone(i: int, code: str) -> None:
            headers = {"X-Forwarded-For": f"10.{i // 250}.{i % 250}.7"}
            await asyncio.sleep(random.random())
            end = time.monotonic() + seconds
            tick = time.monotonic()
            while time.monotonic() < end:
                at = time.perf_counter()
                try:
                    async with session.get(url, params={"code": code}, headers=headers) as r:
                        await r.read()
                        statuses[r.status] = statuses.get(r.status, 0) + 1
                except aiohttp.ClientError:
                    statuses[0] = statuses.get(0, 0) + 1
                times.append((time.perf_counter() - at) * 1000)
                tick += 1.0
                await asyncio.sleep(max(0.0, tick - time.monotonic()))

        await asyncio.gather(*(phone(i, c) for i, c in enumerate(codes)))
    return times, statuses


def floor(db: str, codes: list[str], seconds: float) -> list[float]:
    """The same lookup as the page's, called directly (no HTTP, no thread pool)."""
    from hall.public import PublicLookup

    hall = Hall(open_database(f"sqlite:///{db}"), load_config(DEFAULT_CONFIG), RunningClock(0))
    lookup = PublicLookup(hall.desk)
    times = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for code in codes[:50]:
            at = time.perf_counter()
            with hall.connection():
                lookup.status(code)
            times.append((time.perf_counter() - at) * 1000)
        time.sleep(0.5)
    return times


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(path: Path, work: Path, clients: int) -> list[str]:
    """A copy of the big file with ``clients // 2`` tickets issued today; the pollers' codes."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(path, work)
    config = load_config(DEFAULT_CONFIG)
    db = open_database(f"sqlite:///{work}")
    hall = Hall(db, config, RunningClock(time.time()))
    today = [hall.desk.issue(f, actor="desk01").query_code
             for f in make_forms(config, known=2000, count=clients // 2, repeat=0.3)]
    past = [c for (c,) in Ticket.select(Ticket.query_code).where(Ticket.business_day < BENCH_DAY)
            .order_by(Ticket.id.desc()).limit(clients - len(today) + 1000).tuples()]
    db.close()
    return today + random.Random(5).sample(past, clients - len(today))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/hall-bench"))
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=40.0, help="pollers' run")
    parser.add_argument("--desks", type=int, default=2)
    parser.add_argument("--windows", type=int, default=3)
    parser.add_argument("--issue-every", type=float, default=3.0)
    parser.add_argument("--call-every", type=float, default=4.0)
    parser.add_argument("--role", choices=("desk", "window"), help=argparse.SUPPRESS)
    parser.add_argument("--child", nargs=7, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.role:
        db, t0, seconds, every, seed, out, calm = args.child
        run_role(args.role, db, float(t0), float(seconds), float(every), int(seed), out,
                 float(calm))
        return 0

    path = args.cache / f"issue-{args.tickets}-v{SCHEMA_VERSION}.db"
    if not path.exists():
        print(f"building {path} …", flush=True)
        took = build_sqlite(path, load_config(DEFAULT_CONFIG), args.tickets)
        print(f"built in {took:.0f} s")
    work = args.cache / f"work-status-{args.tickets}.db"
    codes = prepare(path, work, args.clients)
    port, t0, calm = free_port(), time.time(), 10.0
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("HALL_")},
           "HALL_DB": f"sqlite:///{work}", "HALL_NOW": START.isoformat(),
           "HALL_DATA": str(args.cache / "status-data")}
    server = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "status-page", "--port",
                               str(port)], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    print(server.stdout.readline().strip(), flush=True)
    total = calm + args.seconds + 5
    children, outs = [], []
    for role, n, every in (("desk", args.desks, args.issue_every),
                           ("window", args.windows, args.call_every)):
        for i in range(n):
            out = str(args.cache / f"status-{role}-{i}.json")
            outs.append((role, out))
            children.append(subprocess.Popen(
                [sys.executable, __file__, "--role", role, "--child", str(work), str(t0),
                 str(total), str(every), str(i + 1), out, str(calm)], cwd=ROOT))
    time.sleep(calm)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:  # the floor beside the load, in a thread of its own
        floor_ms = pool.submit(floor, str(work), codes, args.seconds)
        page_ms, statuses = asyncio.run(poll(port, codes, args.seconds))
        direct = floor_ms.result()
    for child in children:
        child.wait()
    server.terminate()
    server.wait()
    acts: dict[str, dict[str, list[float]]] = {"desk": {"calm": [], "load": []},
                                               "window": {"calm": [], "load": []}}
    for role, out in outs:
        for phase, ms in json.loads(Path(out).read_text()).items():
            acts[role][phase] += ms
    print(f"\n{args.tickets:,} tickets in the file, {args.clients} phones polling every second "
          f"for {args.seconds:.0f} s; {args.desks} desks (a ticket every ~{args.issue_every} s "
          f"each), {args.windows} windows (call+finish every ~{args.call_every} s each)")
    print(line("status page over HTTP (the phones)", page_ms))
    print(f"  {'':<46} statuses {dict(sorted(statuses.items()))}, "
          f"{len(page_ms) / args.seconds:.0f} requests/s")
    print(line("floor: PublicLookup.status directly, same run", direct))
    print(line("desk issue, before the phones", acts["desk"]["calm"]))
    print(line("desk issue, with the phones", acts["desk"]["load"]))
    print(line("window call+finish, before the phones", acts["window"]["calm"]))
    print(line("window call+finish, with the phones", acts["window"]["load"]))
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
