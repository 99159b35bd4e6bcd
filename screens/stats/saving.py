"""Saving the figures on the statistics screen: the workbook and the CSV folder, in a worker.

    path = save_workbook(hall, "mgr01", period, filters, exports_dir(data_dir))
    folder, files = save_csv(hall, "mgr01", period, filters, exports_dir(data_dir))

Each goes through :meth:`hall.stats.Stats.export`, which checks ``stats.export`` and writes the
export to the audit log (with the file's name) before the figures are handed back; the files are
then made by :mod:`hall.export.figures` (the same workbook and CSV files as ``hall stats --xlsx``
and ``--csv``). They are named by the period and the filters, ``统计-20261101-20261130.xlsx``,
``统计-20261101-20261130-rsj/`` (one CSV per table), so saving the same figures again replaces
them. The exports folder is private (0700).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hall import Hall
    from hall.stats import Filters, Period

__all__ = ["file_stem", "save_csv", "save_workbook"]


def file_stem(period: Period, filters: Filters) -> str:
    """The files' name without suffix: 统计-start-end, then the filters' codes."""
    parts = ["统计", period.start.strftime("%Y%m%d"), period.end.strftime("%Y%m%d"),
             *filters.as_dict().values()]
    return "-".join("".join(ch if ch.isalnum() or ch in "_" else "_" for ch in p)
                    for p in parts)


def save_workbook(hall: Hall, actor: str, period: Period, filters: Filters,
                  folder: Path) -> Path:
    """The figures as an XLSX workbook in ``folder`` (audited as ``stats.xlsx``); its path."""
    from config.paths import private_dir
    from hall.export.figures import figures_xlsx

    path = folder / f"{file_stem(period, filters)}.xlsx"
    figures = hall.stats.export(actor, "stats.xlsx", period, filters, file=path.name)
    data = figures_xlsx(figures, hall.config.hall.name)
    private_dir(folder)
    path.write_bytes(data)
    return path


def save_csv(hall: Hall, actor: str, period: Period, filters: Filters,
             folder: Path) -> tuple[Path, list[Path]]:
    """The figures as one CSV per table in a folder under ``folder`` (audited as
    ``stats.csv``); (that folder, its files)."""
    from config.paths import private_dir
    from hall.export.figures import save_csv_dir

    target = folder / file_stem(period, filters)
    figures = hall.stats.export(actor, "stats.csv", period, filters, file=target.name)
    private_dir(folder)
    return target, save_csv_dir(figures, target)
