"""PostgreSQL server sessions an idle terminal opens per minute, before and after the pool.

    .venv/bin/python benchmarks/bench_sessions.py --pg postgresql://postgres@127.0.0.1:5432/test
    .venv/bin/python benchmarks/bench_sessions.py --pg URL --seconds 60 --terminals 3

An idle staff terminal polls every ``POLL_SECONDS`` (screens/work.py): a short thread worker reads
the change counter and the business day inside ``hall.connection()`` (the Poller's ``_check``,
without Textual). The script runs ``--terminals`` such idle pollers for ``--seconds`` each way,
after the start-up (the schema check) is done:

- before: a plain ``peewee.PostgresqlDatabase`` (what ``open_database`` returned before issue 10:
  ``hall.connection()`` opened a server session and closed it on every poll);
- after: the database ``open_database`` returns now (a pool: a poll checks a kept session out).

It counts the sessions the server started in a scratch database created for the run (so other
users of the server don't count), from ``pg_stat_database.sessions``, and prints sessions per
minute per idle terminal. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
import uuid
from urllib.parse import urlparse, urlunparse

import peewee

from config import DEFAULT_CONFIG, load_config
from hall import Hall
from hall.clock import SystemClock
from models import open_database
from models.base import database
from screens.work import POLL_SECONDS


def with_database(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def sessions(admin: peewee.Database, name: str) -> int:
    admin.execute_sql("SELECT pg_stat_clear_snapshot()")
    row = admin.execute_sql("SELECT sessions FROM pg_stat_database WHERE datname = %s",
                            (name,)).fetchone()
    return int(row[0] or 0)


def plain_database(url: str) -> peewee.Database:
    """The database as opened before the pool: one session per ``connection_context``."""
    parsed = urlparse(url)
    db = peewee.PostgresqlDatabase(parsed.path.lstrip("/"), user=parsed.username,
                                   host=parsed.hostname, port=parsed.port)
    database.initialize(db)
    return db


def idle_terminals(hall: Hall, terminals: int, seconds: float) -> int:
    """Run ``terminals`` idle pollers for ``seconds``; returns the polls made."""
    polls = 0
    lock = threading.Lock()

    def poll() -> None:  # the Poller's _check when nothing moved
        nonlocal polls
        with hall.connection():
            hall.change_version("tickets")
            hall.today()
        with lock:
            polls += 1

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        workers = [threading.Thread(target=poll) for _ in range(terminals)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        time.sleep(POLL_SECONDS)
    if hasattr(hall.db, "close_all"):
        hall.db.close_all()
    return polls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("HALL_TEST_PG_URL"),
                        help="a PostgreSQL URL whose user may create a database")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--terminals", type=int, default=1)
    args = parser.parse_args()
    if not args.pg:
        parser.error("--pg URL (or HALL_TEST_PG_URL) is needed")
    name = f"hall_sessions_{uuid.uuid4().hex[:8]}"
    admin = peewee.PostgresqlDatabase(urlparse(args.pg).path.lstrip("/"),
                                      user=urlparse(args.pg).username,
                                      host=urlparse(args.pg).hostname, port=urlparse(args.pg).port)
    admin.execute_sql(f'CREATE DATABASE "{name}"')
    url = with_database(args.pg, name)
    try:
        print(f"{args.terminals} idle terminal(s), a poll every {POLL_SECONDS:g} s, "
              f"{args.seconds:g} s each way")
        for label, opener in (("before (a session per poll)", lambda: plain_database(url)),
                              ("after (pooled sessions)", lambda: open_database(url))):
            hall = Hall(opener(), load_config(DEFAULT_CONFIG), SystemClock())
            hall.db.close()  # the start-up session (the schema) is not the idle one's
            time.sleep(1.0)
            start = sessions(admin, name)
            polls = idle_terminals(hall, args.terminals, args.seconds)
            time.sleep(1.0)  # the server's statistics are flushed about once a second
            opened = sessions(admin, name) - start
            per_minute = opened / args.seconds * 60 / args.terminals
            print(f"{label:30} {opened:5d} sessions for {polls:5d} polls: "
                  f"{per_minute:7.1f} sessions per minute per idle terminal")
    finally:
        database.initialize(None)
        admin.execute_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
