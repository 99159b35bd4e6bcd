"""Errors the facade raises for things a user asked that cannot be done; messages in Chinese."""

from __future__ import annotations


class NotFound(LookupError):
    """What was asked for does not exist."""


class Refused(ValueError):
    """The act is not allowed now (nothing current to finish, window paused, ...)."""
