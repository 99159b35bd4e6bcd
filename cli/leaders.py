"""The ``hall`` commands for reception days (领导接待日), bookings, check-in and 包案.

    hall leader-days [--month YYYY-MM] [--json]
    hall leader-days add --leader CODE --date YYYY-MM-DD --start HH:MM --end HH:MM --capacity N
                         [--room TEXT] [--topic TEXT] [--walk-ins] [--json]
    hall leader-days cancel ID --reason TEXT [--json]
    hall leader-days plan --month YYYY-MM [--json]      rules → planned days
    hall leader-days publish [--json]                    planned days within the horizon
    hall leader-days export --month YYYY-MM (--csv FILE | --ics FILE)
    hall book --day ID --id-number ID [--matter TEXT] [--category CODE] [--json]
              [--name NAME [--phone …] [--address …] [--district CODE] [--document-type TYPE]
               [--rename]]                       opens or updates the file, as `hall issue` does
    hall book cancel BOOKING_ID [--reason TEXT] [--json]
    hall book reschedule BOOKING_ID --day ID [--json]
    hall checkin --booking BOOKING_ID [--json]           the ticket, as `hall issue` prints it
    hall case --id-number ID --leader CODE --matter TEXT [--category CODE] [--json]   包案
    hall case --id-number ID --leader CODE --case CASE [--matter TEXT] [--json]

包案 (issue 12) is a step of a case (信访事项, ``hall cases``): ``hall case`` opens a case for the
matter with the leader in charge (its category ``--category``, else the visitor's latest visit's,
else ``policy``; its handling unit the leader's reception room until a manager assigns it with
``hall cases assign``), or with ``--case`` the leader takes charge of that open case of the
visitor's (``--matter`` is then a note). It prints the case's number, state and next due date.

A visitor without a file is booked with ``--name`` (and the file's other fields): the file is
opened in the booking's transaction; a name that differs from the file's needs ``--rename``, and
the file's history keeps the old one. Every command but the list and the export needs a
signed-in staff member whose role may do it (:mod:`cli.context`; exit 3 without); the list and the
export show what the hall publishes (days, leaders, rooms, how many places are taken), no
visitor's name. Bad input exits 2 with a Chinese message and writes nothing; a refused day prints
one line per field (``--end（结束时间）：…``).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from cli.context import Context, UsageError, print_form_errors, print_json
from cli.desk import DOCUMENT_HELP, print_ticket

DAY_LABELS = {"date": "日期", "start": "开始时间", "end": "结束时间", "capacity": "名额",
              "room": "地点", "topic": "主题"}


def _day_line(d: Any) -> str:
    fill = f"{d.booked}/{d.capacity}" + (f" 候补{d.waitlisted}" if d.waitlisted else "")
    note = f"（原定 {d.shifted_from}）" if d.shifted_from else ""
    if d.status == "cancelled":
        note = f"（{d.cancel_reason}）"
    unchecked = f"  ⚠{d.calendar_note}" if d.calendar_note else ""
    return (f"{d.id:>4}  {d.date}  {d.start}–{d.end}  {d.leader:<10} {d.leader_label}  "
            f"{d.room}  {fill}  {d.status_label}{note}{unchecked}")


def _day_json(d: Any) -> dict[str, Any]:
    return {"id": d.id, "date": d.date, "leader": d.leader, "leader_name": d.leader_name,
            "room": d.room, "start": d.start, "end": d.end, "capacity": d.capacity,
            "booked": d.booked, "waitlisted": d.waitlisted, "status": d.status,
            "topic": d.topic, "walk_ins": d.walk_ins, "shifted_from": d.shifted_from or None,
            "cancel_reason": d.cancel_reason or None, "calendar_checked": d.calendar_checked,
            "calendar_note": d.calendar_note or None}


def cmd_leader_days(ctx: Context) -> int:
    """List the days of a month (default: this month). Open without signing in: a day shows its
    leader, room, times and how many places are taken, never who booked them."""
    from hall.leaders.schedule import NO_DATA, month_bounds

    month = ctx.month(ctx.args.month)
    hall = ctx.hall
    year, number = month or (hall.today().year, hall.today().month)
    days = hall.leaders.days(*month_bounds(year, number))
    warnings = sorted({NO_DATA.format(year=d.date[:4]) for d in days if not d.calendar_checked})
    if ctx.args.json:
        print_json({"month": f"{year}-{number:02d}", "days": [_day_json(d) for d in days],
                    "warnings": warnings})
        return 0
    if not days:
        print(f"{year}-{number:02d} 没有接待日（hall leader-days plan --month {year}-{number:02d}"
              " 按规则生成）")
    for d in days:
        print(_day_line(d))
    for warning in warnings:
        print(f"注意：{warning}", file=sys.stderr)
    return 0


def cmd_day_add(ctx: Context) -> int:
    from hall.desk.registration import FormError

    args = ctx.args
    on = ctx.date(args.date)
    hall, actor = ctx.acting()
    try:
        day = hall.leaders.add_day(args.leader, on, args.start, args.end, args.capacity, actor,
                           room=args.room or "", topic=args.topic or "", walk_ins=args.walk_ins)
    except FormError as exc:
        return print_form_errors(exc.errors, DAY_LABELS)
    if args.json:
        print_json(_day_json(day))
    else:
        print(f"已添加接待日 {day.id}：{_day_line(day).strip()}")
    return 0


def cmd_day_cancel(ctx: Context) -> int:
    """Cancel a day; lists whom to tell."""
    args = ctx.args
    hall, actor = ctx.acting()
    result = hall.leaders.cancel_day(args.id, args.reason, actor)
    if args.json:
        print_json({"day": _day_json(result.day), "notify": [asdict(n) for n in result.notify]})
        return 0
    print(f"接待日 {args.id}（{result.day.date} {result.day.leader_label}）已取消：{args.reason}")
    if result.notify:
        print(f"请通知以下 {len(result.notify)} 位已预约/候补的来访人：")
        for n in result.notify:
            status = "预约" if n.status == "booked" else "候补"
            print(f"  预约 {n.booking_id:>4}  {n.name}  {n.phone or '（无电话）'}  {status}")
    return 0


def cmd_day_plan(ctx: Context) -> int:
    """Turn the rules into a month of planned days."""
    month = ctx.month(ctx.args.month)
    if month is None:
        raise UsageError("请用 --month YYYY-MM 指定要生成的月份")
    hall, actor = ctx.acting()
    result = hall.leaders.plan.month(*month, actor)
    if ctx.args.json:
        print_json({"created": [_day_json(d) for d in result.created],
                     "warnings": list(result.warnings)})
        return 0
    print(f"生成接待日 {len(result.created)} 个（计划中，按 hall leader-days publish 发布）")
    for d in result.created:
        print(_day_line(d))
    for warning in result.warnings:
        print(f"注意：{warning}", file=sys.stderr)
    return 0


def cmd_day_publish(ctx: Context) -> int:
    """Publish the planned days within the horizon."""
    hall, actor = ctx.acting()
    days = hall.leaders.plan.publish_due(actor)
    if ctx.args.json:
        print_json({"published": [_day_json(d) for d in days]})
        return 0
    ahead = hall.config.leader_settings.publish_days_ahead
    print(f"发布 {len(days)} 个接待日（{ahead} 天内）")
    for d in days:
        print(_day_line(d))
    return 0


def cmd_day_export(ctx: Context) -> int:
    """Write a month's published schedule as CSV or iCalendar. Open without signing in: what
    the hall publishes anyway, no visitor's name."""
    from hall.export import month_schedule

    args = ctx.args
    month = ctx.month(args.month)
    if month is None or not (args.csv or args.ics):
        raise UsageError("请用 --month YYYY-MM 指定月份，并用 --csv FILE 或 --ics FILE 指定文件")
    days, csv_text, ics_text = month_schedule(ctx.hall, *month)
    text, target = (csv_text, args.csv) if args.csv else (ics_text, args.ics)
    try:
        Path(target).write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise UsageError(f"无法写入 {target}：{exc.strerror or exc}") from None
    print(f"已导出 {len(days)} 个接待日：{target}")
    return 0


