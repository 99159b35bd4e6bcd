"""Why issuing a ticket slows down as the past grows: each statement of an issue, timed at several
history sizes, with the suspects changed one at a time.

    .venv/bin/python benchmarks/bench_scale.py --sizes 1000000,3000000
    .venv/bin/python benchmarks/bench_scale.py --sizes 1000000 --issues 300 --cache /tmp/hall-bench

For each size the history of ``bench_issue.py`` (done tickets of past days with their visits,
visitors, events and audit rows; built once and cached, ``issue-N-v<schema>.db``) is copied, and
four desks then issue on the copy, interleaved ticket by ticket so all see the same machine:

- **facade**: ``hall.desk.issue``;
- **bare**: ``bench_issue.Bare``, the same rows by hand in one sqlite3 transaction, each statement
  timed on its own (find the visitor, count earlier visits, insert the visitor / visit / ticket /
  event / audit rows, the day's counter, the change counter, COMMIT);
- **bare, random codes**: the same, with the query codes printed before issue 10 (12 random
  characters of the HMAC) instead of codes that begin with their day: what a random key costs the
  ticket's unique index on ``query_code``;
- **bare, 256 MB cache**: the same on a connection with a 256 MB page cache instead of the hall's
  16 MB: whether the pages of the random-key indexes falling out of the cache is the cost.

Prints p50 of each in milliseconds, the statements' p50 in microseconds, and the query plans of
the two reads.

``--synthetic 1000000,3000000,10000000`` isolates the first suspect at sizes the full history takes
too long to build: a table of N random 12-character codes under a unique index (the ticket's
``query_code``), filled by SQLite itself, then one-row write transactions with the hall's pragmas:
a random code, a code that sorts by day (the floor: the same index, appended at its end), and a
random code on a connection with a 256 MB cache. With ``--cold`` the file's pages are first
dropped from the operating system's cache (``posix_fadvise DONTNEED``, this file only), as when the
database no longer fits in memory beside everything else; it works on the full histories too.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_issue import BENCH_DAY, Bare, build_sqlite, make_forms, start_clock
from bigdb import remove

from config import DEFAULT_CONFIG, load_config
from hall import Hall
from hall.desk.registration import validate
from models import SCHEMA_VERSION, open_database
from models.base import SQLITE_PRAGMAS

LABELS = [("BEGIN", "begin"), ("SELECT id FROM visitor", "find visitor"),
          ("SELECT COUNT(*) FROM visit", "count visits"), ('INSERT INTO "visitor"', "visitor"),
          ('INSERT INTO "visit"', "visit"), ("INSERT INTO ticket_counter", "day counter"),
          ('INSERT INTO "ticket"', "ticket"), ('INSERT INTO "ticket_event"', "ticket event"),
          ('INSERT INTO "audit_event"', "audit"), ("INSERT INTO change_counter", "bump"),
          ("COMMIT", "commit")]


class Timed:
    """A sqlite3 connection whose cursors time each statement by what it does."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        self.times: dict[str, list[float]] = defaultdict(list)

    def cursor(self) -> Timed:
        self._cur = self.con.cursor()
        return self

    def execute(self, sql: str, params: Any = ()) -> None:
        label = next((name for head, name in LABELS if sql.lstrip().startswith(head)), sql[:20])
        began = time.perf_counter_ns()
        self._cur.execute(sql, params)
        self.times[label].append((time.perf_counter_ns() - began) / 1e3)

    def fetchone(self) -> Any:
        return self._cur.fetchone()


class RandomCodes:
    """Stands in for the hall in :class:`Bare`: the random query codes printed before issue 10."""

    def __init__(self, hall: Hall) -> None:
        self.config = hall.config
        self.desk = self
        self.codes = hall.desk.codes

    def query_code(self, day: Any, number: str) -> str:
        return self.codes._mac(day, number)[:12]


def connect(path: Path, cache_kib: int | None = None) -> Timed:
    con = sqlite3.connect(path, isolation_level=None, timeout=30)
    for key, value in SQLITE_PRAGMAS.items():
        con.execute(f"PRAGMA {key}={value}")
    if cache_kib:
        con.execute(f"PRAGMA cache_size=-{cache_kib}")
    return Timed(con)


