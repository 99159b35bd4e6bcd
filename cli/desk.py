"""``hall issue``, ``hall ticket``, ``hall status``: the registration desk from the command line.

    hall issue --name … --id-number … --category … --matter … [--phone …] [--address …]
               [--document-type TYPE] [--district CODE] [--request …] [--people N]
               [--representative "ID,姓名,电话"]… [--priority CODE] [--department CODE]
               [--rename] [--again-reason 原因] [--channels letter,online]
               [--earlier-opinion 原处理意见] [--case CASE] [--json]
    hall ticket NUMBER [--date YYYY-MM-DD] (--png FILE [--width DOTS] | --svg FILE | --print)
    hall status CODE_OR_NUMBER [--date YYYY-MM-DD] [--json]
    hall visitor-history NUMBER [--document-type TYPE] [--json]

``--document-type`` is ``id_card`` (居民身份证, the default), ``passport``, ``hk_macao``
(港澳居民来往内地通行证), ``taiwan`` (台湾居民来往大陆通行证), ``foreign_pr`` (外国人永久居留身份证)
or ``hmt_residence`` (港澳台居民居住证); a file is kept per (type, number).

One person, one file: a name that differs from the file's is refused unless ``--rename`` confirms
it; a person with a ticket waiting or called today gets another only with ``--again-reason``
(recorded with the ticket). Both refusals exit 2 and write nothing. ``--channels`` names the other
channels the same matter went through (codes or names of ``cases.channels``: letter 来信, online
网上信访, phone 来电, other_body 其他机关), ``--earlier-opinion`` an earlier handling opinion;
``--case`` (the case's number, id or YEAR-SEQ) links the visit to one of the visitor's open cases
(重复访，同一事项): another person's, a closed or an unknown case exits 2, nothing written.
``visitor-history`` prints the file and every earlier name, phone, address and district it held.

``ticket`` saves a slip (``--width``: the PNG that many pixels wide, default 640) or, with
``--print``, prints it again on the configured receipt printer (``tickets.printer``), audited as a
reprint. A printer that is off, unplugged or out of paper fails within its timeout and exits 1,
as a database that cannot be reached does (the ticket itself stays issued); no printer configured
(kind none) exits 2.

CODE_OR_NUMBER (and ``ticket``'s NUMBER) is a query code, a ticket number (R007, R10000), or the
QR code's whole payload as a kiosk's scanner reads it (``tickets.qr_template`` filled in).

``issue``, ``ticket`` and ``visitor-history`` need a signed-in staff member or a token
(:mod:`cli.context`; exit 3 without); ``status`` is open to kiosks and the public: it shows a
ticket's number, department, state, how many are ahead and the window, and once the visit has a
case (信访事项) its number, state and next due date (not for a confidential one); no personal
data. A refused form prints one line per field (``--name（姓名）：…``), exits 2 and writes
nothing, not even a ticket number; the form is checked before the password is.
``visitor-history`` shows the file as the signed-in staff member may see it (a confidential matter
outside their department: 「保密事项」 and its date, not counted as a visit) and the view is
written to the audit log.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from datetime import date
from typing import Any

from cli.context import EXIT_DATABASE, Context, UsageError, print_form_errors, print_json

DOCUMENT_HELP = ("证件类型：id_card 居民身份证（默认）、passport 护照、hk_macao 港澳通行证、"
                 "taiwan 台胞证、foreign_pr 外国人永久居留身份证、hmt_residence 港澳台居民居住证")

ISSUE_FLAGS = {"other_channels": "--channels", "case_id": "--case"}
"""The options of ``hall issue`` not named after their form field."""

EXIT_PRINTER = EXIT_DATABASE
"""A receipt printer that cannot be reached is, to a script, like a database that cannot be: 1."""


def cmd_issue(ctx: Context) -> int:
    """Register a visitor and issue their ticket."""
    from hall.desk.registration import (
        FIELD_LABELS,
        FormError,
        NeedsConfirmation,
        Registration,
        validate,
    )

    args = ctx.args
    ctx.expect_credentials()
    form = Registration(
        name=args.name, id_number=args.id_number, category=args.category, matter=args.matter,
        phone=args.phone or "", address=args.address or "", district=args.district or "",
        request=args.request or "", people=args.people, representatives=args.representative,
        priority=args.priority or "", department=args.department or "",
        document_type=args.document_type or "", rename=args.rename,
        again_reason=args.again_reason or "", other_channels=args.channels or "",
        earlier_opinion=args.earlier_opinion or "")
    hall = ctx.hall
    try:
        validate(form, hall.config, hall.today())  # a typo costs no password (the desk checks too)
        if args.case:  # NotFound (exit 2) for a case nobody has
            form.case_id = hall.cases.find(args.case)
        hall, actor = ctx.acting()
        ticket = hall.desk.issue(form, actor=actor)
    except NeedsConfirmation as exc:
        errors = dict(exc.errors)
        if "name" in errors:
            errors["name"] += "；确认改名请加 --rename"
        return print_form_errors(errors, FIELD_LABELS, ISSUE_FLAGS)
    except FormError as exc:
        return print_form_errors(exc.errors, FIELD_LABELS, ISSUE_FLAGS)
    linked = hall.cases.of_visit(ticket.visit_id) if form.case_id else None
    if linked is not None and args.json:
        print_json({**asdict(ticket), "case": dict(zip(("number", "state", "due_on"), linked,
                                                       strict=True))})
        return 0
    print_ticket(ticket, args.json)
    if linked is not None:
        number, state, due = linked
        print(f"重复访（同一事项）：{number}  {state}" + (f"  期限 {due}" if due else ""))
    return 0


def print_ticket(ticket: Any, as_json: bool) -> None:
    """An issued ticket as ``hall issue`` (and ``hall checkin``) prints it."""
    if as_json:
        print_json(asdict(ticket))
        return
    print(f"票号 {ticket.number}  {ticket.department_name}  {'、'.join(ticket.windows)}")
    counted = sum(not v.masked for v in ticket.visits)  # 保密事项 never counts
    repeat = f"  （重复访，第 {counted} 次来访）" if ticket.repeat else ""
    print(f"前面还有 {ticket.ahead} 人{repeat}")
    print(f"查询码 {ticket.query_code}")


def cmd_ticket(ctx: Context) -> int:
    """Save a ticket's slip as PNG or SVG, or print it again on the receipt printer."""
    from hall.errors import NotFound
    from hall.printing import save_ticket

    args = ctx.args
    on = ctx.date(args.date)
    if args.width is not None and not args.png:
        raise UsageError("--width 只用于 --png（SVG 是矢量图；打印按 tickets.printer.width_dots）")
    if args.width is not None and not 128 <= args.width <= 2048:
        raise UsageError(f"--width：应为 128 到 2048 之间的像素数，实际为 {args.width}")
    if args.print and ctx.config.tickets.printer.kind == "none":
        raise UsageError("未配置票据打印机：请在配置文件 tickets.printer 中设置 kind"
                         "（cups 或 escpos）及其地址")
    hall, actor = ctx.acting("ticket.issue")  # the slip carries the query code
    if args.print:
        return _reprint(hall, actor, args.number, on)
    try:
        ticket = hall.desk.ticket(args.number, on)
    except NotFound as exc:
        raise UsageError(str(exc)) from None
    target = args.png or args.svg
    try:
        path = save_ticket(hall.desk.print_view(ticket), target, "png" if args.png else "svg",
                           width=args.width or 640)
    except OSError as exc:  # a missing folder, no permission: the operator's to fix
        raise UsageError(f"无法写入 {target}：{exc.strerror or exc}") from None
    print(path)
    return 0


