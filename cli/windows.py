"""The window's commands: call, recall, interview, no-show, transfer, finish, pause, requeue.

    hall call --window N [--number NUMBER] [--json]     the next in line, or that ticket
    hall recall|no-show|start|pause|resume --window N
    hall transfer --window N --to DEPARTMENT [--note TEXT]
    hall finish --window N --outcome CODE [--note TEXT] [--reason TEXT] [--channel TEXT]
                [--unit UNIT] [--json]          an outcome that opens a case prints its number
    hall requeue NUMBER                                  a no-show back in its place

Every command needs a signed-in staff member (:mod:`cli.context`) whose role may act at that
window (a window clerk at their own department's windows): else exit 3. A refused act (nothing
called, a window that serves nobody) exits 2 with the reason and changes nothing.

``finish`` with an outcome that opens a case (立案交办, 转送 …) opens it in the same transaction
and prints its number; ``--unit`` names the handling unit (承办单位): a department code (default:
the visit's department), or for 转送 the outside unit's name (required then). A visit about an
open case becomes an entry on that case instead (its number is printed too).
"""

from __future__ import annotations

import argparse
from typing import Any

from cli.context import Context, print_json

ACTS = (("recall", "重呼"), ("no-show", "过号"), ("start", "开始接谈"), ("pause", "暂停窗口"),
        ("resume", "恢复窗口"), ("transfer", "转办"), ("finish", "办结"))


def cmd_call(ctx: Context) -> int:
    """Call the next ticket (or the one named) to a window."""
    args = ctx.args
    hall, actor = ctx.acting()
    if args.number:
        notice = hall.windows.call_number(args.window, args.number, actor)
    else:
        notice = hall.windows.call_next(args.window, actor)
    spec = hall.windows.spec(args.window)
    if args.json:
        print_json({"number": notice.number if notice else None,
                    "department": notice.department if notice else None,
                    "window": spec.number})
    elif notice is None:
        print(f"{spec.title}：当前没有候谈的来访")
    else:
        print(f"请 {notice.number} 号到 {spec.title}")
    return 0


def cmd_window_act(ctx: Context) -> int:
    """One act at a window (the command's name says which)."""
    args = ctx.args
    hall, actor = ctx.acting()
    act = args.command
    if act == "recall":
        notice = hall.windows.recall(args.window, actor)
        recalls = hall.windows.view(args.window, viewer=actor).current.recalls
        print(f"重呼 {notice.number}（第 {recalls} 次）")
    elif act == "no-show":
        print(f"{hall.windows.no_show(args.window, actor)} 已过号")
    elif act == "transfer":
        number = hall.windows.transfer(args.window, args.to, actor, note=args.note or "")
        print(f"{number} 已转办至 {hall.config.department(args.to).name}，保留原排队顺序")
    elif act == "finish":
        return _finish(ctx)
    elif act == "start":
        hall.windows.start_interview(args.window, actor)
        print("开始接谈")
    elif act == "pause":
        hall.windows.pause(args.window, actor)
        print(f"{hall.windows.spec(args.window).title}已暂停")
    elif act == "resume":
        hall.windows.resume(args.window, actor)
        print(f"{hall.windows.spec(args.window).title}已恢复服务")
    elif act == "requeue":
        print(f"{hall.windows.requeue(args.number, actor)} 已重新排队（保留原顺序）")
    return 0


def _finish(ctx: Context) -> int:
    """办结: the ticket's number, and the case the outcome opened or the visit joined."""
    args = ctx.args
    hall, actor = ctx.acting()
    done = hall.windows.finish_visit(args.window, args.outcome, actor, note=args.note or "",
                                     reason=args.reason or "", channel=args.channel or "",
                                     unit=args.unit or "")
    case = done.case
    if args.json:
        print_json({"number": done.number, "outcome": args.outcome,
                    "case": {"id": case.case_id, "number": case.number, "new": case.new}
                    if case else None})
        return 0
    print(f"{done.number} 已办结：{hall.config.outcome(args.outcome).name}")
    if case is not None:
        print(f"{'已立案' if case.new else '已并入在办案件'}：{case.number}"
              f"（hall cases show {case.case_id}）")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``call``, the window's acts and ``requeue`` to ``hall``'s sub-command parser."""
    p = sub.add_parser("call", parents=[common], help="叫号：叫下一位或指定票号")
    p.add_argument("--window", type=int, required=True)
    p.add_argument("--number")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_call)
    for name, text in ACTS:
        p = sub.add_parser(name, parents=[common], help=text)
        p.add_argument("--window", type=int, required=True)
        if name == "transfer":
            p.add_argument("--to", required=True)
            p.add_argument("--note")
        if name == "finish":
            p.add_argument("--outcome", required=True)
            p.add_argument("--note")
            p.add_argument("--reason", help="不予受理/不再受理的理由")
            p.add_argument("--channel", help="告知来访人的法定途径")
            p.add_argument("--unit", help="承办单位：部门代码（默认来访的部门）；转送写外单位名称")
            p.add_argument("--json", action="store_true")
        p.set_defaults(func=cmd_window_act)
    p = sub.add_parser("requeue", parents=[common], help="过号的来访重新排队")
    p.add_argument("number")
    p.set_defaults(func=cmd_window_act)
