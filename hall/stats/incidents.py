"""Special situations (特殊情况) by type and severity.

Incidents are in a period by their business day (the day the hall logged them, as the day's
incident report counts them). One line per incident type, named as configured (a type no
longer configured shows by its code), with one column per severity (高 / 中 / 低, those the
configured types use, in that order) and the line's 合计. The severity is the one copied from
the type when the incident was logged: a later change of the configuration does not move old
incidents to another column (a severity no type has now gets its column while such incidents
are in the period).

Filters: when a department, category or district is set, only incidents linked to a ticket
whose visit matches count (an incident logged without a ticket belongs to no department).
"""

from __future__ import annotations

from collections import defaultdict

from peewee import fn

from config.incidents import SEVERITY_LABELS
from hall.stats.query import Query, Section
from hall.stats.views import Chart, Headline, Table
from models import Incident, Ticket, Visit

__all__ = ["section"]

SEVERITIES = tuple(SEVERITY_LABELS)
"""The severities in the order their columns are shown: high, medium, low."""


def section(q: Query) -> Section:
    """The incidents' headline and table."""
    config = q.config.incidents
    where = (Incident.business_day >= q.start) & (Incident.business_day <= q.end)
    if q.filtered:
        f = q.filters
        # the ticket and its visit by their keys, incident by incident (a period's are few)
        linked = (Ticket.select(Ticket.id).join(Visit, on=(Ticket.visit == Visit.id))
                  .where(Ticket.id == Incident.ticket))
        for column, value in ((Visit.department, f.department), (Visit.category, f.category),
                              (Visit.district, f.district)):
            if value:
                linked = linked.where(column == value)
        where &= fn.EXISTS(linked)
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for kind, severity, n in (
            Incident.select(Incident.type, Incident.severity, fn.COUNT(Incident.id))
            .where(where).group_by(Incident.type, Incident.severity).tuples()):
        counts[kind][severity] = int(n)

    used = {t.severity for t in config.types} | {s for c in counts.values() for s in c}
    severities = [s for s in SEVERITIES if s in used] + sorted(used - set(SEVERITIES))
    order = {t.code: i for i, t in enumerate(config.types)}
    rows = []
    for kind in sorted(counts, key=lambda k: (order.get(k, len(order)), k)):
        spec = config.type_of(kind)
        line = [counts[kind].get(s, 0) for s in severities]
        rows.append((spec.name if spec else kind, *line, sum(line)))
    columns = ("类型", *(SEVERITY_LABELS.get(s, s) for s in severities), "合计")

    out = Section()
    out.headlines.append(Headline("incidents", "特殊情况", sum(r[-1] for r in rows), "起"))
    out.tables.append(Table(
        "incidents_by_kind", "特殊情况（按类型和严重程度）", columns, tuple(rows),
        Chart("bar", 0, tuple(range(1, len(severities) + 1)), stacked=True),
        "按登记营业日计；严重程度为登记时所属类型的级别" + (
            "；筛选时仅计关联到符合条件来访的特殊情况" if q.filtered else "")))
    return out
