"""``hall incident …``: special situations (特殊情况) from the command line.

    hall incident log --type CODE --place TEXT [--ticket NUMBER] [--people N] --note TEXT [--json]
    hall incident act ID --action CODE [--result TEXT] [--note TEXT]
    hall incident correct ID --entry ENTRY --note TEXT
    hall incident close ID --conclusion TEXT
    hall incident reopen ID --reason TEXT
    hall incident list [--date YYYY-MM-DD] [--status open|closed] [--json]
    hall incident show ID [--json]
    hall incident report [--date YYYY-MM-DD] [--csv FILE] [--json]

Every command needs a signed-in staff member whose role may do it (:mod:`cli.context`; exit 3
without): ``list``, ``show`` and ``report`` too, an incident names people and places (every view of
one is written to the audit log, the report through the same facade method as the screen's F3).
ENTRY is the entry's number within the incident, as ``show`` lists it. An unknown type or action,
acting on a closed incident, an empty note: exit 2 with a message, and nothing is written. There
is no delete. The manager's screen (``hall incidents``) is main's.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from cli.context import Context, UsageError, print_form_errors, print_json


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``hall incident …`` to ``hall``'s sub-command parser."""
    parser = sub.add_parser("incident", parents=[common], help="特殊情况：登记、处置、结案与查询")
    acts = parser.add_subparsers(
        dest="incident_command", parser_class=type(parser), required=True,
        metavar="{log,act,correct,close,reopen,list,show,report}")

    p = acts.add_parser("log", parents=[common], help="登记特殊情况")
    p.add_argument("--type", required=True, help="类型代码（见 hall check-config）")
    p.add_argument("--place", required=True, help="地点，如 3号窗口、候谈区")
    p.add_argument("--ticket", default="", help="关联的今日票号或查询码")
    p.add_argument("--people", default="1", help="涉及人数")
    p.add_argument("--note", required=True, help="经过")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_log)

    p = acts.add_parser("act", parents=[common], help="记录一项处置")
    p.add_argument("id", type=int)
    p.add_argument("--action", required=True, help="处置措施代码（见 hall check-config）")
    p.add_argument("--result", default="")
    p.add_argument("--note", default="")
    p.set_defaults(func=cmd_act)

    p = acts.add_parser("correct", parents=[common], help="更正一条记录（原记录保留）")
    p.add_argument("id", type=int)
    p.add_argument("--entry", type=int, required=True, help="被更正记录的序号（见 show）")
    p.add_argument("--note", required=True)
    p.set_defaults(func=cmd_correct)

    p = acts.add_parser("close", parents=[common], help="结案")
    p.add_argument("id", type=int)
    p.add_argument("--conclusion", required=True)
    p.set_defaults(func=cmd_close)

    p = acts.add_parser("reopen", parents=[common], help="重新打开已结案的记录")
    p.add_argument("id", type=int)
    p.add_argument("--reason", required=True)
    p.set_defaults(func=cmd_reopen)

    p = acts.add_parser("list", parents=[common], help="列出某日的特殊情况")
    p.add_argument("--date", help="营业日 YYYY-MM-DD（默认今天）")
    p.add_argument("--status", choices=["open", "closed"])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = acts.add_parser("show", parents=[common], help="查看一条特殊情况及其处置经过")
    p.add_argument("id", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = acts.add_parser("report", parents=[common], help="特殊情况日报（屏幕 F3 的同一份）")
    p.add_argument("--date", help="营业日 YYYY-MM-DD（默认今天）")
    p.add_argument("--csv", metavar="FILE", help="另存为 CSV（UTF-8 带 BOM，表格软件可直接打开）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_report)


def cmd_log(ctx: Context) -> int:
    from hall.incidents import INCIDENT_FIELDS, IncidentFormError, NewIncident

    args = ctx.args
    hall, actor = ctx.acting()
    new = NewIncident(type=args.type, place=args.place, note=args.note, people=args.people,
                      ticket=args.ticket)
    try:
        summary = hall.incidents.log(new, actor)
    except IncidentFormError as exc:
        return print_form_errors(exc.errors, INCIDENT_FIELDS)
    if args.json:
        print_json(asdict(summary))
        return 0
    print(f"已登记第 {summary.id} 号特殊情况：{summary.type_name}（{summary.severity_label}）"
          f"  {summary.place}")
    if summary.next_action_name:
        print(f"建议下一步：{summary.next_action_name}"
              f"（hall incident act {summary.id} --action {summary.next_action}）")
    return 0


def cmd_act(ctx: Context) -> int:
    args = ctx.args
    hall, actor = ctx.acting()
    entry = hall.incidents.act(args.id, args.action, actor, result=args.result, note=args.note)
    print(f"第 {args.id} 号 #{entry.seq} {entry.at[11:]} {entry.action_name}"
          + (f"：{entry.result}" if entry.result else ""))
    return 0


def cmd_correct(ctx: Context) -> int:
    args = ctx.args
    hall, actor = ctx.acting()
    entry = hall.incidents.correct(args.id, args.entry, args.note, actor)
    print(f"第 {args.id} 号 #{entry.seq} 更正 #{entry.corrects}（原记录保留）")
    return 0


def cmd_close(ctx: Context) -> int:
    args = ctx.args
    hall, actor = ctx.acting()
    entry = hall.incidents.close(args.id, args.conclusion, actor)
    print(f"第 {args.id} 号已结案（#{entry.seq}）")
    return 0


def cmd_reopen(ctx: Context) -> int:
    args = ctx.args
    hall, actor = ctx.acting()
    entry = hall.incidents.reopen(args.id, args.reason, actor)
    print(f"第 {args.id} 号已重新打开（#{entry.seq}）")
    return 0


def cmd_list(ctx: Context) -> int:
    args = ctx.args
    on = ctx.date(args.date)
    hall, _ = ctx.acting("incident.view")
    day = on or hall.today()
    rows = hall.incidents.list(day=day, status=args.status)
    if args.json:
        print_json({"date": day.isoformat(), "incidents": [asdict(s) for s in rows]})
        return 0
    if not rows:
        print(f"{day.isoformat()} 没有特殊情况记录")
    for s in rows:
        following = f"  建议：{s.next_action_name}" if s.next_action_name else ""
        ticket = f"  {s.ticket}" if s.ticket else ""
        print(f"{s.id:>4}  {s.logged_at[11:]}  [{s.severity_label}] {s.type_name}  {s.place}"
              f"{ticket}  {s.status_label}{following}")
    return 0


def cmd_show(ctx: Context) -> int:
    args = ctx.args
    hall, actor = ctx.acting()
    detail = hall.incidents.detail(args.id, actor)
    if args.json:
        print_json(asdict(detail))
        return 0
    s = detail.summary
    print(f"第 {s.id} 号  {s.type_name}（{s.severity_label}）  {s.status_label}")
    print(f"  {s.logged_at}  {s.place}  {s.people} 人"
          + (f"  票号 {s.ticket}" if s.ticket else "")
          + (f"  来访人 {detail.visitor}" if detail.visitor else ""))
    print(f"  经过：{detail.note}")
    chain = " → ".join(("✓" if c.done else "") + c.name for c in detail.chain)
    print(f"  建议流程：{chain}")
    for e in detail.entries:
        what = e.action_name if e.kind == "action" else e.kind_label
        if e.corrects is not None:
            what = f"更正 #{e.corrects}"
        line = f"  #{e.seq:<3} {e.at}  {e.actor_name}  {what}"
        if e.result:
            line += f"  结果：{e.result}"
        if e.note:
            line += f"  {e.note}"
        if e.corrected_by:
            line += f"  （已被 {'、'.join(f'#{n}' for n in e.corrected_by)} 更正）"
        print(line)
    if detail.conclusion:
        print(f"  结论：{detail.conclusion}")
    return 0


def cmd_report(ctx: Context) -> int:
    from hall.incidents.report import report_lines, save_report_csv

    # A bad date or a file that cannot be written is refused before the audited read: then
    # nothing at all is written.
    args = ctx.args
    day = ctx.date(args.date)
    target = _csv_target(args.csv) if args.csv else None
    hall, actor = ctx.acting()
    report = hall.incidents.report(day or hall.today(), actor)
    if target is not None:
        try:
            save_report_csv(report, target)
        except OSError as exc:  # checked above; a full disk or a race can still fail here
            raise UsageError(f"无法写入 {target}：{exc.strerror or exc}") from None
    if args.json:
        print_json({**asdict(report), "csv": str(target) if target else None})
        return 0
    print("\n".join(report_lines(report)))
    if target is not None:
        print(f"已保存：{target}")
    return 0


def _csv_target(text: str) -> Path:
    """The --csv file, refused when it cannot be written (a folder, a missing folder)."""
    path = Path(text).expanduser()
    folder = path.parent
    if path.is_dir():
        raise UsageError(f"--csv 应为文件名，“{text}”是一个目录")
    if not folder.is_dir():
        raise UsageError(f"无法写入 {text}：目录 {folder} 不存在")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"无法写入 {text}：没有写权限")
    return path
