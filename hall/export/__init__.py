"""Exports for spreadsheets and calendars: the published schedule of reception days as CSV
(for spreadsheets and notices) and iCalendar (RFC 5545); the statistics as a workbook with
native charts or one CSV per table; the visit register as a workbook or CSV.

    from hall.export import month_schedule, save_month, schedule_csv, schedule_ics

    text = schedule_ics(days, hall_name="江川市联合接访中心", hall_code="jcs",
                        timezone="Asia/Shanghai", stamp=hall.now())
    Path("接待日.ics").write_text(text, encoding="utf-8", newline="")

:mod:`~hall.export.spreadsheet` writes the CSV, :mod:`~hall.export.ical` the iCalendar file,
:mod:`~hall.export.month` a month of them from the hall. Nothing personal is in them: leaders'
names, rooms and times, which are published anyway.

    data = figures_xlsx(figures, hall_name, config=hall.config)   # 概要 + a sheet per table
    paths = save_csv_dir(figures, folder)                          # {key}.csv, headlines.csv
    data = register_xlsx(register, hall_name, config=hall.config)  # 来访登记簿
    data = register_csv(register)

:mod:`~hall.export.figures` writes the statistics (aggregates, nothing personal),
:mod:`~hall.export.register` the register (personal data, masked or not as it was read: the
caller audits the export through ``hall.stats``). Every text cell of both is made safe against
formula injection.
"""

from __future__ import annotations

from hall.export.figures import figures_csv, figures_xlsx, save_csv_dir
from hall.export.ical import schedule_ics
from hall.export.month import month_schedule, save_month
from hall.export.register import register_csv, register_xlsx
from hall.export.spreadsheet import CSV_HEADER, schedule_csv

__all__ = ["CSV_HEADER", "figures_csv", "figures_xlsx", "month_schedule", "register_csv",
           "register_xlsx", "save_csv_dir", "save_month", "schedule_csv", "schedule_ics"]
