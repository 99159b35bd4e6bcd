"""The facade builds the desk with the hall and every other context when first used: once,
whichever thread asks first (a screen's workers and pollers ask at the same moment), wired to
the same others as before."""

from __future__ import annotations

import threading

from hall import Hall


def test_contexts_are_built_when_first_used(sqlite_hall: Hall) -> None:
    assert {"leaders", "incidents", "board", "windows"}.isdisjoint(vars(sqlite_hall))
    assert sqlite_hall.board.queue() == []
    assert "board" in vars(sqlite_hall) and "windows" not in vars(sqlite_hall)


def test_each_context_is_built_once_whichever_thread_asks_first(sqlite_hall: Hall) -> None:
    start = threading.Barrier(8)
    seen: list[tuple[object, ...]] = []

    def ask() -> None:
        start.wait()
        seen.append((sqlite_hall.windows, sqlite_hall.board, sqlite_hall.leaders,
                     sqlite_hall.incidents, sqlite_hall.desk))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 8 and len(set(seen)) == 1
    assert sqlite_hall.windows.board is sqlite_hall.board  # one board for the windows and all


def test_a_context_set_on_the_instance_is_the_one_used(sqlite_hall: Hall) -> None:
    """Tests and benchmarks replace a context or a method on the instance, as before."""
    marker = object()
    sqlite_hall.incidents = marker  # type: ignore[assignment]
    assert sqlite_hall.incidents is marker
    sqlite_hall.leaders.check_walk_in = lambda clean: None  # type: ignore[method-assign]
    assert sqlite_hall.leaders is sqlite_hall.leaders
