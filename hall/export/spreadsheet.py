"""The schedule as CSV for spreadsheets and notices: a Chinese header, UTF-8 with a BOM so that
Excel reads the Chinese, CRLF line ends."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime

from hall.leaders.views import LeaderDayView

__all__ = ["CSV_HEADER", "schedule_csv"]

CSV_HEADER = ("编号", "日期", "星期", "开始", "结束", "接待人", "职务", "类别", "地点", "主题",
              "名额", "已预约", "候补", "接受现场排队", "状态", "备注")
_WEEKDAYS = "一二三四五六日"


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
        note = "；".join(x for x in (note, d.calendar_note) if x)
        writer.writerow((d.id, d.date, f"周{weekday}", d.start, d.end, d.leader_name,
                         d.leader_title, "律师咨询" if d.kind == "lawyer" else "领导接待",
                         d.room, d.topic, d.capacity, d.booked, d.waitlisted,
                         "是" if d.walk_ins else "否", d.status_label, note))
    return "\ufeff" + out.getvalue()
