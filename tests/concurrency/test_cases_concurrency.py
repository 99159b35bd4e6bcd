"""Two terminals acting on cases at the same instant (issue 12 §4): nothing lost, nothing doubled.

Real OS processes ("spawn", :func:`tests.workers.run_workers`) released by one barrier, on SQLite
and (with HALL_TEST_PG_URL) PostgreSQL:

- two managers urge one case N times each: all 2N entries are kept, numbered without gap or
  duplicate after the opening entry, each manager's in the order it wrote them, and their
  times (read after the case's row lock, from a clock that moves with the wall clock) never go
  back as the numbers go up. Kills: the row lock dropped (``locked_case`` without ``FOR
  UPDATE`` on PostgreSQL: two entries with one number, the unique index refuses one) and the
  time taken before the transaction and its lock (entries out of time order: killed in each of
  two runs here, on one backend or both; a race, so not every run needs both);
- two windows finish visits with an outcome that opens a case, K each: 2K cases numbered 1..2K
  in the year, no number twice. Kills: the year's counter read then written instead of taken
  atomically (``next_case_seq``).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from config import DEFAULT_CONFIG, HallConfig, load_config
from hall import Hall
from hall.clock import FixedClock
from models import AuditEvent, Case, CaseCounter, CaseEntry, open_database
from tests.helpers import add_account, distinct_id, form
from tests.workers import MORNING, _work, run_workers

URGES = 20
FINISHES = 12


class WallClock:
    """The hall's morning, moving on with the wall clock from ``started`` (shared by the
    processes, so times written by two of them compare)."""

    def __init__(self, started: float) -> None:
        self._started = started

    def now(self) -> datetime:
        return MORNING + timedelta(seconds=time.time() - self._started)


def urge_many(url: str, barrier: Any, case_id: int, actor: str, count: int, started: float,
              results: Any) -> None:
    """Urge the case ``count`` times as ``actor``, as fast as possible after the barrier."""
    out: dict[str, Any] = {"actor": actor, "seqs": []}

    def body(_: Hall) -> None:
        hall = Hall(open_database(url), load_config(DEFAULT_CONFIG), WallClock(started))
        try:
            barrier.wait(timeout=60)
            for n in range(count):
                hall.cases.urge(case_id, f"{actor}-{n}", actor)
                out["seqs"].append(CaseEntry.select(CaseEntry.seq).where(
                    (CaseEntry.case == case_id) & (CaseEntry.note == f"{actor}-{n}")).scalar())
        finally:
            hall.db.close()

    _work(url, results, out, body)


def finish_many(url: str, barrier: Any, window: int, clerk: str, category: str, first: int,
                count: int, results: Any) -> None:
    """Issue, call and finish ``count`` visits at ``window``, each opening a case."""
    out: dict[str, Any] = {"window": window, "numbers": []}

    def body(hall: Hall) -> None:
        barrier.wait(timeout=60)
        for n in range(first, first + count):
            hall.desk.issue(form(id_number=distinct_id(n), category=category), actor="desk01")
            hall.windows.call_next(window, clerk)
            finished = hall.windows.finish_visit(window, "filed", clerk, note=f"{n}")
            assert finished.case is not None and finished.case.new
            out["numbers"].append(finished.case.number)

    _work(url, results, out, body)


def _opened(db_url: str, config: HallConfig, clock: FixedClock) -> int:
    db = open_database(db_url)
    hall = Hall(db, config, clock)
    add_account("mgr02", "manager", "xfj", name="李副主任")
    hall.desk.issue(form(id_number=distinct_id(1)), actor="desk01")
    hall.windows.call_next(7, "win07")
    finished = hall.windows.finish_visit(7, "filed", "win07")
    assert finished.case is not None
    hall.cases.accept(finished.case.case_id, "win07", how="电话告知")
    db.close()
    return finished.case.case_id


def test_two_managers_urging_one_case_keep_every_entry_in_order(
        db_url: str, config: HallConfig, clock: FixedClock) -> None:
    case_id = _opened(db_url, config, clock)
    started = time.time()
    outcomes = run_workers(urge_many, [(db_url, case_id, who, URGES, started)
                                       for who in ("mgr01", "mgr02")], timeout=180)
    assert [o["errors"] for o in outcomes] == [[], []], outcomes
    db = open_database(db_url)
    entries = list(CaseEntry.select().where(CaseEntry.case == case_id).order_by(CaseEntry.seq))
    total = 2 + 2 * URGES  # opened, accepted, the urges
    assert [e.seq for e in entries] == list(range(1, total + 1))
    for o in outcomes:
        mine = [e for e in entries if e.actor == o["actor"] and e.kind == "urge"]
        assert [e.note for e in mine] == [f"{o['actor']}-{n}" for n in range(URGES)]
        assert [e.seq for e in mine] == o["seqs"]
    times = [e.at for e in entries[2:]]
    assert times == sorted(times)  # numbered in the order they were written
    assert Case.get_by_id(case_id).last_seq == total
    assert AuditEvent.select().where(AuditEvent.action == "case.urge").count() == 2 * URGES
    db.close()


def test_two_windows_opening_cases_at_once_number_them_without_gap(
        db_url: str, config: HallConfig, clock: FixedClock) -> None:
    Hall(open_database(db_url), config, clock).db.close()  # the schema and the accounts
    outcomes = run_workers(finish_many, [(db_url, 7, "win07", "wages", 1000, FINISHES),
                                         (db_url, 8, "win08", "arrears", 2000, FINISHES)],
                           timeout=180)
    assert [o["errors"] for o in outcomes] == [[], []], outcomes
    db = open_database(db_url)
    numbers = [n for o in outcomes for n in o["numbers"]]
    assert sorted(numbers) == [f"江信〔2026〕第 {k:04d} 号" for k in range(1, 2 * FINISHES + 1)]
    assert sorted(c.seq for c in Case.select()) == list(range(1, 2 * FINISHES + 1))
    assert CaseCounter.get_by_id(2026).last == 2 * FINISHES
    for o in outcomes:  # each window's cases numbered in the order it opened them
        assert o["numbers"] == sorted(o["numbers"])
    db.close()
