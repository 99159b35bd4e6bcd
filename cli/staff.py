"""``hall staff`` and ``hall token``: the accounts, administered from the command line.

    hall staff init --admin LOGIN [--name N]     the first administrator's password (stdin)
    hall staff list [--json]
    hall staff add LOGIN --name N --role R [--department D]...     prints a one-time password
    hall staff passwd LOGIN          another's: a one-time password; one's own: the new one (stdin)
    hall staff disable|enable|unlock LOGIN
    hall staff role LOGIN --role R [--department D]...
    hall staff history LOGIN [--json]
    hall token create --account LOGIN [--expires DAYS] [--label L]  prints the token once
    hall token revoke ID
    hall token list [LOGIN] [--json]

Administrators only (``--staff`` names the administrator acting; anyone else: exit 3), except
``staff init``, which works only while no administrator can sign in, and ``staff passwd`` for
one's own account. ``--account`` names the account a token signs in as: ``--staff`` is, as
everywhere, who acts.

A secret (a one-time password, a token) is printed once, alone on standard output, so a script
can take it (``TOKEN=$(hall token create --account kiosk01)``); what it is and what to do with it
goes to standard error. A password is read from standard input, never from an argument: at a
terminal it is asked twice without echo, from a pipe one line is read. Bad input exits 2 with one
line per field (``LOGIN（登录名）：…``, ``--role（角色）：…``) and writes nothing.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import asdict
from typing import Any

from cli.context import Context, UsageError, print_form_errors, print_json

FLAGS = {"login": "LOGIN", "departments": "--department", "password": "密码（标准输入）",
         "days": "--expires", "label": "--label", "name": "--name", "role": "--role"}


def read_password(what: str = "新密码") -> str:
    """A password from standard input: asked twice without echo at a terminal, one line from a
    pipe (its line break dropped)."""
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(f"{what}：")
        if getpass.getpass(f"再次输入{what}：") != first:
            raise UsageError("两次输入的密码不一致，没有修改任何内容，请重新执行")
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ""
    if not line:
        raise UsageError(f"请从标准输入提供{what}（终端中输入，或用管道传入一行）")
    return line.rstrip("\r\n")


def _secret(secret: str, explanation: str) -> None:
    """Print a secret once, alone on stdout; what it is on stderr."""
    print(explanation, file=sys.stderr)
    print(secret)


def _form(run: Any, **flags: str) -> int:
    """Run ``run()``; a refused form is printed field by field (exit 2), each field under its
    flag (:data:`FLAGS`, or as ``flags`` names it for this command)."""
    from hall.accounts.base import LABELS
    from hall.desk.registration import FormError

    try:
        return int(run() or 0)
    except FormError as exc:
        return print_form_errors(exc.errors, LABELS, {**FLAGS, **flags})


def _when(at: Any) -> str:
    return f"{at:%Y-%m-%d %H:%M}" if at is not None else ""


# -- hall staff -----------------------------------------------------------------------------------


def cmd_staff_init(ctx: Context) -> int:
    """The first start: the administrator's password, only while no administrator can sign in."""
    login = ctx.args.admin

    def run() -> int:
        password = read_password("管理员密码")
        actor = ctx.hall.accounts.init_admin(login, password, name=ctx.args.name or "系统管理员")
        print(f"管理员账号 {actor.login} 已设置密码；请以 --staff {actor.login} 登录后添加其他账号"
              "（hall staff add）或为他们设置一次性密码（hall staff passwd）")
        return 0

    return _form(run, login="--admin")


def cmd_staff_list(ctx: Context) -> int:
    """Every account: login, name, role, departments, state."""
    hall, actor = ctx.acting()
    accounts = hall.accounts.list(actor)
    if ctx.args.json:
        print_json({"accounts": [{**asdict(a), "departments": list(a.departments),
                                  "role_name": a.role_name, "state": a.state}
                                 for a in accounts]})
        return 0
    for a in accounts:
        departments = ",".join(a.departments) or "-"
        print(f"{a.login:<12} {a.name}　{a.role_name}　{departments}　{a.state}")
    return 0