def _reprint(hall: Any, actor: str, number: str, on: date | None) -> int:
    """``hall ticket NUMBER --print``: 0 printed, 1 the printer failed (said on stderr)."""
    from hall.errors import NotFound

    try:
        result = hall.printer.reprint(number, on, actor)
    except NotFound as exc:
        raise UsageError(str(exc)) from None
    if not result.ok:
        print(f"打印失败：{result.error}；票据未受影响，可稍后重打：hall ticket {number} --print",
              file=sys.stderr)
        return EXIT_PRINTER
    print(f"已打印 {number}（{result.target}，{result.bytes_sent} 字节）")
    return 0


def cmd_status(ctx: Context) -> int:
    """Where a ticket stands, by query code or today's number.

    Open without signing in, for kiosks and the visitor's phone: a
    :class:`hall.views.TicketStatus` holds the number, business day, department, state, how many
    are ahead and the window, the same as the hall board shows to everyone; no name, ID number,
    phone, matter or category (``tests/cli/test_cli_signin.py`` checks the fields). Once a case
    exists for the visit: its number, state and next due date (``case``; None for a confidential
    one, :meth:`hall.desk.codes.QueryCodes.case_of`)."""
    from hall.errors import NotFound

    args = ctx.args
    on = ctx.date(args.date)
    try:
        status = ctx.hall.desk.ticket_status(args.code_or_number, on)
    except NotFound as exc:
        raise UsageError(str(exc)) from None
    case = ctx.hall.desk.codes.case_of(status.number, date.fromisoformat(status.business_day))
    if args.json:
        print_json({**asdict(status), "case": case._asdict() if case else None})
        return 0
    line = f"{status.number}  {status.department_name}  {status.status_label}"
    if status.status == "waiting":
        line += f"  前面还有 {status.ahead} 人"
    elif status.window is not None:
        line += f"  请到 {status.window} 号窗口"
    print(line)
    if case is not None:
        print(f"信访事项 {case.number}  {case.state_label}"
              + (f"  下一期限 {case.due_on}" if case.due_on else ""))
    return 0


