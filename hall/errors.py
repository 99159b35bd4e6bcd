"""Errors the facade raises for things a user asked that cannot be done; messages in Chinese."""

from __future__ import annotations

# The database's breakdowns (unreachable, full disk, damaged file), in Chinese, for the screens.
from models.faults import DatabaseDamaged, DatabaseFault, DatabaseUnavailable, DiskFull

__all__ = ["DatabaseDamaged", "DatabaseFault", "DatabaseUnavailable", "DiskFull", "NotAllowed",
           "NotFound", "Refused"]


class NotFound(LookupError):
    """What was asked for does not exist."""


class Refused(ValueError):
    """The act is not allowed now (nothing current to finish, window paused, ...)."""


class NotAllowed(PermissionError):
    """Not signed in, or signed in as someone who may not do this (a wrong password, a locked or
    disabled account, a revoked token, a role without the act, another department's window).
    The CLI exits 3 for it; the screens show the message."""
