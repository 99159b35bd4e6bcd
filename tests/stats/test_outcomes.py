"""Outcomes (办理方式) and refusals with their channels, on the scene of test_queues.

Finished in the period (23–24 November): H 当场答复, A 当场答复, B 不予受理（诉讼）, C 电话联系,
D 不再受理（仲裁）, E 不予受理（诉讼; 01:00 on the 25th, the 24th's session). Out of it: T0 (the
22nd's session) 不予受理（复议）, F (the 25th) 当场答复; G (the 24th) was never finished.
"""

from __future__ import annotations

from datetime import date

from hall import Hall
from hall.clock import FixedClock
from hall.stats import Filters, range_period
from tests.stats.test_queues import PERIOD, scene

ORDER = ("当场答复", "电话联系", "出具告知单", "出具转送单", "立案交办", "协调处理", "摘报反映",
         "不予受理", "不再受理")
"""The shipped configuration's outcomes, in its order."""


def rows(counts: dict[str, int], total: int) -> tuple:
    """The oracle's table: every configured outcome, its count and its share of ``total``."""
    return tuple((name, counts.get(name, 0), round(100 * counts.get(name, 0) / total, 1))
                 for name in ORDER)


def test_outcomes_and_refusals(hall: Hall, clock: FixedClock) -> None:
    scene(hall, clock)
    f = hall.stats.figures("mgr01", PERIOD)
    outcomes = f.table("outcomes")
    assert outcomes.columns == ("办理方式", "人次", "占比（%）")
    assert outcomes.rows == rows({"当场答复": 2, "电话联系": 1, "不予受理": 2, "不再受理": 1}, 6)
    assert outcomes.row("当场答复") == ("当场答复", 2, 33.3)
    assert outcomes.row("电话联系") == ("电话联系", 1, 16.7)
    assert sum(outcomes.column("人次")) == f.value("tickets_finished") == 6
    refusals = f.table("refusals")
    assert refusals.columns == ("办理方式", "告知渠道", "人次")
    assert refusals.rows == (("不予受理", "诉讼", 2), ("不再受理", "仲裁", 1))


def test_the_edges_and_the_filters(hall: Hall, clock: FixedClock) -> None:
    scene(hall, clock)
    day = {d: hall.stats.figures("mgr01", range_period(d, d, date(2026, 11, 30)))
           for d in ("2026-11-22", "2026-11-24", "2026-11-25")}
    assert day["2026-11-22"].table("refusals").rows == (("不予受理", "复议", 1),)  # T0
    assert day["2026-11-24"].table("outcomes").rows == rows({"不予受理": 1}, 1)  # E, not G
    assert day["2026-11-25"].table("outcomes").rows == rows({"当场答复": 1}, 1)  # F
    assert day["2026-11-25"].table("refusals").rows == ()
    wages = hall.stats.figures("mgr01", PERIOD, Filters(category="wages"))  # A, C, E
    assert wages.table("outcomes").rows == rows(
        {"当场答复": 1, "电话联系": 1, "不予受理": 1}, 3)
    assert wages.table("refusals").rows == (("不予受理", "诉讼", 1),)
    housing = hall.stats.figures("mgr01", PERIOD, Filters(department="housing"))  # D
    assert housing.table("outcomes").rows == rows({"不再受理": 1}, 1)
    assert housing.table("refusals").rows == (("不再受理", "仲裁", 1),)


def test_no_finished_visit(hall: Hall, clock: FixedClock) -> None:
    """No visit finished: every configured outcome at 0 with no share (not a division by 0)."""
    f = hall.stats.figures("mgr01", PERIOD)
    assert f.table("outcomes").rows == tuple((name, 0, None) for name in ORDER)
    assert f.table("refusals").rows == ()
