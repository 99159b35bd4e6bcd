"""What the permission check costs the two hot acts, issue and call-next (issue 11 §6).

    .venv/bin/python benchmarks/bench_permissions.py            # SQLite in a temporary folder
    .venv/bin/python benchmarks/bench_permissions.py --pg postgresql://postgres@127.0.0.1:5432/test

Every act of the facade reads the actor's account and checks the permission table before its
transaction (:meth:`hall.store.Store.permit`). This times ``hall.desk.issue`` (as desk01) and
``hall.windows.call_next`` (windows 1–3 by their own clerks, an untimed finish between calls)
with that check, and, interleaved in the same run so both see the same machine load, with
``Store.permit`` replaced by a no-op: the floor. Also printed: the check alone, a password sign-in
(argon2id at the production cost, paid once per CLI command) and a token lookup (a SHA-256 digest
found by its unique index). PostgreSQL as well with ``--pg`` or ``HALL_TEST_PG_URL`` (a schema of
its own, dropped afterwards). Prints p50/mean in milliseconds; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config import DEFAULT_CONFIG, HallConfig, load_config
from hall import Hall
from hall.clock import FixedClock
from hall.desk.registration import Registration
from hall.text.idnumber import check_character
from models import open_database

MORNING = datetime.fromisoformat("2026-11-23T09:00+08:00")
OPS = 300  # per side (checked, floor)
WARMUP = 20
WINDOWS = {1: "win01", 2: "win02", 3: "win03"}  # the 信访局 windows and their clerks


def id_number(n: int) -> str:
    """The ``n``-th of distinct valid ID numbers (born 1950–2004, sequence by the hundred)."""
    born = date(1950, 1, 1) + timedelta(days=n % 20_000)
    first17 = f"110105{born:%Y%m%d}{n // 20_000 % 999 + 1:03d}"
    return first17 + check_character(first17)


def form(n: int) -> Registration:
    return Registration(name="王建国", id_number=id_number(n), category="policy",
                        matter="咨询政策", district="jiangbei")


def interleaved(hall: Hall, act: Callable[[int], Any], between: Callable[[int], Any] | None = None
                ) -> tuple[list[float], list[float]]:
    """``act(n)`` timed with the permission check and with ``Store.permit`` a no-op, alternating
    which side goes first; ``between(n)`` runs untimed after each act."""
    store = hall.store
    checked: dict[str, list[float]] = {"check": [], "floor": []}

    def no_check(*args: Any, **kwargs: Any) -> None:
        return None

    n = 0
    for i in range(OPS + WARMUP):
        for side in ("check", "floor") if i % 2 else ("floor", "check"):
            if side == "floor":
                store.permit = no_check  # type: ignore[method-assign]
            started = time.perf_counter()
            act(n)
            elapsed = (time.perf_counter() - started) * 1000
            store.__dict__.pop("permit", None)  # the class's method again
            if between is not None:
                between(n)
            if i >= WARMUP:
                checked[side].append(elapsed)
            n += 1
    return checked["check"], checked["floor"]


def timed(fn: Callable[[], Any], count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def line(name: str, samples: list[float], floor: list[float] | None = None) -> str:
    p50, mean = statistics.median(samples), statistics.fmean(samples)
    out = f"  {name:<44} p50 {p50:7.3f}  mean {mean:7.3f}"
    if floor:
        low = statistics.median(floor)
        out += f"   floor p50 {low:7.3f}  ({p50 - low:+.3f} ms)"
    return out


def run(url: str, label: str, config: HallConfig) -> None:
    clock = FixedClock(MORNING)
    hall = Hall(open_database(url), config, clock)
    print(f"{label}: {OPS} ops per side after {WARMUP} warm-up, milliseconds")
    issue = interleaved(hall, lambda n: hall.desk.issue(form(n), actor="desk01"))
    print(line("hall.desk.issue (desk01)", *issue))
    for n in range(2 * (OPS + WARMUP)):  # visitors for the calls, issued untimed
        hall.desk.issue(form(100_000 + n), actor="desk01")
    numbers = list(WINDOWS)

    def call(n: int) -> None:
        window = numbers[n % len(numbers)]
        hall.windows.call_next(window, WINDOWS[window])

    def finish(n: int) -> None:
        window = numbers[n % len(numbers)]
        hall.windows.finish(window, "answered", WINDOWS[window])

    called = interleaved(hall, call, finish)
    print(line("hall.windows.call_next (win01..win03)", *called))
    print(line("Store.permit alone (win01, window.call)", timed(
        lambda: hall.store.permit("win01", "window.call", departments=("xfj",)), 1000)))
    hall.accounts._set_password("desk02", "bench-Pass-8", "bench", one_time=False)
    print(line("accounts.sign_in (argon2id, production cost)", timed(
        lambda: hall.accounts.sign_in("desk02", "bench-Pass-8"), 10)))
    token = hall.accounts.create_token("kiosk01", "admin")
    print(line("accounts.by_token (digest lookup)", timed(
        lambda: hall.accounts.by_token(token), 500)))
    hall.db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=os.environ.get("HALL_TEST_PG_URL"),
                        help="PostgreSQL URL (default HALL_TEST_PG_URL; a schema of its own)")
    args = parser.parse_args()
    config = load_config(DEFAULT_CONFIG)
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{tmp}/bench.db", "SQLite", config)
    if args.pg:
        schema = f"bench_perm_{uuid.uuid4().hex[:8]}"
        open_database(args.pg).execute_sql(f'CREATE SCHEMA "{schema}"')
        try:
            url = f"{args.pg}{'&' if '?' in args.pg else '?'}options=-csearch_path%3D{schema}"
            run(url, "PostgreSQL", config)
        finally:
            open_database(args.pg).execute_sql(f'DROP SCHEMA "{schema}" CASCADE')


if __name__ == "__main__":
    main()
