"""Exports for spreadsheets and calendars: the published schedule of reception days as CSV
(for spreadsheets and notices) and iCalendar (RFC 5545).

    from hall.export import month_schedule, save_month, schedule_csv, schedule_ics

    text = schedule_ics(days, hall_name="江川市联合接访中心", hall_code="jcs",
                        timezone="Asia/Shanghai", stamp=hall.now())
    Path("接待日.ics").write_text(text, encoding="utf-8", newline="")

:mod:`~hall.export.spreadsheet` writes the CSV, :mod:`~hall.export.ical` the iCalendar file,
:mod:`~hall.export.month` a month of them from the hall. Nothing personal is exported: leaders'
names, rooms and times, which are published anyway.
"""

from __future__ import annotations

from hall.export.ical import schedule_ics
from hall.export.month import month_schedule, save_month
from hall.export.spreadsheet import CSV_HEADER, schedule_csv

__all__ = ["CSV_HEADER", "month_schedule", "save_month", "schedule_csv", "schedule_ics"]
