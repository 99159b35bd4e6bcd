"""The cases' figures (issue 13 §1) on a hand-built hall: every number worked out by hand below.

The scene (period: business days 2026-11-23 … 11-30; "now" 2027-03-01 10:00; limits of the
shipped hall: acceptance 15 calendar days, handling 60, one extension of up to 30; a limit
ending on a day off moves to the next working day):

======  ==========  =====================  ==========================================
case    opened      unit                   what became of it
======  ==========  =====================  ==========================================
G       11-22       市人社局               before the period: accepted late, urged
A       11-23       市人社局               accepted 11-25 (due 12-08), replied 12-20
                                           (due 2027-01-25), 满意, closed
B       11-24       市人社局               accepted 12-15 (due 12-09: late), urged;
                                           in hand, due ~02-13: overdue now, 答复 超时
C       11-25       市人社局               accepted 11-26, extended 30 days (due
                                           01-25 → 02-24), replied 02-25 07:30 local
                                           (23:30 UTC 02-24): late; 不满意
D       11-25       市纪委监委 (保密)      accepted 11-26, extended 30 days (due
                                           02-24), replied 02-24 23:30 local: on time
                                           thanks to the extension; 基本满意
E       11-30 23:30 省住建厅 (转送)        never accepted (due 12-15): overdue now
F       12-01 01:00 市人社局               business day 11-30, but opened on local
                                           12-01: after the period; accepted on time
======  ==========  =====================  ==========================================
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta, timezone

import pytest

from hall import Hall
from hall.clock import FixedClock
from hall.stats.period import range_period
from hall.stats.views import Figures, Filters
from models import Case
from tests.helpers import distinct_id, form

CST = timezone(timedelta(hours=8))
PERIOD = range_period(date(2026, 11, 23), date(2026, 11, 30), date(2027, 3, 1))
WINDOW = {"wages": (7, "win07"), "report": (11, "win11")}
_ids = itertools.count(300)


def at(clock: FixedClock, y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> None:
    clock.set(datetime(y, m, d, hh, mm, tzinfo=CST))


def open_case(hall: Hall, category: str = "wages", outcome: str = "filed", unit: str = "",
              district: str = "jiangbei") -> int:
    window, clerk = WINDOW[category]
    hall.desk.issue(form(id_number=distinct_id(next(_ids)), category=category,
                         district=district), actor="desk01")
    hall.windows.call_next(window, clerk)
    finished = hall.windows.finish_visit(window, outcome, clerk, note="接谈", unit=unit)
    assert finished.case is not None and finished.case.new
    return finished.case.case_id


def scene(hall: Hall, clock: FixedClock) -> dict[str, int]:
    """The cases of the module's table, each step at its time; the ids by letter."""
    c = hall.cases
    at(clock, 2026, 11, 22, 10)
    ids = {"G": open_case(hall)}
    at(clock, 2026, 11, 23)
    ids["A"] = open_case(hall)
    at(clock, 2026, 11, 24)
    ids["B"] = open_case(hall)
    at(clock, 2026, 11, 25)
    ids["C"] = open_case(hall)
    ids["D"] = open_case(hall, "report")
    c.accept(ids["A"], "win07", how="当面告知")
    at(clock, 2026, 11, 26)
    c.accept(ids["C"], "win07", how="当面告知")
    c.accept(ids["D"], "win11", how="当面告知")
    at(clock, 2026, 11, 30, 23, 30)
    ids["E"] = open_case(hall, outcome="forward", unit="省住建厅", district="jiangnan")
    at(clock, 2026, 12, 1, 1, 0)
    ids["F"] = open_case(hall)
    c.accept(ids["F"], "win07", how="当面告知")
    at(clock, 2026, 12, 15)
    c.accept(ids["B"], "win07", how="电话告知")
    c.accept(ids["G"], "win07", how="电话告知")
    c.urge(ids["B"], "请尽快办理", "mgr01")
    c.urge(ids["G"], "请尽快办理", "mgr01")
    at(clock, 2026, 12, 20)
    c.reply(ids["A"], "已支付拖欠工资", "win07")
    at(clock, 2026, 12, 22)
    c.followup(ids["A"], "phone", "满意", "win07")
    c.close(ids["A"], "mgr01")
    at(clock, 2027, 1, 10)
    c.extend(ids["C"], 30, "需调取用工记录", "win07")
    c.extend(ids["D"], 30, "需核查", "win11")
    at(clock, 2027, 1, 11)
    c.approve_extension(ids["C"], "mgr01", told="电话告知")
    c.approve_extension(ids["D"], "mgr01", told="电话告知")
    at(clock, 2027, 2, 24, 23, 30)
    c.reply(ids["D"], "核查完毕", "win11")
    at(clock, 2027, 2, 25, 7, 30)
    c.reply(ids["C"], "已协调", "win07")
    at(clock, 2027, 2, 26)
    c.followup(ids["C"], "phone", "不满意", "win07")
    c.followup(ids["D"], "visit", "基本满意", "win11")
    at(clock, 2027, 3, 1, 10)
    return ids


