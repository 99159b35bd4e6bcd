"""A month's published schedule of reception days, as the CLI and the leaders' screen export it.

    days, csv_text, ics_text = month_schedule(hall, 2026, 12)
    count, stem = save_month(hall, 2026, 12, exports_dir())   # 接待日-2026-12.csv and .ics
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from config.paths import private_dir
from hall.export.ical import schedule_ics
from hall.export.spreadsheet import schedule_csv
from hall.leaders.schedule import month_bounds
from hall.leaders.views import LeaderDayView

if TYPE_CHECKING:
    from hall import Hall

__all__ = ["month_schedule", "save_month"]


def month_schedule(hall: Hall, year: int, month: int) -> tuple[list[LeaderDayView], str, str]:
    """A month's published schedule (published, held and cancelled days; not the planned ones)
    and its CSV and iCalendar texts."""
    days = [d for d in hall.leaders.days(*month_bounds(year, month)) if d.status != "planned"]
    cfg = hall.config.hall
    return (days, schedule_csv(days),
            schedule_ics(days, cfg.name, cfg.code, cfg.timezone, hall.now()))


def save_month(hall: Hall, year: int, month: int, folder: Path) -> tuple[int, Path]:
    """Write the month's schedule as ``接待日-YYYY-MM.csv`` and ``.ics`` in ``folder``; returns
    how many days and the files' common stem (raises OSError when the folder is not writable)."""
    days, csv_text, ics_text = month_schedule(hall, year, month)
    stem = folder / f"接待日-{year}-{month:02d}"
    private_dir(stem.parent)  # owner only, like every folder of the hall's data
    stem.with_suffix(".csv").write_text(csv_text, encoding="utf-8", newline="")
    stem.with_suffix(".ics").write_text(ics_text, encoding="utf-8", newline="")
    return len(days), stem