def _booking_out(args: argparse.Namespace, result: Any, verb: str) -> None:
    b = result.booking
    if args.json:
        data = asdict(b)
        data["promoted"] = asdict(result.promoted) if result.promoted else None
        print_json(data)
        return
    where = f"{b.date} {b.start}–{b.end} {b.leader_label}（{b.room}）"
    place = f"候补第 {b.waitlist_position} 位" if b.status == "waitlisted" else b.status_label
    print(f"预约 {b.id} {verb}：{where}  {place}")
    if result.promoted is not None:
        p = result.promoted
        print(f"候补递补：预约 {p.id}（{p.name_masked}）已获得名额，请通知来访人")


def cmd_book(ctx: Context) -> int:
    """Book a visitor onto a day (or its waiting list)."""
    args = ctx.args
    if args.day is None or args.id_number is None:
        raise UsageError("请用 --day 指定接待日编号、--id-number 指定来访人身份证号"
                         "（或 hall book cancel / reschedule）")
    from hall.desk.registration import FIELD_LABELS, NeedsConfirmation, Registration
    from hall.errors import NotFound

    hall, actor = ctx.acting()
    bookings = hall.leaders.bookings
    if args.name is None:
        try:
            result = bookings.book(args.day, args.id_number, actor, matter=args.matter or "",
                                   category=args.category or "",
                                   doc_type=args.document_type or "")
        except NotFound as exc:
            raise UsageError(f"{exc}；或加 --name（及 --phone、--address、--district）"
                             "在预约时建档") from None
    else:
        form = Registration(
            name=args.name, id_number=args.id_number, category=args.category or "",
            matter=args.matter or "", phone=args.phone or "", address=args.address or "",
            district=args.district or "", document_type=args.document_type or "",
            rename=args.rename)
        try:
            result = bookings.book_form(args.day, form, actor)
        except NeedsConfirmation as exc:
            return print_form_errors({"name": f"{exc.errors['name']}；确认改名请加 --rename"},
                                     FIELD_LABELS)
    _booking_out(args, result, "已登记")
    return 0


