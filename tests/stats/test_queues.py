"""The queue figures (issue 13 §1) against a hand-built day whose answers are worked out below.

The scene (:func:`scene`) is built through the facade at chosen times (the hall's local time,
Asia/Shanghai; business days roll over at 03:00). The period is Mon 23 – Tue 24 November 2026.

=====  ==========================  ========  =========================================  ========
ticket issued (local)              category  what happens                               in?
=====  ==========================  ========  =========================================  ========
T0     Mon 23 02:30 (day 22)       wages     w7 call 02:40, finish 02:50 不予受理/复议  no
H      Mon 23 07:30 (23:30 UTC)    litig.    w4 call 07:40, finish 07:52 当场答复       yes
A      Mon 23 09:00                wages     w7 call 09:10, transfer → xfj 09:12;       yes
                                             w1 call 09:13, finish 09:20 当场答复
B      Mon 23 09:02                policy    w1 call 09:21, recall 09:22, 过号 09:27,   yes
                                             requeue 09:30; w2 call 09:31,
                                             finish 09:45:20 不予受理/诉讼
C      Mon 23 09:04                wages     w7 call 09:50:30, recall 09:51, interview  yes
                                             09:52, finish 10:05:30 电话联系
D      Mon 23 09:05                demol.    w8 call 09:55, finish 10:00 不再受理/仲裁   yes
G      Tue 24 10:00                policy    never called                               yes
E      Wed 25 01:00 (day 24)       wages     w7 call 01:03, finish 01:10 不予受理/诉讼   yes
F      Wed 25 09:00                wages     w7 call 09:01, finish 09:02 当场答复       no
=====  ==========================  ========  =========================================  ========

Waiting (issue → FIRST call), seconds: H 600, A 600 (not 780: the call after the transfer),
B 1140 (not 1740: the call after the requeue), C 2790, D 3000, E 180.
Service (the last call before the finish → finish): H 720, A 420 (not 600 from its first call),
B 860 (not 1460), C 900 (the recall does not restart it: not 870), D 300, E 420.
"""

from __future__ import annotations

import logging
import math
from datetime import date, datetime, timedelta, timezone

import pytest

from hall import Hall
from hall.clock import FixedClock
from hall.errors import NotAllowed
from hall.stats import Figures, Filters, range_period
from hall.stats.outcomes import section as outcomes_section
from hall.stats.query import Query
from hall.stats.queues import section as queues_section
from tests.helpers import distinct_id, form

CST = timezone(timedelta(hours=8))
PERIOD = range_period("2026-11-23", "2026-11-24", today=date(2026, 11, 30))


def at(day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=CST)


class Scene:
    """Builds tickets through the facade, moving the clock to each act's time."""

    def __init__(self, hall: Hall, clock: FixedClock) -> None:
        self.hall, self.clock, self.n = hall, clock, 0

    def issue(self, when: datetime, category: str) -> str:
        self.clock.set(when)
        self.n += 1
        return self.hall.desk.issue(form(id_number=distinct_id(self.n), category=category),
                                    actor="desk01").number

    def call(self, when: datetime, window: int) -> str:
        self.clock.set(when)
        notice = self.hall.windows.call_next(window, f"win{window:02d}")
        assert notice is not None
        return notice.number

    def finish(self, when: datetime, window: int, outcome: str, channel: str = "") -> None:
        self.clock.set(when)
        self.hall.windows.finish(window, outcome, f"win{window:02d}", note="接谈",
                                 reason="不属于信访受理范围" if channel else "", channel=channel)

    def served(self, issued: datetime, category: str, window: int, called: datetime,
               finished: datetime, outcome: str, channel: str = "") -> str:
        number = self.issue(issued, category)
        assert self.call(called, window) == number
        self.finish(finished, window, outcome, channel)
        return number


