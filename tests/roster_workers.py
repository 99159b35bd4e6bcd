"""Terminals in other processes editing the leaders' roster and adding days (for
tests/test_leader_roster.py and tests/test_leader_day_concurrency.py).

Importable by multiprocessing's "spawn" start method; each call opens its own Hall, as another
terminal (on another machine) would.
"""

from __future__ import annotations

import time
import traceback
from datetime import date
from typing import Any

from tests.workers import open_hall


def edit_leader(url: str, barrier: Any, code: str, changes: dict[str, str],
                expected_version: int | None, results: Any) -> None:
    """Edit one leader at the same moment as the other workers; report the outcome."""
    out: dict[str, Any] = {"version": None, "refused": "", "errors": []}
    try:
        hall = open_hall(url)
        barrier.wait(timeout=60)
        try:
            info = hall.leaders.roster.edit(code, "mgr01", expected_version=expected_version,
                                            **changes)
            out["version"] = info.version
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


def add_days(url: str, barrier: Any, leader: str, dates: list[str], slow: bool,
             results: Any) -> None:
    """Add a day for ``leader`` on each date in turn, at the same moment as the other workers.

    With ``slow`` the worker pauses inside its transaction after the clash check has read (the
    leader's roster is read just before it): without a lock keyed by the leader the other
    manager's check would find no clash either and both days would be made.
    """
    out: dict[str, Any] = {"added": [], "refused": [], "errors": []}
    try:
        hall = open_hall(url)
        if slow:
            from models import LeaderDay

            real = LeaderDay.create

            def slow_create(**fields: Any) -> Any:
                time.sleep(0.2)
                return real(**fields)

            LeaderDay.create = slow_create  # type: ignore[method-assign]
        from hall.errors import Refused

        for text in dates:
            barrier.wait(timeout=60)
            try:
                day = hall.leaders.add_day(leader, date.fromisoformat(text), "09:00", "11:00", 5,
                                   actor="mgr01")
                out["added"].append((text, day.id))
            except Refused as exc:
                out["refused"].append((text, str(exc)))
            except Exception as exc:  # counted and reported, never hidden
                out["errors"].append(f"{type(exc).__name__}: {exc}")
        hall.db.close()
    except Exception:
        out["errors"].append(traceback.format_exc())
    results.put(out)
