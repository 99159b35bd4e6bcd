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
    cli.admin       hall check-config | demo

Each module has ``register(subparsers, common)``, which adds its commands with
``set_defaults(func=cmd_…)``; a command is ``cmd_…(ctx: Context) -> int``, the exit status.
``main`` builds the root parser, registers every module of :data:`MODULES` and runs the command;
the terminal screens (``hall desk`` …) are main's, so nothing here imports Textual or screens,
and nothing here imports main.
"""

from __future__ import annotations

import argparse
from typing import Any

from cli import admin, board, desk, incidents, leaders, roster, windows

MODULES = (admin, desk, windows, board, leaders, roster, incidents)
"""The command modules, in the order ``hall --help`` lists their commands."""

__all__ = ["MODULES", "register_all"]


def register_all(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add every module's commands to ``hall``'s sub-command parser."""
    for module in MODULES:
        module.register(sub, common)
