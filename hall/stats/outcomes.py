"""Outcomes (办理方式) and refusals: how the hall's windows finished its visits.

- ``outcomes``: the finished visits of the period (a visit is in the period by its business day,
  as everywhere in the figures; finished: a window gave it an outcome,
  :meth:`hall.windows.Windows.finish_visit`) by 办理方式, every configured outcome in the
  configured order (none finished that way: 0), then any code no longer configured; with its
  share of the finished visits (占比, % to one decimal). Under no filter they add up to the
  queue's ``tickets_finished``: each visit has one ticket, finished once.
- ``refusals``: the finished visits whose outcome is a refusal (configured ``refusal: true``:
  不予受理, 不再受理) by outcome and by the channel the visitor was told to turn to (告知渠道,
  the window's free text, :attr:`models.Visit.outcome_channel`; 「未填」 when none was kept),
  most first. A case refused later (``hall.cases.refuse``) is the cases' figure, not counted
  here: it counts cases (件), these count visits (人次).

Filters narrow the visits (:meth:`hall.stats.query.Query.visits`); both tables are one grouped
query each.
"""

from __future__ import annotations

from peewee import fn

from hall.stats.query import Query, Section
from hall.stats.views import Chart, Table, share
from models import Visit

__all__ = ["section"]


def section(q: Query) -> Section:
    """The outcomes and refusals tables."""
    finished = q.visits() & (Visit.outcome != "")
    counts = {code: int(n) for code, n in (
        Visit.select(Visit.outcome, fn.COUNT(Visit.id)).where(finished)
        .group_by(Visit.outcome).tuples())}
    total = sum(counts.values())
    configured = [o.code for o in q.config.outcomes]
    names = {o.code: o.name for o in q.config.outcomes}
    codes = configured + sorted(set(counts) - set(configured))
    rows = tuple((names.get(code, code), counts.get(code, 0), share(counts.get(code, 0), total))
                 for code in codes)

    refusing = [o.code for o in q.config.outcomes if o.refusal]
    refused = (Visit.select(Visit.outcome, Visit.outcome_channel, fn.COUNT(Visit.id))
               .where(finished & Visit.outcome.in_(refusing))
               .group_by(Visit.outcome, Visit.outcome_channel).tuples()) if refusing else []
    place = {code: i for i, code in enumerate(refusing)}
    refusals = sorted(((code, channel or "", int(n)) for code, channel, n in refused),
                      key=lambda r: (place[r[0]], -r[2], r[1]))
    out = Section()
    out.tables.append(Table(
        "outcomes", "办理方式", ("办理方式", "人次", "占比（%）"), rows, Chart("bar", 0, (1,)),
        f"已办结来访共 {total} 人次，按办结时选定的办理方式计"))
    out.tables.append(Table(
        "refusals", "不予受理与不再受理", ("办理方式", "告知渠道", "人次"),
        tuple((names[code], channel or "未填", n) for code, channel, n in refusals),
        None, "告知渠道为窗口办结时填写的、告知来访人的法定途径"))
    return out
