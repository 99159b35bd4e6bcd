"""Plain results about special situations (特殊情况), and the daily report as CSV.

Like :mod:`hall.views`: values, not rows, so a screen keeps them after the transaction and the
CLI prints them with :func:`dataclasses.asdict`. Names of visitors are masked in every one.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

INCIDENT_STATUS_LABELS = {"open": "处置中", "closed": "已结案"}
ENTRY_LABELS = {
    "logged": "登记",
    "action": "处置",
    "correction": "更正",
    "closed": "结案",
    "reopened": "重新打开",
}


@dataclass(frozen=True)
class IncidentEntryView:
    """One dated step of an incident's timeline."""

    seq: int  # 1, 2, 3 ... within the incident (what ``hall incident correct --entry`` takes)
    at: str  # local time, YYYY-MM-DD HH:MM:SS
    actor: str
    actor_name: str
    kind: str  # logged / action / correction / closed / reopened
    kind_label: str
    action: str  # the action's code, for kind "action"
    action_name: str
    result: str
    note: str
    corrects: int | None  # for a correction: the seq of the entry it corrects
    corrected_by: tuple[int, ...]  # the seqs of the corrections of this entry


@dataclass(frozen=True)
class ChainStep:
    """A step of the type's recommended chain, and whether it was recorded."""

    code: str
    name: str
    done: bool


@dataclass(frozen=True)
class IncidentSummary:
    """An incident as a list shows it: no note, no name."""

    id: int
    business_day: str
    logged_at: str  # local time, YYYY-MM-DD HH:MM
    type: str
    type_name: str
    severity: str  # high / medium / low
    severity_label: str
    group: str
    place: str
    people: int
    ticket: str  # the linked ticket's number, '' if none
    status: str  # open / closed
    status_label: str
    entries: int
    next_action: str  # the suggested next step's code ('' when closed or the chain is done)
    next_action_name: str


@dataclass(frozen=True)
class IncidentDetail:
    """An incident with its timeline, as the detail view and ``hall incident show`` give it."""

    summary: IncidentSummary
    logged_by: str
    visitor_id: int | None
    visitor: str  # masked name, '' if none
    note: str  # what happened, as last corrected
    conclusion: str  # the latest close's conclusion (as last corrected), '' while open
    chain: tuple[ChainStep, ...]
    entries: tuple[IncidentEntryView, ...]  # in order


@dataclass(frozen=True)
class IncidentAlert:
    """An open incident of high severity, for the discreet alert on staff screens."""

    id: int
    type_name: str
    place: str
    since: str  # local HH:MM (with the date when not today)


@dataclass(frozen=True)
class VisitorIncident:
    """An incident in a visitor's file."""

    id: int
    date: str
    type_name: str
    status: str
    status_label: str


@dataclass(frozen=True)
class IncidentReport:
    """The daily incident report (特殊情况日报)."""

    date: str
    total: int
    open: int
    closed: int
    by_type: tuple[tuple[str, int], ...]  # (type name, count), most frequent first
    incidents: tuple[IncidentDetail, ...]  # in the order they were logged


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
