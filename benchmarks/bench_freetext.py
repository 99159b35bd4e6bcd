"""What checking and showing free text costs (issue 9 §3), beside what it rides on.

    .venv/bin/python benchmarks/bench_freetext.py

(a) The window's poll reload, ``hall.windows.view(1)`` with 200 visitors waiting (SQLite), which
    now returns through ``freetext.shown_in``; beside it ``shown_in`` alone on that view (clean
    text: it walks the view and returns the same object), and on a view whose current visitor's
    name holds an ESC sequence (a copy with stand-ins).
(b) The desk's validation of one registration, ``registration.validate``, beside the free-text
    checks inside it (``freetext.clean`` of its five texts).

Samples interleave; medians in microseconds; nothing is asserted.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config import DEFAULT_CONFIG, load_config  # noqa: E402
from hall import Hall  # noqa: E402
from hall.clock import FixedClock  # noqa: E402
from hall.desk.registration import Registration, validate  # noqa: E402
from hall.text import freetext  # noqa: E402
from models import open_database  # noqa: E402
from tests.conftest import MORNING  # noqa: E402
from tests.helpers import distinct_id  # noqa: E402

ROUNDS = 300


def median_us(samples: list[float]) -> float:
    return statistics.median(samples) * 1e6


def interleave(*fns: Callable[[], object]) -> list[float]:
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(ROUNDS):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - start)
    return [median_us(t) for t in times]


def main() -> None:
    config = load_config(DEFAULT_CONFIG)
    with tempfile.TemporaryDirectory() as tmp:
        clock = FixedClock(MORNING)
        hall = Hall(open_database(f"sqlite:///{tmp}/bench.db"), config, clock)
        for n in range(201):
            hall.desk.issue(Registration(name="张三", id_number=distinct_id(n + 1),
                                         category="reform", matter="改制安置"), "desk01")
        hall.windows.call_next(1, "win01")
        view = hall.windows.view(1, viewer="win01")
        assert view.current is not None and len(view.waiting) == 200
        dirty = replace(view, current=replace(view.current, name="王\x1b[2J\x1b[H五"))
        read, walk, copy = interleave(lambda: hall.windows.view(1, viewer="win01"),
                                      lambda: freetext.shown_in(view),
                                      lambda: freetext.shown_in(dirty))
        print(f"(a) window view, 200 waiting: read {read:8.1f} µs (shown_in included)")
        print(f"    shown_in alone, clean     {walk:8.1f} µs  ({walk / read:.1%} of the read)")
        print(f"    shown_in alone, ESC name  {copy:8.1f} µs  ({copy / read:.1%} of the read)")
        today = hall.today()
        form = Registration(name="张三", id_number=distinct_id(9), category="wages",
                            matter="工地拖欠工资三个月", phone="13812345678",
                            address="江北区滨江路8号", request="要求支付工资", district="jiangbei")
        texts = (("张三", 32), ("13812345678", 20), ("江北区滨江路8号", 200),
                 ("工地拖欠工资三个月", 2000), ("要求支付工资", 2000))
        whole, checks = interleave(lambda: validate(form, config, today),
                                   lambda: [freetext.clean(t, n) for t, n in texts])
        print(f"(b) validate one registration {whole:8.1f} µs")
        print(f"    its five free-text checks {checks:8.1f} µs  ({checks / whole:.1%})")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
