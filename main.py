"""The ``hall`` command: the terminal screens, and the CLI for kiosks and scripts.

    hall                      the launcher (pick a role)
    hall desk                 the 登记分流 desk
    hall board                the hall board (叫号屏): calls shown large and spoken
    hall window N             window N's screen: call, recall, interview, finish, transfer
    hall leaders              reception days: calendar, planning, publishing, bookings
    hall incidents            the manager's incident screen
    hall cases                the case screen (信访事项: overdue, timeline, steps, documents);
                              ``hall cases list|show|accept …`` are the CLI's (cli.cases)
    hall stats                the statistics screen, when typed alone on a terminal;
                              ``hall stats --period … --json`` etc. print (cli.stats)
    hall check-config [--json]                                      (cli.admin)
    hall demo                 a database holding a living morning, to look around
    hall issue --name … --id-number … --category … --matter … [--json]   (cli.desk)
    hall ticket NUMBER [--date YYYY-MM-DD] (--png FILE | --svg FILE)
    hall status CODE_OR_NUMBER [--json]
    hall call|recall|no-show|start|pause|resume|transfer|finish|requeue …  (cli.windows)
    hall queue [--department CODE] [--json]                          (cli.board)
    hall leader-days …, hall book …, hall checkin …, hall case …      (cli.leaders)
    hall leader list|add|edit|retire|reinstate                       (cli.roster)
    hall incident log|act|correct|close|reopen|list|show|report      (cli.incidents)

Global options (before or after the command): ``--config`` / HALL_CONFIG, ``--db`` / HALL_DB,
``--staff`` / HALL_STAFF (with HALL_PASSWORD, or HALL_TOKEN instead: :mod:`cli.context`). Exit
status 2 means bad input or a broken configuration; nothing was written. Exit status 3: not
signed in, or not allowed to do this. Exit status 1: the database could not be opened or
reached. This module keeps the root parser, the terminal screens' commands and ``make_app``, which
builds the Textual app for the CLI, the tests and textual-serve alike; the other commands live in
:mod:`cli`. Nothing imports main.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from cli import register_all
from cli.context import (
    EXIT_DATABASE,
    EXIT_DENIED,
    EXIT_USAGE,
    Context,
    UsageError,
    print_form_errors,
)

try:
    from cli.context import EXIT_DENIED  # type: ignore[attr-defined]
except ImportError:  # until the CLI's accounts land: the same number
    EXIT_DENIED = 3  # not signed in or not allowed

if TYPE_CHECKING:
    from hall import Hall
    from hall.accounts import Actor
    from screens.app import HallApp

TUI_COMMANDS = (("desk", "登记分流台"), ("board", "大厅叫号屏（大屏显示叫号并语音播报）"),
                ("window", "窗口：叫号、接谈、办结与转办"),
                ("leaders", "领导接待日管理（日历、排定、发布、预约）"),
                ("incidents", "特殊情况管理：筛选、处置经过、日报"))

SCREEN_WHEN_BARE = ("stats",)
"""Commands of the CLI (:mod:`cli.stats`) that open their screen when typed alone on a terminal:
``hall stats`` is the statistics screen, ``hall stats --period last-month`` (or piped) prints the
figures."""


def make_app(hall: Hall, staff: str | None = None, start: str = "launcher",
             window: int | None = None, *, actor: Actor | None = None,
             login: str | None = None) -> HallApp:
    """The Textual app over ``hall``; ``start`` is the first screen (launcher, desk, window...).

    ``window`` is the number the window screen serves (None: it asks). Who works: ``actor``,
    signed in already (:func:`tui_app` checked a token or a password); else ``staff``, trusted
    (tests, in-process: that account, no password); else the login dialog, its login filled
    with ``login``.
    """
    from config.paths import data_dir
    from screens.app import HallApp

    return HallApp(hall, staff=staff, start=start, window=window, data_dir=data_dir(),
                   actor=actor, login=login)


def signed_in_actor(ctx: Context) -> tuple[Actor | None, str | None]:
    """(the actor, the login to fill in) a terminal screen starts with.

    A HALL_TOKEN signs in its account (the board and kiosks come back by themselves after a power
    cut); so do ``--staff`` / HALL_STAFF with HALL_PASSWORD. A login without a password only fills
    the login dialog, as does one whose one-time password must be changed first. A token or a
    password that does not sign in raises :class:`hall.errors.NotAllowed` (exit 3).
    """
    token = os.environ.get("HALL_TOKEN")
    if token:
        return ctx.hall.accounts.by_token(token), None
    login = ctx.args.staff or os.environ.get("HALL_STAFF") or None
    password = os.environ.get("HALL_PASSWORD")
    if login is None or not password:
        return None, login
    actor = ctx.hall.accounts.sign_in(login, password)
    return (None, login) if actor.must_change else (actor, None)


def tui_app(ctx: Context) -> HallApp:
    """The app a screen's command (``hall desk`` …) opens, checked and built, not yet running.

    Raises :class:`hall.errors.NotAllowed` for a token or password that does not sign in, before
    anything is shown."""
    args = ctx.args
    window = getattr(args, "window", None)
    if window is not None and ctx.config.window(window) is None:
        valid = "、".join(str(w.number) for w in ctx.config.windows)
        raise UsageError(f"没有 {window} 号窗口（现有：{valid}）")
    actor, login = signed_in_actor(ctx)
    app = make_app(ctx.hall, start=args.command or "launcher", window=window, actor=actor,
                   login=login)
    ctx.succeeded()  # checked and built: a terminal may run for days, keep what it compiled now
    return app


def cmd_tui(ctx: Context) -> int:
    """Open a terminal screen: the launcher, or the role the command names. A token or password
    that does not sign in: its message in Chinese and exit 3, no screen."""
    from hall.errors import NotAllowed

    try:
        app = tui_app(ctx)
    except NotAllowed as exc:
        print(f"hall: {exc}", file=sys.stderr)
        return EXIT_DENIED
    app.run()
    # Textual sets 1 when the app crashed (it has printed the traceback): a supervisor restarts it.
    return app.return_code or 0


# -- argument parsing -----------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep its message
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: 参数错误：{message}\n")


class _Retry(Exception):
    """The one-command parser could not parse the line: the whole parser will (and say why)."""


class _OneCommandParser(_Parser):
    def error(self, message: str) -> None:
        raise _Retry(message)


class _Skipped:
    """What a command's module builds for a command this run does not parse: takes any call."""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: self