def run(path: Path, issues: int, warmup: int, cold: bool = False) -> None:
    config = load_config(DEFAULT_CONFIG)
    work = path.with_name(f"work-scale-{os.getpid()}.db")
    shutil.copyfile(path, work)
    try:
        clock = start_clock()
        hall = Hall(open_database(f"sqlite:///{work}"), config, clock)
        visitors = hall.db.execute_sql("SELECT COUNT(*) FROM visitor").fetchone()[0]
        forms = make_forms(config, visitors, 4 * (issues + warmup), 0.3)
        cleans = [validate(f, config, BENCH_DAY) for f in forms]
        bare = {"bare": connect(work), "bare, random codes": connect(work),
                "bare, 256 MB cache": connect(work, 262144)}
        desks = {"bare": Bare(bare["bare"], "?", "BEGIN IMMEDIATE", hall),
                 "bare, random codes": Bare(bare["bare, random codes"], "?", "BEGIN IMMEDIATE",
                                            RandomCodes(hall)),  # type: ignore[arg-type]
                 "bare, 256 MB cache": Bare(bare["bare, 256 MB cache"], "?", "BEGIN IMMEDIATE",
                                            hall)}
        names = ["facade", *desks]
        totals: dict[str, list[float]] = {n: [] for n in names}
        for i in range(issues + warmup):
            if i == warmup:
                for timed in bare.values():
                    timed.times.clear()
                if cold:  # the history's pages leave the OS cache: reads go to the disk
                    bare["bare"].con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    drop_os_cache(work)
            order = names[i % 4:] + names[:i % 4]
            for k, name in enumerate(order):
                n = 4 * i + k
                at = clock.advance(seconds=5)
                began = time.perf_counter_ns()
                if name == "facade":
                    hall.desk.issue(forms[n], actor="desk01")
                else:
                    desks[name].issue(cleans[n], at, "desk01")
                if i >= warmup:
                    totals[name].append((time.perf_counter_ns() - began) / 1e6)
        print(f"  {'p50 ms':>30}" + "".join(f"{n:>22}" for n in names))
        print(f"  {'whole issue':>30}" + "".join(f"{statistics.median(totals[n]):>22.3f}"
                                                 for n in names))
        for _, label in LABELS:
            cells = [statistics.median(bare[n].times[label]) if bare[n].times.get(label) else None
                     for n in desks]
            print(f"  {label + ' µs':>30}{'':>22}"
                  + "".join(f"{c:>22.1f}" if c is not None else f"{'-':>22}" for c in cells))
        con = bare["bare"].con
        for sql in ("SELECT id FROM visitor WHERE id_number = ?",
                    "SELECT COUNT(*) FROM visit WHERE visitor_id = ?"):
            plan = con.execute(f"EXPLAIN QUERY PLAN {sql}", ("x",)).fetchall()
            print(f"  plan of {sql}: {'; '.join(r[-1] for r in plan)}")
        for timed in bare.values():
            timed.con.close()
        hall.db.close()
    finally:
        remove(work)


def drop_os_cache(path: Path) -> None:
    """Ask the kernel to forget the cached pages of ``path`` (and its WAL): the next reads go to
    the disk."""
    for name in (path, Path(f"{path}-wal")):
        if name.exists():
            fd = os.open(name, os.O_RDONLY)
            try:
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def synthetic(size: int, folder: Path, writes: int, cold: bool = False) -> None:
    """One-row inserts into a unique index of ``size`` random codes (see the module's doc)."""
    import random
    import string

    path = folder / f"codes-{size}.db"
    if not path.exists():
        began = time.perf_counter()
        con = sqlite3.connect(f"{path}.tmp", isolation_level=None)
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("CREATE TABLE code (id INTEGER PRIMARY KEY, code TEXT NOT NULL)")
        con.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                    "INSERT INTO code (code) SELECT substr(hex(randomblob(8)), 1, 12) FROM n",
                    (size,))
        con.execute("CREATE UNIQUE INDEX code_code ON code (code)")
        con.execute("PRAGMA journal_mode=WAL")
        con.close()
        Path(f"{path}.tmp").rename(path)
        print(f"  built {path} in {time.perf_counter() - began:.0f} s", flush=True)
    cons = {"random code": connect(path).con, "code ordered by day": connect(path).con,
            "random code, 256 MB cache": connect(path, 262144).con}
    rng = random.Random(size + os.getpid())
    times: dict[str, list[float]] = {n: [] for n in cons}
    warmup = 0 if cold else 100
    run = os.getpid() % 100_000  # codes of earlier runs are in the file too
    if cold:
        for con in cons.values():
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        drop_os_cache(path)
    for i in range(writes + warmup):
        for name, con in cons.items():
            code = (f"Z{run:05d}{i:06d}" if name == "code ordered by day"
                    else "".join(rng.choices(string.hexdigits[:16].upper(), k=12)))
            began = time.perf_counter_ns()
            con.execute("BEGIN IMMEDIATE")
            con.execute("INSERT INTO code (code) VALUES (?)", (code,))
            con.execute("COMMIT")
            if i >= warmup:
                times[name].append((time.perf_counter_ns() - began) / 1e3)
    size_mib = path.stat().st_size / 2**20
    print(f"{size:,} codes ({size_mib:.0f} MiB{', cold' if cold else ''}): "
          "p50 µs of BEGIN, INSERT, COMMIT: "
          + ", ".join(f"{n} {statistics.median(t):.0f}" for n, t in times.items()), flush=True)
    for con in cons.values():
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000000,3000000", help="past tickets, comma-separated")
    parser.add_argument("--issues", type=int, default=300, help="timed issues per desk")
    parser.add_argument("--warmup", type=int, default=50, help="untimed issues per desk first")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/hall-bench"),
                        help="folder of the cached histories (default /tmp/hall-bench)")
    parser.add_argument("--synthetic", metavar="SIZES",
                        help="only the random-code index at these sizes (comma-separated)")
    parser.add_argument("--cold", action="store_true",
                        help="drop the file from the OS cache before timing")
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}")
    if args.synthetic:
        args.cache.mkdir(parents=True, exist_ok=True)
        for size in (int(s) for s in args.synthetic.split(",")):
            synthetic(size, args.cache, args.issues, args.cold)
        print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        return 0
    for size in (int(s) for s in args.sizes.split(",")):
        path = args.cache / f"issue-{size}-v{SCHEMA_VERSION}.db"
        if not path.exists():
            print(f"building {path} ...", flush=True)
            print(f"  built in {build_sqlite(path, load_config(DEFAULT_CONFIG), size):.0f} s")
        print(f"{size:,} past tickets ({path.stat().st_size / 2**30:.1f} GiB):", flush=True)
        run(path, args.issues, args.warmup, args.cold)
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
