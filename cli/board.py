"""``hall queue``: the waiting line in call order, as the board and the windows see it.

    hall queue [--department CODE] [--json]

Needs a signed-in account that may read the board (:mod:`cli.context`; exit 3 without): the line
holds internal detail (priority groups, repeat and collective visits, whom a room's visitors wait
for). The masked names (``name_masked``, 李**) are given only to staff who may see visitors'
files; the board's account and the like get "" (:meth:`hall.board.Board.queue`).
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from cli.context import Context, UsageError, print_json


def cmd_queue(ctx: Context) -> int:
    """Today's waiting tickets, all queues or one department's."""
    args = ctx.args
    hall = ctx.hall
    if args.department and hall.config.department(args.department) is None:
        raise UsageError(f"未知的部门“{args.department}”")
    hall, actor = ctx.acting("board.view")
    entries = hall.board.queue([args.department] if args.department else None,
                               viewer=actor)  # names masked, or none
    if args.json:
        print_json([asdict(e) for e in entries])
        return 0
    if not entries:
        print("当前没有候谈的来访")
    for e in entries:
        marks = " ".join(m for m in (e.priority_name, "重复访" if e.repeat else "",
                                     f"集体访{e.people}人" if e.collective else "",
                                     f"候 {e.waits_for}" if e.waits_for else "") if m)
        print(f"{e.number:<6} {e.department_name:<10} {e.issued_at} 已等 {e.waiting_minutes} 分钟"
              f"  {marks}")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``queue`` to ``hall``'s sub-command parser."""
    p = sub.add_parser("queue", parents=[common], help="候谈队列（叫号顺序）")
    p.add_argument("--department")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_queue)
