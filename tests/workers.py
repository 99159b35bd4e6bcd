"""Code that runs in other processes for the concurrency and migration tests: one module for all.

    results = run_workers(workers.book_rounds, [(url, rounds, slow), (url, rounds, slow)])

:func:`run_workers` starts one process per argument tuple (forked from a clean server process:
nothing inherited but the arguments), released together by one barrier; each worker opens its own
:class:`Hall` on the database URL, as another terminal (on another machine) would, and puts a
dict of what happened on the results queue: what it did, what was refused, and ``errors``
(anything else, never hidden).
The module also runs as a script (``python -m tests.workers issue-loop URL``) for tests that kill
the process.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing as mp
import sys
import time
import traceback
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from config import DEFAULT_CONFIG, load_config
from hall import Hall
from hall.clock import FixedClock
from hall.desk.registration import FormError
from hall.errors import Refused
from models import open_database
from tests.helpers import distinct_id, form

CONTEXT = mp.get_context("forkserver")
"""Workers are forked from one server process, a fresh interpreter that imported the modules
below once (a spawned worker started a new interpreter and imported the hall each time: ~0.3 s of
CPU per worker, some hundred workers in the suite). As with "spawn", a worker inherits nothing of
the test's process but its arguments, and no worker code reads the environment."""
CONTEXT.set_forkserver_preload(["tests.workers", "tests.concurrency.test_claim_concurrency"])

# The conftest's morning, spelled out so workers need not import the conftest.
MORNING = datetime.fromisoformat("2026-11-23T09:00:00+08:00")


def open_hall(url: str) -> Hall:
    return Hall(open_database(url), load_config(DEFAULT_CONFIG), FixedClock(MORNING))


