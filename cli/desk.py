"""``hall issue``, ``hall ticket``, ``hall status``: the registration desk from the command line.

    hall issue --name … --id-number … --category … --matter … [--phone …] [--address …]
               [--district CODE] [--request …] [--people N] [--representative ID]…
               [--priority CODE] [--department CODE] [--json]
    hall ticket NUMBER [--date YYYY-MM-DD] (--png FILE | --svg FILE)
    hall status CODE_OR_NUMBER [--date YYYY-MM-DD] [--json]

CODE_OR_NUMBER (and ``ticket``'s NUMBER) is a query code, a ticket number (R007, R10000), or the
QR code's whole payload as a kiosk's scanner reads it (``tickets.qr_template`` filled in).

``issue`` needs ``--staff``; a refused form prints one line per field (``--name（姓名）：…``),
exits 2 and writes nothing, not even a ticket number.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from cli.context import Context, UsageError, print_form_errors, print_json


def cmd_issue(ctx: Context) -> int:
    """Register a visitor and issue their ticket."""
    from hall.desk.registration import FIELD_LABELS, FormError, Registration

    args = ctx.args
    hall, actor = ctx.acting()
    form = Registration(
        name=args.name, id_number=args.id_number, category=args.category, matter=args.matter,
        phone=args.phone or "", address=args.address or "", district=args.district or "",
        request=args.request or "", people=args.people, representatives=args.representative,
        priority=args.priority or "", department=args.department or "")
    try:
        ticket = hall.desk.issue(form, actor=actor)
    except FormError as exc:
        return print_form_errors(exc.errors, FIELD_LABELS)
    print_ticket(ticket, args.json)
    return 0


def print_ticket(ticket: Any, as_json: bool) -> None:
    """An issued ticket as ``hall issue`` (and ``hall checkin``) prints it."""
    if as_json:
        print_json(asdict(ticket))
        return
    print(f"票号 {ticket.number}  {ticket.department_name}  {'、'.join(ticket.windows)}")
    repeat = f"  （重复访，第 {len(ticket.visits)} 次来访）" if ticket.repeat else ""
    print(f"前面还有 {ticket.ahead} 人{repeat}")
    print(f"查询码 {ticket.query_code}")


def cmd_ticket(ctx: Context) -> int:
    """Save a ticket's slip as PNG or SVG."""
    from hall.errors import NotFound
    from hall.printing import save_ticket

    args = ctx.args
    on = ctx.date(args.date)
    hall = ctx.hall
    try:
        ticket = hall.desk.ticket(args.number, on)
    except NotFound as exc:
        raise UsageError(str(exc)) from None
    target = args.png or args.svg
    try:
        path = save_ticket(hall.desk.print_view(ticket), target, "png" if args.png else "svg")
    except OSError as exc:  # a missing folder, no permission: the operator's to fix
        raise UsageError(f"无法写入 {target}：{exc.strerror or exc}") from None
    print(path)
    return 0


def cmd_status(ctx: Context) -> int:
    """Where a ticket stands, by query code or today's number."""
    from hall.errors import NotFound

    args = ctx.args
    on = ctx.date(args.date)
    try:
        status = ctx.hall.desk.ticket_status(args.code_or_number, on)
    except NotFound as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print_json(asdict(status))
        return 0
    line = f"{status.number}  {status.department_name}  {status.status_label}"
    if status.status == "waiting":
        line += f"  前面还有 {status.ahead} 人"
    elif status.window is not None:
        line += f"  请到 {status.window} 号窗口"
    print(line)
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``issue``, ``ticket`` and ``status`` to ``hall``'s sub-command parser."""
    p = sub.add_parser("issue", parents=[common], help="登记并取号")
    p.add_argument("--name", required=True)
    p.add_argument("--id-number", required=True)
    p.add_argument("--phone")
    p.add_argument("--address")
    p.add_argument("--district")
    p.add_argument("--category", required=True)
    p.add_argument("--matter", required=True)
    p.add_argument("--request")
    p.add_argument("--people", default="1")
    p.add_argument("--representative", action="append", default=[])
    p.add_argument("--priority")
    p.add_argument("--department")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_issue)

    p = sub.add_parser("ticket", parents=[common], help="将票据保存为图片")
    p.add_argument("number")
    p.add_argument("--date")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--png")
    out.add_argument("--svg")
    p.set_defaults(func=cmd_ticket)

    p = sub.add_parser("status", parents=[common], help="按查询码或票号查询进度")
    p.add_argument("code_or_number", help="查询码、票号，或扫码得到的二维码全文")
    p.add_argument("--date")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)
