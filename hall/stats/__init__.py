"""Statistics and the visit register: what the hall did, for managers and the level above.

``hall.stats`` (:class:`~hall.stats.context.Stats`) computes every figure of a period
(:mod:`hall.stats.period`) under filters as one :class:`~hall.stats.views.Figures`, the same for
the screen, ``hall stats``, the workbook, the CSV files and the monthly report; and reads the
visit register (来访登记簿), one row per visit, masked by the reader's role.
"""

from __future__ import annotations

from hall.stats.context import Stats
from hall.stats.period import NAMED, Period, month_period, named_period, range_period
from hall.stats.views import Chart, Figures, Filters, Headline, Table

__all__ = ["NAMED", "Chart", "Figures", "Filters", "Headline", "Period", "Stats", "Table",
           "month_period", "named_period", "range_period"]
