"""Case deadlines (issue 12 §4): :func:`hall.cases.deadlines.due` against dates worked out by hand,
and the overdue mark at the boundary instant through the facade.

The oracle is the State Council's published holiday schedules (国务院办公厅关于节假日安排的通知),
written out here and checked against chinese-calendar's data for the same years (the test
``test_the_calendar_data_is_the_published_schedule`` fails if an upgrade of the package changes
them, so every date below stays derived from what is written here, not from the code):

2025: 元旦 1-01; 春节 1-28…2-04 (调休 work: Sun 1-26, Sat 2-08); 清明 4-04…4-06; 劳动节
5-01…5-05 (work: Sun 4-27); 端午 5-31…6-02; 国庆/中秋 10-01…10-08 (work: Sun 9-28, Sat 10-11).
2026: 元旦 1-01…1-03 (work: Sun 1-04); 春节 2-15…2-23 (work: Sat 2-14, Sat 2-28); 清明
4-04…4-06; 劳动节 5-01…5-05 (work: Sat 5-09); 端午 6-19…6-21; 中秋 9-25…9-27; 国庆 10-01…10-07
(work: Sun 9-20, Sat 10-10).
2024 (only February is used): 春节 2-10…2-17 (work: Sun 2-04, Sun 2-18).
2027 and 2028: no data yet; the fallback is Monday to Friday less 1-01, 5-01, 5-02, 10-01…10-03,
and ``known`` is False.

Weekdays used below (anchor: Monday 2026-11-23, the tests' clock): 2026-01-04 Sun, 01-30 Fri,
02-12 Thu, 02-14 Sat, 02-24 Tue, 02-28 Sat, 03-02 Mon, 09-18 Fri, 09-20 Sun, 10-08 Thu, 10-10 Sat,
12-08 Tue, 12-14 Mon, 12-31 Thu; 2027-01-01 Fri, 01-04 Mon, 09-29 Wed, 10-01 Fri, 10-04 Mon;
2025-01-20 Mon, 01-26 Sun, 02-05 Wed, 09-26 Fri, 09-28 Sun, 09-29 Mon, 10-09 Thu, 10-11 Sat;
2024-02-28 Wed, 02-29 Thu; 2028-02-28 Mon, 02-29 Tue.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from chinese_calendar import constants as published

from hall import Hall
from hall.cases.deadlines import MAX_DAYS, days_left, due, overdue
from hall.clock import FixedClock
from tests.helpers import distinct_id, form

CST = timezone(timedelta(hours=8))
D = date


def test_the_calendar_data_is_the_published_schedule() -> None:
    """The oracle's premise: the package's data for 2025 and 2026 is the schedule written in the
    module docstring (days off beyond weekends, and the 调休 working weekends)."""
    def days(table: dict[date, str], year: int) -> set[date]:
        return {d for d in table if d.year == year}

    def run(first: date, last: date) -> set[date]:
        return {first + timedelta(n) for n in range((last - first).days + 1)}

    assert days(published.holidays, 2025) == (
        {D(2025, 1, 1)} | run(D(2025, 1, 28), D(2025, 2, 4)) | run(D(2025, 4, 4), D(2025, 4, 6))
        | run(D(2025, 5, 1), D(2025, 5, 5)) | run(D(2025, 5, 31), D(2025, 6, 2))
        | run(D(2025, 10, 1), D(2025, 10, 8)))
    assert days(published.workdays, 2025) == {D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27),
                                              D(2025, 9, 28), D(2025, 10, 11)}
    assert days(published.holidays, 2026) == (
        run(D(2026, 1, 1), D(2026, 1, 3)) | run(D(2026, 2, 15), D(2026, 2, 23))
        | run(D(2026, 4, 4), D(2026, 4, 6)) | run(D(2026, 5, 1), D(2026, 5, 5))
        | run(D(2026, 6, 19), D(2026, 6, 21)) | run(D(2026, 9, 25), D(2026, 9, 27))
        | run(D(2026, 10, 1), D(2026, 10, 7)))
    assert days(published.workdays, 2026) == {D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28),
                                              D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)}
    assert not days(published.holidays, 2027) and not days(published.workdays, 2027)


# (start, days, expected last day, known): calendar days, start + N, a day off moves on.
CALENDAR = [
    # 09-20 + 15 = 10-05, inside 国庆 10-01…10-07: the period ends on Thu 10-08.
    (D(2026, 9, 20), 15, D(2026, 10, 8), True),
    # Jan 31 + 30: 2026 is no leap year, Feb has 28 days: Jan 31 + 28 = Feb 28, + 2 = Mon 03-02.
    (D(2026, 1, 31), 30, D(2026, 3, 2), True),
    # Jan 31 + 1 = Sun 02-01, a weekend: Mon 02-02.
    (D(2026, 1, 31), 1, D(2026, 2, 2), True),
    # Feb 28 2026 + 1 = Sun 03-01 (no Feb 29): Mon 03-02.
    (D(2026, 2, 28), 1, D(2026, 3, 2), True),
    # 2024 is a leap year: Wed 02-28 + 1 = Thu 02-29, a working day.
    (D(2024, 2, 28), 1, D(2024, 2, 29), True),
    # 春节 2026: Fri 02-13 + 1 = Sat 02-14, a 调休 working Saturday: it stays.
    (D(2026, 2, 13), 1, D(2026, 2, 14), True),
    # Fri 02-13 + 2 = 02-15, 春节 runs to 02-23: Tue 02-24.
    (D(2026, 2, 13), 2, D(2026, 2, 24), True),
    # 春节 2025: Mon 01-20 + 6 = Sun 01-26, a 调休 working Sunday: it stays.
    (D(2025, 1, 20), 6, D(2025, 1, 26), True),
    # Mon 01-20 + 8 = 01-28 (除夕), 春节 runs to 02-04: Wed 02-05.
    (D(2025, 1, 20), 8, D(2025, 2, 5), True),
    # Year end: 2025-12-31 + 1 = 2026-01-01 (元旦 01-01…01-03), Sun 01-04 is a 调休 working day.
    (D(2025, 12, 31), 1, D(2026, 1, 4), True),
    # Mon 11-23 + 15 = Tue 12-08 (no holiday): the acceptance notice of a case opened today.
    (D(2026, 11, 23), 15, D(2026, 12, 8), True),
    # Into 2027 (no data): 12-20 + 15 = Mon 2027-01-04, a weekday: unchecked.
    (D(2026, 12, 20), 15, D(2027, 1, 4), False),
    # 2026-12-31 + 1 = Fri 2027-01-01 (元旦, fixed by law), then the weekend: Mon 01-04.
    (D(2026, 12, 31), 1, D(2027, 1, 4), False),
    # Fallback's fixed 国庆 (10-01…10-03): Wed 2027-09-29 + 2 = Fri 10-01 → Mon 10-04.
    (D(2027, 9, 29), 2, D(2027, 10, 4), False),
    # 2028, a leap year with no data: Mon 02-28 + 1 = Tue 02-29.
    (D(2028, 2, 28), 1, D(2028, 2, 29), False),
    # Mon 11-23 + 60: Nov 30 is +7, Dec 31 +38, Jan 22 +60, a Friday in 2027: unchecked.
    (D(2026, 11, 23), 60, D(2027, 1, 22), False),
]

# (start, days, expected, known): the Nth working day after start (调休 weekends count).
WORKING = [
    # 国庆 2026: Wed 09-30; 10-01…10-07 off; Thu 10-08 (1), Fri 10-09 (2), Sat 10-10 调休 (3).
    (D(2026, 9, 30), 3, D(2026, 10, 10), True),
    # Fri 09-18: Sat 09-19 off, Sun 09-20 is a 调休 working day (1).
    (D(2026, 9, 18), 1, D(2026, 9, 20), True),
    # 春节 2026 from Thu 02-12: Fri 02-13 (1), Sat 02-14 调休 (2).
    (D(2026, 2, 12), 2, D(2026, 2, 14), True),
    # … 02-15…02-23 off, Tue 02-24 (3).
    (D(2026, 2, 12), 3, D(2026, 2, 24), True),
    # … Wed 25 (4), Thu 26 (5), Fri 27 (6), Sat 02-28 调休 (7).
    (D(2026, 2, 12), 7, D(2026, 2, 28), True),
    # Month end: Fri 01-30; Sat 01-31 and Sun 02-01 off; Mon 02-02 (1).
    (D(2026, 1, 30), 1, D(2026, 2, 2), True),
    # Year end: 2025-12-31; 01-01…01-03 off; Sun 2026-01-04 调休 (1).
    (D(2025, 12, 31), 1, D(2026, 1, 4), True),
    # 国庆 2025: Fri 09-26; Sat 09-27 off; Sun 09-28 调休 (1); Mon 09-29 (2).
    (D(2025, 9, 26), 2, D(2025, 9, 29), True),
    # Mon 09-29: Tue 09-30 (1); 10-01…10-08 off; Thu 10-09 (2), Fri 10-10 (3).
    (D(2025, 9, 29), 3, D(2025, 10, 10), True),
    # … Sat 10-11 调休 (4).
    (D(2025, 9, 29), 4, D(2025, 10, 11), True),
    # 15 working days from Mon 11-23 (no holiday): Nov 24-27 (4), Nov 30-Dec 4 (9),
    # Dec 7-11 (14), Mon 12-14 (15).
    (D(2026, 11, 23), 15, D(2026, 12, 14), True),
    # Into 2027: Thu 12-31 (1); Fri 2027-01-01 元旦 (fixed), weekend; Mon 01-04 (2), Tue 01-05 (3).
    (D(2026, 12, 30), 3, D(2027, 1, 5), False),
    # Feb 2028 (leap, no data): Mon 02-28 → Tue 02-29 (1).
    (D(2028, 2, 28), 1, D(2028, 2, 29), False),
]


@pytest.mark.parametrize(("start", "days", "expected", "known"), CALENDAR,
                         ids=[f"{s}+{n}" for s, n, _, _ in CALENDAR])
def test_calendar_days(start: date, days: int, expected: date, known: bool) -> None:
    """Kills: counting from start itself (off by one), not moving a day off on, moving a 调休
    working weekend on (a weekday test instead of the calendar), ``known`` always True."""
    assert due(start, days, "calendar") == (expected, known)


@pytest.mark.parametrize(("start", "days", "expected", "known"), WORKING,
                         ids=[f"{s}+{n}" for s, n, _, _ in WORKING])
def test_working_days(start: date, days: int, expected: date, known: bool) -> None:
    """Kills: counting the start day, not counting 调休 weekends, counting holidays, ``known``
    dropped when a year without data is crossed."""
    assert due(start, days, "working") == (expected, known)


def test_no_data_year_is_unknown_even_when_the_day_is_plain() -> None:
    """A date in 2027 that is an ordinary weekday is still unchecked (kills ``known`` computed
    only when a day was moved)."""
    assert due(D(2027, 3, 1), 1, "calendar") == (D(2027, 3, 2), False)  # Mon → Tue
    assert due(D(2027, 3, 1), 1, "working") == (D(2027, 3, 2), False)


@pytest.mark.parametrize("counting", ["calendar", "working"])
def test_zero_days_is_the_start_itself(counting: str) -> None:
    """0 days: due on the start day (kills a loop that always takes one step)."""
    assert due(D(2026, 10, 2), 0, counting) == (D(2026, 10, 2), True)  # type: ignore[arg-type]


@pytest.mark.parametrize("days", [-1, MAX_DAYS + 1, 10**9])
@pytest.mark.parametrize("counting", ["calendar", "working"])
def test_out_of_range_days_are_refused(days: int, counting: str) -> None:
    """Kills: the range check dropped or loosened (a negative period, a typo of ten years)."""
    with pytest.raises(ValueError, match=f"期限天数应在 0 至 {MAX_DAYS} 之间：{days}$"):
        due(D(2026, 1, 5), days, counting)  # type: ignore[arg-type]


def test_the_longest_period_is_counted() -> None:
    """MAX_DAYS itself is allowed (kills ``<`` for ``<=`` in the range check)."""
    assert due(D(2026, 1, 5), MAX_DAYS, "calendar")[0] >= D(2026, 1, 5) + timedelta(MAX_DAYS)


def test_an_unknown_counting_is_refused() -> None:
    """A counting that is neither calendar nor working is a programming error, not working
    days (kills the ``else`` branch taking anything)."""
    with pytest.raises(ValueError, match=r"计日方式应为 calendar 或 working：weekly$"):
        due(D(2026, 1, 5), 3, "weekly")  # type: ignore[arg-type]


def test_overdue_and_days_left_on_whole_days() -> None:
    """Kills ``>`` → ``>=`` in :func:`overdue` (due today is not overdue) and a sign flip in
    :func:`days_left`."""
    due_on = D(2026, 12, 8)
    assert not overdue(due_on, D(2026, 12, 8))
    assert overdue(due_on, D(2026, 12, 9))
    assert not overdue(None, D(2030, 1, 1))
    assert [days_left(due_on, D(2026, 12, d)) for d in (5, 8, 9)] == [3, 0, -1]


# -- overdue at the boundary instant, through the facade ------------------------------------------


def _case(hall: Hall) -> int:
    """A wage claim finished 立案交办 at 人社局's window on Mon 2026-11-23 09:00: the acceptance
    notice is due Tue 2026-12-08 (calendar days, see CALENDAR)."""
    hall.desk.issue(form(id_number=distinct_id(77)), actor="desk01")
    hall.windows.call_next(7, "win07")
    finished = hall.windows.finish_visit(7, "filed", "win07", note="立案")
    assert finished.case is not None
    return finished.case.case_id


def _numbers(hall: Hall, **filters: object) -> list[str]:
    return [c.number for c in hall.cases.list("mgr01", **filters)]


def test_overdue_from_the_first_instant_of_the_next_local_day(hall: Hall,
                                                              clock: FixedClock) -> None:
    """A case due 12-08 is not overdue at 23:59:59.999999 local on 12-08 (15:59:59.999999 UTC)
    and is at 00:00 local on 12-09 (16:00 UTC on 12-08). Kills: ``>`` → ``>=`` in the overdue
    comparison (here ``<`` → ``<=`` in the list's and the alert's ``due_on < today``), and a
    "today" taken in UTC (or from the business day, whose rollover is 03:00) instead of the
    hall's local date."""
    case_id = _case(hall)
    number = hall.cases.detail(case_id, "mgr01").summary.number
    assert hall.cases.detail(case_id, "mgr01").summary.due_on == "2026-12-08"

    clock.set(datetime(2026, 12, 8, 23, 59, 59, 999999, tzinfo=CST))
    assert _numbers(hall, overdue=True) == []
    assert (hall.cases.alert().overdue, hall.cases.alert().due_soon) == (0, 1)
    summary = hall.cases.list("mgr01")[0]
    assert (summary.overdue, summary.due_soon, summary.days_left) == (False, True, 0)

    clock.set(datetime(2026, 12, 9, 0, 0, tzinfo=CST))
    assert _numbers(hall, overdue=True) == [number]
    assert (hall.cases.alert().overdue, hall.cases.alert().due_soon) == (1, 0)
    summary = hall.cases.list("mgr01")[0]
    assert (summary.overdue, summary.due_soon, summary.days_left) == (True, False, -1)

    # The same instants told in UTC: the local date decides, not the UTC one.
    clock.set(datetime(2026, 12, 8, 15, 59, 59, 999999, tzinfo=UTC))
    assert _numbers(hall, overdue=True) == [] and hall.cases.alert().overdue == 0
    clock.set(datetime(2026, 12, 8, 16, 0, tzinfo=UTC))
    assert _numbers(hall, overdue=True) == [number] and hall.cases.alert().overdue == 1
    # Between midnight and the 03:00 rollover the business day is still the 8th: still overdue.
    clock.set(datetime(2026, 12, 9, 2, 59, tzinfo=CST))
    assert hall.cases.alert().overdue == 1


