"""The ``hall`` command: the terminal screens, and the CLI for kiosks and scripts.

    hall                      the launcher (pick a role)
    hall desk                 the 登记分流 desk
    hall board                the hall board (叫号屏): calls shown large and spoken
    hall window N             window N's screen: call, recall, interview, finish, transfer
    hall check-config [--json]
    hall issue --name … --id-number … --category … --matter … [--json]
    hall ticket NUMBER [--date YYYY-MM-DD] (--png FILE | --svg FILE)
    hall status CODE_OR_NUMBER [--json]
    hall leader-days …, hall book …, hall checkin …, hall case …   reception days (cli_leaders)
    hall leader list|add|edit|retire|reinstate     the leaders' roster (cli_roster)
    hall incident log|act|correct|close|reopen|list|show   special situations (cli_incidents)
    hall incidents            the manager's incident screen
    hall demo                 a database holding a living morning, to look around

Global options (before or after the command): ``--config`` / HALL_CONFIG, ``--db`` / HALL_DB,
``--staff`` / HALL_STAFF. Exit status 2 means bad input or a broken configuration; nothing was
written. Exit status 1: the database could not be opened or reached. ``make_app`` builds the
Textual app for the CLI, the tests and textual-serve alike.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from config.schema import HallConfig
    from hall import Hall
    from screens.app import HallApp

EXIT_USAGE = 2
EXIT_DATABASE = 1  # the database could not be opened or reached


class UsageError(Exception):
    """Bad input from the command line: printed, exit status 2."""


def data_dir() -> Path:
    """Where the default database and saved tickets live.

    ``$HALL_DATA`` when set, else ``$XDG_DATA_HOME/hall``, else ``~/.local/share/hall``.
    """
    if os.environ.get("HALL_DATA"):
        return Path(os.environ["HALL_DATA"]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "hall"


def default_db_url() -> str:
    """The embedded default: a SQLite file in the data directory."""
    return f"sqlite:///{data_dir() / 'hall.db'}"


def _clock() -> Any:
    """The system clock, or a fixed one from HALL_NOW (ISO time; for tests and rehearsals)."""
    from hall.clock import FixedClock, SystemClock

    fixed = os.environ.get("HALL_NOW")
    if not fixed:
        return SystemClock()
    try:
        at = datetime.fromisoformat(fixed)
    except ValueError:
        raise UsageError(
            f"HALL_NOW 应为 ISO 时间（如 2026-11-23T09:30+08:00），实际为“{fixed}”") from None
    if at.tzinfo is None:
        raise UsageError("HALL_NOW 需带时区（如 +08:00）")
    return FixedClock(at)


def load(args: argparse.Namespace) -> HallConfig:
    """The configuration named by --config / HALL_CONFIG, or the shipped example hall."""
    from config import DEFAULT_CONFIG, load_config

    return load_config(args.config or os.environ.get("HALL_CONFIG") or DEFAULT_CONFIG)


def open_hall(args: argparse.Namespace, config: HallConfig | None = None) -> Hall:
    """Open the database named by --db / HALL_DB (or the default) as a :class:`Hall`."""
    from hall import Hall
    from models import open_database

    config = config or load(args)
    url = args.db or os.environ.get("HALL_DB") or default_db_url()
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True,
                                                                      exist_ok=True)
    return Hall(open_database(url), config, _clock())


def staff_login(args: argparse.Namespace, config: HallConfig, *, required: bool) -> str | None:
    """Who acts: --staff / HALL_STAFF, checked against the roster."""
    login = args.staff or os.environ.get("HALL_STAFF") or None
    if login is None:
        if required:
            raise UsageError(
                "请用 --staff 或环境变量 HALL_STAFF 指定操作人员（审计日志记录每次操作）")
        return None
    if config.staff_member(login) is None:
        known = "、".join(s.login for s in config.staff)
        raise UsageError(f"未知的工作人员“{login}”：应为花名册中的登录名（{known}）")
    return login


def make_app(hall: Hall, staff: str | None = None, start: str = "launcher",
             window: int | None = None) -> HallApp:
    """The Textual app over ``hall``; ``start`` is the first screen (launcher, desk, window...).

    ``window`` is the number the window screen serves (None: it asks).
    """
    from screens.app import HallApp

    return HallApp(hall, staff=staff, start=start, window=window, data_dir=data_dir())


# -- commands -------------------------------------------------------------------------------------


def cmd_tui(args: argparse.Namespace) -> int:
    config = load(args)
    staff = staff_login(args, config, required=False)
    window = getattr(args, "window", None)
    if window is not None and config.window(window) is None:
        valid = "、".join(str(w.number) for w in config.windows)
        raise UsageError(f"没有 {window} 号窗口（现有：{valid}）")
    make_app(open_hall(args, config), staff, start=args.command or "launcher",
             window=window).run()
    return 0


def cmd_check_config(args: argparse.Namespace) -> int:
    config = load(args)
    summary = {
        "hall": {"name": config.hall.name, "code": config.hall.code,
                 "timezone": config.hall.timezone, "rollover_hour": config.hall.rollover_hour},
        "departments": [{"code": d.code, "name": d.name, "prefix": d.prefix,
                         "windows": [w.number for w in config.windows_for(d.code)]}
                        for d in config.departments],
        "windows": [{"number": w.number, "label": w.title, "departments": w.departments}
                    for w in config.windows],
        "categories": [{"code": c.code, "name": c.name, "department": c.department,
                        "district_overrides": c.district_overrides} for c in config.categories],
        "districts": [{"code": d.code, "name": d.name} for d in config.districts],
        "priority_groups": [{"code": g.code, "name": g.name, "min_age": g.min_age}
                            for g in config.priority_groups],
        "collective": config.collective.model_dump(),
        "time_limits": config.time_limits.model_dump(),
        "staff": [{"login": s.login, "name": s.name, "role": s.role} for s in config.staff],
        "outcomes": [{"code": o.code, "name": o.name, "refusal": o.refusal}
                     for o in config.outcomes],
        "leaders": [{"code": x.code, "name": x.name, "title": x.title, "kind": x.kind,
                     "department": x.department, "portfolio": x.portfolio,
                     "rules": [r.describe() for r in x.rules]} for x in config.leaders],
        "incident_types": [{"code": t.code, "name": t.name, "severity": t.severity}
                           for t in config.incidents.types],
        "incident_actions": [{"code": a.code, "name": a.name} for a in config.incidents.actions],
    }
    if args.json:
        _print_json(summary)
        return 0
    print(f"配置正确：{config.hall.name}（{config.hall.timezone}，每日 "
          f"{config.hall.rollover_hour:02d}:00 换日）")
    print(f"  部门 {len(config.departments)} 个，窗口 {len(config.windows)} 个，属地 "
          f"{len(config.districts)} 个，诉求类别 {len(config.categories)} 个，工作人员 "
          f"{len(config.staff)} 人")
    for d in summary["departments"]:
        windows = "、".join(f"{n}号" for n in d["windows"])
        print(f"  {d['prefix']:>2}  {d['code']:<14} {d['name']}（窗口 {windows}）")
    groups = "、".join(g.name for g in config.priority_groups) or "无"
    print(f"  优先顺序：{groups}；集体访 {config.collective.threshold} 人起，代表至多 "
          f"{config.collective.max_representatives} 名")
    limits = config.time_limits
    print(f"  时限：受理告知 {limits.acceptance_days} 日，办理 {limits.handling_days} 日，"
          f"可延期 {limits.extension_days} 日")
    for x in config.leaders:
        rules = "；".join(r.describe() for r in x.rules) or "无固定规则"
        print(f"  接待  {x.code:<12} {x.label}（{rules}）")
    high = sum(t.severity == "high" for t in config.incidents.types)
    print(f"  特殊情况类型 {len(config.incidents.types)} 种（高级别 {high} 种，登记后全员提示），"
          f"处置措施 {len(config.incidents.actions)} 项")
    return 0


def cmd_issue(args: argparse.Namespace) -> int:
    from hall.desk.registration import FIELD_LABELS, FormError, Registration

    config = load(args)
    actor = staff_login(args, config, required=True)
    hall = open_hall(args, config)
    form = Registration(
        name=args.name, id_number=args.id_number, category=args.category, matter=args.matter,
        phone=args.phone or "", address=args.address or "", district=args.district or "",
        request=args.request or "", people=args.people, representatives=args.representative,
        priority=args.priority or "", department=args.department or "")
    try:
        ticket = hall.desk.issue(form, actor=actor or "")
    except FormError as exc:
        for key, message in exc.errors.items():
            print(f"--{key.replace('_', '-')}（{FIELD_LABELS[key]}）：{message}", file=sys.stderr)
        return EXIT_USAGE
    print_ticket(ticket, args.json)
    return 0


def print_ticket(ticket: Any, as_json: bool) -> None:
    """An issued ticket as ``hall issue`` (and ``hall checkin``) prints it."""
    if as_json:
        _print_json(asdict(ticket))
        return
    print(f"票号 {ticket.number}  {ticket.department_name}  {'、'.join(ticket.windows)}")
    repeat = f"  （重复访，第 {len(ticket.visits)} 次来访）" if ticket.repeat else ""
    print(f"前面还有 {ticket.ahead} 人{repeat}")
    print(f"查询码 {ticket.query_code}")


def cmd_ticket(args: argparse.Namespace) -> int:
    from hall.errors import NotFound
    from hall.ticketimage import save_ticket

    hall = open_hall(args)
    try:
        ticket = hall.desk.ticket(args.number, _date(args.date))
    except NotFound as exc:
        raise UsageError(str(exc)) from None
    target = args.png or args.svg
    try:
        path = save_ticket(hall.desk.print_view(ticket), target, "png" if args.png else "svg")
    except OSError as exc:  # a missing folder, no permission: the operator's to fix
        raise UsageError(f"无法写入 {target}：{exc.strerror or exc}") from None
    print(path)
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from hall.errors import NotFound

    hall = open_hall(args)
    try:
        status = hall.desk.ticket_status(args.code_or_number, _date(args.date))
    except NotFound as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        _print_json(asdict(status))
        return 0
    line = f"{status.number}  {status.department_name}  {status.status_label}"
    if status.status == "waiting":
        line += f"  前面还有 {status.ahead} 人"
    elif status.window is not None:
        line += f"  请到 {status.window} 号窗口"
    print(line)
    return 0


def _window_act(args: argparse.Namespace) -> tuple[Hall, str]:
    config = load(args)
    actor = staff_login(args, config, required=True)
    return open_hall(args, config), actor or ""


def cmd_call(args: argparse.Namespace) -> int:
    hall, actor = _window_act(args)
    if args.number:
        notice = hall.windows.call_number(args.window, args.number, actor)
    else:
        notice = hall.windows.call_next(args.window, actor)
    spec = hall.windows.spec(args.window)
    if args.json:
        _print_json({"number": notice.number if notice else None,
                     "department": notice.department if notice else None,
                     "window": spec.number})
    elif notice is None:
        print(f"{spec.title}：当前没有候谈的来访")
    else:
        print(f"请 {notice.number} 号到 {spec.title}")
    return 0


def cmd_window_act(args: argparse.Namespace) -> int:
    hall, actor = _window_act(args)
    act = args.command
    if act == "recall":
        notice = hall.windows.recall(args.window, actor)
        print(f"重呼 {notice.number}（第 {hall.windows.view(args.window).current.recalls} 次）")
    elif act == "no-show":
        print(f"{hall.windows.no_show(args.window, actor)} 已过号")
    elif act == "transfer":
        number = hall.windows.transfer(args.window, args.to, actor, note=args.note or "")
        print(f"{number} 已转办至 {hall.config.department(args.to).name}，保留原排队顺序")
    elif act == "finish":
        number = hall.windows.finish(args.window, args.outcome, actor, note=args.note or "",
                             reason=args.reason or "", channel=args.channel or "")
        print(f"{number} 已办结：{hall.config.outcome(args.outcome).name}")
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


def cmd_queue(args: argparse.Namespace) -> int:
    hall = open_hall(args)
    if args.department and hall.config.department(args.department) is None:
        raise UsageError(f"未知的部门“{args.department}”")
    entries = hall.board.queue([args.department] if args.department else None)
    if args.json:
        _print_json([asdict(e) for e in entries])
        return 0
    if not entries:
        print("当前没有候谈的来访")
    for e in entries:
        marks = " ".join(m for m in (e.priority_name, "重复访" if e.repeat else "",
                                     f"集体访{e.people}人" if e.collective else "") if m)
        print(f"{e.number:<6} {e.department_name:<10} {e.issued_at} 已等 {e.waiting_minutes} 分钟"
              f"  {marks}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from hall.demo import DemoError, build_demo

    config = load(args)
    if not (args.db or os.environ.get("HALL_DB")):
        path = data_dir() / "demo.db"
        args.db = f"sqlite:///{path}"
    hall = open_hall(args, config)
    try:
        summary = build_demo(hall)
    except DemoError as exc:
        raise UsageError(str(exc)) from None
    from hall.demo import demo_end

    print(summary)
    end = demo_end(hall)
    prefix = ""
    if end > hall.now():
        prefix = f"HALL_NOW={end.isoformat(timespec='minutes')} "
    elif end < hall.now():
        print("现在不在办公时间：演示停在上午 10:30，用下面的命令以那一刻打开大厅。")
        prefix = f"HALL_NOW={end.isoformat(timespec='minutes')} "
    print(f"打开演示大厅：{prefix}hall --db {args.db} --staff desk01")
    return 0


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--date 应为 YYYY-MM-DD，实际为“{text}”") from None


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


# -- argument parsing -----------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep its message
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: 参数错误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS lets the global options stand before or after the command.
    common.add_argument("--config", default=argparse.SUPPRESS,
                        help="configuration file (HALL_CONFIG; default: the shipped example hall)")
    common.add_argument("--db", default=argparse.SUPPRESS,
                        help="database URL: a SQLite path or postgresql://… (HALL_DB)")
    common.add_argument("--staff", default=argparse.SUPPRESS,
                        help="login of the staff member acting (HALL_STAFF)")
    parser = _Parser(prog="hall", parents=[common],
                     description="联合接访大厅：登记分流、取号、叫号与大厅显示")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    sub.add_parser("desk", parents=[common], help="登记分流台").set_defaults(func=cmd_tui)
    sub.add_parser("board", parents=[common],
                   help="大厅叫号屏（大屏显示叫号并语音播报）").set_defaults(func=cmd_tui)
    p = sub.add_parser("window", parents=[common], help="窗口：叫号、接谈、办结与转办")
    p.add_argument("window", type=int, nargs="?", help="窗口号（不填则在界面中选择）")
    p.set_defaults(func=cmd_tui)
    p = sub.add_parser("check-config", parents=[common], help="检查配置文件")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check_config)

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
    p.add_argument("code_or_number")
    p.add_argument("--date")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    sub.add_parser("demo", parents=[common], help="生成演示数据库").set_defaults(func=cmd_demo)

    p = sub.add_parser("call", parents=[common], help="叫号：叫下一位或指定票号")
    p.add_argument("--window", type=int, required=True)
    p.add_argument("--number")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_call)
    for name, text in (("recall", "重呼"), ("no-show", "过号"), ("start", "开始接谈"),
                       ("pause", "暂停窗口"), ("resume", "恢复窗口"), ("transfer", "转办"),
                       ("finish", "办结")):
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
        p.set_defaults(func=cmd_window_act)
    p = sub.add_parser("requeue", parents=[common], help="过号的来访重新排队")
    p.add_argument("number")
    p.set_defaults(func=cmd_window_act)
    p = sub.add_parser("queue", parents=[common], help="候谈队列（叫号顺序）")
    p.add_argument("--department")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_queue)
    from cli_leaders import add_parsers as add_leader_parsers

    add_leader_parsers(sub, common)
    from cli_roster import add_parsers as add_roster_parsers

    add_roster_parsers(sub, common)

    from cli_incidents import add_commands as add_incident_commands

    add_incident_commands(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``hall`` command; returns the exit status."""
    from peewee import OperationalError

    from config import ConfigError
    from hall.errors import NotFound, Refused
    from models import DatabaseURLError, SchemaTooNewError

    args = build_parser().parse_args(argv)
    for name in ("config", "db", "staff"):
        if not hasattr(args, name):
            setattr(args, name, None)
    func = getattr(args, "func", cmd_tui)
    try:
        return func(args)
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except ConfigError as exc:
        print(exc, file=sys.stderr)
    except (UsageError, DatabaseURLError, SchemaTooNewError, NotFound, Refused) as exc:
        print(f"hall: {exc}", file=sys.stderr)
    except OperationalError as exc:  # cannot open or reach the database: say so, no traceback
        print(f"hall: 数据库无法使用：{str(exc).strip()}", file=sys.stderr)
        return EXIT_DATABASE
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
