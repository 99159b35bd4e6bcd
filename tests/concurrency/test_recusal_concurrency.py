"""回避 under fire: two window processes of one department calling at once, each clerk recused
from some visitors.

Two OS processes ("spawn", released together by one barrier; tests.workers.run_workers) act as
windows 1 and 2 of 信访局, signed in as win01 and win02; each loops call_next → finish until its
claim finds nothing it may call. win01 is recused from one set of visitors, win02 from another,
both from a third. Every ticket must be called exactly once, by a window whose clerk is not
recused from its visitor; the visitors both recused from stay waiting (nobody of the two may call
them). On SQLite and (with HALL_TEST_PG_URL) PostgreSQL. Without the recusal check inside the
claim, each window takes about half of the other's tickets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from models import Ticket, open_database
from tests.conftest import fill
from tests.helpers import distinct_id, form
from tests.workers import _attempt, _work, run_workers

VISITORS = 60
ONLY_2 = range(1, VISITORS + 1, 5)  # win01 is recused from these: window 2 calls them
ONLY_1 = range(2, VISITORS + 1, 5)  # win02 is recused from these: window 1 calls them
NEITHER = (3, 28)  # both are recused: they stay waiting


def call_loop(url: str, barrier: Any, window: int, login: str, results: Any) -> None:
    """Call and finish at ``window`` as ``login`` until the claim finds nobody; the numbers."""
    out: dict[str, Any] = {"numbers": [], "login": login}

    def body(hall: Hall) -> None:
        barrier.wait(timeout=60)
        while True:
            notice = _attempt(out, lambda: hall.windows.call_next(window, login))
            if notice is None:  # nobody this clerk may call (or an error, in out["errors"])
                return
            out["numbers"].append(notice.number)
            _attempt(out, lambda: hall.windows.finish(window, "answered", login))

    _work(url, results, out, body)


@pytest.fixture
def queue(db_url: str, config: HallConfig, clock: FixedClock) -> Iterator[tuple[str, Hall]]:
    """A 信访局 queue of 60 visitors, and the two clerks' recusals."""
    fill(db_url, config, clock)  # the new hall's state, copied (tests/conftest.py)
    hall = Hall(open_database(db_url), config, clock)
    for n in range(1, VISITORS + 1):
        hall.desk.issue(form(id_number=distinct_id(n), category="policy"), actor="desk01")
    for login, numbers in (("win01", [*ONLY_2, *NEITHER]), ("win02", [*ONLY_1, *NEITHER])):
        for n in numbers:
            hall.recusals.declare(distinct_id(n), "", "利害关系", actor=login)
    yield db_url, hall
    hall.db.close()


def test_two_windows_in_two_processes_never_call_a_recused_visitor(
        queue: tuple[str, Hall]) -> None:
    url, hall = queue
    results = run_workers(call_loop, [(url, 1, "win01"), (url, 2, "win02")])
    assert [e for r in results for e in r["errors"]] == []
    called = {r["login"]: r["numbers"] for r in results}
    hall.db.connect(reuse_if_open=True)
    number_of = {t.visit.visitor.id_number: t.number for t in Ticket.select()}

    def numbers(ns: Any) -> set[str]:
        return {number_of[distinct_id(n)] for n in ns}

    everyone = [*called["win01"], *called["win02"]]
    assert [n for n, c in Counter(everyone).items() if c > 1] == []  # called once each
    assert set(everyone) == set(number_of.values()) - numbers(NEITHER)  # none lost
    assert not numbers(ONLY_2) & set(called["win01"])
    assert not numbers(ONLY_1) & set(called["win02"])
    assert numbers(ONLY_2) <= set(called["win02"]) and numbers(ONLY_1) <= set(called["win01"])
    states = Counter(t.status for t in Ticket.select())
    assert states == {"done": VISITORS - len(NEITHER), "waiting": len(NEITHER)}
    # The two visitors both clerks recused from are there for a third clerk of 信访局.
    assert hall.windows.call_next(3, "win03").number in numbers(NEITHER)  # type: ignore[union-attr]
