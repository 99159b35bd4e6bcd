"""``hall audit``: read the audit log (administrators and managers).

    HALL_STAFF=mgr01 hall audit [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--staff LOGIN]
                                [--action ACTION] [--json]

Who did or saw what, when, oldest first: every act, every refusal (``denied``), every view of a
visitor's file (``visitor.view``), of a confidential visit (``visit.confidential``), of a masked
field in full (``visitor.reveal``), of an incident's detail (``incident.view``). Dates are
calendar days in the hall's time zone, both included. After the command, ``--staff`` chooses whose
events to list; the reader is the signed-in staff member (HALL_STAFF, or ``--staff`` *before* the
command: ``hall --staff mgr01 audit --staff win07``). A reader whose role may not read the log
(anyone but 管理员 and 中心领导) gets exit 3 and a message; the refusal is itself audited, and so
is every reading.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any

from cli.context import Context, print_json


def cmd_audit(ctx: Context) -> int:
    """List the audit events the filters select (a reader who may not: NotAllowed, exit 3)."""
    args = ctx.args
    start = ctx.date(args.start, "--from")
    end = ctx.date(args.end, "--to")
    hall, actor = ctx.acting()
    events = hall.audit.events(viewer=actor, start=start, end=end, staff=args.of_staff,
                               action=args.action)
    if args.json:
        print_json([asdict(e) for e in events])
        return 0
    if not events:
        print("没有符合条件的审计记录")
    for event in events:
        detail = json.dumps(event.detail, ensure_ascii=False) if event.detail else ""
        what = event.action if event.action_label == event.action \
            else f"{event.action_label}（{event.action}）"
        print(f"{event.at}  {event.actor:<8}  {what}  {event.entity} {event.entity_id}  "
              f"{detail}".rstrip())
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``hall audit`` to ``hall``'s sub-command parser."""
    # After the command --staff says whose events (the wording), so the global options
    # but --staff are taken over one by one; who reads: HALL_STAFF or --staff before "audit".
    p = sub.add_parser("audit", help="查阅审计日志（管理员、中心领导）")
    for action in common._actions:
        if action.option_strings and "--staff" not in action.option_strings \
                and "-h" not in action.option_strings:
            p._add_action(action)
    p.add_argument("--from", dest="start", help="起始日期 YYYY-MM-DD（含）")
    p.add_argument("--to", dest="end", help="截止日期 YYYY-MM-DD（含）")
    p.add_argument("--staff", dest="of_staff", default=None,
                   help="只看该登录名的记录（查阅人用 HALL_STAFF 或命令前的 --staff）")
    p.add_argument("--action", help="只看该动作，如 visitor.view、visit.confidential、denied")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_audit)
