"""The queue: tickets issued, called, finished, no-shows and transfers; waiting and service times.

Every figure here comes from the tickets of the period (a ticket is in the period by its
business day, :attr:`models.Ticket.business_day`; whatever happens to it later, even a finish
after midnight, counts on that day) and their events (:class:`models.TicketEvent`, append-only:
``issued``, ``called``, ``recalled``, ``serving``, ``no_show``, ``requeued``, ``transferred``,
``recused``, ``finished``), counted per department (``queues_by_department``) and per window
(``queues_by_window``, 「N 号窗口」, the window numbers the events name):

- 取号: tickets issued, in the department they were issued for (the ticket's origin);
- 叫号: tickets called at least once (a ``called`` event; a recall, 重呼, is no new call), in the
  department whose queue it was called from, at the window that called it; a ticket called in
  two departments (transferred) or at two windows (过号, requeued, called again elsewhere)
  counts once in each row, once in the headline;
- 办结: tickets finished, in the department and at the window that finished them;
- 过号: tickets marked as not come at least once (a requeued no-show called again is still one
  过号, whatever happened after);
- 转入 / 转出: transfers (转办), each counted once in the receiving department (转入: the
  department the ``transferred`` event names) and once in the sending one (转出: the department
  of the call that brought the ticket to the sending window, the latest ``called`` event before
  the transfer), and 转出 at the sending window; the headline ``transfers`` counts transfers
  (a ticket sent on twice is two);
- 等候 (waiting): issue → the ticket's **first** call, in the department it was issued for
  (a ticket is always first called in its origin's queue: only a called ticket can be
  transferred). ``Ticket.called_at`` is not used: a transfer, a requeue and a recusal (回避)
  reset it, so it would measure from the last call;
- 办理 (service): the call that led to the finish → the finish, i.e. the latest ``called``
  event of the ticket before its ``finished`` event. That call was necessarily made at the
  finishing window (a ticket leaves a window only by a finish, a transfer, a no-show or a
  recusal, and the last three put it back in a queue, to be called again). A recall (重呼) does
  not restart it; the time the visitor takes to come to the window is part of it.

Times are whole seconds (:meth:`hall.stats.query.Query.seconds`); the database groups them into
a histogram of (seconds, tickets) per department or window, and the median and the 90th
percentile are taken by nearest rank (:func:`hall.stats.views.nearest_rank`), shown in minutes
to one decimal (None when there is no time to measure). Nothing is loaded per ticket: four
grouped statements whatever the period's size (tickets issued; the counted events, read once and
grouped four ways; the waits; the service times), each starting from the period's tickets by
their business day and reaching their events by ticket.

**Filters follow the visit** (:meth:`hall.stats.query.Query.visit_filter`): with a department
filter the figures are those of the tickets whose visit belongs to that department *now* (the
department it was last transferred to), followed through every queue they passed. A ticket
issued in 信访局 and transferred to 人社局 is counted, under the filter 人社局, as issued and
transferred out in 信访局's row and transferred in (and finished) in 人社局's; under the filter
信访局 it is not counted at all, not even as a transfer out: its visit is 人社局's now, as in the
visits' figures (:mod:`hall.stats.visits`). So, under any filter, tickets issued = visits.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import peewee as pw
from peewee import fn

from hall.stats.query import Query, Section
from hall.stats.views import Chart, Headline, Table, nearest_rank, rounded
from models import Ticket, TicketEvent

__all__ = ["section"]

KINDS = ("called", "no_show", "transferred", "finished")
"""The events the tables count."""

Histogram = Counter[int]  # seconds -> tickets


def section(q: Query) -> Section:
    """The queue's headlines and its two tables."""
    cond = _tickets(q)
    issued: Counter[str] = Counter({d: int(n) for d, n in (
        Ticket.select(Ticket.origin_department, fn.COUNT(Ticket.id))
        .where(cond).group_by(Ticket.origin_department).tuples())})
    counts = _counts(q, cond)
    by_dept, by_window, overall = counts["department"], counts["window"], counts["all"]
    sent = Counter({dept: n for (_, dept), (_, n) in counts["sent"].items()})
    waits = _waits(q, cond)
    service = _service(q, cond)

    service_dept: dict[str, Histogram] = defaultdict(Counter)
    service_window: dict[int, Histogram] = defaultdict(Counter)
    for (dept, window), hist in service.items():
        service_dept[dept].update(hist)
        service_window[window].update(hist)
    all_waits = _merged(waits.values())
    all_service = _merged(service_dept.values())

    def tickets(kind: str) -> int:
        return overall.get((kind, None), (0, 0))[0]

    out = Section()
    out.headlines += [
        Headline("tickets_issued", "取号", sum(issued.values()), "张"),
        Headline("tickets_called", "叫号", tickets("called"), "张"),
        Headline("tickets_finished", "办结", tickets("finished"), "张"),
        Headline("no_shows", "过号", tickets("no_show"), "张"),
        Headline("transfers", "转办", overall.get(("transferred", None), (0, 0))[1], "次"),
        Headline("wait_median", "等候时间中位数", _minutes(all_waits, 0.5), "分钟"),
        Headline("wait_p90", "等候时间90%分位", _minutes(all_waits, 0.9), "分钟"),
        Headline("service_median", "办理时间中位数", _minutes(all_service, 0.5), "分钟"),
        Headline("service_p90", "办理时间90%分位", _minutes(all_service, 0.9), "分钟"),
    ]

    seen = set(issued) | set(sent) | set(waits) | set(service_dept)
    seen |= {dept for _, dept in by_dept}
    order = [d.code for d in q.config.departments]
    rows = []
    for dept in [d for d in order if d in seen] + sorted(seen - set(order)):
        def count(kind: str, which: int = 0, dept: str = dept) -> int:
            return by_dept.get((kind, dept), (0, 0))[which]
        wait, serve = waits.get(dept, Counter()), service_dept.get(dept, Counter())
        rows.append((q.department_name(dept), issued.get(dept, 0), count("called"),
                     count("finished"), count("no_show"), count("transferred", 1),
                     sent.get(dept, 0), _minutes(wait, 0.5), _minutes(wait, 0.9),
                     _minutes(serve, 0.5), _minutes(serve, 0.9)))
    out.tables.append(Table(
        "queues_by_department", "各部门排队与办理",
        ("部门", "取号", "叫号", "办结", "过号", "转入", "转出", "等候中位（分）",
         "等候P90（分）", "办理中位（分）", "办理P90（分）"), tuple(rows), Chart("bar", 0, (7, 8)),
        "取号按出票部门、叫号/办结/过号按当时所在队列计；等候为取号至首次叫号，办理为办结前最后一次"
        "叫号至办结；P90 为第90百分位（最近秩），单位分钟"))

    windows = sorted({w for _, w in by_window if w is not None})
    rows = []
    for number in windows:
        def wcount(kind: str, which: int = 0, number: int = number) -> int:
            return by_window.get((kind, number), (0, 0))[which]
        serve = service_window.get(number, Counter())
        rows.append((f"{number} 号窗口", wcount("called"), wcount("finished"), wcount("no_show"),
                     wcount("transferred", 1), _minutes(serve, 0.5), _minutes(serve, 0.9)))
    out.tables.append(Table(
        "queues_by_window", "各窗口叫号与办理",
        ("窗口", "叫号", "办结", "过号", "转出", "办理中位（分）", "办理P90（分）"), tuple(rows),
        Chart("bar", 0, (1, 2)), "按叫号、办结、过号、转办发生的窗口计；办理时间单位分钟"))
    return out


