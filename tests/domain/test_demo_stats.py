"""The demo hall's statistics: every figure a manager looks at first has a value that means it.

The demo is built on Monday 2026-11-23 (the ``clock`` fixture): its earlier days are 2026-10-23
(last month) and 11-11, 11-18, 11-19, 11-20; the case office works the mornings between. What
each figure should hold follows from the story (:mod:`hall.demo`), checked against the tables
where the story fixes a number (the late acceptance, the linked visits, the reception).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hall.demo.build import history_days
from hall.stats.period import named_period
from models import Case, CaseVisit, LeaderBooking, Visit

TODAY = date(2026, 11, 23)


def _rows(figures, key: str) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in figures.table(key).rows}


def test_this_month_has_every_figure(demo) -> None:
    hall, summary = demo
    month = hall.stats.figures("mgr01", named_period("month", TODAY))
    value = month.value
    # 重复访（同一事项）: today's six regulars, each linked at the desk to their open case
    assert "同一事项 6 人" in summary and value("repeat_same") >= 6
    assert value("repeat_other") >= 2  # two earlier visitors back about another matter
    assert value("cases_opened") >= 10
    assert value("cases_accepted_on_time") >= 5 and value("cases_answered_on_time") >= 3
    assert value("cases_extended") == 1 and value("cases_urged") == 1  # one each per month
    assert value("followups") >= 3
    ratings = _rows(month, "satisfaction")
    assert all(ratings[r][0] >= 1 for r in ("满意", "基本满意", "不满意"))
    assert 0 < value("satisfied_rate") < 100
    assert value("bookings") == 3  # today's reception, booked by three regulars
    kinds = _rows(month, "incidents_by_kind")
    assert set(kinds) == {"越级访", "毁坏财物", "来访人突发疾病"}
    assert value("incidents") == 4  # 越级访 on 11-11 and today, a chair on 11-20, 10:12 today
    assert kinds["越级访"][-1] == 2


def test_last_month_has_the_reception_held_and_the_late_acceptance(demo) -> None:
    hall, _ = demo
    october = hall.stats.figures("mgr01", named_period("last-month", TODAY))
    value = october.value
    assert value("visits") > 0 and value("cases_opened") >= 3
    # 李红 received on 10-23: three booked, two checked in, the day held
    assert (value("reception_days_held"), value("bookings"), value("attended")) == (1, 3, 2)
    assert _rows(october, "reception_days")["李红市信访局局长"][:2] == (1, 1)
    booked = LeaderBooking.select().where(LeaderBooking.status == "checked_in").count()
    assert booked == 2
    # one notice sent late (after its limit) and one never sent: both 超时, the latter overdue
    late = list(Case.select().where(Case.accepted_on > Case.acceptance_due))
    assert len(late) == 1 and late[0].opened_on == date(2026, 10, 23)
    assert _rows(october, "cases_timeliness")["受理告知"][1] == 2
    assert value("cases_overdue") == 1
    assert value("followups") >= 3 and value("cases_extended") == 1
    assert set(_rows(october, "incidents_by_kind")) == {"来访人突发疾病", "在接待场所滞留、滋事"}


@pytest.mark.usefixtures("demo")
def test_repeat_visits_are_linked_to_the_visitor_s_own_open_case() -> None:
    linked = list(CaseVisit.select(CaseVisit, Case, Visit)
                  .join(Case, on=(CaseVisit.case == Case.id))
                  .switch(CaseVisit).join(Visit, on=(CaseVisit.visit == Visit.id))
                  .where(Case.visit != Visit.id))
    today = [cv for cv in linked if cv.visit.business_day == TODAY]
    assert len(today) >= 6
    for cv in linked:
        assert cv.visit.is_repeat and cv.case.visitor_id == cv.visit.visitor_id
        assert cv.case.category == cv.visit.category  # the same matter
        assert cv.case.opened_on < cv.visit.business_day


def test_the_first_earlier_day_is_always_last_month() -> None:
    day = date(2026, 1, 1)
    while day < date(2028, 1, 1):
        if day.weekday() < 5:
            days = history_days(day)
            first_of_month = day.replace(day=1)
            last_month = (first_of_month - timedelta(days=1)).replace(day=1)
            assert last_month <= days[0] < first_of_month, day
            assert days == sorted(days) and days[-1] < day
            assert all(d.weekday() < 5 for d in days)
        day += timedelta(days=1)
