"""Several desks in several processes on one database: no duplicate, no loss, no torn write.

Real processes (multiprocessing's "spawn" start method, and subprocesses that get killed), each
with its own Hall and connection, on a SQLite file and on PostgreSQL when HALL_TEST_PG_URL is set.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from models import (
    AuditEvent,
    Ticket,
    TicketCounter,
    TicketEvent,
    Visit,
    Visitor,
    is_sqlite,
    open_database,
)
from tests import workers
from tests.conftest import fill
from tests.helpers import distinct_id, form, make_id
from tests.workers import run_workers

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 23)
PROCESSES, EACH = 4, 50


@pytest.fixture
def fresh(db_url: str, config: HallConfig, clock: FixedClock) -> Iterator[tuple[str, Hall]]:
    """The URL of a database with the schema in place, and the parent's own Hall on it."""
    fill(db_url, config, clock)  # the new hall's state, copied (tests/conftest.py)
    hall = Hall(open_database(db_url), config, clock)
    yield db_url, hall
    hall.db.close()


def assert_consistent(department: str = "hrss", prefix: str = "L") -> list[str]:
    """Every ticket of the day complete, numbered 1..n without gap or duplicate."""
    tickets = list(Ticket.select().where((Ticket.business_day == DAY)
                                         & (Ticket.department == department))
                   .order_by(Ticket.seq))
    n = len(tickets)
    assert [t.seq for t in tickets] == list(range(1, n + 1))
    assert [t.number for t in tickets] == [f"{prefix}{i:03d}" for i in range(1, n + 1)]
    assert len({t.query_code for t in tickets}) == n
    counter = TicketCounter.get_or_none((TicketCounter.business_day == DAY)
                                        & (TicketCounter.department == department))
    assert (counter.last if counter else 0) == n
    # All or nothing per ticket: visit, ticket, issued event, audit row.
    assert Visit.select().count() == Ticket.select().count()
    assert TicketEvent.select().where(TicketEvent.kind == "issued").count() == n
    audited = {int(a.entity_id) for a in AuditEvent.select().where(
        AuditEvent.action == "ticket.issue")}
    assert audited == {t.id for t in tickets}
    assert AuditEvent.select().where(AuditEvent.action == "visitor.create").count() == (
        Visitor.select().count())
    orphans = Visitor.select().where(Visitor.id.not_in(Visit.select(Visit.visitor)))
    assert orphans.count() == 0
    return [t.number for t in tickets]


# -- many desks, one queue ------------------------------------------------------------------------


def test_four_processes_issue_200_consecutive_numbers(fresh: tuple[str, Hall]) -> None:
    url, hall = fresh
    results = run_workers(workers.issue_many,
                          [(url, i * EACH, EACH) for i in range(PROCESSES)])
    errors = [e for r in results for e in r["errors"]]
    assert errors == []
    issued = [n for r in results for n in r["numbers"]]
    total = PROCESSES * EACH
    assert len(issued) == total
    assert sorted(issued) == [f"L{i:03d}" for i in range(1, total + 1)]
    # Each process saw its own numbers rise.
    for r in results:
        assert r["numbers"] == sorted(r["numbers"])
    hall.db.connect(reuse_if_open=True)
    assert assert_consistent() == sorted(issued)
    assert Ticket.select().count() == total
    assert Visit.select().count() == total
    assert Visitor.select().count() == total
    assert hall.change_version() == total
    assert hall.desk.issue(form(id_number=make_id("19900101", seq=1)), actor="desk01").number == (
        f"L{total + 1:03d}")


def test_processes_registering_the_same_new_visitor_share_one_file(
        fresh: tuple[str, Hall]) -> None:
    url, hall = fresh
    people = [make_id("19620101", seq=s) for s in (21, 23, 25)]
    # The middle one with the race forced (every desk finds no file before any creates it, on
    # PostgreSQL); the others at full speed.
    raced = people[1]
    results = run_workers(workers.issue_same_visitor,
                          [(url, people, [raced], "同来的亲属分别登记")] * PROCESSES)
    assert [e for r in results for e in r["errors"]] == []
    hall.db.connect(reuse_if_open=True)
    for person in people:
        visitor = Visitor.get(Visitor.id_number == person)
        visits = list(Visit.select().where(Visit.visitor == visitor))
        assert len(visits) == PROCESSES
        assert sorted(v.is_repeat for v in visits) == [False] + [True] * (PROCESSES - 1)
    assert Visitor.select().count() == len(people)
    assert AuditEvent.select().where(AuditEvent.action == "visitor.create").count() == 3
    assert_consistent()
    missed = sum(r["missed"] == [raced] for r in results)
    retries = sum(r["integrity_retries"].get(raced, 0) for r in results)
    if not is_sqlite(hall.db):
        # The race happened: every desk looked before any created the file, so all but one hit
        # the unique index and retried, finding the winner's file.
        assert (missed, retries) == (PROCESSES, PROCESSES - 1)
    else:
        # BEGIN IMMEDIATE: one desk at a time; the first opens the file, the others find it.
        assert (missed, retries) == (1, 0)
        assert all(r["integrity_retries"] == {} for r in results)