def _tickets(q: Query) -> pw.Expression:
    """The tickets of the period, under the filters (through their visit)."""
    cond = (Ticket.business_day >= q.start) & (Ticket.business_day <= q.end)
    follow = q.visit_filter(Ticket.visit)
    return cond if follow is None else cond & follow


Counts = dict[tuple[str, object], tuple[int, int]]  # (kind, group) -> (tickets, events)


def _counts(q: Query, cond: pw.Expression) -> dict[str, Counts]:
    """The counted events of the period's tickets, read once (a common table expression) and
    grouped four ways in one statement: ``department`` (kind, the event's department),
    ``window`` (kind, window), ``all`` (kind, None), ``sent`` (transfers by the sending
    department: that of the latest call before each transfer); each (distinct tickets, events).
    """
    call = TicketEvent.alias("c")
    sender = (call.select(call.department)
              .where((call.ticket == TicketEvent.ticket) & (call.kind == "called")
                     & (call.id < TicketEvent.id))
              .order_by(call.id.desc()).limit(1))
    events = (TicketEvent.select(
        TicketEvent.kind.alias("kind"), TicketEvent.department.alias("dept"),
        TicketEvent.window.alias("win"), TicketEvent.ticket.alias("tid"),
        pw.Case(None, [(TicketEvent.kind == "transferred", sender)], None).alias("sender"))
        .join(Ticket, on=TicketEvent.ticket == Ticket.id)
        .where(cond & TicketEvent.kind.in_(KINDS))).cte("counted")
    c = events.c
    tally = (fn.COUNT(fn.DISTINCT(c.tid)), fn.COUNT(c.tid))

    def part(name: str, dept: pw.Node, window: pw.Node) -> pw.Select:
        return pw.Select([events], [pw.Value(name), c.kind, dept, window, *tally])

    query = (part("department", c.dept, pw.Value(None)).group_by(c.kind, c.dept)
             .union_all(part("window", pw.Value(None), c.win).group_by(c.kind, c.win))
             .union_all(part("all", pw.Value(None), pw.Value(None)).group_by(c.kind))
             .union_all(part("sent", c.sender, pw.Value(None))
                        .where(c.kind == "transferred").group_by(c.kind, c.sender))
             .with_cte(events))
    out: dict[str, Counts] = {"department": {}, "window": {}, "all": {}, "sent": {}}
    for name, kind, dept, window, tickets, n in query.tuples().execute(q.db):
        out[name][(kind, window if name == "window" else dept)] = (int(tickets), int(n))
    return out


