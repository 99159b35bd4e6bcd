"""Code that runs in other processes for the incident concurrency tests.

Each function opens its own :class:`Hall` on the database URL, as another terminal would; they
are importable by ``multiprocessing``'s "spawn" start method.
"""

from __future__ import annotations

import itertools
import time
import traceback
from typing import Any

from hall.errors import Refused
from tests.workers import open_hall


def act_many(url: str, barrier: Any, incident_id: int, actor: str, count: int,
             results: Any) -> None:
    """Record ``count`` actions on one incident as fast as possible, after a common start."""
    out: dict[str, Any] = {"actor": actor, "seqs": [], "errors": []}
    try:
        hall = open_hall(url)
        barrier.wait(timeout=60)
        for n in range(count):
            try:
                entry = hall.incidents.act(incident_id, "dissuade", actor, note=f"{actor}-{n}")
                out["seqs"].append(entry.seq)
            except Exception as exc:  # counted and reported, never hidden
                out["errors"].append(f"{type(exc).__name__}: {exc}")
        hall.db.close()
    except Exception:
        out["errors"].append(traceback.format_exc())
    results.put(out)


def act_until_closed(url: str, barrier: Any, incident_id: int, actor: str, close_after: int,
                     results: Any) -> None:
    """Act on the incident until refused because it is closed; or close it after some acts."""
    out: dict[str, Any] = {"actor": actor, "seqs": [], "refused": 0, "errors": []}
    try:
        hall = open_hall(url)
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
        hall.db.close()
    except Exception:
        out["errors"].append(traceback.format_exc())
    results.put(out)
