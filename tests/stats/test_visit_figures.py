"""The visits section of the figures (hall/stats/visits.py) against a hand-built hall, on SQLite and
PostgreSQL: every number below is worked out by hand from :func:`build`'s list, not by the code.

The period is business days 2026-12-01 … 2026-12-02 (Tuesday, Wednesday) in Asia/Shanghai with
the 03:00 rollover. Visits (local times; "bd" = business day):

====  ======================  =========  =========================================================
v0    11-30 10:00 (bd 11-30)  A          wages → 人社局, 江北区; finished 立案交办: case K1 (out)
v1    12-01 01:00 (bd 11-30)  B          policy → 信访局, 江南区 (out: before the rollover)
v2    12-01 07:30 (bd 12-01)  C          wages, 城东区, 残疾人; = 11-30 23:30 UTC; transferred to
                                         the court at window 7: counts for 市中级人民法院
v3    12-01 09:10 (bd 12-01)  A          wages → 人社局, 江北区, about K1: repeat, same matter
v4    12-01 10:20 (bd 12-01)  B          relief → 民政局, 江南区: repeat, another matter;
                                         answered at window 12
v5    12-01 14:05 (bd 12-01)  D          demolition → 住建局, 临河县, 8 people, 3 representatives
v6    12-02 09:00 (bd 12-02)  E (1945)   policy → 信访局, 城东区: 老年人 by age; a no-show at
                                         window 1
v7    12-02 11:00 (bd 12-02)  A          land_use → 自然资源局, 江北区: repeat; finished 立案交办,
                                         the case opened from v7 itself: another matter
v8    12-03 02:30 (bd 12-02)  F          wages → 人社局, 高新区 (in: before the rollover)
v10   12-02 15:00 (bd 12-02)  H          report → 纪委监委, 青山县 (confidential: counts)
v9    12-03 03:30 (bd 12-03)  G          wages (out: after the rollover)
====  ======================  =========  =========================================================
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from hall import Hall
from hall.clock import FixedClock
from hall.desk.registration import FormError
from hall.stats import Filters, range_period
from tests.helpers import distinct_id, form, make_id, named

CST = timezone(timedelta(hours=8))
PERIOD = range_period(date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3))
IDS = {p: distinct_id(701 + i) for i, p in enumerate("ABCDFGH")}  # odd: men, even: women
IDS["E"] = make_id("19450101", 2)  # a woman of 81 on 2026-12-02: 老年人 (min_age 70)
PHONES = {p: f"1390000{i:04d}" for i, p in enumerate("ABCDEFGH", 1)}


def _at(clock: FixedClock, month: int, day: int, hour: int, minute: int = 0) -> None:
    clock.set(datetime(2026, month, day, hour, minute, tzinfo=CST))


def build(hall: Hall, clock: FixedClock) -> dict[str, str]:
    """The hall of the module's table (tests/stats/test_register.py reads it too); the
    visitors' ID numbers by letter (:data:`IDS`, phones :data:`PHONES`)."""
    ids = IDS
    desk = hall.desk

    def issue(who: str, category: str, district: str, **more: object) -> None:
        desk.issue(form(id_number=ids[who], name=f"来访人{who}", category=category,
                        district=district, phone=PHONES[who], **more), actor="desk01")

    _at(clock, 11, 30, 10)
    issue("A", "wages", "jiangbei")  # v0
    clock.advance(minutes=5)
    hall.windows.call_next(7, "win07")
    k1 = hall.windows.finish_visit(7, "filed", "win07", note="立案").case
    assert k1 is not None
    _at(clock, 12, 1, 1)
    issue("B", "policy", "jiangnan")  # v1
    clock.set(datetime(2026, 11, 30, 23, 30, tzinfo=UTC))
    issue("C", "wages", "chengdong", priority="disabled")  # v2
    clock.advance(minutes=5)
    hall.windows.call_next(7, "win07")
    hall.windows.transfer(7, "court", "win07", note="涉诉")
    _at(clock, 12, 1, 9, 10)
    issue("A", "wages", "jiangbei", case_id=k1.case_id, request="尽快支付欠薪")  # v3
    _at(clock, 12, 1, 10, 20)
    issue("B", "relief", "jiangnan")  # v4
    clock.advance(minutes=5)
    hall.windows.call_next(12, "win12")
    hall.windows.finish(12, "answered", "win12", note="已解释政策")
    _at(clock, 12, 1, 14, 5)
    reps = named([distinct_id(n) for n in (901, 902, 903)])
    issue("D", "demolition", "linhe", people=8, representatives=reps,
          matter="安置房质量问题集体反映")  # v5
    _at(clock, 12, 2, 9)
    issue("E", "policy", "chengdong")  # v6
    clock.advance(minutes=5)
    hall.windows.call_next(1, "win01")
    hall.windows.recall(1, "win01")
    hall.windows.recall(1, "win01")
    hall.windows.no_show(1, "win01")
    _at(clock, 12, 2, 11)
    issue("A", "land_use", "jiangbei", matter="宅基地被占")  # v7
    clock.advance(minutes=5)
    hall.windows.call_next(9, "win09")
    assert hall.windows.finish_visit(9, "filed", "win09", note="立案").case is not None
    _at(clock, 12, 2, 15)
    issue("H", "report", "qingshan", matter="反映某干部问题")  # v10
    _at(clock, 12, 3, 2, 30)
    issue("F", "wages", "gaoxin")  # v8
    _at(clock, 12, 3, 3, 30)
    issue("G", "wages", "jiangbei")  # v9
    return ids



