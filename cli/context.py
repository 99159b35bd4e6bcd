"""What every ``hall`` command shares: the context it runs in and the way it reports bad input.

    def cmd_status(ctx: Context) -> int:
        status = ctx.hall.desk.ticket_status(ctx.args.code_or_number, ctx.date(ctx.args.date))
        ctx.print_json(asdict(status))
        return 0

``Context(args)`` loads the configuration named by ``--config`` / HALL_CONFIG (or the shipped
example hall) once, opens the database named by ``--db`` / HALL_DB (or the default in
:func:`config.paths.database_url`) as a :class:`hall.Hall`, signs the actor in, parses dates and
months, and prints JSON. The clock is the system's, or a fixed one from HALL_NOW (ISO time with a
zone; for tests and rehearsals).

Signing in (issue 11): a command that changes or reveals data calls :meth:`Context.acting` (or
reads :attr:`Context.actor`). The credentials are, in this order:

- ``HALL_TOKEN``: an access token an administrator created (``hall token create``) for a kiosk or
  an integration; checked by :meth:`hall.accounts.Accounts.by_token` (one hash lookup);
- the login from ``--staff`` / HALL_STAFF and its password from ``HALL_PASSWORD`` or, when
  standard input is a terminal, a prompt that does not echo. A password is never an argument:
  arguments are visible to every user of the machine (``ps``) and kept in shell histories.

Missing credentials, a wrong password, a locked or disabled account, a revoked or expired token,
a one-time password not yet changed, or a role that may not do the act (:class:`NotAllowed`,
raised by the facade) exit 3 (:data:`EXIT_DENIED`) with a message saying what to do; nothing is
written but the audit of the refusal (missing credentials are refused before the database is
opened, so not even that).

Bad input raises :class:`UsageError`; ``main`` prints it and exits 2 (:data:`EXIT_USAGE`). A form
the domain refused (a ``FormError``'s ``errors``) is printed by :func:`print_form_errors`, one line
per field in one shape, ``--flag（label）：message``, and the command returns :data:`EXIT_USAGE`.
Commands check what they can of their input before signing in, so a typo costs no password.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from config.lookup import Lookup
    from config.schema import HallConfig
    from hall import Hall
    from hall.accounts import Actor

EXIT_USAGE = 2  # bad input or a broken configuration: nothing was written
EXIT_DATABASE = 1  # the database could not be opened or reached
EXIT_DENIED = 3  # not signed in, or signed in as someone who may not do this

NO_CREDENTIALS = ("此操作需要登录：请用 --staff 或环境变量 HALL_STAFF 指定登录名，并用环境变量 "
                  "HALL_PASSWORD 提供密码（或在终端中运行，按提示输入）；自助机和对接程序请用 "
                  "HALL_TOKEN 提供管理员发放的访问令牌")

__all__ = [
    "EXIT_DATABASE",
    "EXIT_DENIED",
    "EXIT_USAGE",
    "Context",
    "UsageError",
    "parse_date",
    "print_form_errors",
    "print_json",
]


class UsageError(Exception):
    """Bad input from the command line: printed, exit status 2."""


def _not_allowed(message: str) -> Exception:
    """:class:`hall.errors.NotAllowed` (exit 3), imported when a command is refused."""
    from hall.errors import NotAllowed

    return NotAllowed(message)


def print_json(data: Any) -> None:
    """``data`` as indented JSON, Chinese kept readable, dates and the like as strings."""
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def parse_date(text: str | None, flag: str = "--date") -> date | None:
    """``YYYY-MM-DD`` (None stays None); anything else is a :class:`UsageError`."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{flag} 应为 YYYY-MM-DD，实际为“{text}”") from None


def parse_month(text: str | None, flag: str = "--month") -> tuple[int, int] | None:
    """``YYYY-MM`` as (year, month) (None stays None); anything else is a :class:`UsageError`."""
    if text is None:
        return None
    try:
        year, month = (int(x) for x in text.split("-"))
        date(year, month, 1)
    except ValueError:
        raise UsageError(f"{flag} 应为 YYYY-MM（如 2026-12），实际为“{text}”") from None
    return year, month


def print_form_errors(errors: Mapping[str, str], labels: Mapping[str, str],
                      flags: Mapping[str, str] | None = None) -> int:
    """Print a refused form, one line per field: ``--flag（label）：message``; returns exit 2.

    A field's flag is ``--`` and its key with dashes (``id_number`` → ``--id-number``) unless
    ``flags`` names another (a positional argument: ``CODE``); its label comes from ``labels``.
    """
    for key, message in errors.items():
        flag = (flags or {}).get(key) or f"--{key.replace('_', '-')}"
        label = labels.get(key)
        print(f"{flag}（{label}）：{message}" if label else f"{flag}：{message}", file=sys.stderr)
    return EXIT_USAGE


