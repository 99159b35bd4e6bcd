"""One call's figures are one state of the database, while the desk and the windows go on.

The figures are computed section by section (:data:`hall.stats.context.SECTIONS`: visits,
queues, outcomes, cases, reception days, incidents), each its own statements. A pause is put
between the sections (a section that only waits) in which another terminal, on its own
connection, issues a ticket, calls it, finishes a visit: every section must still count what the
first one read (so the totals agree: tickets issued = visits, tickets finished = the outcomes'
visits), and none of those acts may wait for the figures: the desk issues while they are being
read (SQLite in WAL mode: a reader holds no lock a writer needs; PostgreSQL: neither).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from hall import Hall
from hall.stats import context, named_period
from hall.stats.query import Query, Section
from tests.helpers import distinct_id, form


def figures(hall: Hall) -> dict[str, Any]:
    got = hall.stats.figures("mgr01", named_period("today", hall.today())).as_dict()
    got.pop("generated_at")
    return got


def elsewhere(hall: Hall, act: Callable[[], object]) -> None:
    """``act`` on another thread, hence another connection (another terminal), to its end."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            with hall.connection():
                act()
        except BaseException as exc:  # re-raised below, in the test's thread
            failed.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(timeout=120)  # a deadlock guard, not a timing: the act either ends or fails
    assert not worker.is_alive(), "the other terminal is still waiting for the figures"
    if failed:
        raise failed[0]


def test_every_section_counts_the_state_the_first_one_read(
        hall: Hall, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in (1, 2):
        hall.desk.issue(form(id_number=distinct_id(n), category="wages"), actor="desk01")
    hall.windows.call_next(7, "win07")  # the first ticket, at window 7
    before = figures(hall)
    assert before["headlines"]["visits"]["value"] == 2
    assert before["headlines"]["tickets_finished"]["value"] == 0

    acts: list[Callable[[], object]] = [
        lambda: hall.desk.issue(form(id_number=distinct_id(3), category="wages"),
                                actor="desk01"),
        lambda: hall.windows.finish(7, "answered", "win07", note="接谈"),
        lambda: hall.windows.call_next(7, "win07"),
        lambda: hall.desk.issue(form(id_number=distinct_id(4), category="reform"),
                                actor="desk01"),
    ]
    done: list[int] = []

    def pause(q: Query) -> Section:
        """Between two sections: the desk and a window act, and commit."""
        if acts:
            elsewhere(hall, acts.pop(0))
            done.append(len(done))
        return Section()

    sections = context.SECTIONS
    between = [s for section in sections for s in (section, pause)][:-1]
    monkeypatch.setattr(context, "SECTIONS", tuple(between))
    during = figures(hall)
    monkeypatch.undo()
    assert len(done) == 4  # every act committed while the figures were being read

    for key, headline in before["headlines"].items():
        assert during["headlines"][key] == headline, key
    for key, table in before["tables"].items():
        assert during["tables"][key] == table, key
    assert during == before

    after = figures(hall)  # the acts are there for the next reading
    assert after["headlines"]["visits"]["value"] == 4
    assert after["headlines"]["tickets_issued"]["value"] == 4
    assert after["headlines"]["tickets_finished"]["value"] == 1


def test_the_snapshot_is_a_read_only_repeatable_read_on_postgresql(hall: Hall) -> None:
    from hall.stats.query import snapshot
    from models import is_sqlite

    with hall.connection(), snapshot(hall.db):
        if is_sqlite(hall.db):  # a deferred BEGIN: in a transaction, holding no lock yet
            assert hall.db.connection().in_transaction
            return
        shown = [hall.db.execute_sql(f"SHOW {name}").fetchone()[0]
                 for name in ("transaction_isolation", "transaction_read_only")]
    assert shown == ["repeatable read", "on"]
