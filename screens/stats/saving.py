"""Saving the figures on the statistics screen: the workbook, the CSV folder and the monthly
report, in a worker.

    path = save_workbook(hall, "mgr01", period, filters, exports_dir(data_dir))
    folder, files = save_csv(hall, "mgr01", period, filters, exports_dir(data_dir))
    path = save_report(hall, "mgr01", period, filters, exports_dir(data_dir))

Each goes through :meth:`hall.stats.Stats.export`, which checks ``stats.export`` and writes the
export to the audit log (with the file's name) before the figures are handed back; the files are
then made by :mod:`hall.export.figures` (the same workbook and CSV files as ``hall stats --xlsx``
and ``--csv``) and :func:`hall.stats.report.monthly_report` (the same PDF as ``hall report``, of
the period and filters shown, any period, not only a month). They are named by the period and
the filters, ``统计-20261101-20261130.xlsx``, ``统计-20261101-20261130-rsj/`` (one CSV per
table), ``统计报告-20261101-20261130.pdf``, so saving the same figures again replaces them. The
exports folder is private (0700) and each file readable by its owner only (0600).

:func:`saved_text` and :func:`failure_words` say what came of it, in Chinese, for the screen's
notification.

In a browser (``hall serve``: the app's ``is_web``) nothing is written on the server: the
``*_download`` twins (:func:`download_for`) compute the same bytes, audited the same way, and
:func:`deliver` sends them to the browser as a download (Textual's ``deliver_binary``), the CSV
files as one ZIP.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

    from hall import Hall
    from hall.stats import Filters, Period
    from screens.work import Failed

__all__ = ["Download", "deliver", "download_for", "failure_words", "file_stem", "save_csv",
           "save_report", "save_workbook", "saved_text"]


@dataclass(frozen=True)
class Download:
    """A file for the browser: its name, its bytes and their MIME type."""

    name: str
    data: bytes
    mime: str


def deliver(app: App[Any], download: Download) -> None:
    """Send ``download`` to the browser the app runs in (textual-serve's download link)."""
    app.deliver_binary(io.BytesIO(download.data), save_filename=download.name,
                       mime_type=download.mime)


def file_stem(period: Period, filters: Filters, prefix: str = "统计") -> str:
    """The files' name without suffix: ``prefix``-start-end, then the filters' codes."""
    parts = [prefix, period.start.strftime("%Y%m%d"), period.end.strftime("%Y%m%d"),
             *filters.as_dict().values()]
    return "-".join("".join(ch if ch.isalnum() or ch in "_" else "_" for ch in p)
                    for p in parts)


def save_workbook(hall: Hall, actor: str, period: Period, filters: Filters,
                  folder: Path) -> Path:
    """The figures as an XLSX workbook in ``folder`` (audited as ``stats.xlsx``); its path."""
    from hall.export.figures import figures_xlsx

    path = folder / f"{file_stem(period, filters)}.xlsx"
    figures = hall.stats.export(actor, "stats.xlsx", period, filters, file=path.name)
    _write(path, figures_xlsx(figures, hall.config.hall.name, config=hall.config))
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


def save_report(hall: Hall, actor: str, period: Period, filters: Filters,
                folder: Path) -> Path:
    """The report for the level above (月度信访工作统计报告) of the figures as a PDF in
    ``folder`` (audited as ``report.pdf``); its path. Rendering takes about a second."""
    from hall.stats.report import monthly_report

    path = folder / f"{file_stem(period, filters, '统计报告')}.pdf"
    figures = hall.stats.export(actor, "report.pdf", period, filters, file=path.name)
    _write(path, monthly_report(figures, hall.config))
    return path


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_download(hall: Hall, actor: str, period: Period, filters: Filters,
                      folder: Path | None = None) -> Download:
    """:func:`save_workbook`'s workbook, for the browser (``folder`` unused)."""
    from hall.export.figures import figures_xlsx

    name = f"{file_stem(period, filters)}.xlsx"
    figures = hall.stats.export(actor, "stats.xlsx", period, filters, file=name)
    return Download(name, figures_xlsx(figures, hall.config.hall.name, config=hall.config), XLSX)


def csv_download(hall: Hall, actor: str, period: Period, filters: Filters,
                 folder: Path | None = None) -> Download:
    """:func:`save_csv`'s files in one ZIP (a folder of its own inside), for the browser."""
    from hall.export.figures import figures_csv

    stem = file_stem(period, filters)
    figures = hall.stats.export(actor, "stats.csv", period, filters, file=f"{stem}.zip")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in figures_csv(figures).items():
            archive.writestr(f"{stem}/{name}", data)
    return Download(f"{stem}.zip", out.getvalue(), "application/zip")


def report_download(hall: Hall, actor: str, period: Period, filters: Filters,
                    folder: Path | None = None) -> Download:
    """:func:`save_report`'s PDF, for the browser."""
    from hall.stats.report import monthly_report

    name = f"{file_stem(period, filters, '统计报告')}.pdf"
    figures = hall.stats.export(actor, "report.pdf", period, filters, file=name)
    return Download(name, monthly_report(figures, hall.config), "application/pdf")


def download_for(save: Callable[..., Any]) -> Callable[..., Download]:
    """The browser's twin of a ``save_*`` function."""
    return {save_workbook: workbook_download, save_csv: csv_download,
            save_report: report_download}[save]


def _write(path: Path, data: bytes) -> None:
    """``data`` into ``path`` in the private exports folder, readable by its owner only (a file
    there before keeps its mode otherwise, hence the chmod)."""
    from config.paths import PRIVATE_FILE, private_dir

    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    path.chmod(PRIVATE_FILE)


def saved_text(result: Path | tuple[Path, list[Path]] | Download) -> str:
    """The notification for a file saved: what it is and where."""
    if isinstance(result, Download):
        return f"已发送到浏览器下载：{result.name}"
    if isinstance(result, tuple):
        folder, files = result
        return f"已导出 {len(files)} 个 CSV 文件到：{folder}"
    if result.suffix == ".pdf":
        return f"已生成统计报告（PDF）：{result}"
    return f"已导出 Excel 工作簿：{result}"


def failure_words(failure: Failed) -> str:
    """Why a file was not saved, in Chinese: the hall's refusal (not allowed, a filter that is
    not configured) in its own words, a disk that would not take the file, or what broke."""
    from hall.errors import DatabaseFault

    error = failure.error
    if failure.refused or isinstance(error, DatabaseFault):
        return failure.text
    if isinstance(error, OSError):
        return f"无法写入：{error.strerror or error}（导出已记入审计日志，请处理后重新导出）"
    return f"生成文件时出错：{type(error).__name__}: {error}"