def test_due_soon_window_edges(hall: Hall, clock: FixedClock) -> None:
    """``due_soon_days`` is 3: a case due 12-08 is due soon from 00:00 on 12-05 (3 days left),
    not at 23:59:59.999999 on 12-04 (4 left). Kills ``<=`` → ``<`` in the alert's window."""
    _case(hall)
    clock.set(datetime(2026, 12, 4, 23, 59, 59, 999999, tzinfo=CST))
    assert (hall.cases.alert().overdue, hall.cases.alert().due_soon) == (0, 0)
    assert _numbers(hall, due_within=3) == []
    clock.set(datetime(2026, 12, 5, 0, 0, tzinfo=CST))
    assert (hall.cases.alert().overdue, hall.cases.alert().due_soon) == (0, 1)
    assert len(_numbers(hall, due_within=3)) == 1


def test_a_closed_case_is_never_overdue(hall: Hall, clock: FixedClock) -> None:
    """A refused case (closed at once) has no due date: long after, it is neither overdue nor
    in the alert (kills the ``open`` filter dropped from the overdue list and the alert)."""
    case_id = _case(hall)
    hall.cases.refuse(case_id, "rejected", "属于诉讼事项", "向人民法院起诉", "mgr01")
    clock.set(datetime(2027, 6, 1, 9, 0, tzinfo=CST))
    assert _numbers(hall, overdue=True) == []
    assert (hall.cases.alert().overdue, hall.cases.alert().due_soon) == (0, 0)



def test_a_refusal_names_the_state_and_the_steps_it_allows() -> None:
    """The refusal's words, worked out from the table by hand: an accepted case may not be
    accepted again; a state the table doesn't know (a row written by a later version) is named
    by its code and allows nothing."""
    from hall.cases.states import refusal_text

    assert refusal_text("accept", "accepted") == (
        "案件当前为“已受理”，不能受理告知；可进行的操作：交办、答复、督办、申请延期、批准延期、"
        "不批准延期、领导包案、备注")
    assert refusal_text("accept", "archived") == (
        "案件当前为“archived”，不能受理告知；可进行的操作：无")
