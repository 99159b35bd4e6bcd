"""The daily incident report (特殊情况日报) as CSV and as plain lines.

    report = hall.incidents.report(day, actor="mgr01")
    save_report_csv(report, path)          # the screen's S and ``hall incident report --csv``
    print("\n".join(report_lines(report)))  # ``hall incident report``
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hall.incidents.views import IncidentEntryView, IncidentReport

CSV_HEADER = ("编号", "登记时间", "类型", "级别", "地点", "人数", "票号", "来访人", "状态",
              "经过", "处置记录", "结论")


def report_csv(report: IncidentReport) -> str:
    """The report as CSV text (UTF-8 with BOM when written, so spreadsheet software reads it)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for d in report.incidents:
        s = d.summary
        steps = "；".join(_entry_line(e) for e in d.entries if e.kind != "logged")
        writer.writerow((s.id, s.logged_at, s.type_name, s.severity_label, s.place, s.people,
                         s.ticket, d.visitor, s.status_label, d.note, steps, d.conclusion))
    return out.getvalue()


def save_report_csv(report: IncidentReport, path: Path) -> Path:
    """Write the report's CSV to ``path`` with a BOM (the screen's S and ``hall incident report
    --csv`` write the same bytes); an OSError is the caller's to word."""
    path.write_text(report_csv(report), encoding="utf-8-sig", newline="")
    return path


def report_lines(report: IncidentReport) -> list[str]:
    """The report as plain lines (``hall incident report``): totals, counts by type, then one
    block per incident with its steps in order, as the screen's report shows them."""
    lines = [f"特殊情况日报 {report.date}：共 {report.total} 起　处置中 {report.open} 起　"
             f"已结案 {report.closed} 起"]
    if not report.total:
        lines.append("当日没有特殊情况记录")
        return lines
    lines += [f"　{name} {count}" for name, count in report.by_type]
    for d in report.incidents:
        s = d.summary
        lines.append("")
        lines.append(f"#{s.id} {s.logged_at[11:]} [{s.severity_label}] {s.type_name}　"
                     f"{s.place}　{s.status_label}"
                     + (f"　票号 {s.ticket}" if s.ticket else "")
                     + (f"　来访人 {d.visitor}" if d.visitor else ""))
        lines.append(f"　经过：{d.note}")
        lines += [f"　{_entry_line(e)}" for e in d.entries if e.kind != "logged"]
        if d.conclusion:
            lines.append(f"　结论：{d.conclusion}")
    return lines


def _entry_line(e: IncidentEntryView) -> str:
    what = e.action_name if e.kind == "action" else e.kind_label
    if e.corrects is not None:
        what = f"更正#{e.corrects}"
    text = f"#{e.seq} {e.at[11:16]} {e.actor_name} {what}"
    if e.result:
        text += f"（{e.result}）"
    if e.note:
        text += f"：{e.note}"
    return text