@pytest.fixture
def built(hall: Hall, clock: FixedClock) -> Hall:
    build(hall, clock)
    return hall


def _headlines(hall: Hall, filters: Filters | None = None, period=PERIOD) -> dict[str, object]:
    figures = hall.stats.figures("mgr01", period, filters)
    keys = ("visits", "visitors", "people", "first_visits", "repeat_same", "repeat_other",
            "collective_visits", "collective_people", "representatives")
    return {k: figures.value(k) for k in keys}


def test_headlines_of_the_period(built: Hall) -> None:
    assert _headlines(built) == {
        "visits": 8, "visitors": 7, "people": 15, "first_visits": 5, "repeat_same": 1,
        "repeat_other": 2, "collective_visits": 1, "collective_people": 8,
        "representatives": 3}


def test_the_edges_of_the_business_day(built: Hall) -> None:
    """01:00 local on Dec 1 is Nov 30's (v0, v1); 02:30 on Dec 3 is Dec 2's; 03:30 is Dec 3's."""
    nov30 = range_period(date(2026, 11, 30), date(2026, 11, 30), date(2026, 12, 3))
    dec3 = range_period(date(2026, 12, 3), date(2026, 12, 3), date(2026, 12, 3))
    assert _headlines(built, period=nov30)["visits"] == 2
    assert _headlines(built, period=dec3)["visits"] == 1
    hours = built.stats.figures("mgr01", nov30).table("visits_by_hour")
    assert dict(hours.rows) == {f"{h:02d}时": (1 if h in (1, 10) else 0) for h in range(1, 11)}


def test_visits_by_day_hour_and_weekday(built: Hall) -> None:
    figures = built.stats.figures("mgr01", PERIOD)
    assert figures.table("visits_by_day").rows == (("2026-12-01", 4, 11, 2, 2),
                                                    ("2026-12-02", 4, 4, 3, 1))
    # local hours: v8 02, v2 07 (23:30 UTC), v3 and v6 09, v4 10, v7 11, v5 14, v10 15
    counts = {2: 1, 7: 1, 9: 2, 10: 1, 11: 1, 14: 1, 15: 1}
    assert figures.table("visits_by_hour").rows == tuple(
        (f"{h:02d}时", counts.get(h, 0)) for h in range(2, 16))
    assert figures.table("visits_by_weekday").rows == (
        ("周一", 0), ("周二", 4), ("周三", 4), ("周四", 0), ("周五", 0), ("周六", 0), ("周日", 0))