def scene(hall: Hall, clock: FixedClock) -> None:
    """The tickets of the table in the module's docstring."""
    s = Scene(hall, clock)
    w = hall.windows
    s.served(at(23, 2, 30), "wages", 7, at(23, 2, 40), at(23, 2, 50), "rejected", "复议")  # T0
    s.served(at(23, 7, 30), "litigation", 4, at(23, 7, 40), at(23, 7, 52), "answered")  # H
    a = s.issue(at(23, 9, 0), "wages")
    b = s.issue(at(23, 9, 2), "policy")
    c = s.issue(at(23, 9, 4), "wages")
    d = s.issue(at(23, 9, 5), "demolition")
    assert s.call(at(23, 9, 10), 7) == a
    clock.set(at(23, 9, 12))
    w.transfer(7, "xfj", "win07", note="属综合接待")
    assert s.call(at(23, 9, 13), 1) == a  # keeps its place ahead of B
    s.finish(at(23, 9, 20), 1, "answered")
    assert s.call(at(23, 9, 21), 1) == b
    clock.set(at(23, 9, 22))
    w.recall(1, "win01")
    clock.set(at(23, 9, 27))
    assert w.no_show(1, "win01") == b
    clock.set(at(23, 9, 30))
    w.requeue(b, "win01")
    assert s.call(at(23, 9, 31), 2) == b
    s.finish(at(23, 9, 45, 20), 2, "rejected", "诉讼")
    assert s.call(at(23, 9, 50, 30), 7) == c
    clock.set(at(23, 9, 51))
    w.recall(7, "win07")
    clock.set(at(23, 9, 52))
    w.start_interview(7, "win07")
    assert s.call(at(23, 9, 55), 8) == d
    s.finish(at(23, 10, 0), 8, "closed", "仲裁")
    s.finish(at(23, 10, 5, 30), 7, "phone")
    s.issue(at(24, 10, 0), "policy")  # G
    s.served(at(25, 1, 0), "wages", 7, at(25, 1, 3), at(25, 1, 10), "rejected", "诉讼")  # E
    s.served(at(25, 9, 0), "wages", 7, at(25, 9, 1), at(25, 9, 2), "answered")  # F
    clock.set(at(30, 9, 0))


def quantile(values: list[int], q: float) -> float:
    """The oracle: nearest rank over the sorted list, in minutes to one decimal."""
    ordered = sorted(values)
    return round(ordered[math.ceil(q * len(ordered)) - 1] / 60, 1)


def test_the_oracle_itself() -> None:
    assert quantile([180, 600, 600, 1140, 2790, 3000], 0.5) == 10.0  # the 3rd of 6
    assert quantile([180, 600, 600, 1140, 2790, 3000], 0.9) == 50.0  # the 6th of 6
    assert quantile([420, 860], 0.9) == 14.3


def figures(hall: Hall, **filters: str) -> Figures:
    return hall.stats.figures("mgr01", PERIOD, Filters(**filters))


def by_department(f: Figures) -> dict[str, tuple]:
    t = f.table("queues_by_department")
    assert t.columns == ("部门", "取号", "叫号", "办结", "过号", "转入", "转出", "等候中位（分）",
                         "等候P90（分）", "办理中位（分）", "办理P90（分）")
    return {row[0]: row[1:] for row in t.rows}


def headlines(f: Figures) -> dict[str, object]:
    keys = ("tickets_issued", "tickets_called", "tickets_finished", "no_shows", "transfers",
            "wait_median", "wait_p90", "service_median", "service_p90")
    return {k: f.value(k) for k in keys}


def test_the_period_unfiltered(hall: Hall, clock: FixedClock) -> None:
    scene(hall, clock)
    f = figures(hall)
    waits = [600, 600, 1140, 2790, 3000, 180]
    service = [720, 420, 860, 900, 300, 420]
    assert headlines(f) == {
        "tickets_issued": 7, "tickets_called": 6, "tickets_finished": 6, "no_shows": 1,
        "transfers": 1, "wait_median": quantile(waits, 0.5), "wait_p90": quantile(waits, 0.9),
        "service_median": quantile(service, 0.5), "service_p90": quantile(service, 0.9)}
    assert (quantile(waits, 0.5), quantile(waits, 0.9)) == (10.0, 50.0)
    assert (quantile(service, 0.5), quantile(service, 0.9)) == (7.0, 15.0)
    # In the configured order of departments: 信访局, 法院, 人社局, 住建局.
    assert list(by_department(f)) == ["信访局综合接待", "市中级人民法院", "市人社局", "市住建局"]
    assert by_department(f) == {
        # A (transferred in, finished) and B (过号, requeued, finished at w2); G never called.
        "信访局综合接待": (2, 2, 2, 1, 1, 0, 19.0, 19.0, 7.0, quantile([420, 860], 0.9)),
        "市中级人民法院": (1, 1, 1, 0, 0, 0, 10.0, 10.0, 12.0, 12.0),
        # A, C, E issued and called here; A sent on to 信访局, C and E finished here.
        "市人社局": (3, 3, 2, 0, 0, 1, quantile([180, 600, 2790], 0.5),
                    quantile([180, 600, 2790], 0.9), 7.0, 15.0),
        "市住建局": (1, 1, 1, 0, 0, 0, 50.0, 50.0, 5.0, 5.0),
    }
    assert by_department(f)["市人社局"][6:8] == (10.0, 46.5)
    windows = f.table("queues_by_window")
    assert windows.columns == ("窗口", "叫号", "办结", "过号", "转出", "办理中位（分）",
                               "办理P90（分）")
    assert windows.rows == (
        ("1 号窗口", 2, 1, 1, 0, 7.0, 7.0),  # A after its transfer; B (then 过号)
        ("2 号窗口", 1, 1, 0, 0, 14.3, 14.3),  # B requeued: 860 s
        ("4 号窗口", 1, 1, 0, 0, 12.0, 12.0),
        ("7 号窗口", 3, 2, 0, 1, 7.0, 15.0),  # A (sent on), C, E
        ("8 号窗口", 1, 1, 0, 0, 5.0, 5.0),
    )