def run_workers(target: Any, args_for: list[tuple[Any, ...]],
                timeout: float = 120) -> list[dict[str, Any]]:
    """Start one process per argument tuple (:data:`CONTEXT`), all released by one barrier.

    ``target(url, barrier, *rest, results)`` is called with each tuple ``(url, *rest)``; the
    results come back in the order the workers finished.
    """
    ctx = CONTEXT
    barrier = ctx.Barrier(len(args_for))
    results = ctx.Queue()
    procs = [ctx.Process(target=target, args=(args[0], barrier, *args[1:], results))
             for args in args_for]
    for p in procs:
        p.start()
    out = [results.get(timeout=timeout) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return out


def _work(url: str, results: Any, out: dict[str, Any], body: Callable[[Hall], None]) -> None:
    """Run ``body`` on a Hall of this process; whatever escapes it is an error, then report."""
    out.setdefault("errors", [])
    try:
        hall = open_hall(url)
        try:
            body(hall)
        finally:
            hall.db.close()
    except Exception:
        out["errors"].append(traceback.format_exc())
    results.put(out)


def _attempt(out: dict[str, Any], act: Callable[[], Any]) -> Any:
    """``act()``, or None: a refusal goes to ``refused`` where the worker expects one (the key is
    there), anything else to ``errors``."""
    try:
        return act()
    except Refused as exc:
        if "refused" not in out:
            out["errors"].append(f"{type(exc).__name__}: {exc}")
        else:
            out["refused"] = str(exc)
    except Exception as exc:  # counted and reported, never hidden
        out["errors"].append(f"{type(exc).__name__}: {exc}")
    return None


# -- desks issuing --------------------------------------------------------------------------------


def issue_many(url: str, barrier: Any, first: int, count: int, results: Any) -> None:
    """Issue ``count`` wage claims for distinct new visitors; put what happened on ``results``."""
    out: dict[str, Any] = {"numbers": []}

    def body(hall: Hall) -> None:
        barrier.wait(timeout=60)
        for n in range(first, first + count):
            ticket = _attempt(out, lambda n=n: hall.desk.issue(form(id_number=distinct_id(n)),
                                                          actor="desk01"))
            if ticket is not None:
                out["numbers"].append(ticket.number)

    _work(url, results, out, body)


def issue_same_visitor(url: str, barrier: Any, id_numbers: list[str], race_ids: list[str],
                       reason: str, results: Any) -> None:
    """For each ID in turn, all workers register that same new visitor at the same moment.

    ``reason``: the again-reason every desk gives (then all get a ticket, on one file); "" gives
    none, so all but the first must be refused with its number (issue 9 §3), in ``again``.

    For an ID in ``race_ids`` the race is forced through the lookup issuing calls
    (``models.locks.locked_visitor``): a worker that finds no file records it in ``missed``
    and, on PostgreSQL, waits at the barrier until every worker has looked, so all of them go on
    to create it and all but one must hit the unique index and retry. (SQLite's BEGIN IMMEDIATE
    lets one desk in at a time: waiting there would deadlock, and only one can miss the file.)
    """
    import peewee as pw

    from hall.desk.registration import NeedsConfirmation
    from models import is_sqlite, locks

    out: dict[str, Any] = {"numbers": [], "integrity_retries": {}, "missed": [], "again": []}
    lookup = locks.locked_visitor

    def racing_lookup(db: Any, doc_type: str, number: str) -> Any:
        row = lookup(db, doc_type, number)
        if row is None and number in race_ids and number not in out["missed"]:
            out["missed"].append(number)
            if not is_sqlite(db):
                barrier.wait(timeout=60)  # every desk has looked and found no file
        return row

    locks.locked_visitor = racing_lookup  # type: ignore[assignment]

    def body(hall: Hall) -> None:
        issue_once = hall.desk.issue_locked
        now = {"id": ""}

        def counting(*args: Any, **kwargs: Any) -> Any:
            try:
                return issue_once(*args, **kwargs)
            except pw.IntegrityError:
                retries = out["integrity_retries"]
                retries[now["id"]] = retries.get(now["id"], 0) + 1
                raise

        def issue(n: str) -> Any:
            try:
                return hall.desk.issue(form(id_number=n, name="同一人", again_reason=reason),
                                       actor="desk02")
            except NeedsConfirmation as exc:
                out["again"].append(exc.first)
                return None

        hall.desk.issue_locked = counting  # type: ignore[method-assign]
        for id_number in id_numbers:
            now["id"] = id_number
            barrier.wait(timeout=60)
            ticket = _attempt(out, lambda n=id_number: issue(n))
            if ticket is not None:
                out["numbers"].append(ticket.number)

    _work(url, results, out, body)


def start_hall(url: str, barrier: Any, results: Any) -> None:
    """Open a Hall on a (possibly empty) database, all workers at once."""
    from models import ensure_schema

    try:
        barrier.wait(timeout=60)
        # Connecting (WAL switch on a new SQLite file) and creating, all at the same moment;
        # ``before`` is what this process found: 0 means it created the schema.
        before = ensure_schema(open_database(url))
        hall = open_hall(url)
        assert hall.desk.codes.secret  # the desk, built on first use, makes the query codes' secret
        results.put({"ok": True, "before": before, "version": hall.change_version()})
        hall.db.close()
    except Exception:
        results.put({"ok": False, "error": traceback.format_exc()})


def issue_loop(url: str, start: int, hang_after: int | None) -> None:
    """Issue tickets until killed, printing each number; optionally hang inside a transaction."""
    hall = open_hall(url)
    print("ready", flush=True)
    n = start
    while True:
        if hang_after is not None and n - start == hang_after:
            def hang(topic: str) -> None:
                # Everything but the change counter is written: die with the transaction open.
                print("inside", flush=True)
                time.sleep(120)

            hall.store.bump = hang  # type: ignore[method-assign]
        print(hall.desk.issue(form(id_number=distinct_id(n)), actor="desk01").number, flush=True)
        n += 1


# -- reception days -------------------------------------------------------------------------------


def book_rounds(url: str, barrier: Any, rounds: list[tuple[int, str]], slow: bool,
                results: Any) -> None:
    """For each (day id, ID number) in turn, book at the same moment as the other workers.

    With ``slow`` the worker pauses after counting the places taken, inside the transaction:
    without the day's lock the other desk would count the same free place and both would win.
    """
    out: dict[str, Any] = {"statuses": []}

    def body(hall: Hall) -> None:
        if slow:
            import hall.leaders.bookings as bookings_module

            count = bookings_module.count_bookings

            def slow_count(day_id: int, statuses: tuple[str, ...]) -> int:
                taken = count(day_id, statuses)
                time.sleep(0.2)
                return taken

            bookings_module.count_bookings = slow_count
        for day_id, id_number in rounds:
            barrier.wait(timeout=60)
            try:
                booking = hall.leaders.bookings.book(day_id, id_number, actor="desk01").booking
                out["statuses"].append((day_id, booking.status))
            except Exception as exc:  # a refusal too: each round has a place or a waiting list
                out["errors"].append(f"{type(exc).__name__}: {exc}")

    _work(url, results, out, body)


def check_in_once(url: str, barrier: Any, booking_id: int, results: Any) -> None:
    """Check the same booking in at the same moment as the other workers."""
    out: dict[str, Any] = {"number": None, "refused": ""}

    def body(hall: Hall) -> None:
        barrier.wait(timeout=60)
        ticket = _attempt(out, lambda: hall.leaders.bookings.check_in(booking_id,
                                                                      actor="desk01"))
        if ticket is not None:
            out["number"] = ticket.number

    _work(url, results, out, body)


def edit_leader(url: str, barrier: Any, code: str, changes: dict[str, str],
                expected_version: int | None, results: Any) -> None:
    """Edit one leader at the same moment as the other workers; report the outcome."""
    out: dict[str, Any] = {"version": None, "refused": ""}

    def body(hall: Hall) -> None:
        barrier.wait(timeout=60)
        info = _attempt(out, lambda: hall.leaders.roster.edit(
            code, "mgr01", expected_version=expected_version, **changes))
        if info is not None:
            out["version"] = info.version

    _work(url, results, out, body)


def add_days(url: str, barrier: Any, leader: str, dates: list[str], slow: bool,
             results: Any) -> None:
    """Add a day for ``leader`` on each date in turn, at the same moment as the other workers.

    With ``slow`` the worker pauses inside its transaction after the clash check has read (the
    leader's roster is read just before it): without a lock keyed by the leader the other
    manager's check would find no clash either and both days would be made.
    """
    out: dict[str, Any] = {"added": [], "refused": []}

    def body(hall: Hall) -> None:
        if slow:
            from models import LeaderDay

            real = LeaderDay.create

            def slow_create(**fields: Any) -> Any:
                time.sleep(0.2)
                return real(**fields)

            LeaderDay.create = slow_create  # type: ignore[method-assign]
        for text in dates:
            barrier.wait(timeout=60)
            try:
                day = hall.leaders.add_day(leader, date.fromisoformat(text), "09:00", "11:00", 5,
                                           actor="mgr01")
                out["added"].append((text, day.id))
            except (Refused, FormError) as exc:  # FormError: the room taken (issue 9 §4)
                out["refused"].append((text, str(exc)))
            except Exception as exc:  # counted and reported, never hidden
                out["errors"].append(f"{type(exc).__name__}: {exc}")

    _work(url, results, out, body)


# -- incidents ------------------------------------------------------------------------------------


def act_many(url: str, barrier: Any, incident_id: int, actor: str, count: int,
             results: Any) -> None:
    """Record ``count`` actions on one incident as fast as possible, after a common start."""
    out: dict[str, Any] = {"actor": actor, "seqs": []}

    def body(hall: Hall) -> None:
        barrier.wait(timeout=60)
        for n in range(count):
            try:
                entry = hall.incidents.act(incident_id, "dissuade", actor, note=f"{actor}-{n}")
                out["seqs"].append(entry.seq)
            except Exception as exc:  # a refusal too: the incident stays open
                out["errors"].append(f"{type(exc).__name__}: {exc}")

    _work(url, results, out, body)


def act_until_closed(url: str, barrier: Any, incident_id: int, actor: str, close_after: int,
                     results: Any) -> None:
    """Act on the incident until refused because it is closed; or close it after some acts."""
    out: dict[str, Any] = {"actor": actor, "seqs": [], "refused": 0}

    def body(hall: Hall) -> None:
        barrier.wait(timeout=60)
        # The actor acts until the close refuses it, however the two processes are scheduled (a
        # fixed number of acts could all finish before the closer's tenth); a minute is the cap.
        deadline = time.monotonic() + 60
        for n in itertools.count():
            if time.monotonic() > deadline:
                out["errors"].append("the incident was never closed")
                break
            try:
                if close_after and n == close_after:
                    out["closed"] = hall.incidents.close(incident_id, "结案", actor).seq
                    break
                out["seqs"].append(hall.incidents.act(incident_id, "educate", actor).seq)
            except Refused:
                out["refused"] += 1
                break
            except Exception as exc:
                out["errors"].append(f"{type(exc).__name__}: {exc}")

    _work(url, results, out, body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["issue-loop"])
    parser.add_argument("url")
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--hang-after", type=int)
    args = parser.parse_args(argv)
    issue_loop(args.url, args.start, args.hang_after)
    return 0


if __name__ == "__main__":
    sys.exit(main())
