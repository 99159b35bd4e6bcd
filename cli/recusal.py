"""回避 (recusal) from the command line: declare, withdraw, list one's own.

    hall recuse --id-number ID [--document-type T] --reason R     declare a conflict of interest
    hall recuse --withdraw --id-number ID [--document-type T]     withdraw it (the record stays)
    hall recusals [--all] [--json]                                 one's own recusals in force

The staff member signed in recuses *themselves* from the visitor's file (found by the document
type, ``id_card`` by default, and number); from then on their windows never call that visitor's
tickets: another window of the department does (:mod:`hall.accounts.recusal`). A missing or
refused reason, a bad document number or type exits 2 naming the flag, and nothing is written;
a file that does not exist, a recusal already declared or none to withdraw exit 2 too.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from cli.context import Context, UsageError, print_json


def cmd_recuse(ctx: Context) -> int:
    """Declare (or with --withdraw, withdraw) the signed-in staff member's recusal."""
    args = ctx.args
    if args.withdraw and args.reason is not None:
        raise UsageError("撤回回避不需要 --reason：请去掉 --reason 后重试")
    hall, actor = ctx.acting()
    # A FormError (bad number, type or reason) is printed by main per flag: exit 2.
    if args.withdraw:
        done = hall.recusals.withdraw(args.id_number, args.document_type or "", actor)
    else:
        done = hall.recusals.declare(args.id_number, args.document_type or "", args.reason or "",
                                     actor)
    who = f"{done.name_masked}（{done.id_number_masked}）"
    if args.withdraw:
        print(f"已撤回对来访人 {who} 的回避")
    else:
        print(f"已申请回避来访人 {who}：您的窗口不再叫该来访人的号，由其他窗口接待")
    return 0


def cmd_recusals(ctx: Context) -> int:
    """List the signed-in staff member's recusals, newest first (an account that may not
    declare one has none to list: refused, exit 3)."""
    hall, actor = ctx.acting("recusal.declare")
    rows = hall.recusals.of_actor(actor, withdrawn=ctx.args.all)
    if ctx.args.json:
        print_json([asdict(r) for r in rows])
        return 0
    if not rows:
        print("没有回避记录" if ctx.args.all else "没有生效的回避")
        return 0
    for r in rows:
        state = f"　已于 {r.withdrawn_at} 撤回" if r.withdrawn_at else ""
        print(f"{r.at}　{r.name_masked}　{r.id_number_masked}　{r.reason}{state}")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``recuse`` and ``recusals`` to ``hall``'s sub-command parser."""
    p = sub.add_parser("recuse", parents=[common], help="申请或撤回回避（本人与来访人有利害关系）")
    p.add_argument("--id-number", required=True, help="来访人证件号码")
    p.add_argument("--document-type", help="证件类型（默认 id_card 居民身份证）")
    p.add_argument("--reason", help="回避理由（申请时必填）")
    p.add_argument("--withdraw", action="store_true", help="撤回本人对该来访人的回避")
    p.set_defaults(func=cmd_recuse)
    p = sub.add_parser("recusals", parents=[common], help="本人的回避记录")
    p.add_argument("--all", action="store_true", help="包括已撤回的")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_recusals)