def cmd_staff_add(ctx: Context) -> int:
    """Add an account; its one-time password is printed once."""
    args = ctx.args
    hall, actor = ctx.acting()

    def run() -> None:
        password = hall.accounts.add(args.login, args.name, args.role, args.department or [],
                                     actor)
        _secret(password, f"已添加账号 {args.login}。一次性密码只显示这一次，请交给本人；"
                          "首次登录时须改为自己的密码：")

    return _form(run)


def cmd_staff_passwd(ctx: Context) -> int:
    """Another's account: a new one-time password (administrators). One's own: the new password
    from standard input."""
    login = ctx.args.login
    hall, actor = ctx.acting()

    def run() -> None:
        if login == actor:
            if os.environ.get("HALL_TOKEN"):  # a kiosk's token must not become a password
                from hall.errors import NotAllowed

                raise NotAllowed("修改自己的密码须用密码登录（HALL_STAFF 与 HALL_PASSWORD），"
                                 "不能用访问令牌")
            hall.accounts.set_password(login, read_password(), actor)
            print(f"账号 {login} 的密码已修改")
            return
        password = hall.accounts.reset_password(login, actor)
        _secret(password, f"已为账号 {login} 重置密码。一次性密码只显示这一次，请交给本人；"
                          "首次登录时须改为自己的密码：")

    return _form(run)


def _state(act: str, done: str) -> Any:
    def cmd(ctx: Context) -> int:
        hall, actor = ctx.acting()
        getattr(hall.accounts, act)(ctx.args.login, actor)
        print(f"账号 {ctx.args.login} {done}")
        return 0

    cmd.__doc__ = f"{act} an account."
    return cmd


def cmd_staff_role(ctx: Context) -> int:
    """Another role (and departments, when given)."""
    args = ctx.args
    hall, actor = ctx.acting()

    def run() -> None:
        hall.accounts.set_role(args.login, args.role, actor, departments=args.department)
        print(f"账号 {args.login} 的角色已改为 {args.role}")

    return _form(run)


def cmd_staff_history(ctx: Context) -> int:
    """An account's history, oldest first."""
    import json

    hall, actor = ctx.acting()
    events = hall.accounts.history(ctx.args.login, actor)
    if ctx.args.json:
        print_json({"login": ctx.args.login,
                    "history": [{**asdict(e), "kind_name": e.kind_name} for e in events]})
        return 0
    for e in events:
        detail = json.dumps(e.detail, ensure_ascii=False, default=str) if e.detail else ""
        print(f"{_when(e.at)}  {e.actor:<10} {e.kind_name}  {detail}".rstrip())
    return 0


# -- hall token -----------------------------------------------------------------------------------


def cmd_token_create(ctx: Context) -> int:
    """A token for an unattended terminal or an integration, printed once."""
    args = ctx.args
    hall, actor = ctx.acting()

    def run() -> None:
        token = hall.accounts.create_token(args.account, actor, days=args.expires,
                                           label=args.label or "")
        until = f"有效 {args.expires} 天" if args.expires is not None else "长期有效，直到吊销"
        _secret(token, f"已为账号 {args.account} 创建访问令牌（{until}）。令牌只显示这一次，"
                       "请妥善保存，以环境变量 HALL_TOKEN 提供给该终端：")

    return _form(run)


def cmd_token_revoke(ctx: Context) -> int:
    """Revoke a token by its number (``hall token list``)."""
    hall, actor = ctx.acting()
    hall.accounts.revoke_token(ctx.args.id, actor)
    print(f"访问令牌 {ctx.args.id} 已吊销")
    return 0


def cmd_token_list(ctx: Context) -> int:
    """The tokens of one account, or of all; never their text."""
    hall, actor = ctx.acting()
    tokens = hall.accounts.tokens(ctx.args.login, actor)
    if ctx.args.json:
        print_json({"tokens": [{**asdict(t), "state_name": t.state_name} for t in tokens]})
        return 0
    if not tokens:
        print("没有访问令牌（hall token create --account LOGIN 创建）")
    for t in tokens:
        until = f"至 {_when(t.expires_at)}" if t.expires_at is not None else "长期"
        label = f"　{t.label}" if t.label else ""
        print(f"{t.id:>4}  {t.login:<10} {t.state_name}　{until}　{t.created_by} 创建于 "
              f"{_when(t.created_at)}{label}")
    return 0