def text_width(text: str) -> int:
    """The terminal columns ``text`` takes (a CJK character takes two): the CLI's one measure."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    """``text`` cut or padded to ``width`` terminal columns (a CJK character takes two)."""
    out, used = "", 0
    for c in text:
        w = text_width(c)
        if used + w > width:
            break
        out, used = out + c, used + w
    return out + " " * (width - used)


def clock() -> Any:
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


class Context:
    """One command's run: its arguments, the configuration, the actor and the hall, each loaded
    when first asked for (a command that reads nothing personal never needs an actor)."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._keep: Callable[[], None] | None = None

    @cached_property
    def config(self) -> HallConfig:
        """The configuration named by --config / HALL_CONFIG, or the shipped example hall
        (restored from its compiled copy in the data directory when it has not changed; a copy
        is kept once the command has succeeded, see :meth:`succeeded`)."""
        from config.loader import read_config
        from config.paths import cache_dir

        config, self._keep = read_config(self.config_path, cache_dir())
        return config

    @property
    def config_path(self) -> str | os.PathLike[str]:
        """--config, else HALL_CONFIG, else the shipped example hall."""
        from config import DEFAULT_CONFIG

        return self.args.config or os.environ.get("HALL_CONFIG") or DEFAULT_CONFIG

    def _hall_config(self) -> HallConfig | Lookup:
        """What the hall is opened with: for a command that only looks a ticket up (its parser
        sets ``lookup``), the few settings it needs straight from the compiled copy when that is
        of the file as it is now (no pydantic: :mod:`config.lookup`); else, and whenever the
        copy is stale or absent, the configuration loaded and validated (problems reported)."""
        if getattr(self.args, "lookup", False) and "config" not in self.__dict__:
            from config import lookup
            from config.paths import cache_dir

            settings = lookup.read(self.config_path, cache_dir())
            if settings is not None:
                return settings
        return self.config

    def succeeded(self) -> None:
        """The command succeeded (or its screen is up): keep the compiled configuration for the
        next start. Never called for a failing command, which writes nothing."""
        keep, self._keep = self._keep, None
        if keep is not None:
            keep()

    @property
    def database_url(self) -> str:
        """--db, else HALL_DB, else the default SQLite file in the data directory."""
        from config.paths import database_url

        return self.args.db or os.environ.get("HALL_DB") or database_url()

    @cached_property
    def hall(self) -> Hall:
        """The database opened as a :class:`Hall` (a SQLite file's folder is made first)."""
        from hall import Hall
        from models import open_database

        config = self._hall_config()
        url = self.database_url
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True,
                                                                          exist_ok=True)
        # A Lookup has what opening the hall and finding a ticket read.
        return Hall(open_database(url), config, clock())  # type: ignore[arg-type]

    def staff(self) -> str | None:
        """The login named by --staff / HALL_STAFF, or None. Only a name: who acts is proven by
        :attr:`signed_in`."""
        return self.args.staff or os.environ.get("HALL_STAFF") or None

    def expect_credentials(self) -> None:
        """Exit 3 now, before the database is opened, when no credentials are given at all (a
        command that checks its input against the hall first calls this first). A broken
        configuration is bad input: reported (exit 2) before missing credentials are."""
        self._hall_config()
        if not os.environ.get("HALL_TOKEN") and self.staff() is None:
            raise _not_allowed(NO_CREDENTIALS)

    @cached_property
    def signed_in(self) -> Actor:
        """The staff member the credentials prove (see the module's docstring); exit 3 without
        valid ones. The credentials are read before the database is opened."""
        self.expect_credentials()
        token = os.environ.get("HALL_TOKEN") or None
        login = self.staff()
        if token is not None:
            actor = self.hall.accounts.by_token(token)
            if login is not None and login != actor.login:
                raise _not_allowed(f"访问令牌属于“{actor.login}”，与指定的登录名“{login}”不符："
                                   "请去掉 --staff / HALL_STAFF，或换用该账号的令牌")
            return actor
        login = login or ""  # given: expect_credentials saw to it
        password = self._password(login)
        actor = self.hall.accounts.sign_in(login, password)
        if actor.must_change and not self._sets_own_password(login):
            raise _not_allowed(f"账号“{login}”正在使用一次性密码：请先运行 hall staff passwd "
                               f"{login} 设置自己的密码，再执行此操作")
        return actor

    def _sets_own_password(self, login: str) -> bool:
        """The command sets ``login``'s own password (``hall staff passwd LOGIN``, whose parser
        sets ``own_password``): the one thing an account on a one-time password may do."""
        return bool(getattr(self.args, "own_password", False)) and \
            getattr(self.args, "login", None) == login

    @staticmethod
    def _password(login: str) -> str:
        """HALL_PASSWORD, else asked on the terminal (never an argument: see the module)."""
        password = os.environ.get("HALL_PASSWORD")
        if password:
            return password
        if sys.stdin is not None and sys.stdin.isatty():
            try:
                password = getpass.getpass(f"{login} 的密码：")
            except (EOFError, KeyboardInterrupt):
                password = ""
            if password:
                return password
        raise _not_allowed(f"缺少“{login}”的密码：请设置环境变量 HALL_PASSWORD，或在终端中运行"
                           "以按提示输入（密码不能写在命令行参数里）")

    @cached_property
    def actor(self) -> str:
        """The login every change is recorded under, once signed in (see :attr:`signed_in`)."""
        return self.signed_in.login

    def acting(self, act: str | None = None) -> tuple[Hall, str]:
        """(the hall, the signed-in actor's login) for a command that changes or reveals data.

        ``act``: a read whose facade method takes no actor checks the permission table here
        (:meth:`hall.store.Store.permit`, which audits a refusal); the facade's acts check
        themselves."""
        actor = self.actor
        if act is not None:
            self.hall.store.permit(actor, act)
        return self.hall, actor

    def date(self, text: str | None, flag: str = "--date") -> date | None:
        """See :func:`parse_date`."""
        return parse_date(text, flag)

    def month(self, text: str | None, flag: str = "--month") -> tuple[int, int] | None:
        """See :func:`parse_month`."""
        return parse_month(text, flag)

    @staticmethod
    def print_json(data: Any) -> None:
        """See :func:`print_json`."""
        print_json(data)