def _waits(q: Query, cond: pw.Expression) -> dict[str, Histogram]:
    """Issue → first call, in whole seconds, as a histogram per origin department."""
    wait = (q.seconds(fn.MIN(TicketEvent.at)) - q.seconds(Ticket.issued_at)).alias("wait")
    each = (Ticket.select(Ticket.origin_department.alias("dept"), wait)
            .join(TicketEvent, on=(TicketEvent.ticket == Ticket.id)
                  & (TicketEvent.kind == "called"))
            .where(cond)
            # By the event's ticket, not Ticket.id: SQLite then reads the period's tickets by
            # day and their events by ticket, instead of scanning every event ever written.
            .group_by(TicketEvent.ticket, Ticket.origin_department, Ticket.issued_at))
    grouped = (each.select_from(each.c.dept, each.c.wait, fn.COUNT(each.c.wait))
               .group_by(each.c.dept, each.c.wait).tuples())
    out: dict[str, Histogram] = defaultdict(Counter)
    for dept, seconds, n in grouped:
        out[dept][int(seconds)] += int(n)
    return out


def _service(q: Query, cond: pw.Expression) -> dict[tuple[str, int], Histogram]:
    """The latest call before the finish → the finish, in whole seconds, as a histogram per
    (department, window) of the finish."""
    call = TicketEvent.alias("c")
    spent = (q.seconds(TicketEvent.at) - q.seconds(fn.MAX(call.at))).alias("spent")
    each = (TicketEvent.select(TicketEvent.department.alias("dept"),
                               TicketEvent.window.alias("win"), spent)
            .join(Ticket, on=TicketEvent.ticket == Ticket.id)
            .join(call, on=(call.ticket == TicketEvent.ticket) & (call.kind == "called")
                  & (call.id < TicketEvent.id))
            .where(cond & (TicketEvent.kind == "finished"))
            # One finish per ticket; grouped by ticket for the plan (see :func:`_waits`).
            .group_by(TicketEvent.ticket, TicketEvent.department, TicketEvent.window,
                      TicketEvent.at))
    grouped = (each.select_from(each.c.dept, each.c.win, each.c.spent, fn.COUNT(each.c.spent))
               .group_by(each.c.dept, each.c.win, each.c.spent).tuples())
    out: dict[tuple[str, int], Histogram] = defaultdict(Counter)
    for dept, window, seconds, n in grouped:
        out[(dept, window)][int(seconds)] += int(n)
    return out


def _merged(histograms: Iterable[Histogram]) -> Histogram:
    total: Histogram = Counter()
    for hist in histograms:
        total.update(hist)
    return total


def _minutes(histogram: Histogram, quantile: float) -> float | None:
    """The ``quantile`` of a histogram of seconds, by nearest rank, in minutes (one decimal)."""
    seconds = nearest_rank(list(histogram.items()), quantile)
    return None if seconds is None else rounded(seconds / 60)
