"""What every ``hall`` command shares: the context it runs in and the way it reports bad input.

    def cmd_status(ctx: Context) -> int:
        status = ctx.hall.desk.ticket_status(ctx.args.code_or_number, ctx.date(ctx.args.date))
        ctx.print_json(asdict(status))
        return 0

``Context(args)`` loads the configuration named by ``--config`` / HALL_CONFIG (or the shipped
example hall) once, finds the actor (``--staff`` / HALL_STAFF, checked against the roster), opens
the database named by ``--db`` / HALL_DB (or the default in :func:`config.paths.database_url`) as a
:class:`hall.Hall`, parses dates and months, and prints JSON. The clock is the system's, or a fixed
one from HALL_NOW (ISO time with a zone; for tests and rehearsals).

Bad input raises :class:`UsageError`; ``main`` prints it and exits 2 (:data:`EXIT_USAGE`). A form
the domain refused (a ``FormError``'s ``errors``) is printed by :func:`print_form_errors`, one line
per field in one shape, ``--flag（label）：message``, and the command returns :data:`EXIT_USAGE`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from config.lookup import Lookup
    from config.schema import HallConfig
    from hall import Hall

EXIT_USAGE = 2  # bad input or a broken configuration: nothing was written
EXIT_DATABASE = 1  # the database could not be opened or reached

__all__ = [
    "EXIT_DATABASE",
    "EXIT_USAGE",
    "Context",
    "UsageError",
    "parse_date",
    "print_form_errors",
    "print_json",
]


class UsageError(Exception):
    """Bad input from the command line: printed, exit status 2."""


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
    when first asked for (a command that only reads never needs an actor)."""

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

    def staff(self, *, required: bool) -> str | None:
        """Who acts: --staff / HALL_STAFF, checked against the roster (None if not given and
        not ``required``)."""
        login = self.args.staff or os.environ.get("HALL_STAFF") or None
        if login is None:
            if required:
                raise UsageError(
                    "请用 --staff 或环境变量 HALL_STAFF 指定操作人员（审计日志记录每次操作）")
            return None
        if self.config.staff_member(login) is None:
            known = "、".join(s.login for s in self.config.staff)
            raise UsageError(f"未知的工作人员“{login}”：应为花名册中的登录名（{known}）")
        return login

    @cached_property
    def actor(self) -> str:
        """The staff member every change is recorded under; asking without one is exit 2."""
        return self.staff(required=True) or ""

    def acting(self) -> tuple[Hall, str]:
        """(the hall, the actor) for a command that changes something; the actor is checked
        before the database is opened."""
        actor = self.actor
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