@pytest.fixture
def figures(hall: Hall, clock: FixedClock) -> Figures:
    ids = scene(hall, clock)
    # the dates the table above works with (hand-counted; 2027-01-25 and 02-24 are working days)
    rows = {k: Case.get_by_id(v) for k, v in ids.items()}
    assert (rows["A"].acceptance_due, rows["B"].acceptance_due) == (date(2026, 12, 8),
                                                                    date(2026, 12, 9))
    assert rows["A"].handling_due == date(2027, 1, 25)
    assert rows["C"].handling_due == rows["D"].handling_due == date(2027, 2, 24)
    assert rows["E"].opened_on == date(2026, 11, 30) and rows["F"].opened_on == date(2026, 12, 1)
    assert rows["D"].confidential
    return hall.stats.figures("mgr01", PERIOD)


def test_headlines(figures: Figures) -> None:
    """Opened A–E (5; G before, F after by the local date); accepted on time A, C, D; answered
    on time A and D (C a day late by the local date); overdue now B and E (G, F outside);
    extended C, D; urged B; follow-ups A, C, D; 满意率 2 of 3 rated."""
    assert {k: figures.value(k) for k in (
        "cases_opened", "cases_accepted_on_time", "cases_answered_on_time", "cases_overdue",
        "cases_extended", "cases_urged", "followups", "satisfied_rate")} == {
        "cases_opened": 5, "cases_accepted_on_time": 3, "cases_answered_on_time": 2,
        "cases_overdue": 2, "cases_extended": 2, "cases_urged": 1, "followups": 3,
        "satisfied_rate": 66.7}


def test_by_unit(figures: Figures) -> None:
    table = figures.table("cases_by_unit")
    assert table.columns == ("承办单位", "新立案", "按时受理告知", "按时答复", "当前逾期", "延期",
                             "督办", "回访", "满意", "基本满意", "不满意", "满意率（%）")
    assert table.rows == (
        ("市人社局", 3, 2, 1, 1, 1, 1, 2, 1, 0, 1, 50.0),
        ("市纪委监委", 1, 1, 1, 0, 1, 0, 1, 0, 1, 0, 100.0),
        ("省住建厅", 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, None),
    )


def test_timeliness_and_satisfaction(figures: Figures) -> None:
    """受理告知: on time A, C, D; late B (sent late) and E (still pending past its limit).
    答复: on time A, D; late C (replied late) and B (in hand past its limit)."""
    assert figures.table("cases_timeliness").rows == (("受理告知", 3, 2, 60.0),
                                                      ("答复", 2, 2, 50.0))
    assert figures.table("satisfaction").rows == (("满意", 1, 33.3), ("基本满意", 1, 33.3),
                                                  ("不满意", 1, 33.3))


def test_filters(figures: Figures, hall: Hall) -> None:
    """The department is the case's: A, B, C and E (forwarded by 市人社局's window, its
    department stays; its unit is the outside one). Category and district follow the visit (D is
    a report; E came from 江南区)."""
    def of(**f: str) -> tuple[object, ...]:
        fig = hall.stats.figures("mgr01", PERIOD, Filters(**f))
        return (fig.value("cases_opened"), fig.value("cases_overdue"),
                fig.table("cases_by_unit").column("承办单位"))

    assert of(department="hrss") == (4, 2, ["市人社局", "省住建厅"])
    assert of(category="report") == (1, 0, ["市纪委监委"])
    assert of(district="jiangnan") == (1, 1, ["省住建厅"])
    assert of(department="court") == (0, 0, [])


def test_the_periods_edges(figures: Figures, hall: Hall) -> None:
    """F (opened 01:00 on 12-01, business day 11-30) is December's: accepted on time, in hand
    and due 2027-01-30, overdue now; G is 11-22's: accepted late, urged, overdue now."""
    december = hall.stats.figures("mgr01", range_period(date(2026, 12, 1), date(2026, 12, 31),
                                                        date(2027, 3, 1)))
    assert december.table("cases_by_unit").rows == (
        ("市人社局", 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, None),)
    assert december.table("cases_timeliness").rows == (("受理告知", 1, 0, 100.0),
                                                       ("答复", 0, 1, 0.0))
    before = hall.stats.figures("mgr01", range_period(date(2026, 11, 22), date(2026, 11, 22),
                                                      date(2027, 3, 1)))
    assert before.table("cases_by_unit").rows == (
        ("市人社局", 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, None),)
    assert before.value("satisfied_rate") is None
