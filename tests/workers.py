"""Code that runs in other processes for the concurrency and migration tests.

Each function opens its own :class:`Hall` on the database URL it is given, as a second desk
terminal would. The functions are importable by ``multiprocessing``'s "spawn" start method; the
module also runs as a script (``python -m tests.workers issue-loop URL``) for tests that kill it.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from datetime import datetime
from typing import Any

from config import DEFAULT_CONFIG, load_config
from hall import Hall
from hall.clock import FixedClock
from models import open_database
from tests.helpers import distinct_id, form

# The conftest's morning, spelled out so workers need not import the conftest.
MORNING = datetime.fromisoformat("2026-11-23T09:00:00+08:00")


def open_hall(url: str) -> Hall:
    return Hall(open_database(url), load_config(DEFAULT_CONFIG), FixedClock(MORNING))


def issue_many(url: str, barrier: Any, first: int, count: int, results: Any) -> None:
    """Issue ``count`` wage claims for distinct new visitors; put what happened on ``results``."""
    out: dict[str, Any] = {"numbers": [], "errors": []}
    try:
        hall = open_hall(url)
        barrier.wait(timeout=60)
        for n in range(first, first + count):
            try:
                out["numbers"].append(hall.desk.issue(form(id_number=distinct_id(n)),
                                                 actor="desk01").number)
            except Exception as exc:  # counted and reported, never hidden
                out["errors"].append(f"{type(exc).__name__}: {exc}")
        hall.db.close()
    except Exception:
        out["errors"].append(traceback.format_exc())
    results.put(out)


def issue_same_visitor(url: str, barrier: Any, id_numbers: list[str], slow_ids: list[str],
                       results: Any) -> None:
    """For each ID in turn, all workers register that same new visitor at the same moment.

    For an ID in ``slow_ids`` every worker pauses after finding no file, so all of them go on to
    create it: on PostgreSQL all but one must hit the unique index and retry.
    """
    import peewee as pw

    from models import Visitor

    out: dict[str, Any] = {"numbers": [], "errors": [], "integrity_retries": 0}
    slow = {"now": False}
    try:
        hall = open_hall(url)
        lookup = Visitor.get_or_none.__func__  # type: ignore[attr-defined]

        def slow_lookup(cls: type[Visitor], *args: Any, **kwargs: Any) -> Visitor | None:
            found = lookup(cls, *args, **kwargs)
            if found is None and slow["now"]:
                time.sleep(0.3)
            return found

        Visitor.get_or_none = classmethod(slow_lookup)  # type: ignore[method-assign,assignment]
        issue_once = hall.desk.issue_locked

        def counting(*args: Any, **kwargs: Any) -> Any:
            try:
                return issue_once(*args, **kwargs)
            except pw.IntegrityError:
                out["integrity_retries"] += 1
                raise

        hall.desk.issue_locked = counting  # type: ignore[method-assign]
        for id_number in id_numbers:
            slow["now"] = id_number in slow_ids
            barrier.wait(timeout=60)
            try:
                out["numbers"].append(hall.desk.issue(form(id_number=id_number, name="同一人"),
                                                 actor="desk02").number)
            except Exception as exc:
                out["errors"].append(f"{type(exc).__name__}: {exc}")
        hall.db.close()
    except Exception:
        out["errors"].append(traceback.format_exc())
    results.put(out)


def start_hall(url: str, barrier: Any, results: Any) -> None:
    """Open a Hall on a (possibly empty) database, all workers at once."""
    from models import ensure_schema

    try:
        barrier.wait(timeout=60)
        # Connecting (WAL switch on a new SQLite file) and creating, all at the same moment;
        # ``before`` is what this process found: 0 means it created the schema.
        before = ensure_schema(open_database(url))
        hall = open_hall(url)
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
