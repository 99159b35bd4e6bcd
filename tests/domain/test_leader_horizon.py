"""Far dates are refused: reception days reach at most two years ahead (issue 10 §3: planning
9999-12 ran the calendar past year 9999 and printed a traceback).

The oracle is the calendar by hand: seen from Monday 2026-11-23, the last plannable month is
2028-11 and its last day 2028-11-30.
"""

from __future__ import annotations

from datetime import date

import pytest

from hall import Hall
from hall.desk.registration import FormError
from hall.errors import Refused
from models import AuditEvent, LeaderDay
from tests.helpers import only_changes


@pytest.mark.parametrize("year, month", [(9999, 12), (2028, 12), (2100, 1)])
def test_planning_a_far_month_is_refused_and_writes_nothing(hall: Hall, year: int,
                                                           month: int) -> None:
    with only_changes(LeaderDay), only_changes(AuditEvent):
        with pytest.raises(Refused) as refused:
            hall.leaders.plan.month(year, month, actor="mgr01")
    assert f"{year}-{month:02d} 过远" in str(refused.value)
    assert "2028-11" in str(refused.value)


def test_the_last_month_in_reach_is_planned(hall: Hall) -> None:
    result = hall.leaders.plan.month(2028, 11, actor="mgr01")
    assert result.created and all(d.date.startswith("2028-11") for d in result.created)


@pytest.mark.parametrize("on, refused", [(date(2028, 11, 30), False), (date(2028, 12, 1), True),
                                         (date(9999, 12, 31), True)])
def test_adding_a_far_day_is_refused_beside_the_date(hall: Hall, on: date, refused: bool) -> None:
    if not refused:
        day = hall.leaders.add_day("lihong", on, "09:00", "11:00", 5, actor="mgr01")
        assert day.date == on.isoformat()
        return
    with only_changes(LeaderDay), pytest.raises(FormError) as error:
        hall.leaders.add_day("lihong", on, "09:00", "11:00", 5, actor="mgr01")
    assert error.value.errors["date"] == f"日期 {on} 过远：接待日最多排到 2028-11-30（2 年内）"
