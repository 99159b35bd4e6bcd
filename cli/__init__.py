"""The command line for kiosks and scripts: one module per area of the hall, an adapter over
:mod:`hall` as :mod:`screens` is.

    cli.context     Context (config, actor, hall, dates, JSON), UsageError, print_form_errors
    cli.desk        hall issue | ticket | status
    cli.windows     hall call | recall | no-show | start | pause | resume | transfer | finish
                    | requeue
    cli.board       hall queue
    cli.leaders     hall leader-days … | book … | checkin | case
    cli.roster      hall leader list | add | edit | retire | reinstate
    cli.incidents   hall incident log | act | correct | close | reopen | list | show | report
    cli.cases       hall cases list | show | accept | refuse | assign | urge | extend
                    | approve-extension | refuse-extension | reply | return | followup | close
                    | lead | note | review | doc  (``hall cases`` alone: main opens the screen)
    cli.recusal     hall recuse | recusals
    cli.admin       hall check-config | demo
    cli.staff       hall staff init | list | add | passwd | disable | enable | unlock | role
                    | history; hall token create | revoke | list
    cli.audit       hall audit
    cli.stats       hall stats | register | report  (``hall stats`` alone on a terminal: main
                    opens the screen)
    cli.public      hall status-page  (the web page behind the ticket's QR code: :mod:`web`)
    cli.serve       hall serve  (the screens in a browser, through textual-serve)

Each module has ``register(subparsers, common)``, which adds its commands with
``set_defaults(func=cmd_…)``; a command is ``cmd_…(ctx: Context) -> int``, the exit status.
``main`` builds the root parser, registers every module of :data:`COMMANDS` and runs the command;
the terminal screens (``hall desk`` …) are main's, so nothing here imports Textual or screens,
and nothing here imports main.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

COMMANDS = {
    "admin": ("check-config", "demo"),
    "desk": ("issue", "visitor-history", "ticket", "status"),
    "windows": ("call", "recall", "no-show", "start", "pause", "resume", "transfer", "finish",
                "requeue"),
    "board": ("queue",),
    "leaders": ("leader-days", "book", "checkin", "case"),
    "roster": ("leader",),
    "incidents": ("incident",),
    "cases": ("cases",),
    "recusal": ("recuse", "recusals"),
    "staff": ("staff", "token"),
    "audit": ("audit",),
    "stats": ("stats", "register", "report"),
    "public": ("status-page",),
    "serve": ("serve",),
}
"""The command modules, in the order ``hall --help`` lists their commands, and the commands each
registers (a command line imports only its own module: ``tests/cli/test_one_command_parser.py``
checks this list against what the modules register)."""

__all__ = ["COMMANDS", "modules", "register_all"]


def modules(only: str | None = None) -> list[Any]:
    """The command modules (imported now); with ``only``, just the one registering that command
    (none for a screen's command or a typo)."""
    names = [m for m, commands in COMMANDS.items() if only is None or only in commands]
    return [importlib.import_module(f"cli.{name}") for name in names]


def register_all(sub: Any, common: argparse.ArgumentParser, only: str | None = None) -> None:
    """Add every module's commands to ``hall``'s sub-command parser (``only``: just the
    module's that registers that command)."""
    for module in modules(only):
        module.register(sub, common)
