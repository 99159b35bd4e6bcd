"""Reception-day latencies: booking, check-in, and what the walk-in rule adds to the desk's issue.

    .venv/bin/python benchmarks/bench_booking.py                 # SQLite in a temporary folder
    .venv/bin/python benchmarks/bench_booking.py --pg postgresql://postgres@127.0.0.1:5432/test

On a fresh database with 2,000 registered visitors and 40 published days of 100 places, it times
(p50/p99/mean in ms): ``hall.leaders.bookings.book`` (the day's row locked, places counted, the
booking and its event written), ``bookings.check_in`` beside ``Hall.issue`` of the same visitors
(check-in is an issue plus the booking's update), and ``Hall.issue`` to an ordinary department with
the walk-in check and with it replaced by a no-op, interleaved, to show that the desk's hot path
pays nothing for reception days (the check returns on a set lookup for departments that host none).
Speed figures are printed, never asserted (a sanity check only makes sure the walk-ins were really
issued).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from typing import Any

from config import DEFAULT_CONFIG, load_config
from hall import Hall
from hall.clock import FixedClock
from hall.desk.registration import Registration
from hall.text.idnumber import check_character
from models import open_database

CST = timezone(timedelta(hours=8))
TODAY = date(2026, 11, 23)
VISITORS, DAYS, PLACES = 2000, 28, 100  # two leaders a day over the 14 days published


def person(n: int) -> str:
    first17 = f"{330105 + n // 1000:06d}19700101{n % 1000:03d}"
    return first17 + check_character(first17)


def form(n: int, **extra: Any) -> Registration:
    return Registration(name="王建国", id_number=person(n), category="wages", matter="欠薪",
                        district="jiangbei", **extra)


def timed(samples: list[float], fn: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = fn()
    samples.append((time.perf_counter() - started) * 1000)
    return result


def report(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    print(f"  {name:<38} n={len(samples):>4}  p50 {statistics.median(samples):6.2f}  "
          f"p99 {p99:6.2f}  mean {statistics.fmean(samples):6.2f} ms")


def run(url: str) -> None:
    config = load_config(DEFAULT_CONFIG)
    clock = FixedClock(datetime(2026, 11, 23, 8, 0, tzinfo=CST))
    hall = Hall(open_database(url), config, clock)
    for n in range(VISITORS):
        hall.desk.issue(form(n), actor="desk01")
    days = [hall.leaders.add_day("zhangwei" if k % 2 else "lihong", TODAY + timedelta(days=k // 2),
                                 "09:00", "11:30", PLACES, actor="mgr01", walk_ins=True).id
            for k in range(DAYS)]

    book: list[float] = []
    for n in range(VISITORS):
        timed(book, lambda n=n: hall.leaders.bookings.book(days[n % DAYS], person(n),
                                                           actor="desk01"))

    # Check-in (today's two days) against issue, alternating, for the same visitors.
    today_bookings = [b for n in range(0, VISITORS, DAYS // 2)
                      for b in hall.leaders.bookings.of(person(n)) if b.date == str(TODAY)]
    check_in: list[float] = []
    issue: list[float] = []
    for k, booking in enumerate(today_bookings):
        timed(check_in, lambda b=booking: hall.leaders.bookings.check_in(b.id, actor="desk01"))
        timed(issue, lambda k=k: hall.desk.issue(form(k), actor="desk01"))

    # The walk-in rule on the desk's hot path: with it, and with a no-op, interleaved.
    with_rule: list[float] = []
    without: list[float] = []
    real = hall.leaders.check_walk_in
    for k in range(300):
        hall.leaders.check_walk_in = real  # type: ignore[method-assign]
        timed(with_rule, lambda k=k: hall.desk.issue(form(k), actor="desk01"))
        hall.leaders.check_walk_in = lambda clean: None  # type: ignore[method-assign]
        timed(without, lambda k=k: hall.desk.issue(form(k + 300), actor="desk01"))
    hall.leaders.check_walk_in = real  # type: ignore[method-assign]
    leader_walk_in: list[float] = []
    for k in range(100):
        timed(leader_walk_in,
              lambda k=k: hall.desk.issue(form(k + 600, department="leader"), actor="desk01"))

    walk_ins = hall.board.queue(["leader"])
    assert len([w for w in walk_ins if not w.priority_name]) >= 100, "walk-ins not issued"
    report("book (lock day, count, write)", book)
    report("check_in (issue + booking update)", check_in)
    report("issue (same visitors, alternating)", issue)
    report("issue, walk-in check (xfj/hrss)", with_rule)
    report("issue, no walk-in check", without)
    report("issue of a walk-in to the leader room", leader_walk_in)
    hall.db.close()


@contextmanager
def scratch_url(pg: str | None, label: str) -> Iterator[str]:
    """A fresh database for one run: a PostgreSQL schema made and dropped, or a temporary SQLite
    file. Prints which."""
    if not pg:
        with tempfile.TemporaryDirectory() as folder:
            print(f"SQLite ({label})")
            yield f"sqlite:///{os.path.join(folder, 'bench.db')}"
        return
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = open_database(pg)
    admin.execute_sql(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in pg else "?"
    try:
        print(f"PostgreSQL ({schema})")
        yield f"{pg}{sep}options=-csearch_path%3D{schema}"
    finally:
        admin = open_database(pg)
        admin.execute_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="PostgreSQL URL (a schema is created and dropped)")
    args = parser.parse_args()
    with scratch_url(args.pg, "WAL, one file") as url:
        run(url)
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
