"""The schedule exports: RFC 5545 details of the hand-written iCalendar, and the CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime

import icalendar

from hall.export import schedule_csv, schedule_ics
from hall.export.ical import _fold
from hall.leaders.views import LeaderDayView

DAY = LeaderDayView(
    id=7, date="2026-12-07", leader="shenlv", leader_name="沈律师", leader_title="值班律师",
    kind="lawyer", department="lawyer", room="律师咨询席", start="09:00", end="17:00",
    capacity=20, booked=3, waitlisted=0, checked_in=0, topic="", walk_ins=True,
    status="published", status_label="已发布", shifted_from="2026-12-05",
    calendar_checked=True, cancel_reason="")
STAMP = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def ics(*days: LeaderDayView) -> bytes:
    return schedule_ics(days, "江川市联合接访中心", "jcs", "Asia/Shanghai", STAMP).encode()


def test_lines_are_folded_at_75_octets_without_splitting_a_character() -> None:
    line = "DESCRIPTION:" + "征收拆迁补偿安置" * 20
    folded = _fold(line).encode()
    parts = folded.split(b"\r\n")
    assert len(parts) > 3
    assert all(len(p) <= 75 for p in parts)
    assert all(p.startswith(b" ") for p in parts[1:])
    for p in parts:
        p.decode("utf-8")  # every physical line is whole UTF-8
    assert b"".join(p[1:] if i else p for i, p in enumerate(parts)).decode() == line


def test_text_is_escaped_and_round_trips_through_a_real_parser() -> None:
    tricky = replace(DAY, topic="劳动争议; 社保, 工伤\\仲裁", room="一楼,律师席",
                     leader_title="值班律师")
    raw = ics(tricky)
    assert b"\\;" in raw and b"\\," in raw and b"\\\\" in raw
    event = next(iter(icalendar.Calendar.from_ical(raw).walk("VEVENT")))
    assert str(event["SUMMARY"]) == "律师咨询：沈律师值班律师（劳动争议; 社保, 工伤\\仲裁）"
    assert str(event["LOCATION"]) == "一楼,律师席"
    assert "原定 2026-12-05，遇休息日顺延" in str(event["DESCRIPTION"])
    assert event.decoded("DTEND").isoformat() == "2026-12-07T17:00:00+08:00"
    assert event.decoded("DTSTAMP") == STAMP
    assert str(event["UID"]) == "leader-day-7@jcs.hall"  # stable: a re-import updates


def test_a_cancelled_day_is_exported_as_cancelled() -> None:
    gone = replace(DAY, status="cancelled", status_label="已取消", cancel_reason="律师请假")
    event = next(iter(icalendar.Calendar.from_ical(ics(gone)).walk("VEVENT")))
    assert str(event["STATUS"]) == "CANCELLED"
    rows = list(csv.reader(io.StringIO(schedule_csv([gone]).lstrip("\ufeff"))))
    assert rows[1][-2:] == ["已取消", "取消：律师请假"]


def test_every_line_ends_in_crlf_and_the_calendar_is_whole() -> None:
    raw = ics(DAY, replace(DAY, id=8, date="2026-12-15", shifted_from=""))
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    calendar = icalendar.Calendar.from_ical(raw)
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [
        "leader-day-7@jcs.hall", "leader-day-8@jcs.hall"]
    assert str(next(iter(calendar.walk("VTIMEZONE")))["TZID"]) == "Asia/Shanghai"
