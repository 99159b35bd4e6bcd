"""The ``hall leader`` commands: the leaders' roster (领导名册) as every terminal sees it.

    hall leader list [--all] [--json]                 the roster (--all: with the retired ones)
    hall leader add CODE --name TEXT --department CODE [--title T] [--portfolio T]
                    [--kind leader|lawyer] [--json]
    hall leader edit CODE [--name T] [--title T] [--portfolio T] [--kind K] [--department D]
                    [--json]
    hall leader retire CODE [--reason TEXT] [--json]
    hall leader reinstate CODE [--json]

The configuration's ``leaders`` are the initial roster; these commands store edits in the database
(:mod:`hall.roster`). Every command but ``list`` (the leaders the hall publishes, no visitor's
data) needs a signed-in staff member whose role may keep the roster (:mod:`cli.context`; exit 3
without). Bad input exits 2 with one line per field (``--name（姓名）：…``, ``CODE（代码）：…``)
and writes nothing.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from cli.context import Context, UsageError, print_form_errors, print_json

FLAGS = {"code": "CODE"}  # the positional argument; every other field is its own --flag


def _line(x: Any) -> str:
    kind = "律师" if x.kind == "lawyer" else "领导"
    state = "　已停用" if x.retired else ""
    source = "" if x.configured else "　（新增）"
    portfolio = f"　分管：{x.portfolio}" if x.portfolio else ""
    return f"{x.code:<12} {kind}  {x.label}　{x.department}{portfolio}{source}{state}"


def _json(x: Any) -> dict[str, Any]:
    data = asdict(x)
    data["label"] = x.label
    return data


def cmd_leader_list(ctx: Context) -> int:
    """The roster: configured leaders (as edited), then the added ones. Open without signing
    in: the leaders and duty lawyers the hall publishes, no visitor's data."""
    leaders = ctx.hall.leaders.roster.list(include_retired=ctx.args.all)
    if ctx.args.json:
        print_json({"leaders": [_json(x) for x in leaders]})
        return 0
    if not leaders:
        print("名册中没有领导（hall leader add 添加）")
    for x in leaders:
        print(_line(x))
    return 0


def _run(ctx: Context, act: Any, verb: str) -> int:
    from hall.desk.registration import FormError
    from hall.leaders.roster import ROSTER_LABELS

    hall, actor = ctx.acting()
    try:
        info = act(hall, actor)
    except FormError as exc:
        return print_form_errors(exc.errors, ROSTER_LABELS, FLAGS)
    if ctx.args.json:
        print_json(_json(info))
    else:
        print(f"{verb}：{_line(info)}")
    return 0


def cmd_leader_add(ctx: Context) -> int:
    """Add a leader or duty lawyer."""
    args = ctx.args
    return _run(ctx, lambda hall, actor: hall.leaders.roster.add(
        args.code, args.name, actor, title=args.title or "", portfolio=args.portfolio or "",
        kind=args.kind, department=args.department), "已添加")


def cmd_leader_edit(ctx: Context) -> int:
    """Change the fields given, keep the others."""
    args = ctx.args
    changes = {k: getattr(args, k) for k in ("name", "title", "portfolio", "kind", "department")
               if getattr(args, k) is not None}
    if not changes:
        raise UsageError("请指定要修改的项：--name、--title、--portfolio、--kind 或 --department")
    return _run(ctx, lambda hall, actor: hall.leaders.roster.edit(args.code, actor, **changes),
                "已修改")


def cmd_leader_retire(ctx: Context) -> int:
    """Retire a leader (kept with their days; offered for nothing new)."""
    args = ctx.args
    return _run(ctx, lambda hall, actor: hall.leaders.roster.retire(args.code, actor,
                                                             reason=args.reason or ""), "已停用")


def cmd_leader_reinstate(ctx: Context) -> int:
    """Bring a retired leader back."""
    code = ctx.args.code
    return _run(ctx, lambda hall, actor: hall.leaders.roster.reinstate(code, actor), "已恢复")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``hall leader …`` to ``hall``'s sub-command parser."""
    p = sub.add_parser("leader", parents=[common], help="领导名册：列表、添加、修改、停用、恢复")
    actions = p.add_subparsers(dest="action", parser_class=type(p), required=True,
                               metavar="{list,add,edit,retire,reinstate}")
    a = actions.add_parser("list", parents=[common], help="名册（--all 含已停用）")
    a.add_argument("--all", action="store_true", help="含已停用的")
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_leader_list)
    for name, text in (("add", "添加领导或值班律师"), ("edit", "修改领导资料")):
        a = actions.add_parser(name, parents=[common], help=text)
        a.add_argument("code", help="领导代码（小写字母开头，如 zhaomin）")
        a.add_argument("--name", required=name == "add", help="姓名")
        a.add_argument("--title", help="职务（如 副市长）")
        a.add_argument("--portfolio", help="分管领域")
        a.add_argument("--kind", choices=["leader", "lawyer"],
                       default="leader" if name == "add" else None, help="领导或律师")
        a.add_argument("--department", required=name == "add",
                       help="接待部门代码（签到后排入的队列）")
        a.add_argument("--json", action="store_true")
        a.set_defaults(func=cmd_leader_add if name == "add" else cmd_leader_edit)
    a = actions.add_parser("retire", parents=[common], help="停用（保留历史，不再安排）")
    a.add_argument("code")
    a.add_argument("--reason", help="停用原因（如 调任）")
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_leader_retire)
    a = actions.add_parser("reinstate", parents=[common], help="恢复已停用的领导")
    a.add_argument("code")
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_leader_reinstate)
