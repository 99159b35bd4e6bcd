"""What every section of the figures shares: the period, the filters, the database's dialect.

A section (:mod:`hall.stats.visits`, :mod:`hall.stats.queues` …) is a function
``section(q: Query) -> Section``: it runs a few grouped queries and returns its headline figures
and tables. It counts in the database (``GROUP BY`` over the indexed business day), never by
loading rows into Python; what comes back is one row per group (a day, a department, an hour).

    q = Query(store, period, filters)
    rows = (Visit.select(Visit.department, fn.COUNT(Visit.id))
            .where(q.visits()).group_by(Visit.department))

The filters narrow **visits** (:meth:`Query.visits`: the department a visit was routed to now,
its category, the visitor's district at registration) and everything that hangs off a visit
(its ticket, its case) through :meth:`Query.visit_ids` when a filter is set. Cases are in a
period by the day they were opened, reception days by their date, incidents by their business
day. Confidential matters count in every total (the figures hold no personal data); only the
register shows visits one by one, under the accounts rules.

Every section of one computation reads the same state of the database (:func:`snapshot`): a
ticket finished while the figures are computed is counted finished everywhere or nowhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date
from typing import TYPE_CHECKING

import peewee as pw

from hall.stats.views import Filters, Headline, Table
from models import Visit, is_sqlite
from models.figures import epoch_seconds, utc_hour

if TYPE_CHECKING:
    from config.schema import HallConfig
    from hall.stats.period import Period
    from hall.store import Store

__all__ = ["Query", "Section", "SectionFn", "snapshot"]


SNAPSHOT_PG = "REPEATABLE READ, READ ONLY"
"""PostgreSQL's read transaction: one snapshot from its first statement, no write allowed."""


@contextmanager
def snapshot(db: pw.Database) -> Iterator[None]:
    """One read transaction on this thread's connection: every statement inside reads the same
    state of the database, whatever other terminals commit meanwhile, and none waits for them
    nor makes them wait.

    SQLite (WAL): a deferred ``BEGIN``, which takes no lock; its snapshot is fixed at its first
    read, and writers go on committing to the log meanwhile (:func:`models.write_transaction`'s
    ``BEGIN IMMEDIATE`` would queue every desk behind the figures). PostgreSQL:
    ``REPEATABLE READ READ ONLY`` (its default, READ COMMITTED, takes a new snapshot for each
    statement). Inside a caller's transaction: that one's (a savepoint)."""
    with db.atomic("DEFERRED") if is_sqlite(db) else db.atomic(isolation_level=SNAPSHOT_PG):
        yield


@dataclass
class Section:
    """What one section adds to the figures."""

    headlines: list[Headline] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


class Query:
    """The period and filters of one computation, and the expressions sections build on."""

    def __init__(self, store: Store, period: Period, filters: Filters) -> None:
        self.store = store
        self.db = store.db
        self.config: HallConfig = store.config
        self.period = period
        self.filters = filters
        self.tz = store.tz

    @property
    def start(self) -> date:
        return self.period.start

    @property
    def end(self) -> date:
        return self.period.end

    @property
    def filtered(self) -> bool:
        """Whether any filter is set."""
        return bool(self.filters.department or self.filters.category or self.filters.district)

    def visits(self, model: type[Visit] | pw.ModelAlias = Visit) -> pw.Expression:
        """The condition for visits of the period under the filters (on ``model``: Visit or an
        alias of it)."""
        cond = (model.business_day >= self.start) & (model.business_day <= self.end)
        f = self.filters
        if f.department:
            cond &= model.department == f.department
        if f.category:
            cond &= model.category == f.category
        if f.district:
            cond &= model.district == f.district
        return cond

    def visit_filter(self, visit_column: pw.Field) -> pw.Expression | None:
        """When a filter is set, ``visit_column IN (the filtered visits of the period)``: how a
        ticket, case or booking follows the visit's filters; None when no filter is set."""
        if not self.filtered:
            return None
        return visit_column.in_(Visit.select(Visit.id).where(self.visits()))

    def seconds(self, column: pw.Node) -> pw.Node:
        """Whole seconds since the epoch of a stored time (differences are durations)."""
        return epoch_seconds(self.db, column)

    def utc_hour(self, column: pw.Node) -> pw.Node:
        """The UTC hour of a stored time (:meth:`local_hour` turns it into the hall's)."""
        return utc_hour(self.db, column)

    def local_hour(self, day: date, hour_utc: int) -> int:
        """The hall's local hour of UTC hour ``hour_utc`` on or about business day ``day``
        (the zone's offset that day; Asia/Shanghai: +8 all year)."""
        from datetime import datetime, time

        at = datetime.combine(day, time(12), tzinfo=UTC).astimezone(self.tz)
        offset = at.utcoffset()
        hours = int(offset.total_seconds() // 3600) if offset is not None else 0
        return (hour_utc + hours) % 24

    def department_name(self, code: str) -> str:
        """A department's name; the code when it is no longer configured."""
        found = self.config.department(code)
        return found.name if found is not None else code

    def category_name(self, code: str) -> str:
        """A category's name; the code when it is no longer configured."""
        found = self.config.category(code)
        return found.name if found is not None else code

    def district_name(self, code: str) -> str:
        """A district's name; 「未填」 for none, the code when it is no longer configured."""
        if not code:
            return "未填"
        found = self.config.district(code)
        return found.name if found is not None else code


SectionFn = Callable[[Query], Section]
