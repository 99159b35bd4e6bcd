"""Leader reception days (领导接待日) and 包案 by leader.

Reception days are in a period by their date; each leader (and the duty lawyer) of the roster has
one line, named as the roster names them now (retired ones too):

- 接待日: every day of the leader's in the period, whatever became of it (planned ones too);
- 已举行 / 已失效 / 已取消: what the day shows, by the one rule of the reception lists
  (:func:`hall.leaders.views.shown_status`): held once a booked visitor checked in; a published
  day gone by without that was held if it took walk-ins and the room called someone that day,
  else it lapsed (未举行); cancelled days with their reason. A day still to come is in none;
- 预约: the bookings made for the leader's days, less those moved to another day (已改约: the
  booking counts on the day it moved to), whatever became of them (cancelled by the visitor or
  with the day included): demand, not attendance;
- 到场: bookings checked in (签到); 候补: bookings that went onto the waiting list when made
  (some got a place later).

包案 by leader: the cases with a leader in charge opened in the period (under the cases'
filters, :func:`hall.stats.cases.case_condition`), and of them 已办结 (state 办结); plus the
包案 recorded before cases existed (``leader_case`` rows, a distinct record: no case was made of
them) taken in the period, which have no state and so are never 已办结, and are left out when a
filter is set (they hang off no visit).

Filters: the department filter keeps the days of that reception department (the leader's room);
category and district do not narrow reception days (a day is not about one matter).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import peewee as pw
from peewee import fn

from hall.leaders.shared import LeaderState
from hall.leaders.views import shown_status
from hall.stats.cases import case_condition
from hall.stats.query import Query, Section
from hall.stats.views import Chart, Headline, Table
from models import BookingEvent, Case, LeaderBooking, LeaderCase, LeaderDay, Ticket

__all__ = ["section"]

DAY_COLUMNS = ("接待人", "接待日", "已举行", "已失效", "已取消", "预约", "到场", "候补")


def _flag(cond: pw.Expression) -> pw.Node:
    return fn.SUM(pw.Case(None, [(cond, 1)], 0))


def section(q: Query) -> Section:
    """The reception days' and 包案's headlines and tables."""
    state = LeaderState(q.store)
    labels = state.labels()
    today = q.store.today()
    in_period = (LeaderDay.date >= q.start) & (LeaderDay.date <= q.end)
    if q.filters.department:
        in_period &= LeaderDay.department == q.filters.department

    # the walk-in rule of shown_status: did the room call anyone on a published walk-in day
    called = Ticket.select(Ticket.id).where(
        (Ticket.department == LeaderDay.department) & (Ticket.business_day == LeaderDay.date)
        & Ticket.called_at.is_null(False))
    received = pw.Case(None, [((LeaderDay.walk_ins == True) & fn.EXISTS(called), 1)],  # noqa: E712
                       0)
    days: dict[str, Counter[str]] = defaultdict(Counter)
    for leader, status, on, got, count in (
            LeaderDay.select(LeaderDay.leader, LeaderDay.status, LeaderDay.date, received,
                             fn.COUNT(LeaderDay.id))
            .where(in_period)
            .group_by(LeaderDay.leader, LeaderDay.status, LeaderDay.date, LeaderDay.department,
                      LeaderDay.walk_ins).tuples()):
        shown = shown_status(status, _day(on), today, bool(got))
        days[leader]["days"] += count
        days[leader][shown] += count

    placed = (BookingEvent.select(BookingEvent.booking)
              .where(BookingEvent.kind == "waitlisted"))
    for leader, booked, attended, waited in (
            LeaderBooking.select(LeaderDay.leader,
                                 _flag(LeaderBooking.status != "rescheduled"),
                                 _flag(LeaderBooking.status == "checked_in"),
                                 _flag((LeaderBooking.status != "rescheduled")
                                       & LeaderBooking.id.in_(placed)))
            .join(LeaderDay, on=(LeaderBooking.day == LeaderDay.id))
            .where(in_period).group_by(LeaderDay.leader).tuples()):
        line = days[leader]
        line["bookings"] += int(booked or 0)
        line["attended"] += int(attended or 0)
        line["waitlisted"] += int(waited or 0)

    rows = []
    for leader, c in days.items():
        rows.append((labels.get(leader, leader), c["days"], c["held"], c["lapsed"],
                     c["cancelled"], c["bookings"], c["attended"], c["waitlisted"]))
    rows.sort(key=lambda r: (-r[1], r[0]))

    led: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for leader, count, closed in (
            Case.select(Case.leader, fn.COUNT(Case.id), _flag(Case.state == "closed"))
            .where(case_condition(q) & (Case.leader != "")).group_by(Case.leader).tuples()):
        led[leader][0] += int(count)
        led[leader][1] += int(closed or 0)
    if not q.filtered:
        for leader, count in (
                LeaderCase.select(LeaderCase.leader, fn.COUNT(LeaderCase.id))
                .where((LeaderCase.taken_on >= q.start) & (LeaderCase.taken_on <= q.end))
                .group_by(LeaderCase.leader).tuples()):
            led[leader][0] += int(count)
    cases = sorted(((labels.get(code, code), n, done) for code, (n, done) in led.items()),
                   key=lambda r: (-r[1], r[0]))

    out = Section()
    out.headlines += [
        Headline("reception_days_held", "领导接待日（已举行）",
                 sum(c["held"] for c in days.values()), "场"),
        Headline("bookings", "接待日预约", sum(c["bookings"] for c in days.values()), "人次"),
        Headline("attended", "预约到场", sum(c["attended"] for c in days.values()), "人次"),
    ]
    out.tables.append(Table(
        "reception_days", "领导接待日", DAY_COLUMNS, tuple(rows), Chart("bar", 0, (2, 3, 4),
                                                                     stacked=True),
        "按接待日日期计；预约不含改约到其他日期的；候补为预约时进入候补名单的"))
    out.tables.append(Table(
        "leader_cases", "领导包案", ("领导", "包案", "已办结"), tuple(cases),
        Chart("bar", 0, (1, 2)),
        "本期立案的包案案件（另计本期登记的早期包案记录，无办结状态）"))
    return out


def _day(value: date | str) -> date:
    """A date as the driver returns it (SQLite: sometimes text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
