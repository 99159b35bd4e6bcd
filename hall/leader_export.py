"""The published schedule as CSV (for spreadsheets and notices) and iCalendar (RFC 5545).

    text = schedule_ics(days, hall_name="江川市联合接访中心", hall_code="jcs",
                        timezone="Asia/Shanghai", stamp=hall.now())
    Path("接待日.ics").write_text(text, encoding="utf-8", newline="")

The iCalendar writer is hand-written: one VCALENDAR with a VTIMEZONE for the hall's zone and one
VEVENT per day, which is all calendar programs need, and about sixty lines against a dependency.
What RFC 5545 asks of it and it does: CRLF line ends (section 3.1), lines folded at 75 octets
without splitting a UTF-8 character, TEXT values escaped (3.3.11), a UID stable across exports so
that importing again updates an event instead of doubling it, DTSTAMP in UTC, DTSTART/DTEND local
with TZID, and a cancelled day exported as STATUS:CANCELLED. The tests parse the file back with the
``icalendar`` library to prove it.

Nothing personal is exported: leaders' names, rooms and times, which are published anyway.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from hall.leaders.schedule import month_bounds
from hall.leaders.views import LeaderDayView

if TYPE_CHECKING:
    from hall.service import Hall

CSV_HEADER = ("编号", "日期", "星期", "开始", "结束", "接待人", "职务", "类别", "地点", "主题",
              "名额", "已预约", "候补", "接受现场排队", "状态", "备注")
_WEEKDAYS = "一二三四五六日"


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
    stem.parent.mkdir(parents=True, exist_ok=True)
    stem.with_suffix(".csv").write_text(csv_text, encoding="utf-8", newline="")
    stem.with_suffix(".ics").write_text(ics_text, encoding="utf-8", newline="")
    return len(days), stem


def schedule_csv(days: Iterable[LeaderDayView]) -> str:
    """The days as CSV with a Chinese header; UTF-8 with a BOM so Excel reads the Chinese."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for d in days:
        weekday = _WEEKDAYS[datetime.fromisoformat(d.date).weekday()]
        note = f"原定 {d.shifted_from}，遇休息日顺延" if d.shifted_from else ""
        if d.status == "cancelled":
            note = f"取消：{d.cancel_reason}"
        writer.writerow((d.id, d.date, f"周{weekday}", d.start, d.end, d.leader_name,
                         d.leader_title, "律师咨询" if d.kind == "lawyer" else "领导接待",
                         d.room, d.topic, d.capacity, d.booked, d.waitlisted,
                         "是" if d.walk_ins else "否", d.status_label, note))
    return "\ufeff" + out.getvalue()


def schedule_ics(days: Iterable[LeaderDayView], hall_name: str, hall_code: str, timezone: str,
                 stamp: datetime) -> str:
    """The days as one iCalendar file (RFC 5545), times in the hall's zone."""
    tz = ZoneInfo(timezone)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//hall//领导接待日//ZH",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{_text(hall_name)}接待日",
             f"X-WR-TIMEZONE:{timezone}", *_vtimezone(timezone, tz)]
    dtstamp = stamp.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    for d in days:
        day = d.date.replace("-", "")
        kind = "律师咨询" if d.kind == "lawyer" else "领导接待日"
        summary = f"{kind}：{d.leader_label}" + (f"（{d.topic}）" if d.topic else "")
        description = f"名额 {d.capacity} 人，已预约 {d.booked} 人"
        if d.walk_ins:
            description += "；接受现场排队"
        if d.shifted_from:
            description += f"；原定 {d.shifted_from}，遇休息日顺延"
        if d.status == "cancelled":
            description += f"；已取消：{d.cancel_reason}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:leader-day-{d.id}@{hall_code}.hall",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;TZID={timezone}:{day}T{d.start.replace(':', '')}00",
            f"DTEND;TZID={timezone}:{day}T{d.end.replace(':', '')}00",
            f"SUMMARY:{_text(summary)}",
            f"LOCATION:{_text(d.room)}",
            f"DESCRIPTION:{_text(description)}",
            f"STATUS:{'CANCELLED' if d.status == 'cancelled' else 'CONFIRMED'}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _vtimezone(name: str, tz: ZoneInfo) -> list[str]:
    """A VTIMEZONE with the zone's current offset (China has kept +08:00 without DST since
    1991; a zone with DST would need its rules, which this hall does not)."""
    offset = datetime(2000, 1, 1, tzinfo=tz).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    text = f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
    return ["BEGIN:VTIMEZONE", f"TZID:{name}", "BEGIN:STANDARD", "DTSTART:19700101T000000",
            f"TZOFFSETFROM:{text}", f"TZOFFSETTO:{text}", "TZNAME:CST", "END:STANDARD",
            "END:VTIMEZONE"]


def _text(value: str) -> str:
    """A TEXT value escaped (RFC 5545 3.3.11)."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Fold at 75 octets (RFC 5545 3.1); continuation lines begin with one space."""
    parts: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74  # the leading space counts
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)