def cmd_book_cancel(ctx: Context) -> int:
    """Cancel a booking; the first on the waiting list moves up."""
    args = ctx.args
    hall, actor = ctx.acting()
    _booking_out(args, hall.leaders.bookings.cancel(args.booking, actor, reason=args.reason or ""),
                 "已取消")
    return 0


def cmd_book_reschedule(ctx: Context) -> int:
    """Move a booking to another day."""
    args = ctx.args
    hall, actor = ctx.acting()
    moved = hall.leaders.bookings.reschedule(args.booking, args.new_day, actor)
    _booking_out(args, moved, "已改约")
    return 0


def cmd_checkin(ctx: Context) -> int:
    """Check a booked visitor in: their ticket, as ``hall issue`` prints it."""
    hall, actor = ctx.acting()
    print_ticket(hall.leaders.bookings.check_in(ctx.args.booking, actor), ctx.args.json)
    return 0


def cmd_case(ctx: Context) -> int:
    """A leader takes charge of a visitor's matter (包案): a new case, or ``--case`` theirs."""
    args = ctx.args
    if args.case is None and not args.matter:
        raise UsageError("请用 --matter 写明所包的事项（或用 --case 指定来访人的在办案件）")
    hall, actor = ctx.acting()
    case = hall.leaders.take_case(args.id_number, args.leader, args.matter or "", actor,
                                  category=args.category or "", case=args.case or "")
    if args.json:
        print_json(asdict(case))
    else:
        print(f"已记录包案：{case.number}（{case.state_label}"
              + (f"，下一期限 {case.due_on}" if case.due_on else "")
              + f"）{case.leader_label} {case.date}「{case.matter}」")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the reception-day commands to ``hall``'s sub-command parser."""
    p = sub.add_parser("leader-days", parents=[common],
                       help="领导接待日：列表、添加、取消、生成、发布、导出")
    p.add_argument("--month", help="YYYY-MM（默认本月）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_leader_days)
    # Optional actions under leader-days: plain `hall leader-days --month …` lists.
    actions = p.add_subparsers(dest="action", parser_class=type(p))
    a = actions.add_parser("add", parents=[common], help="添加一个接待日")
    a.add_argument("--leader", required=True, help="领导代码（hall check-config 列出）")
    a.add_argument("--date", required=True, help="YYYY-MM-DD")
    a.add_argument("--start", required=True, help="HH:MM")
    a.add_argument("--end", required=True, help="HH:MM")
    a.add_argument("--capacity", required=True, type=int, help="名额")
    a.add_argument("--room")
    a.add_argument("--topic")
    a.add_argument("--walk-ins", action="store_true", help="接受未预约的现场排队")
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_day_add)
    a = actions.add_parser("cancel", parents=[common], help="取消接待日（须写原因）")
    a.add_argument("id", type=int)
    a.add_argument("--reason", required=True)
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_day_cancel)
    a = actions.add_parser("plan", parents=[common], help="按规则生成一个月的接待日")
    a.add_argument("--month", required=True)
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_day_plan)
    a = actions.add_parser("publish", parents=[common], help="发布即将到来的接待日")
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_day_publish)
    a = actions.add_parser("export", parents=[common],
                           help="导出已发布的接待日（CSV 或 iCalendar）")
    a.add_argument("--month", required=True)
    a.add_argument("--csv")
    a.add_argument("--ics")
    a.set_defaults(func=cmd_day_export)

    p = sub.add_parser("book", parents=[common], help="预约接待日；book cancel / reschedule")
    p.add_argument("--day", type=int)
    p.add_argument("--id-number")
    p.add_argument("--matter", help="预约反映的事项")
    p.add_argument("--category", help="诉求类别代码")
    p.add_argument("--name", help="来访人姓名：按 --name 等建立或更新档案后预约")
    p.add_argument("--phone")
    p.add_argument("--address")
    p.add_argument("--district", help="属地代码")
    p.add_argument("--document-type", help=DOCUMENT_HELP)
    p.add_argument("--rename", action="store_true", help="确认与档案不同的姓名为同一人改名")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_book)
    actions = p.add_subparsers(dest="action", parser_class=type(p))
    a = actions.add_parser("cancel", parents=[common], help="取消预约（候补者递补）")
    a.add_argument("booking", type=int)
    a.add_argument("--reason")
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_book_cancel)
    a = actions.add_parser("reschedule", parents=[common], help="改约到另一个接待日")
    a.add_argument("booking", type=int)
    a.add_argument("--day", type=int, required=True, dest="new_day")
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_book_reschedule)

    p = sub.add_parser("checkin", parents=[common], help="预约来访人到场签到并出票")
    p.add_argument("--booking", type=int, required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_checkin)

    p = sub.add_parser("case", parents=[common], help="领导包案：立案并由领导负责，或包在办案件")
    p.add_argument("--id-number", required=True)
    p.add_argument("--leader", required=True)
    p.add_argument("--matter", help="所包的事项（新立案件时必填）")
    p.add_argument("--category", help="诉求类别代码（默认来访人最近一次来访的类别，否则 policy）")
    p.add_argument("--case", help="来访人的在办案件（编号、序号或 年份-序号）：包这件案件")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_case)