def test_desks_racing_for_one_person_without_a_reason_issue_one_ticket(
        fresh: tuple[str, Hall]) -> None:
    """Issue 9 §3: a second ticket while one waits today needs a reason; desks issuing for the
    same person at the same moment must not all pass the check (new files, the race forced on
    one; and a known file, whose row lock makes the others wait and see the winner's ticket)."""
    url, hall = fresh
    known = make_id("19620101", seq=31)
    hall.desk.issue(form(id_number=known, name="同一人"), actor="desk01")
    hall.windows.call_next(7, actor="win07")
    hall.windows.finish(7, "answered", actor="win07")  # on file, nothing open today
    people = [make_id("19620101", seq=s) for s in (27, 29)] + [known]
    results = run_workers(workers.issue_same_visitor, [(url, people, [people[0]], "")] * PROCESSES)
    assert [e for r in results for e in r["errors"]] == []
    hall.db.connect(reuse_if_open=True)
    for person in people:
        visitor = Visitor.get(Visitor.id_number == person)
        tickets = list(Ticket.select().join(Visit).where(
            (Visit.visitor == visitor) & (Ticket.status == "waiting")))
        assert len(tickets) == 1, person
    numbers = sorted(n for r in results for n in r["numbers"])
    assert len(numbers) == len(people)
    refusals = sorted(f for r in results for f in r["again"])
    assert refusals == sorted(f"{n}（市人社局）" for n in numbers for _ in range(PROCESSES - 1))
    assert Visitor.select().count() == len(people)


# -- a desk dies mid-issue ----------------------------------------------------------------------


def start_loop(url: str, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.workers", "issue-loop", url, *extra],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def read_until(proc: subprocess.Popen[str], stop: Any) -> list[str]:
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line.strip())
        if stop(lines):
            return lines
    pytest.fail(f"worker ended early: {lines} {proc.stderr.read() if proc.stderr else ''}")


def kill(proc: subprocess.Popen[str]) -> list[str]:
    """SIGKILL the worker; return the lines it printed that the test had not read yet (on a
    loaded machine the worker runs on after the reader's last line, and those lines count)."""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    unread = proc.stdout.read().split() if proc.stdout else []
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()
    return unread


@pytest.mark.parametrize("moment", ["inside-transaction", "free-running"])
def test_a_desk_killed_mid_issue_leaves_the_database_whole(fresh: tuple[str, Hall],
                                                           moment: str) -> None:
    url, hall = fresh
    if moment == "inside-transaction":
        # Killed after writing visitor, visit, ticket, event and audit row, before commit.
        proc = start_loop(url, "--hang-after", "7")
        lines = read_until(proc, lambda seen: seen[-1] == "inside")
        assert lines[1:-1] == [f"L{i:03d}" for i in range(1, 8)]
    else:
        proc = start_loop(url)
        lines = read_until(proc, lambda seen: len(seen) > 15)
    lines += kill(proc)
    hall.db.close()
    hall.db.connect()
    if is_sqlite(hall.db):
        assert hall.db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert hall.db.execute_sql("PRAGMA foreign_key_check").fetchall() == []
    numbers = assert_consistent()
    printed = [x for x in lines if x.startswith("L")]
    # Every number the dead desk printed was committed; at most one more was (killed between
    # commit and print), and nothing half-written survives.
    assert numbers[:len(printed)] == printed
    assert len(numbers) - len(printed) in ((0,) if moment == "inside-transaction" else (0, 1))
    # Numbering goes on without a gap or a duplicate.
    nxt = hall.desk.issue(form(id_number=distinct_id(900_000)), actor="desk02")
    assert nxt.number == f"L{len(numbers) + 1:03d}"
    assert_consistent()


def test_a_second_process_sees_the_change_counter_move(fresh: tuple[str, Hall]) -> None:
    """A terminal in another process polls the counter and sees this one's issue."""
    url, hall = fresh
    probe = ("import json, sys\n"
             "from tests.workers import open_hall\n"
             "print(json.dumps(open_hall(sys.argv[1]).change_version()))\n")

    def version_elsewhere() -> int:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-c", probe, url], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=60, check=True)
        return json.loads(done.stdout)

    before = version_elsewhere()
    hall.desk.issue(form(), actor="desk01")
    hall.desk.issue(form(id_number=distinct_id(5)), actor="desk01")
    assert version_elsewhere() == before + 2