def test_each_edge_of_the_period(hall: Hall, clock: FixedClock) -> None:
    """T0 (02:30 on the 23rd: the 22nd's session) and F (the 25th) are out; H (07:30 local, the
    22nd in UTC) and E (01:00 on the 25th: the 24th's session) are in."""
    scene(hall, clock)
    day = {d: hall.stats.figures("mgr01", range_period(d, d, date(2026, 11, 30)))
           for d in ("2026-11-22", "2026-11-23", "2026-11-24", "2026-11-25")}
    assert [day[d].value("tickets_issued") for d in sorted(day)] == [1, 5, 2, 1]
    assert day["2026-11-22"].value("wait_median") == 10.0  # T0: 02:30 → 02:40
    assert day["2026-11-24"].table("queues_by_department").rows == (
        ("信访局综合接待", 1, 0, 0, 0, 0, 0, None, None, None, None),  # G: no wait to measure
        ("市人社局", 1, 1, 1, 0, 0, 0, 3.0, 3.0, 7.0, 7.0),  # E
    )
    assert day["2026-11-24"].value("wait_p90") == 3.0
    assert day["2026-11-25"].table("queues_by_window").rows == (("7 号窗口", 1, 1, 0, 0, 1.0, 1.0),)
    empty = hall.stats.figures("mgr01", range_period("2026-11-26", "2026-11-26",
                                                     date(2026, 11, 30)))
    assert headlines(empty) == {
        "tickets_issued": 0, "tickets_called": 0, "tickets_finished": 0, "no_shows": 0,
        "transfers": 0, "wait_median": None, "wait_p90": None, "service_median": None,
        "service_p90": None}
    assert empty.table("queues_by_department").rows == ()
    assert empty.table("queues_by_window").rows == ()


def test_a_category_filter_follows_the_visit(hall: Hall, clock: FixedClock) -> None:
    """农民工工资: A, C, E (B, D, G, H are outside the filter), wherever A went."""
    scene(hall, clock)
    f = figures(hall, category="wages")
    assert headlines(f) == {
        "tickets_issued": 3, "tickets_called": 3, "tickets_finished": 3, "no_shows": 0,
        "transfers": 1, "wait_median": 10.0, "wait_p90": 46.5,
        "service_median": quantile([420, 900, 420], 0.5),
        "service_p90": quantile([420, 900, 420], 0.9)}
    assert by_department(f) == {
        "信访局综合接待": (0, 1, 1, 0, 1, 0, None, None, 7.0, 7.0),  # A, received and finished
        "市人社局": (3, 3, 2, 0, 0, 1, 10.0, 46.5, 7.0, 15.0),
    }
    assert f.table("queues_by_window").rows == (
        ("1 号窗口", 1, 1, 0, 0, 7.0, 7.0), ("7 号窗口", 3, 2, 0, 1, 7.0, 15.0))
    assert f.value("visits") == f.value("tickets_issued")


def test_a_department_filter_takes_the_visits_it_holds_now(hall: Hall,
                                                           clock: FixedClock) -> None:
    """信访局 holds A (transferred in), B and G now: A's life in 人社局 comes with it; 人社局
    keeps only C and E, and sent nothing on (A is no longer its visit)."""
    scene(hall, clock)
    xfj = figures(hall, department="xfj")
    assert headlines(xfj) == {
        "tickets_issued": 3, "tickets_called": 2, "tickets_finished": 2, "no_shows": 1,
        "transfers": 1, "wait_median": 10.0, "wait_p90": 19.0, "service_median": 7.0,
        "service_p90": 14.3}
    assert by_department(xfj) == {
        "信访局综合接待": (2, 2, 2, 1, 1, 0, 19.0, 19.0, 7.0, 14.3),
        "市人社局": (1, 1, 0, 0, 0, 1, 10.0, 10.0, None, None),
    }
    hrss = figures(hall, department="hrss")
    assert headlines(hrss) == {
        "tickets_issued": 2, "tickets_called": 2, "tickets_finished": 2, "no_shows": 0,
        "transfers": 0, "wait_median": 3.0, "wait_p90": 46.5, "service_median": 7.0,
        "service_p90": 15.0}
    assert by_department(hrss) == {"市人社局": (2, 2, 2, 0, 0, 0, 3.0, 46.5, 7.0, 15.0)}
    assert hrss.table("queues_by_window").rows == (("7 号窗口", 2, 2, 0, 0, 7.0, 15.0),)
    court = figures(hall, district="jiangnan")  # nobody came from 江南区
    assert court.value("tickets_issued") == 0 and court.table("queues_by_department").rows == ()


