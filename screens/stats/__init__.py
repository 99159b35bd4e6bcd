"""The statistics screen for managers (`hall stats` on a terminal, launcher key 7).

- :class:`StatsScreen`: the period and filters, the headline figures, six charts with their
  tables, the workbook, CSV and report exports (:mod:`screens.stats.screen`).
- :data:`CHARTS`: which table each chart draws and how (:mod:`screens.stats.charts`).
- :class:`RangeDialog`: a period typed as two dates (:mod:`screens.stats.dialogs`).
- :func:`save_workbook`, :func:`save_csv`, :func:`save_report`: the exports, run in a worker
  (:mod:`screens.stats.saving`).
"""

from __future__ import annotations

from screens.stats.charts import CHARTS, ChartSpec
from screens.stats.dialogs import RangeDialog
from screens.stats.saving import save_csv, save_report, save_workbook
from screens.stats.screen import StatsScreen

__all__ = ["CHARTS", "ChartSpec", "RangeDialog", "StatsScreen", "save_csv", "save_report",
           "save_workbook"]
