"""Desks in other processes booking reception days (for tests/test_leader_concurrency.py).

Importable by multiprocessing's "spawn" start method; each call opens its own Hall, as a second
desk terminal would.
"""

from __future__ import annotations

import time
import traceback
from typing import Any

from tests.workers import open_hall


def book_rounds(url: str, barrier: Any, rounds: list[tuple[int, str]], slow: bool,
                results: Any) -> None:
    """For each (day id, ID number) in turn, book at the same moment as the other workers.

    With ``slow`` the worker pauses after counting the places taken, inside the transaction:
    without the day's lock the other desk would count the same free place and both would win.
    """
    out: dict[str, Any] = {"statuses": [], "errors": []}
    try:
        hall = open_hall(url)
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
            except Exception as exc:  # counted and reported, never hidden
                out["errors"].append(f"{type(exc).__name__}: {exc}")
        hall.db.close()
    except Exception:
        out["errors"].append(traceback.format_exc())
    results.put(out)


def check_in_once(url: str, barrier: Any, booking_id: int, results: Any) -> None:
    """Check the same booking in at the same moment as the other workers."""
    out: dict[str, Any] = {"number": None, "refused": "", "errors": []}
    try:
        hall = open_hall(url)
        barrier.wait(timeout=60)
        try:
            out["number"] = hall.leaders.bookings.check_in(booking_id, actor="desk01").number
        except Exception as exc:
            from hall.errors import Refused

            if isinstance(exc, Refused):
                out["refused"] = str(exc)
            else:
                out["errors"].append(f"{type(exc).__name__}: {exc}")
        hall.db.close()
    except Exception:
        out["errors"].append(traceback.format_exc())
    results.put(out)