class _OneCommand:
    """The sub-command set holding only ``name``'s parser: building all ~70 costs a kiosk's
    ``hall status`` about 10 ms, parsing the command given needs one."""

    def __init__(self, sub: Any, name: str) -> None:
        self._sub, self._name = sub, name

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        return self._sub.add_parser(name, **kwargs) if name == self._name else _Skipped()


GLOBAL_VALUED = ("--config", "--db", "--staff")


def command_in(argv: list[str]) -> str | None:
    """The command word of ``argv`` (the first word that is neither an option nor a global
    option's value), or None."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--":
            return argv[i + 1] if i + 1 < len(argv) else None
        if not word.startswith("-"):
            return word
        i += 2 if word in GLOBAL_VALUED else 1
    return None


def bare_screen(argv: list[str]) -> bool:
    """Whether ``argv`` is a :data:`SCREEN_WHEN_BARE` command alone (global options aside),
    typed on a terminal: then it opens the screen rather than printing."""
    words, i = [], 0
    while i < len(argv):
        word = argv[i]
        if word in GLOBAL_VALUED:
            i += 2
            continue
        if not word.startswith(tuple(f"{g}=" for g in GLOBAL_VALUED)):
            words.append(word)
        i += 1
    return (len(words) == 1 and words[0] in SCREEN_WHEN_BARE
            and sys.stdin.isatty() and sys.stdout.isatty())


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The root parser: global options, the screens' commands, then every :mod:`cli` module's.

    ``only``: just that command's parser (a line it cannot parse raises :class:`_Retry`).
    """
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS lets the global options stand before or after the command.
    common.add_argument("--config", default=argparse.SUPPRESS,
                        help="configuration file (HALL_CONFIG; default: the shipped example hall)")
    common.add_argument("--db", default=argparse.SUPPRESS,
                        help="database URL: a SQLite path or postgresql://… (HALL_DB)")
    common.add_argument("--staff", default=argparse.SUPPRESS,
                        help="login of the staff member acting (HALL_STAFF)")
    kind = _Parser if only is None else _OneCommandParser
    parser = kind(prog="hall", parents=[common],
                  description="联合接访大厅：登记分流、取号、叫号与大厅显示")
    sub: Any = parser.add_subparsers(dest="command", parser_class=kind)
    if only is not None:
        sub = _OneCommand(sub, only)
    for name, text in TUI_COMMANDS:
        p = sub.add_parser(name, parents=[common], help=text)
        if name == "window":
            p.add_argument("window", type=int, nargs="?", help="窗口号（不填则在界面中选择）")
        p.set_defaults(func=cmd_tui)
    register_all(sub, common, only)
    return parser


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """``hall``'s arguments, the global options None when not given.

    The line is parsed by a parser holding only its command; when that fails (a typo, a bad
    value, ``hall --help``), by the whole parser, which prints the usage and exits as it always
    did.
    """
    words = sys.argv[1:] if argv is None else argv
    args = None
    if (name := command_in(words)) is not None:
        try:
            args = build_parser(only=name).parse_args(words)
        except _Retry:
            pass
    if args is None:
        args = build_parser().parse_args(words)
    for name in ("config", "db", "staff"):
        if not hasattr(args, name):
            setattr(args, name, None)
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the ``hall`` command; returns the exit status."""
    from config.problems import ConfigError
    from hall.desk.registration import FormError
    from hall.errors import NotAllowed, NotFound, Refused
    from models import DatabaseURLError, SchemaTooNewError
    from models.drivers import peewee  # after models: peewee without drivers (models.drivers)

    args = parse_args(argv)
    func = getattr(args, "func", None)
    if func is None or bare_screen(sys.argv[1:] if argv is None else argv):
        # `hall` alone, `hall cases` without a sub-command (its parser has no func; the
        # sub-commands have theirs), `hall stats` alone on a terminal: the launcher, or the
        # screen the command names.
        func = cmd_tui
    ctx = Context(args)
    try:
        status = func(ctx)
        if status == 0:
            ctx.succeeded()
        return status
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except ConfigError as exc:
        print(exc, file=sys.stderr)
    except NotAllowed as exc:  # not signed in, or may not do this: the audit holds the refusal
        print(f"hall: {exc}", file=sys.stderr)
        return EXIT_DENIED
    except FormError as exc:  # a refused text or field the command did not print itself
        return print_form_errors(exc.errors, exc.labels)
    except (UsageError, DatabaseURLError, SchemaTooNewError, NotFound, Refused) as exc:
        print(f"hall: {exc}", file=sys.stderr)
    except peewee.OperationalError as exc:  # cannot open or reach the database: no traceback
        print(f"hall: 数据库无法使用：{str(exc).strip()}", file=sys.stderr)
        return EXIT_DATABASE
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
