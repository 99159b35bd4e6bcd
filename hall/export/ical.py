"""The schedule as one iCalendar file (RFC 5545), hand-written.

One VCALENDAR with a VTIMEZONE for the hall's zone and one VEVENT per day, which is all calendar
programs need, and about sixty lines against a dependency. What RFC 5545 asks of it and it does:
CRLF line ends (section 3.1), lines folded at 75 octets without splitting a UTF-8 character, TEXT
values escaped (3.3.11), a UID stable across exports so that importing again updates an event
instead of doubling it, DTSTAMP in UTC, DTSTART/DTEND local with TZID, and a cancelled day
exported as STATUS:CANCELLED. The tests parse the file back with the ``icalendar`` library.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hall.leaders.views import LeaderDayView

__all__ = ["schedule_ics"]


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
        if d.calendar_note:
            description += f"；{d.calendar_note}（该年节假日安排未公布，日期可能调整）"
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
