"""``hall.stats``: the figures of a period, and the audit of what leaves the building.

    period = named_period("last-month", hall.today())
    figures = hall.stats.figures("mgr01", period, Filters(department="rsj"))
    figures.value("visits"); figures.table("visits_by_day").rows
    figures = hall.stats.export("mgr01", "stats.xlsx", period, Filters(), file="11月.xlsx")

One call's figures are read in one snapshot of the database
(:func:`~hall.stats.query.snapshot`: SQLite, a deferred read transaction; PostgreSQL,
``REPEATABLE READ READ ONLY``), so its sections agree with each other while the desks and
windows go on writing, neither side waiting for the other.

Reading the figures is the managers' (``stats.read``); they are aggregates and hold no personal
data, so reading them is not audited. Every file made of them (workbook, CSV, the monthly
report) and every register export is (:meth:`Stats.exported`: who, what, which period and
filters, how many rows, where to).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hall.clock import to_storage
from hall.desk.registration import FormError
from hall.stats import cases, incidents, outcomes, queues, receptions, visits
from hall.stats.query import Query, SectionFn, snapshot
from hall.stats.views import Figures, Filters

if TYPE_CHECKING:
    from hall.stats.period import Period
    from hall.stats.register import Register
    from hall.store import Store

__all__ = ["SECTIONS", "Stats"]

SECTIONS: tuple[SectionFn, ...] = (visits.section, queues.section, outcomes.section,
                                   cases.section, receptions.section, incidents.section)
"""The sections, in the order their tables are shown, exported and reported."""

FILTER_LABELS = {"department": "部门", "category": "类别", "district": "属地"}


class Stats:
    """The statistics context of the facade (``hall.stats``)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def figures(self, actor: str, period: Period, filters: Filters | None = None) -> Figures:
        """Every figure of ``period`` under ``filters`` for ``actor`` (``stats.read``);
        :class:`~hall.errors.NotAllowed` otherwise, a :class:`FormError` for a filter naming
        no configured department, category or district."""
        filters = filters or Filters()
        self.store.permit(actor, "stats.read")
        self.check(filters)
        q = Query(self.store, period, filters)
        headlines, tables = [], []
        with self.store.connection(), snapshot(self.store.db):  # one state for every section
            for section in SECTIONS:
                part = section(q)
                headlines += part.headlines
                tables += part.tables
        return Figures(period=period, filters=filters,
                       generated_at=self.store.now().astimezone(self.store.tz),
                       generated_by=actor, headlines=tuple(headlines), tables=tuple(tables))

    def check(self, filters: Filters) -> None:
        """A :class:`FormError` naming each filter that is not a configured code."""
        config = self.store.config
        errors = {}
        for name, value, found in (("department", filters.department, config.department),
                                   ("category", filters.category, config.category),
                                   ("district", filters.district, config.district)):
            if value and found(value) is None:
                errors[name] = f"没有代码为「{value[:32]}」的{FILTER_LABELS[name]}"
        if errors:
            raise FormError(errors, FILTER_LABELS)

    def export(self, actor: str, what: str, period: Period, filters: Filters | None = None,
               **detail: Any) -> Figures:
        """The figures of ``period`` under ``filters`` for a file that leaves the building
        (``what``: ``stats.xlsx``, ``stats.csv``, ``report.pdf``): ``actor`` needs
        ``stats.export``; the export is written to the audit log (who, what, period, filters,
        ``detail``: the file's name …) before the figures are handed back."""
        filters = filters or Filters()
        self.store.permit(actor, "stats.export")
        figures = self.figures(actor, period, filters)
        self.exported(actor, what, period, filters, **detail)
        return figures

    def exported(self, actor: str, what: str, period: Period, filters: Filters | None = None,
                 **detail: Any) -> None:
        """Write to the audit log that ``actor`` exported ``what`` (``stats.xlsx``,
        ``register.csv`` …) for ``period`` and ``filters``; ``detail`` adds rows, file name,
        masked or not. In its own transaction."""
        filters = filters or Filters()
        with self.store.transaction():
            self.store.audit(actor, "export", "stats", what, to_storage(self.store.now()),
                             {"period": period.as_dict(), "filters": filters.as_dict(),
                              **detail})

    def register(self, actor: str, period: Period, department: str = "",
                 what: str = "register.xlsx", **detail: Any) -> Register:
        """The visit register (来访登记簿) of ``period``, one row per visit, for a file that
        leaves the building (:mod:`hall.stats.register`): ``actor`` needs ``register.export``
        (a window clerk: only their own departments' visits; ``department`` must then be one of
        theirs); ID numbers and phones masked but for the managers; a confidential visit the
        reader may not see in full is a row of 「保密事项」. Audited as an export (``what``,
        ``detail``: the file's name …, with the rows and whether masked), and each confidential
        visit shown in full as a ``visit.confidential`` event."""
        from hall.accounts.visibility import CONFIDENTIAL_VIEW
        from hall.stats import register

        viewer = self.store.permit(actor, "register.export")
        filters = Filters(department=department)
        self.check(filters)
        if department and not viewer.may("register.export", department):
            self.store.permit(actor, "register.export", department)  # refused and audited
        with self.store.connection(), snapshot(self.store.db):
            found = register.read(self.store, viewer, period, department)
        shown = found.register
        scope = {"scope": list(found.scope)} if found.scope else {}
        with self.store.transaction():
            self.exported(actor, what, period, filters, rows=len(shown.table.rows),
                          masked=shown.masked, **scope, **detail)
            at = to_storage(self.store.now())
            for visit_id, visitor_id in found.confidential_shown:
                self.store.audit(actor, CONFIDENTIAL_VIEW, "visit", visit_id, at,
                                 {"visitor": visitor_id, "via": "register"})
        return shown