def test_a_ticket_sent_on_twice(hall: Hall, clock: FixedClock) -> None:
    """人社局 → 信访局 → 住建局: each transfer once out of the department it was called in and
    once into the next; the wait ends at the first call, the service starts at the last."""
    s = Scene(hall, clock)
    number = s.issue(at(23, 9, 0), "wages")
    assert s.call(at(23, 9, 5), 7) == number
    clock.set(at(23, 9, 6))
    hall.windows.transfer(7, "xfj", "win07")
    assert s.call(at(23, 9, 8), 1) == number
    clock.set(at(23, 9, 10))
    hall.windows.transfer(1, "housing", "win01")
    assert s.call(at(23, 9, 12), 8) == number
    s.finish(at(23, 9, 20), 8, "answered")
    f = figures(hall)
    assert headlines(f) == {
        "tickets_issued": 1, "tickets_called": 1, "tickets_finished": 1, "no_shows": 0,
        "transfers": 2, "wait_median": 5.0, "wait_p90": 5.0, "service_median": 8.0,
        "service_p90": 8.0}
    assert by_department(f) == {
        "信访局综合接待": (0, 1, 0, 0, 1, 1, None, None, None, None),
        "市人社局": (1, 1, 0, 0, 0, 1, 5.0, 5.0, None, None),
        "市住建局": (0, 1, 1, 0, 1, 0, None, None, 8.0, 8.0),
    }
    assert f.table("queues_by_window").rows == (
        ("1 号窗口", 1, 0, 0, 1, None, None), ("7 号窗口", 1, 0, 0, 1, None, None),
        ("8 号窗口", 1, 1, 0, 0, 8.0, 8.0))


def test_times_count_in_whole_seconds_of_the_clock_on_both_engines(hall: Hall,
                                                                  clock: FixedClock) -> None:
    """A real clock has fractions of a second: each time is cut to its whole second before the
    difference (as SQLite's strftime('%s') does), so issued 09:00:00.7 and called 09:00:03.2
    wait 3 s (0.05 min, shown 0.1), not 2 s (a rounding of each time: 0.0) nor 2.5 s."""
    s = Scene(hall, clock)
    number = s.issue(at(23, 9, 0).replace(microsecond=700_000), "wages")
    assert s.call(at(23, 9, 0, 3).replace(microsecond=200_000), 7) == number
    s.finish(at(23, 9, 0, 9).replace(microsecond=900_000), 7, "answered")  # 6 s: 0.1 min
    got = headlines(figures(hall))
    assert (got["wait_median"], got["service_median"]) == (0.1, 0.1)


def test_the_figures_are_managers(hall: Hall, clock: FixedClock) -> None:
    scene(hall, clock)
    with pytest.raises(NotAllowed):
        hall.stats.figures("win07", PERIOD)


def statements(hall: Hall) -> int:
    """How many SQL statements the queue and outcome sections run for the period."""
    seen: list[logging.LogRecord] = []

    class Count(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    logger = logging.getLogger("peewee")
    handler, level = Count(logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        q = Query(hall.store, PERIOD, Filters())
        with hall.store.connection():
            queues_section(q)
            outcomes_section(q)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return len(seen)


def busy(hall: Hall, clock: FixedClock, first: int, count: int) -> None:
    """``count`` tickets of 23 November, each called and finished (every other one after a
    transfer), from ``first`` on."""
    s = Scene(hall, clock)
    s.n = first
    for i in range(count):
        when = at(23, 10, 0) + timedelta(minutes=5 * (first + i))
        number = s.issue(when, "wages")
        assert s.call(when + timedelta(minutes=1), 7) == number
        if i % 2:
            clock.set(when + timedelta(minutes=2))
            hall.windows.transfer(7, "xfj", "win07")
            assert s.call(when + timedelta(minutes=3), 1) == number
            s.finish(when + timedelta(minutes=4), 1, "rejected", "诉讼")
        else:
            s.finish(when + timedelta(minutes=4), 7, "answered")


def test_the_figures_load_no_rows(hall: Hall, clock: FixedClock) -> None:
    """The same number of statements for 6 tickets as for 12: grouped queries, no row per
    ticket (a per-ticket read would add one statement per ticket)."""
    busy(hall, clock, 0, 6)
    few = statements(hall)
    six = hall.stats.figures("mgr01", PERIOD)
    busy(hall, clock, 6, 6)
    many = statements(hall)
    twelve = hall.stats.figures("mgr01", PERIOD)
    assert (six.value("tickets_finished"), twelve.value("tickets_finished")) == (6, 12)
    assert (six.value("transfers"), twelve.value("transfers")) == (3, 6)
    assert few == many
    assert few <= 10
