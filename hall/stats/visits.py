"""Visits and visitors: how many came, first or again, alone or together, when and from where.

- 来访人次 (visits), 来访人数 (distinct visitors), 涉及人数 (the people they came with: a
  collective visit of 30 is one visit, 30 people);
- 初访 (first visits: no earlier visit on file that counts for the department, as the desk
  marked it), 重复访（同一事项） (a repeat visit linked to a case opened before it, the desk's
  同一事项 pick) and 重复访（其他事项） (a repeat visit about something else);
- 集体访 (visits of at least the configured threshold of people, ``collective.threshold``, as
  configured now), their people and named representatives;
- priority groups (优先类别); and visits by day, hour of day (the hall's local time), weekday,
  department, category and district.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import peewee as pw
from peewee import fn

from hall.stats.query import Query, Section
from hall.stats.views import Chart, Headline, Table
from models import Case, CaseVisit, Representative, Visit

__all__ = ["section"]

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def section(q: Query) -> Section:
    """The visits' headlines and tables."""
    out = Section()
    threshold = q.config.collective.threshold
    collective = pw.Case(None, [(Visit.people >= threshold, 1)], 0)
    collective_people = pw.Case(None, [(Visit.people >= threshold, Visit.people)], 0)
    repeat = pw.Case(None, [(Visit.is_repeat, 1)], 0)

    by_day: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])  # visits, people, repeats
    by_hour: Counter[int] = Counter()
    hour_utc = q.utc_hour(Visit.registered_at)
    hourly = (Visit.select(Visit.business_day, hour_utc, fn.COUNT(Visit.id),
                           fn.SUM(Visit.people), fn.SUM(repeat))
              .where(q.visits()).group_by(Visit.business_day, hour_utc).tuples())
    for day, hour, count, people, repeats in hourly:
        day = _day(day)
        row = by_day[day]
        row[0] += count
        row[1] += int(people or 0)
        row[2] += int(repeats or 0)
        by_hour[q.local_hour(day, int(hour))] += count
    visits = sum(r[0] for r in by_day.values())
    repeats = sum(r[2] for r in by_day.values())

    same: Counter[str] = Counter(dict(
        Visit.select(Visit.department, fn.COUNT(fn.DISTINCT(Visit.id)))
        .join(CaseVisit, on=CaseVisit.visit == Visit.id)
        .join(Case, on=CaseVisit.case == Case.id)
        .where(q.visits() & Visit.is_repeat
               & (Case.visit.is_null() | (Case.visit != Visit.id)))
        .group_by(Visit.department).tuples()))

    per_department = list(
        Visit.select(Visit.department, fn.COUNT(Visit.id), fn.SUM(repeat), fn.SUM(collective),
                     fn.SUM(collective_people), fn.SUM(Visit.people))
        .where(q.visits()).group_by(Visit.department).tuples())
    visitors = (Visit.select(fn.COUNT(fn.DISTINCT(Visit.visitor))).where(q.visits()).scalar()
                or 0)
    representatives = (Representative.select(fn.COUNT(Representative.id))
                       .join(Visit, on=Representative.visit == Visit.id)
                       .where(q.visits()).scalar() or 0)
    collective_visits = sum(int(r[3] or 0) for r in per_department)
    collective_heads = sum(int(r[4] or 0) for r in per_department)
    same_total = sum(same.values())

    out.headlines += [
        Headline("visits", "来访人次", visits, "人次"),
        Headline("visitors", "来访人数", int(visitors), "人"),
        Headline("people", "涉及人数", sum(r[1] for r in by_day.values()), "人"),
        Headline("first_visits", "初访", visits - repeats, "人次"),
        Headline("repeat_same", "重复访（同一事项）", same_total, "人次"),
        Headline("repeat_other", "重复访（其他事项）", repeats - same_total, "人次"),
        Headline("collective_visits", "集体访", collective_visits, "批次"),
        Headline("collective_people", "集体访人数", collective_heads, "人"),
        Headline("representatives", "集体访代表", int(representatives), "人"),
    ]

    out.tables.append(Table(
        "visits_by_day", "每日来访", ("日期", "来访人次", "涉及人数", "初访", "重复访"),
        tuple((d.isoformat(), *_day_row(by_day.get(d))) for d in q.period.each_day()),
        Chart("line", 0, (1,)), "按营业日计"))
    hours = sorted(by_hour)
    span = range(hours[0], hours[-1] + 1) if hours else range(0)
    out.tables.append(Table(
        "visits_by_hour", "来访时段分布", ("时段", "来访人次"),
        tuple((f"{h:02d}时", by_hour.get(h, 0)) for h in span), Chart("bar"),
        f"按登记时间（{q.config.hall.timezone}）的小时计"))
    weekdays: Counter[int] = Counter()
    for d, row in by_day.items():
        weekdays[d.weekday()] += row[0]
    out.tables.append(Table(
        "visits_by_weekday", "来访星期分布", ("星期", "来访人次"),
        tuple((WEEKDAYS[i], weekdays.get(i, 0)) for i in range(7)), Chart("bar")))

    rows = []
    for dept, count, rep, coll, coll_people, _people in sorted(per_department,
                                                             key=lambda r: (-r[1], r[0])):
        rep, s = int(rep or 0), same.get(dept, 0)
        rows.append((q.department_name(dept), count, count - rep, s, rep - s, int(coll or 0),
                     int(coll_people or 0)))
    out.tables.append(Table(
        "visits_by_department", "各部门来访",
        ("部门", "来访人次", "初访", "重复访（同一事项）", "重复访（其他事项）", "集体访",
         "集体访人数"), tuple(rows), Chart("bar", 0, (2, 3, 4), stacked=True),
        "部门为来访最终分流到的部门（转办后以接收部门计）"))

    out.tables.append(_grouped(q, "visits_by_category", "各类别来访", "类别", Visit.category,
                               q.category_name))
    out.tables.append(_grouped(q, "visits_by_district", "各属地来访", "属地", Visit.district,
                               q.district_name))
    groups = {g.code: g.name for g in q.config.priority_groups}
    out.tables.append(_grouped(
        q, "visits_by_priority", "优先类别来访", "优先类别", Visit.priority,
        lambda code: groups.get(code, code) if code else "普通", chart=False))
    return out


def _grouped(q: Query, key: str, title: str, name: str, column: pw.Field, label,
             chart: bool = True) -> Table:
    """Visits counted by one column, most first."""
    rows = (Visit.select(column, fn.COUNT(Visit.id)).where(q.visits())
            .group_by(column).tuples())
    ordered = sorted(((label(code), int(n)) for code, n in rows), key=lambda r: (-r[1], r[0]))
    return Table(key, title, (name, "来访人次"), tuple(ordered), Chart("bar") if chart else None)


def _day_row(row: list[int] | None) -> tuple[int, int, int, int]:
    visits, people, repeats = row or (0, 0, 0)
    return visits, people, visits - repeats, repeats


def _day(value: date | str) -> date:
    """A business day as the driver returns it (SQLite: sometimes text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