def cmd_visitor_history(ctx: Context) -> int:
    """A visitor's file and every earlier name, phone, address and district it held."""
    from hall.text.documents import document_type, parse_document
    from hall.text.idnumber import IdNumberError

    args = ctx.args
    kind = args.document_type or ""
    if document_type(kind) is None:
        raise UsageError(f"--document-type：未知的证件类型“{kind}”")
    hall = ctx.hall
    try:
        number = parse_document(kind, args.number, today=hall.today()).value
    except IdNumberError as exc:
        raise UsageError(f"NUMBER：{exc.message}") from None
    hall, actor = ctx.acting()  # the number checked first: a typo costs no password
    file = hall.desk.visitor_file(number, kind, viewer=actor)  # refuses a kiosk or the board
    if file is None:
        raise UsageError(f"没有证件号为 {number} 的档案：请核对号码和 --document-type")
    history = hall.desk.file_history(file.visitor_id, viewer=actor)
    if args.json:
        print_json({"name": file.name, "phone": file.phone, "address": file.address,
                    "district": file.district, "visits": file.visit_count,
                    "history": [asdict(c) for c in history]})
        return 0
    print(f"{file.name}  电话 {file.phone or '—'}  住址 {file.address or '—'}  "
          f"来访 {file.visit_count} 次")
    if not history:
        print("档案信息未曾变更")
    for change in history:
        print(f"{change.at}  {change.field_label}  {change.old or '（空）'} → "
              f"{change.new or '（空）'}  {change.actor}")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``issue``, ``ticket`` and ``status`` to ``hall``'s sub-command parser."""
    p = sub.add_parser("issue", parents=[common], help="登记并取号")
    p.add_argument("--name", required=True)
    p.add_argument("--id-number", required=True, help="证件号码（默认居民身份证号）")
    p.add_argument("--document-type", help=DOCUMENT_HELP)
    p.add_argument("--phone")
    p.add_argument("--address")
    p.add_argument("--district")
    p.add_argument("--category", required=True)
    p.add_argument("--matter", required=True)
    p.add_argument("--request")
    p.add_argument("--people", default="1")
    p.add_argument("--representative", action="append", default=[],
                   help="集体访代表：“身份证号,姓名,电话”，可重复")
    p.add_argument("--priority")
    p.add_argument("--department")
    p.add_argument("--rename", action="store_true", help="确认此人改名（与档案姓名不同时必需）")
    p.add_argument("--again-reason", help="今日已有未办结的票时再次取号的原因（记录在案）")
    p.add_argument("--channels", help="同一事项已通过的其他渠道，逗号分隔（letter 来信、"
                   "online 网上信访、phone 来电、other_body 其他机关，见配置 cases.channels）")
    p.add_argument("--earlier-opinion", help="原处理意见（如有）")
    p.add_argument("--case", help="重复访（同一事项）：关联此人未办结的案件"
                   "（案件编号、序号或 年份-序号）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_issue)

    p = sub.add_parser("visitor-history", parents=[common], help="来访人档案及历次变更")
    p.add_argument("number", help="证件号码")
    p.add_argument("--document-type", help=DOCUMENT_HELP)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_visitor_history)

    p = sub.add_parser("ticket", parents=[common], help="将票据保存为图片，或在票据打印机上重打",
                       description="打印机无法连接、缺纸或无响应时退出码为 1（与数据库无法连接"
                       "相同），票据本身不受影响；未配置打印机时退出码为 2。")
    p.add_argument("number")
    p.add_argument("--date")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--png", help="保存为 PNG 文件")
    out.add_argument("--svg", help="保存为 SVG 文件")
    out.add_argument("--print", action="store_true",
                     help="在配置的票据打印机（tickets.printer）上重打；打印失败退出码 1")
    p.add_argument("--width", type=int, help="PNG 的宽度（像素/打印点），默认 640")
    p.set_defaults(func=cmd_ticket)

    p = sub.add_parser("status", parents=[common], help="按查询码或票号查询进度")
    p.add_argument("code_or_number", help="查询码、票号，或扫码得到的二维码全文")
    p.add_argument("--date")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status, lookup=True)  # the settings it needs, without pydantic
