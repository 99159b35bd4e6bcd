"""Two managers in two processes adding a day for one leader on one date at the same instant.

Exactly one day is made and the other manager is told the leader already receives that day,
round after round, on SQLite and on PostgreSQL. In the slow rounds each manager pauses inside its
transaction after the clash check has found nothing: only the lock keyed by the leader (a
transaction-scoped advisory lock on PostgreSQL; ``BEGIN IMMEDIATE`` on SQLite) keeps the second
manager's check from finding nothing too.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from config import HallConfig
from hall import Hall
from hall.clock import FixedClock
from models import LeaderDay, open_database
from tests import workers
from tests.conftest import fill
from tests.workers import run_workers

DATES = ["2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"]


@pytest.fixture
def fresh(db_url: str, config: HallConfig, clock: FixedClock) -> Iterator[tuple[str, Hall]]:
    fill(db_url, config, clock)  # the new hall's state, copied (tests/conftest.py)
    hall = Hall(open_database(db_url), config, clock)
    yield db_url, hall
    hall.db.close()


@pytest.mark.parametrize("slow", [False, True], ids=["full-speed", "slow-check"])
def test_two_managers_adding_one_leaders_day_at_once(fresh: tuple[str, Hall], slow: bool) -> None:
    url, hall = fresh
    hall.db.close()
    results = run_workers(workers.add_days, [(url, "lihong", DATES, slow)] * 2)
    assert [e for r in results for e in r["errors"]] == []
    added = sorted(text for r in results for text, _ in r["added"])
    refused = sorted(text for r in results for text, _ in r["refused"])
    assert added == DATES and refused == DATES  # one winner and one refusal per date
    assert all("李红市信访局局长" in m and "已有接待日" in m
               for r in results for _, m in r["refused"])
    hall.db.connect(reuse_if_open=True)
    for text in DATES:
        assert LeaderDay.select().where((LeaderDay.leader == "lihong")
                                        & (LeaderDay.date == text)).count() == 1


@pytest.mark.parametrize("slow", [False, True], ids=["full-speed", "slow-check"])
def test_two_managers_putting_two_leaders_in_one_room_at_once(fresh: tuple[str, Hall],
                                                              slow: bool) -> None:
    """Two leaders, one room, one time (issue 9 §4): the month's lock makes the second manager's
    room check see the first one's day."""
    url, hall = fresh
    hall.db.close()
    results = run_workers(workers.add_days, [(url, "lihong", DATES, slow),
                                             (url, "zhangwei", DATES, slow)])
    assert [e for r in results for e in r["errors"]] == []
    added = sorted(text for r in results for text, _ in r["added"])
    refused = sorted(text for r in results for text, _ in r["refused"])
    assert added == DATES and refused == DATES
    assert all("同一接待室" in m for r in results for _, m in r["refused"])
    hall.db.connect(reuse_if_open=True)
    for text in DATES:
        assert LeaderDay.select().where(LeaderDay.date == text).count() == 1
