"""Special situations by type and severity (issue 13 §1) on a hand-built hall; answers by hand.

Period: business days 2026-11-23 … 11-30 (the day rolls over at 03:00 in the hall).

==================  ===========  ===================================  ======  ==========
logged (local)      business     type                                 level   counted
==================  ===========  ===================================  ======  ==========
11-23 02:30         11-22        来访人突发疾病 (illness)             高      no: before
11-23 10:00         11-23        非法聚集、围堵冲击机关 (gathering)   高      yes
11-26 10:00         11-26        在接待场所滞留、滋事 (lingering)     中      yes, ticket
12-01 01:00         11-30        非法聚集、围堵冲击机关               高      yes
12-01 09:00         12-01        越级访 (over_level)                  低      no: after
==================  ===========  ===================================  ======  ==========
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from hall import Hall
from hall.clock import FixedClock
from hall.incidents import NewIncident
from hall.stats.period import range_period
from hall.stats.views import Figures, Filters
from models import Incident
from tests.helpers import distinct_id, form

CST = timezone(timedelta(hours=8))
PERIOD = range_period(date(2026, 11, 23), date(2026, 11, 30), date(2026, 12, 10))


def log(hall: Hall, clock: FixedClock, when: datetime, kind: str, ticket: str = "") -> None:
    clock.set(when)
    hall.incidents.log(NewIncident(type=kind, place="候谈区", note="情况说明", ticket=ticket),
                       actor="desk01")


@pytest.fixture
def figures(hall: Hall, clock: FixedClock) -> Figures:
    log(hall, clock, datetime(2026, 11, 23, 2, 30, tzinfo=CST), "illness")
    log(hall, clock, datetime(2026, 11, 23, 10, tzinfo=CST), "gathering")
    clock.set(datetime(2026, 11, 26, 9, 50, tzinfo=CST))
    issued = hall.desk.issue(form(id_number=distinct_id(900), category="wages"), actor="desk01")
    log(hall, clock, datetime(2026, 11, 26, 10, tzinfo=CST), "lingering", issued.number)
    log(hall, clock, datetime(2026, 12, 1, 1, tzinfo=CST), "gathering")
    log(hall, clock, datetime(2026, 12, 1, 9, tzinfo=CST), "over_level")
    days = sorted(str(d) for (d,) in Incident.select(Incident.business_day).tuples())
    assert days == ["2026-11-22", "2026-11-23", "2026-11-26", "2026-11-30", "2026-12-01"]
    clock.set(datetime(2026, 12, 10, 10, tzinfo=CST))
    return hall.stats.figures("mgr01", PERIOD)


def test_by_kind_and_severity(figures: Figures) -> None:
    table = figures.table("incidents_by_kind")
    assert table.columns == ("类型", "高", "中", "低", "合计")
    assert table.rows == (("非法聚集、围堵冲击机关", 2, 0, 0, 2),
                          ("在接待场所滞留、滋事", 0, 1, 0, 1))
    assert figures.value("incidents") == 3


def test_filters_follow_the_linked_visit(figures: Figures, hall: Hall) -> None:
    """Only the 11-26 incident is linked to a ticket: a wage claim (市人社局) from 江北区."""
    wages = hall.stats.figures("mgr01", PERIOD, Filters(category="wages", district="jiangbei"))
    assert wages.table("incidents_by_kind").rows == (("在接待场所滞留、滋事", 0, 1, 0, 1),)
    assert hall.stats.figures("mgr01", PERIOD, Filters(department="court")).value(
        "incidents") == 0


def test_severity_is_the_one_logged(figures: Figures, hall: Hall) -> None:
    """An incident keeps the severity it was logged with: one stored as 低 under a type now
    高 counts under 低."""
    Incident.update(severity="low").where(Incident.type == "gathering").execute()
    table = hall.stats.figures("mgr01", PERIOD).table("incidents_by_kind")
    assert table.rows == (("非法聚集、围堵冲击机关", 0, 0, 2, 2),
                          ("在接待场所滞留、滋事", 0, 1, 0, 1))