def _days(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为天数（整数），实际为“{text}”") from None


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``hall staff …`` and ``hall token …`` to ``hall``'s sub-command parser."""
    p = sub.add_parser("staff", parents=[common],
                       help="账号管理（管理员）：初始化、添加、密码、停用、角色")
    actions = p.add_subparsers(dest="action", parser_class=type(p), required=True,
                               metavar="{init,list,add,passwd,disable,enable,unlock,role,history}")
    a = actions.add_parser("init", parents=[common],
                           help="首次使用：设置管理员密码（从标准输入读取；已有管理员时拒绝）")
    a.add_argument("--admin", required=True, metavar="LOGIN", help="管理员登录名")
    a.add_argument("--name", help="管理员姓名（新建账号时；默认 系统管理员）")
    a.set_defaults(func=cmd_staff_init)
    a = actions.add_parser("list", parents=[common], help="全部账号")
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_staff_list)
    a = actions.add_parser("add", parents=[common], help="添加账号（打印一次性密码）")
    a.add_argument("login", metavar="LOGIN", help="登录名（小写字母开头，如 win21）")
    a.add_argument("--name", required=True, help="姓名")
    a.add_argument("--role", required=True, help="角色：admin、manager、desk、window、leader、"
                                                 "lawyer、kiosk、board")
    a.add_argument("--department", action="append", help="部门代码（可重复）")
    a.set_defaults(func=cmd_staff_add)
    a = actions.add_parser("passwd", parents=[common],
                           help="他人账号：重置为一次性密码；自己的账号：从标准输入读取新密码")
    a.add_argument("login", metavar="LOGIN")
    a.set_defaults(func=cmd_staff_passwd, own_password=True)  # a one-time password may do this
    for name, act, done, text in (("disable", "disable", "已停用", "停用账号（保留历史）"),
                                  ("enable", "enable", "已启用", "启用已停用的账号"),
                                  ("unlock", "unlock", "已解除锁定", "解除输错密码造成的锁定")):
        a = actions.add_parser(name, parents=[common], help=text)
        a.add_argument("login", metavar="LOGIN")
        a.set_defaults(func=_state(act, done))
    a = actions.add_parser("role", parents=[common], help="变更角色（及部门）")
    a.add_argument("login", metavar="LOGIN")
    a.add_argument("--role", required=True)
    a.add_argument("--department", action="append", help="部门代码（可重复；不填则保持不变）")
    a.set_defaults(func=cmd_staff_role)
    a = actions.add_parser("history", parents=[common], help="账号的变更历史")
    a.add_argument("login", metavar="LOGIN")
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_staff_history)

    p = sub.add_parser("token", parents=[common],
                       help="访问令牌（管理员）：自助机、叫号屏、对接系统")
    actions = p.add_subparsers(dest="action", parser_class=type(p), required=True,
                               metavar="{create,revoke,list}")
    a = actions.add_parser("create", parents=[common], help="创建令牌（只打印这一次）")
    a.add_argument("--account", required=True, metavar="LOGIN",
                   help="令牌登录的账号（--staff 是执行操作的管理员）")
    a.add_argument("--expires", type=_days, metavar="DAYS",
                   help="有效天数（不填：长期有效，直到吊销）")
    a.add_argument("--label", help="说明（如 一楼自助机）")
    a.set_defaults(func=cmd_token_create)
    a = actions.add_parser("revoke", parents=[common], help="吊销令牌")
    a.add_argument("id", type=int, metavar="ID", help="令牌编号（hall token list）")
    a.set_defaults(func=cmd_token_revoke)
    a = actions.add_parser("list", parents=[common], help="令牌列表（不显示令牌本身）")
    a.add_argument("login", nargs="?", metavar="LOGIN", help="只列此账号的")
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_token_list)