def test_visits_by_department(built: Hall) -> None:
    """部门 is where the visit went in the end: C's wage claim counts for the court."""
    table = built.stats.figures("mgr01", PERIOD).table("visits_by_department")
    # name: visits, first, repeat (same), repeat (other), collective, collective people
    assert table.rows[0] == ("市人社局", 2, 1, 1, 0, 0, 0)
    assert {r[0]: r[1:] for r in table.rows} == {
        "市人社局": (2, 1, 1, 0, 0, 0),
        "市中级人民法院": (1, 1, 0, 0, 0, 0),
        "市民政局": (1, 0, 0, 1, 0, 0),
        "市住建局": (1, 1, 0, 0, 1, 8),
        "信访局综合接待": (1, 1, 0, 0, 0, 0),
        "市自然资源局": (1, 0, 0, 1, 0, 0),
        "市纪委监委": (1, 1, 0, 0, 0, 0),
    }


def test_visits_by_category_district_and_priority(built: Hall) -> None:
    figures = built.stats.figures("mgr01", PERIOD)
    assert dict(figures.table("visits_by_category").rows) == {
        "农民工工资": 3, "民政救助": 1, "城建与征收拆迁": 1, "政策咨询": 1,
        "土地使用与违法用地": 1, "检举控告（反映干部问题）": 1}
    assert figures.table("visits_by_category").rows[0] == ("农民工工资", 3)
    assert dict(figures.table("visits_by_district").rows) == {
        "城东区": 2, "江北区": 2, "江南区": 1, "临河县": 1, "高新区": 1, "青山县": 1}
    assert dict(figures.table("visits_by_priority").rows) == {
        "普通": 6, "残疾人": 1, "老年人": 1}


def test_filters(built: Hall) -> None:
    assert _headlines(built, Filters(department="hrss")) == {
        "visits": 2, "visitors": 2, "people": 2, "first_visits": 1, "repeat_same": 1,
        "repeat_other": 0, "collective_visits": 0, "collective_people": 0,
        "representatives": 0}
    assert _headlines(built, Filters(department="court"))["visits"] == 1
    assert _headlines(built, Filters(category="wages")) == {
        "visits": 3, "visitors": 3, "people": 3, "first_visits": 2, "repeat_same": 1,
        "repeat_other": 0, "collective_visits": 0, "collective_people": 0,
        "representatives": 0}
    assert _headlines(built, Filters(district="jiangbei")) == {
        "visits": 2, "visitors": 1, "people": 2, "first_visits": 0, "repeat_same": 1,
        "repeat_other": 1, "collective_visits": 0, "collective_people": 0,
        "representatives": 0}
    assert _headlines(built, Filters(district="linhe")) == {
        "visits": 1, "visitors": 1, "people": 8, "first_visits": 1, "repeat_same": 0,
        "repeat_other": 0, "collective_visits": 1, "collective_people": 8,
        "representatives": 3}
    day = built.stats.figures("mgr01", PERIOD, Filters(department="hrss")).table(
        "visits_by_day")
    assert day.rows == (("2026-12-01", 1, 1, 0, 1), ("2026-12-02", 1, 1, 1, 0))


def test_an_empty_period_and_bad_filters(built: Hall) -> None:
    empty = range_period(date(2026, 10, 1), date(2026, 10, 3), date(2026, 12, 3))
    figures = built.stats.figures("mgr01", empty)
    assert figures.value("visits") == 0 and figures.value("visitors") == 0
    assert figures.table("visits_by_hour").rows == ()
    assert [r[1:] for r in figures.table("visits_by_day").rows] == [(0, 0, 0, 0)] * 3
    with pytest.raises(FormError) as caught:
        built.stats.figures("mgr01", PERIOD, Filters(department="nope", district="mars"))
    assert set(caught.value.errors) == {"department", "district"}
